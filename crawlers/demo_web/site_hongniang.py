"""hongniang-marriage: a UTF-8 matchmaking / marriage-broker board (list + detail pages)."""

from __future__ import annotations

from html import escape

from crawlers.demo_web import chrome
from crawlers.demo_web.model import Posting, SiteState
from synthetic_ads.ad_parts import CITY_BY_CODE, COUNTY_NAMES

NAME = "红娘婚恋网"
ROBOTS = "User-agent: *\nDisallow: /member/\nDisallow: /chat/\n"


def _head(title: str) -> str:
    return (
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{chrome.style_block('hongniang-marriage')}</head><body>"
        f'<div class="top"><a href="/">{NAME}</a> <a href="/hunlian/list_1.html">征婚交友</a> '
        '<a href="/member/login">会员登录</a> <a href="/chat/">在线聊天</a></div><div class="wrap">'
    )


def _tail() -> str:
    return "</div>" + chrome.footer_block("hongniang-marriage", NAME) + "</body></html>\n"


def page_path(page: int) -> str:
    """URL path of list page n."""
    return f"/hunlian/list_{page}.html"


def home(state: SiteState) -> str:
    """Front page linking the first list page."""
    return (
        _head(NAME)
        + '<a href="/hunlian/list_1.html">最新征婚信息</a>'
        + chrome.region_block("hongniang-marriage", "/hunlian/r/")
        + _tail()
    )


def _area(p: Posting) -> str:
    return CITY_BY_CODE[p.ad.city_code].name + COUNTY_NAMES.get(p.ad.county_code or "", "")


def list_page(state: SiteState, page: int) -> str:
    """div.list-item entries and a 下一页 link."""
    per = state.spec.per_page
    items = "".join(
        f'<div class="list-item"><a class="item-title" href="{p.path}">{escape(p.ad.title)}</a>'
        f'<span class="broker">{escape(p.employer)}</span><span class="age">{escape(p.ad.age_text)}</span>'
        f'<span class="area">{escape(_area(p))}</span>'
        f'<span class="date">{p.ad.posted.isoformat()}</span></div>\n'
        for p in state.postings[(page - 1) * per : page * per]
    )
    nxt = f'<a class="next" href="list_{page + 1}.html">下一页</a>' if page < state.pages() else ""
    return (
        _head(f"征婚交友 第{page}页 - {NAME}")
        + chrome.region_block("hongniang-marriage", "/hunlian/r/")
        + f'<div class="list">{items}</div><div class="pages">{nxt}</div>'
        + _tail()
    )


def detail(posting: Posting, related: str, broken: bool) -> str:
    """Profile fields as <li><span class=k>label</span><span class=v ...>value</span></li>."""
    ad = posting.ad
    fields = [
        ("机构/发布人", "broker-name", escape(posting.employer)),
        ("年龄", "age", escape(ad.age_text)),
        ("地区", "area", escape(_area(posting))),
        ("联系方式", "contact", escape(ad.contact_text)),
        ("发布日期", "posted", ad.posted.isoformat()),
    ]
    if ad.credit_code:
        fields.append(("统一社会信用代码", "credit-code", ad.credit_code))
    lis = "".join(
        f'<li><span class="k">{k}</span><span class="v {cls}">{v}</span></li>' for k, cls, v in fields
    )
    return (
        _head(f"{ad.title} - {NAME}") + f'<div class="profile"><h1 class="ad-title">{escape(ad.title)}</h1>'
        f'<ul class="profile-fields">{lis}</ul>'
        + f'<div class="ad-body">{chrome.paragraphs(ad.body)}</div></div>'
        + related
        + chrome.region_block("hongniang-marriage", "/hunlian/r/")
        + _tail()
    )
