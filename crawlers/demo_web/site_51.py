"""51-style: a 前程无忧-like board whose list data is JSON in window.__SEARCH_RESULT__."""

from __future__ import annotations

import json
from html import escape

from crawlers.demo_web import chrome
from crawlers.demo_web.model import Posting, SiteState
from synthetic_ads.ad_parts import CITY_BY_CODE, COUNTY_NAMES

NAME = "无忧工作网"
ROBOTS = "User-agent: *\nDisallow: /resume/\nDisallow: /member/\n"


def _head(title: str) -> str:
    return (
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        f"<title>{escape(title)}</title>{chrome.style_block('51-style')}</head><body>"
        f'<div class="header"><a href="/">{NAME}</a> <a href="/list/1.html">职位搜索</a> '
        '<a href="/resume/">我的简历</a></div><div class="wrap">'
    )


def _tail() -> str:
    return "</div>" + chrome.footer_block("51-style", NAME) + "</body></html>\n"


def page_path(page: int) -> str:
    """URL path of list page n."""
    return f"/list/{page}.html"


def home(state: SiteState) -> str:
    """Front page linking the first list page."""
    return (
        _head(NAME)
        + '<a href="/list/1.html">全部职位</a>'
        + chrome.category_block("51-style", "/list/c/")
        + _tail()
    )


def _area(p: Posting) -> str:
    city = CITY_BY_CODE[p.ad.city_code].name[:-1]
    county = COUNTY_NAMES.get(p.ad.county_code or "")
    return f"{city}-{county}" if county else city


def _job(p: Posting) -> dict:
    ad = p.ad
    jobwelf = "五险一金 包吃住" if "五险一金" in ad.body else "包吃住" if "包吃住" in ad.body else ""
    return {
        "type": "engine_jds",
        "jt": "0",
        "job_id": p.path[6:-5],
        "job_href": p.path,
        "job_name": ad.title,
        "company_name": p.employer,
        "providesalary_text": ad.salary_text,
        "workarea": ad.county_code or ad.city_code,
        "workarea_text": _area(p),
        "updatedate": f"{ad.posted:%m-%d}",
        "issuedate": f"{ad.posted.isoformat()} 09:00:00",
        "attribute_text": [_area(p), "无需经验", ad.age_text or "年龄不限"],
        "jobwelf": jobwelf,
        "companytype_text": "民营公司",
    }


def list_page(state: SiteState, page: int) -> str:
    """Result JSON in a <script>; the visible list is built by JavaScript (empty here)."""
    per = state.spec.per_page
    jobs = [_job(p) for p in state.postings[(page - 1) * per : page * per]]
    result = {
        "top_ads": [],
        "auction_ads": [],
        "market_ads": [],
        "engine_jds": jobs,
        "jobid_count": str(len(state.postings)),
        "total_page": str(state.pages()),
        "curr_page": str(page),
        "keyword_recommendation": {"title": "相关搜索", "data": []},
    }
    data = json.dumps(result, ensure_ascii=False).replace("</", "<\\/")
    noscript = (
        f'<noscript><a href="{page_path(page + 1)}">下一页</a></noscript>' if page < state.pages() else ""
    )
    return (
        _head(f"【江苏招聘】第{page}页 - {NAME}")
        + chrome.region_block("51-style", "/list/r/")
        + f'<div class="j_joblist" id="joblist"></div>{noscript}'
        + f'<script type="text/javascript">\nwindow.__SEARCH_RESULT__ = {data}\n</script>'
        + _tail()
    )


def detail(posting: Posting, related: str, broken: bool) -> str:
    """Detail page in 51job markup: div.tHeader h1, p.cname, strong (pay), p.msg.ltype, div.job_msg."""
    ad = posting.ad
    ltype = " | ".join((_area(posting), ad.age_text or "年龄不限", f"{ad.posted:%m-%d}发布"))
    return (
        _head(f"{ad.title}招聘_{posting.employer} - {NAME}")
        + '<div class="tHeader tHjob"><div class="in"><div class="cn">'
        f'<h1 title="{escape(ad.title)}">{escape(ad.title)}</h1>'
        + f"<strong>{escape(ad.salary_text)}</strong>"
        + '<p class="cname">'
        f'<a href="/company/{ad.org_key[-4:]}.html" title="{escape(posting.employer)}">'
        f"{escape(posting.employer)}</a></p>"
        + f'<p class="msg ltype" title="{escape(ltype)}">{escape(ltype)}</p></div></div></div>'
        + '<div class="tCompany_main"><div class="tBorderTop_box">'
        '<h2><span class="bname">职位信息</span></h2>'
        + f'<div class="bmsg job_msg inbox">{chrome.paragraphs(ad.body)}</div></div>'
        + '<div class="tBorderTop_box"><h2><span class="bname">联系方式</span></h2><div class="bmsg inbox">'
        + f'<p class="fp"><span class="label">上班地址：</span>{escape(ad.location_text)}</p>'
        + f'<p class="fp contact">{escape(ad.contact_text)}</p></div></div></div>'
        + related
        + _tail()
    )
