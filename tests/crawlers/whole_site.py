"""A 2015-style blue-collar job board for whole-site crawls: 2,000+ pages, GBK, reachable only as real ones are.

Like the saved site of issue 15: category pages do not link to each other (the home page names a few),
half the detail pages are linked from no page at all, only from the sitemap (robots.txt `Sitemap:`
line -> sitemap index -> a plain and a gzip-compressed sitemap), and the other half only from categories.
"""

from __future__ import annotations

import gzip
import random
from dataclasses import dataclass

from tests.crawlers.local_server import Route

# Employers as written, traditional characters included: stored fields must keep them (乾 is not 干).
EMPLOYERS = (
    "苏州乾旺电子有限公司",
    "昆山昌昇精密五金厂",
    "吴江鑫乾纺织有限公司",
    "太仓麗華包装材料厂",
    "常熟瑞昇服饰有限公司",
    "张家港恒乾机械制造厂",
    "苏州工业园区鼎昇物流",
    "江苏乾隆人力资源有限公司",
)
JOBS = ("普工", "操作工", "包装工", "叉车司机", "仓管员", "电焊工", "保安", "缝纫工")
N_CATEGORIES = 106
N_DETAILS = 2100


@dataclass(frozen=True)
class Ad:
    """One detail page's ground truth."""

    aid: int
    title: str
    employer: str
    salary_min: int
    salary_max: int
    category: int
    linked: bool  # linked from a category page (else only the sitemap names it)


def ads(seed: int = 2015) -> list[Ad]:
    rnd = random.Random(seed)
    out = []
    for aid in range(1, N_DETAILS + 1):
        low = rnd.randrange(25, 50) * 100
        out.append(
            Ad(
                aid=100000 + aid,
                title=f"{rnd.choice(JOBS)}{aid}号岗位",
                employer=rnd.choice(EMPLOYERS),
                salary_min=low,
                salary_max=low + rnd.randrange(5, 20) * 100,
                category=aid % N_CATEGORIES,
                linked=aid % 2 == 0,
            )
        )
    return out


def _page(title: str, body: str) -> bytes:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        f"<title>{title}</title></head><body>{body}</body></html>"
    )
    return html.encode("gbk")


def _detail(ad: Ad) -> bytes:
    return _page(
        ad.title,
        f'<div class="nav"><a href="/">首页</a> &gt; <a href="/cat/{ad.category}.html">类别</a></div>'
        f'<div class="jobinfo"><h1 class="jobname">{ad.title}</h1>'
        f'<div class="company"><a href="/company/{ad.aid}.html">{ad.employer}</a></div>'
        f'<table><tr><th>月薪：</th><td class="salary">{ad.salary_min}-{ad.salary_max}元</td></tr>'
        "<tr><th>年龄：</th><td>18-45周岁</td></tr>"
        "<tr><th>工作地点：</th><td>苏州市吴中区</td></tr></table>"
        f'<div class="desc"><p>招{ad.title}，包吃住，长白班。</p></div></div>'
        '<div class="related"><a href="/about.html">关于我们</a></div>',
    )


def _category(number: int, linked: list[Ad]) -> bytes:
    rows = "".join(f'<li><a href="/job/{ad.aid}.html">{ad.title}</a></li>' for ad in linked)
    return _page(f"类别{number}", f'<div class="nav"><a href="/">首页</a></div><ul class="jobs">{rows}</ul>')


def _sitemap(urls: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    ).encode()


def site_routes(base_holder: list[str], seed: int = 2015) -> tuple[dict[str, Route], list[Ad]]:
    """Routes of the whole site; sitemaps name absolute URLs, so the base is filled in by `fill_base`."""
    all_ads = ads(seed)
    routes = {f"/job/{ad.aid}.html": Route(body=_detail(ad), content_type="text/html") for ad in all_ads}
    for number in range(N_CATEGORIES):
        linked = [ad for ad in all_ads if ad.category == number and ad.linked]
        routes[f"/cat/{number}.html"] = Route(body=_category(number, linked), content_type="text/html")
    home_links = "".join(f'<a href="/cat/{n}.html">类别{n}</a>' for n in range(5))
    routes["/"] = Route(body=_page("苏州蓝领招聘", home_links), content_type="text/html")
    routes["/about.html"] = Route(body=_page("关于", "<p>关于我们</p>"), content_type="text/html")
    return routes, all_ads


def fill_base(routes: dict[str, Route], base: str, all_ads: list[Ad]) -> None:
    """robots.txt and the sitemaps, which name absolute URLs on BASE."""
    categories = [f"{base}/cat/{n}.html" for n in range(N_CATEGORIES)]
    # the sitemap names only the detail pages no category links to (as on the saved 2015 site)
    details = [f"{base}/job/{ad.aid}.html" for ad in all_ads if not ad.linked]
    half = len(details) // 2
    routes["/robots.txt"] = Route(
        body=f"User-agent: *\nDisallow: /company/\nSitemap: {base}/sitemap_index.xml\n".encode(),
        content_type="text/plain",
    )
    routes["/sitemap_index.xml"] = Route(
        body=(
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sitemap-1.xml</loc></sitemap>"
            f"<sitemap><loc>{base}/sitemap-2.xml.gz</loc></sitemap></sitemapindex>"
        ).encode(),
        content_type="application/xml",
    )
    routes["/sitemap-1.xml"] = Route(
        body=_sitemap(categories + details[:half]), content_type="application/xml"
    )
    routes["/sitemap-2.xml.gz"] = Route(
        body=gzip.compress(_sitemap(details[half:]), mtime=0), content_type="application/x-gzip"
    )
