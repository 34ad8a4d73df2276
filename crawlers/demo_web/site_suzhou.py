"""suzhou-jobs: a 58-style classic board (GBK, table lists, <dl> detail fields, some broken HTML)."""

from __future__ import annotations

from html import escape

from crawlers.demo_web import chrome
from crawlers.demo_web.model import Posting, SiteState
from synthetic_ads.ad_parts import COUNTY_NAMES

NAME = "苏州工作网"
ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /search?\nDisallow: /post/\nCrawl-delay: 1\n"


def _head(title: str) -> str:
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">\n<html><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=gbk">\n<meta charset="gbk">\n'
        f"<title>{escape(title)}</title>\n{chrome.style_block('suzhou-jobs')}\n</head>\n<body>\n"
        f'<div class="wrap"><div class="header"><a href="/" class="logo">{NAME}</a>'
        '<div class="nav"><a href="/">首页</a><a href="/job/">全职招聘</a><a href="/jianzhi/">兼职</a>'
        '<a href="/qiuzhi/">求职简历</a><a href="/post/">免费发布</a>'
        '<a href="/search?key=">搜索</a></div></div>\n'
    )


def _tail() -> str:
    return chrome.footer_block("suzhou-jobs", NAME) + "\n</div></body></html>\n"


def page_path(page: int) -> str:
    """URL path of list page n (58 style: /job/ then /job/pn2/)."""
    return "/job/" if page == 1 else f"/job/pn{page}/"


def home(state: SiteState) -> str:
    """The front page: categories, regions, a link to the list."""
    return (
        _head(f"{NAME} - 苏州招聘信息")
        + '<div class="main"><h2><a href="/job/">最新招聘信息</a></h2>'
        + chrome.category_block("suzhou-jobs", "/job/")
        + chrome.region_block("suzhou-jobs", "/job/")
        + "</div>"
        + _tail()
    )


def _row(posting: Posting) -> str:
    ad = posting.ad
    area = COUNTY_NAMES.get(ad.county_code or "", "苏州")[:2]
    return (
        '<tr class="job"><td class="t">'
        f'<a class="t" href="{posting.path}" target="_blank">{escape(ad.title)}</a>'
        f'<td class="company">{escape(posting.employer)}</td><td class="pay">{escape(ad.salary_text)}</td>'
        f'<td class="area">{escape(area)}</td><td class="date">{ad.posted:%m-%d}</td></tr>\n'
    )  # the missing </td> after the title is deliberate: real boards ship such markup


def list_page(state: SiteState, page: int) -> str:
    """A table of 20 postings with numbered pagination and a relative 下一页 link."""
    per = state.spec.per_page
    rows: list[str] = [_row(p) for p in state.postings]
    for k, (path, title) in enumerate(state.dead_links):
        rows.insert(
            min(len(rows), 11 + k * 37),
            f'<tr class="job"><td class="t"><a class="t" href="{path}">{escape(title)}</a></td>'
            '<td class="company">个人</td><td class="pay">面议</td>'
            '<td class="area">苏州</td><td class="date">06-01</td></tr>\n',
        )
    chunk = rows[(page - 1) * per : page * per]
    pages = state.pages()
    nums = "".join(
        f"<strong>{n}</strong>" if n == page else f'<a href="{page_path(n)}">{n}</a>'
        for n in range(max(1, page - 4), min(pages, page + 5) + 1)
    )
    nxt = (
        ""
        if page >= pages
        else f'<a class="next" href="{"pn2/" if page == 1 else f"../pn{page + 1}/"}">下一页</a>'
    )
    return (
        _head(f"苏州招聘信息 第{page}页 - {NAME}")
        + chrome.region_block("suzhou-jobs", "/job/")
        + '<div class="main"><table id="jobList" class="tbimg" cellspacing="0">\n'
        + "<tr><th>职位名称</th><th>公司名称</th><th>薪资</th><th>区域</th><th>更新日期</th></tr>\n"
        + "".join(chunk)
        + f'</table>\n<div class="pager">{nums}{nxt}</div></div>'
        + chrome.category_block("suzhou-jobs", "/job/")
        + _tail()
    )


def detail(posting: Posting, related: str, broken: bool) -> str:
    """A detail page: fields in a labelled <dl>, registry numbers in a table, the body in div.des."""
    ad = posting.ad
    end_dd = "" if broken else "</dd>"
    registry = ""
    if ad.credit_code or ad.licence_no:
        registry = '<table class="company-info">'
        if ad.credit_code:
            registry += f'<tr><th>统一社会信用代码</th><td class="credit-code">{ad.credit_code}</td></tr>'
        if ad.licence_no:
            registry += (
                f'<tr><th>人力资源服务许可证</th><td class="licence-no">{escape(ad.licence_no)}</td></tr>'
            )
        registry += "</table>"
    fields = (
        ("职位名称", "f-title", escape(ad.title)),
        ("公司名称", "f-company", f'<a href="/company/{ad.org_key[-4:]}/">{escape(posting.employer)}</a>'),
        ("薪资待遇", "f-salary", escape(ad.salary_text)),
        ("年龄要求", "f-age", escape(ad.age_text or "不限")),
        ("工作地点", "f-address", escape(ad.location_text)),
        ("联系方式", "f-contact", escape(ad.contact_text)),
        ("发布时间", "f-date", ad.posted.isoformat()),
    )
    dl = "".join(f'<dt>{label}：</dt><dd class="{cls}">{value}{end_dd}\n' for label, cls, value in fields)
    body = chrome.paragraphs(ad.body)
    if broken:
        body = body.replace("</p>", "")
    return (
        _head(f"{ad.title}_{posting.employer} - {NAME}")
        + f'<div class="detail"><h1 class="job-title">{escape(ad.title)}</h1>'
        + f'<div class="pos_base_info"><span class="pos_salary">{escape(ad.salary_text)}</span></div>\n'
        + f'<dl class="job-fields">\n{dl}</dl>\n{registry}\n'
        + f'<div class="des" id="job-description"><h2>职位描述</h2>{body}</div>'
        + ("" if broken else "</div>")
        + related
        + chrome.region_block("suzhou-jobs", "/job/")
        + _tail()
    )
