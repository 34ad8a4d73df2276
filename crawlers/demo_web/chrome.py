"""Page furniture shared by the demo sites: navigation, region and category blocks, footers, styles.

Real board pages are 15-35 KB, most of it furniture; crawl benchmarks need pages of that weight.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from html import escape

from crawlers.demo_web.model import Posting
from synthetic_ads.ad_parts import CITIES
from synthetic_ads.phrases.job import JOB_TYPES

_CSS_RULES = (
    "body{margin:0;font:12px/1.5 'Microsoft YaHei',SimSun,Arial,sans-serif;color:#333;background:#f5f5f5}",
    "a{color:#333;text-decoration:none}a:hover{color:#ff552e;text-decoration:underline}",
    ".wrap{width:1190px;margin:0 auto;background:#fff}.header{height:60px;border-bottom:2px solid #ff552e}",
    ".nav a{display:inline-block;padding:0 12px;line-height:36px;font-size:14px}",
    ".filter dl{overflow:hidden;margin:6px 0}.filter dt{float:left;width:70px;color:#999}",
    ".filter dd{margin-left:70px}.filter dd a{display:inline-block;margin-right:14px;line-height:24px}",
    ".side{float:right;width:260px}.side h3{font-size:14px;border-left:3px solid #ff552e;padding-left:8px}",
    ".footer{clear:both;padding:20px 0;color:#999;text-align:center;border-top:1px solid #e5e5e5}",
    ".pager a,.pager strong{display:inline-block;border:1px solid #ddd;padding:2px 9px;margin:0 2px}",
    ".related li{line-height:26px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
)


@lru_cache(maxsize=8)
def style_block(site: str) -> str:
    """An inline stylesheet of realistic weight (varied per site so pages differ between sites)."""
    rules = list(_CSS_RULES)
    for i in range(60):
        rules.append(
            f".{site[:2]}-c{i}{{margin:{i % 7}px {i % 5}px;padding:{i % 3}px;"
            f"color:#{(i * 2654435) % 0xFFFFFF:06x}}}"
        )
    return '<style type="text/css">\n' + "\n".join(rules) + "\n</style>"


@lru_cache(maxsize=8)
def region_block(site: str, prefix: str) -> str:
    """Links to every city and district page (the 区域 filter every board has)."""
    rows = []
    for city in CITIES:
        links = "".join(f'<a href="{prefix}{code}/">{escape(name)}</a>' for code, name in city.counties)
        rows.append(
            f'<dl><dt><a href="{prefix}{city.code}/">{escape(city.name)}</a></dt><dd>{links}</dd></dl>'
        )
    return '<div class="filter" id="region-filter">\n' + "\n".join(rows) + "\n</div>"


@lru_cache(maxsize=8)
def category_block(site: str, prefix: str) -> str:
    """Links to every job category (职位类别)."""
    links = []
    for key, spec in JOB_TYPES.items():
        for title in spec["titles"]:
            links.append(f'<a href="{prefix}{key}/?q={escape(title)}">{escape(title)}</a>')
    return (
        '<div class="filter" id="category-filter"><dl><dt>职位类别</dt><dd>'
        + "".join(links)
        + "</dd></dl></div>"
    )


@lru_cache(maxsize=8)
def footer_block(site: str, display: str) -> str:
    """Footer: about links, safety notice, licence lines, friendly links."""
    about = "".join(
        f'<a href="/about/{i}.html">{label}</a> | '
        for i, label in enumerate(
            (
                "关于我们",
                "联系我们",
                "用户协议",
                "隐私政策",
                "招聘防骗指南",
                "意见反馈",
                "网站地图",
                "帮助中心",
            )
        )
    )
    friends = "".join(f'<a href="/friend/{c.code}.html">{escape(c.name)}人才网</a> ' for c in CITIES)
    notice = (
        '<p class="safety">求职安全提示：凡是以各种名义收取押金、服装费、体检费、培训费的招聘信息均属违法，'
        "扣押身份证、不签劳动合同的单位请立即拨打12333举报。本站信息由用户发布，请注意甄别。</p>"
    )
    hot = "".join(
        f'<a href="/hot/{c.code}-{key}.html">{escape(c.name[:-1])}{escape(spec["titles"][0])}招聘</a> '
        for c in CITIES
        for key, spec in JOB_TYPES.items()
    )
    return (
        f'<div class="hot-links"><h3>热门招聘</h3>{hot}</div>'
        f'<div class="footer"><p>{about}</p>{notice}<p class="friends">友情链接：{friends}</p>'
        f"<p>Copyright © 2008-2025 {escape(display)} 版权所有 "
        f"苏ICP备{zlib.crc32(site.encode()) % 10**8:08d}号-1 "
        "人力资源服务许可证 经营性网站备案信息 违法和不良信息举报电话：12377</p></div>"
    )


def related_block(postings: tuple[Posting, ...], index: int, count: int = 20) -> str:
    """Titles of neighbouring postings in the epoch-1 order (stable, may point at removed pages)."""
    items = []
    for k in range(1, count + 1):
        p = postings[(index + k * 7) % len(postings)]
        items.append(
            f'<li><a href="{p.path}">{escape(p.ad.title)}</a> <span>{escape(p.employer)}</span></li>'
        )
    return '<div class="related side"><h3>相关推荐</h3><ul>' + "".join(items) + "</ul></div>"


def paragraphs(text: str) -> str:
    """Ad body text as HTML paragraphs with line breaks."""
    return "".join("<p>" + escape(par).replace("\n", "<br>") + "</p>" for par in text.split("\n\n"))
