"""jiangsu-talent: a modern UTF-8 board with schema.org JobPosting JSON-LD on every detail page."""

from __future__ import annotations

import json
from datetime import timedelta
from html import escape

from crawlers.demo_web import chrome
from crawlers.demo_web.model import Posting, SiteState
from synthetic_ads.ad_parts import CITY_BY_CODE, DAYS_PER_MONTH, HOURS_PER_MONTH

NAME = "江苏人才网"
ROBOTS = "User-agent: *\nDisallow: /api/\nDisallow: /user/\nAllow: /jobs\n"


def _head(title: str, extra: str = "") -> str:
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>{chrome.style_block('jiangsu-talent')}{extra}</head>\n<body>"
        f'<header class="site-header"><a class="brand" href="/">{NAME}</a><nav class="main-nav">'
        '<a href="/jobs">找工作</a><a href="/companies">找企业</a>'
        '<a href="/user/login">登录</a></nav></header>\n'
        '<main class="wrap">'
    )


def _tail() -> str:
    return "</main>" + chrome.footer_block("jiangsu-talent", NAME) + "</body></html>\n"


def page_path(page: int) -> str:
    """URL path of list page n: /jobs, /jobs?page=2, ..."""
    return "/jobs" if page == 1 else f"/jobs?page={page}"


def home(state: SiteState) -> str:
    """Front page with a link to the job list."""
    return (
        _head(NAME)
        + '<a class="all-jobs" href="/jobs">全部职位</a>'
        + chrome.category_block("jiangsu-talent", "/jobs/c/")
        + _tail()
    )


def _card(p: Posting) -> str:
    ad = p.ad
    city = CITY_BY_CODE[ad.city_code].name
    return (
        f'<li class="job-card" data-id="{p.path[6:-5]}">'
        f'<a class="job-link" href="{p.path}"><h3>{escape(ad.title)}</h3></a>'
        f'<span class="company">{escape(p.employer)}</span>'
        f'<span class="salary">{escape(ad.salary_text or "面议")}</span>'
        f'<span class="city">{city}</span>'
        f'<time datetime="{ad.posted.isoformat()}">{ad.posted.isoformat()}</time></li>\n'
    )


def list_page(state: SiteState, page: int) -> str:
    """Cards for one page and a rel=next link (?page=N)."""
    per = state.spec.per_page
    cards = "".join(_card(p) for p in state.postings[(page - 1) * per : page * per])
    nav = [f'<a rel="prev" href="{page_path(page - 1)}">上一页</a>'] if page > 1 else []
    if page < state.pages():
        nav.append(f'<a rel="next" class="next" href="{page_path(page + 1)}">下一页</a>')
    return (
        _head(f"江苏招聘 第{page}页 - {NAME}")
        + chrome.region_block("jiangsu-talent", "/jobs/r/")
        + f'<ul class="job-list">\n{cards}</ul><nav class="pagination">{"".join(nav)}</nav>'
        + chrome.category_block("jiangsu-talent", "/jobs/c/")
        + _tail()
    )


def base_salary(ad_salary_text: str, lo: int | None, hi: int | None) -> dict | None:
    """schema.org MonetaryAmount: DAY/HOUR units for day or hour rates, MONTH otherwise."""
    if lo is None:
        return None
    value: dict = {"@type": "QuantitativeValue", "unitText": "MONTH", "minValue": lo}
    if lo == hi and any(mark in ad_salary_text for mark in ("天", "日")):
        value.update(minValue=round(lo / DAYS_PER_MONTH), maxValue=round(lo / DAYS_PER_MONTH), unitText="DAY")
    elif lo == hi and "小时" in ad_salary_text:
        value.update(minValue=lo // HOURS_PER_MONTH, maxValue=lo // HOURS_PER_MONTH, unitText="HOUR")
    elif hi is not None:
        value["maxValue"] = hi
    return {"@type": "MonetaryAmount", "currency": "CNY", "value": value}


def json_ld(p: Posting) -> dict:
    """The JobPosting object of a detail page."""
    ad = p.ad
    doc: dict = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": ad.title,
        "description": chrome.paragraphs(ad.body),
        "identifier": {"@type": "PropertyValue", "name": p.employer, "value": p.path[6:-5]},
        "datePosted": ad.posted.isoformat(),
        "validThrough": (ad.posted + timedelta(days=30)).isoformat() + "T23:59:59+08:00",
        "employmentType": "FULL_TIME",
        "hiringOrganization": {"@type": "Organization", "name": p.employer},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": ad.location_text,
                "addressLocality": CITY_BY_CODE[ad.city_code].name,
                "addressRegion": "江苏省",
                "addressCountry": "CN",
            },
        },
    }
    if ad.credit_code:
        doc["hiringOrganization"]["identifier"] = ad.credit_code
    salary = base_salary(ad.salary_text, ad.salary_min, ad.salary_max)
    if salary:
        doc["baseSalary"] = salary
    return doc


def detail(posting: Posting, related: str, broken: bool) -> str:
    """Detail page: JSON-LD in <head>, the same facts in visible markup."""
    ad = posting.ad
    ld = json.dumps(json_ld(posting), ensure_ascii=False).replace("</", "<\\/")
    script = f'<script type="application/ld+json">{ld}</script>'
    licence = f'<p class="licence">许可证：{escape(ad.licence_no)}</p>' if ad.licence_no else ""
    return (
        _head(f"{ad.title} - {posting.employer} - {NAME}", script)
        + f'<article class="job-detail" data-job-id="{posting.path[6:-5]}">'
        f'<h1 class="job-title">{escape(ad.title)}</h1>'
        + f'<div class="job-meta"><span class="salary">{escape(ad.salary_text or "面议")}</span>'
        + f'<span class="location">{escape(ad.location_text)}</span>'
        f'<span class="age">{escape(ad.age_text or "不限")}</span>'
        + f'<time class="posted" datetime="{ad.posted.isoformat()}">{ad.posted.isoformat()}</time></div>'
        + '<div class="company-card">'
        f'<a class="company-name" href="/companies/{ad.org_key[-4:]}">'
        f"{escape(posting.employer)}</a>{licence}</div>"
        + f'<section class="job-description">{chrome.paragraphs(ad.body)}</section>'
        + f'<div class="contact">{escape(ad.contact_text)}</div></article>'
        + related
        + _tail()
    )
