"""The demo websites, fetched over real loopback HTTP with urllib."""

from __future__ import annotations

import gzip
import html
import json
import re
import socket
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest

from crawlers.demo_web import SITES, DemoWeb, ground_truth, write_ground_truth
from crawlers.demo_web.site_feeds import FEED_SITES

SIZES = {"n_job": 120, "n_marriage": 30}


def _group(pattern: str, text: str, flags: int = 0) -> str:
    """The first group of PATTERN's first match in TEXT (the test fails when there is none)."""
    match = re.search(pattern, text, flags)
    assert match is not None, pattern
    return match[1]


@pytest.fixture(scope="module")
def web() -> Iterator[DemoWeb]:
    demo = DemoWeb(seed=2014, slow_seconds=1.0, **SIZES)
    demo.start()
    yield demo
    demo.stop()


@pytest.fixture(scope="module")
def truth() -> dict[str, dict]:
    return ground_truth(2014, 1, **SIZES)


def fetch(url: str, accept_gzip: bool = False, timeout: float = 5) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and raw body bytes (404s included)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if accept_gzip else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def live_paths(truth: dict, site: str) -> set[str]:
    return {path for path, fields in truth[site].items() if fields["status"] == 200}


def crawl_list(start: str, link: str, next_link: str, encoding: str) -> tuple[set[str], int]:
    """Follow 下一页 links from a list page; returns detail paths seen and list pages visited."""
    seen: set[str] = set()
    url: str | None = start
    pages = 0
    while url:
        status, _, body = fetch(url)
        assert status == 200
        text = body.decode(encoding)
        seen |= set(re.findall(link, text))
        pages += 1
        found = re.search(next_link, text)
        url = urljoin(url, html.unescape(found[1])) if found else None
        assert pages < 100
    return seen, pages


def test_sites_are_described(web: DemoWeb) -> None:
    assert set(web.sites) == {"suzhou-jobs", "jiangsu-talent", "51-style", "hongniang-marriage", *FEED_SITES}
    assert web.sites["suzhou-jobs"].encoding == "gbk" and web.sites["suzhou-jobs"].region_code == "320500"
    assert web.sites["hongniang-marriage"].kind == "marriage"
    assert len({url.rsplit(":", 1)[1] for url in web.urls.values()}) == len(SITES)  # one port per site


def test_classic_board_paginates_with_relative_next_links(web: DemoWeb, truth: dict) -> None:
    seen, pages = crawl_list(
        web.urls["suzhou-jobs"] + "/job/",
        r'<a class="t" href="(/zhaopin/\d+x\.shtml)"',
        r'href="([^"]+)">下一页',
        "gbk",
    )
    assert pages >= 2
    assert seen == set(truth["suzhou-jobs"])  # every live page plus the planted dead links
    assert any(fields["status"] == 404 for fields in truth["suzhou-jobs"].values())


def test_modern_board_paginates_with_page_parameter(web: DemoWeb, truth: dict) -> None:
    seen, pages = crawl_list(
        web.urls["jiangsu-talent"] + "/jobs",
        r'class="job-link" href="([^"]+)"',
        r'rel="next" class="next" href="([^"]+)"',
        "utf-8",
    )
    assert pages == -(-len(live_paths(truth, "jiangsu-talent")) // 15)
    assert seen == live_paths(truth, "jiangsu-talent")


def test_marriage_site_paginates(web: DemoWeb, truth: dict) -> None:
    seen, _ = crawl_list(
        web.urls["hongniang-marriage"] + "/hunlian/list_1.html",
        r'class="item-title" href="([^"]+)"',
        r'class="next" href="([^"]+)"',
        "utf-8",
    )
    assert seen == live_paths(truth, "hongniang-marriage")


def test_51_style_list_data_is_json_in_a_script(web: DemoWeb, truth: dict) -> None:
    seen: set[str] = set()
    page, total = 1, 1
    while page <= total:
        _, _, body = fetch(f"{web.urls['51-style']}/list/{page}.html")
        data = json.loads(_group(r"window\.__SEARCH_RESULT__ = (\{.*?\})\n</script>", body.decode()))
        total = int(data["total_page"])
        seen |= {job["job_href"] for job in data["engine_jds"]}
        for job in data["engine_jds"]:
            assert job["company_name"] == truth["51-style"][job["job_href"]]["employer"]
        page += 1
    assert seen == live_paths(truth, "51-style")


def test_gbk_pages_with_missing_or_lying_charset_decode_as_gbk(web: DemoWeb, truth: dict) -> None:
    status, headers, body = fetch(web.urls["suzhou-jobs"] + "/job/")
    assert status == 200 and headers["Content-Type"] == "text/html"
    assert b'<meta charset="gbk">' in body
    assert "苏州招聘信息" in body.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    lying = 0
    for path in sorted(live_paths(truth, "suzhou-jobs")):
        if truth["suzhou-jobs"][path]["slow"]:
            continue
        _, headers, body = fetch(web.urls["suzhou-jobs"] + path)
        if "iso-8859-1" in headers["Content-Type"]:
            lying += 1
            text = body.decode("gbk")
            assert html.escape(truth["suzhou-jobs"][path]["employer"]) in text
            assert truth["suzhou-jobs"][path]["employer"] not in body.decode("iso-8859-1")
    assert lying >= 3


def test_gzip_is_offered_and_decodes_to_the_same_page(web: DemoWeb, truth: dict) -> None:
    url = web.urls["jiangsu-talent"] + sorted(live_paths(truth, "jiangsu-talent"))[0]
    _, plain_headers, plain = fetch(url)
    _, headers, packed = fetch(url, accept_gzip=True)
    assert "Content-Encoding" not in plain_headers
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(packed) == plain
    _, list_headers, _ = fetch(web.urls["suzhou-jobs"] + "/job/", accept_gzip=True)
    assert list_headers["Content-Encoding"] == "gzip"


def test_classic_detail_fields_match_ground_truth(web: DemoWeb, truth: dict) -> None:
    checked = 0
    for path in sorted(live_paths(truth, "suzhou-jobs"))[:30]:
        fields = truth["suzhou-jobs"][path]
        if fields["slow"]:
            continue
        text = fetch(web.urls["suzhou-jobs"] + path)[2].decode("gbk")
        company = _group(r'<dd class="f-company"><a [^>]+>([^<]+)</a>', text)
        assert html.unescape(company) == fields["employer"]
        assert html.unescape(_group(r'<h1 class="job-title">([^<]+)</h1>', text)) == fields["title"]
        if fields["credit_code"]:
            assert f'<td class="credit-code">{fields["credit_code"]}</td>' in text
        checked += 1
    assert checked >= 25


def test_json_ld_job_posting_parses_and_matches_truth(web: DemoWeb, truth: dict) -> None:
    units = set()
    for path in sorted(live_paths(truth, "jiangsu-talent")):
        fields = truth["jiangsu-talent"][path]
        text = fetch(web.urls["jiangsu-talent"] + path)[2].decode("utf-8")
        doc = json.loads(_group(r'<script type="application/ld\+json">(.*?)</script>', text, re.S))
        assert doc["@type"] == "JobPosting" and doc["title"] == fields["title"]
        assert doc["hiringOrganization"]["name"] == fields["employer"]
        assert doc["datePosted"] == fields["posted"]
        assert doc["jobLocation"]["address"]["addressRegion"] == "江苏省"
        salary = doc.get("baseSalary")
        if fields["salary_min"] is None:
            assert salary is None
            continue
        value = salary["value"]
        units.add(value["unitText"])
        factor = {"MONTH": 1, "DAY": 21.75, "HOUR": 174}[value["unitText"]]
        assert abs(value["minValue"] * factor - fields["salary_min"]) <= factor
    assert "MONTH" in units


def test_robots_txt(web: DemoWeb) -> None:
    status, _, body = fetch(web.urls["suzhou-jobs"] + "/robots.txt")
    assert status == 200 and "Disallow: /admin/" in body.decode() and "Disallow: /search?" in body.decode()
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(body.decode().splitlines())
    assert not parser.can_fetch("LabourWatch", web.urls["suzhou-jobs"] + "/admin/users")
    assert not parser.can_fetch("LabourWatch", web.urls["suzhou-jobs"] + "/search?key=普工")
    assert parser.can_fetch("LabourWatch", web.urls["suzhou-jobs"] + "/job/pn2/")
    for site in ("jiangsu-talent", "51-style", "hongniang-marriage"):
        assert fetch(web.urls[site] + "/robots.txt")[2].startswith(b"User-agent: *")


def test_missing_and_removed_pages_answer_404(web: DemoWeb, truth: dict) -> None:
    dead = [p for p, f in truth["suzhou-jobs"].items() if f["status"] == 404]
    assert dead and all(fetch(web.urls["suzhou-jobs"] + p)[0] == 404 for p in dead)
    assert fetch(web.urls["jiangsu-talent"] + "/jobs/nonexistent.html")[0] == 404
    assert fetch(web.urls["suzhou-jobs"] + "/admin/")[0] == 403


def test_pages_have_realistic_weight(web: DemoWeb, truth: dict) -> None:
    for site in set(web.sites) - set(FEED_SITES):  # a post's own page is small, like a real one
        path = sorted(p for p in live_paths(truth, site) if not truth[site][p]["slow"])[0]
        size = len(fetch(web.urls[site] + path)[2])
        assert 15_000 <= size <= 35_000, (site, size)


def test_slow_page_times_out_a_short_client(web: DemoWeb, truth: dict) -> None:
    slow = [p for p, f in truth["suzhou-jobs"].items() if f.get("slow")]
    assert len(slow) == 1
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        fetch(web.urls["suzhou-jobs"] + slow[0], timeout=0.2)


def _snapshot(web: DemoWeb, paths: dict[str, set[str]]) -> dict[tuple[str, str], tuple[int, bytes]]:
    out = {}
    for site, site_paths in paths.items():
        for path in site_paths:
            status, _, body = fetch(web.urls[site] + path)
            out[(site, path)] = (status, body)
    return out


def test_epoch_change_alters_exactly_the_pages_whose_truth_changed() -> None:
    before, after = ground_truth(2014, 1, **SIZES), ground_truth(2014, 2, **SIZES)
    paths = {
        site: {p for p in set(before[site]) | set(after[site]) if not before[site].get(p, {}).get("slow")}
        for site in before
    }
    expected = {(s, p) for s, ps in paths.items() for p in ps if before[s].get(p) != after[s].get(p)}
    slow_later = {p for p, f in after["suzhou-jobs"].items() if f.get("slow")}
    assert slow_later <= {p for p, f in before["suzhou-jobs"].items() if f.get("slow")}  # never moves
    assert 10 <= len(expected) <= 0.3 * sum(len(ps) for ps in paths.values())
    with DemoWeb(seed=2014, slow_seconds=0.5, **SIZES) as demo:
        first = _snapshot(demo, paths)
        request = urllib.request.Request(demo.urls["jiangsu-talent"] + "/__epoch?n=2", method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.loads(response.read()) == {"epoch": 2}
        assert demo.epoch == 2 and json.loads(fetch(demo.urls["suzhou-jobs"] + "/__epoch")[2]) == {"epoch": 2}
        second = _snapshot(demo, paths)
    changed = {key for key in first if first[key] != second[key]}
    assert changed == expected
    statuses = {(first[k][0], second[k][0]) for k in changed}
    assert {(200, 404), (404, 200), (200, 200)} <= statuses  # removed, added, edited


def test_epoch_can_be_set_in_process_and_is_validated(web: DemoWeb) -> None:
    with pytest.raises(ValueError):
        web.set_epoch(0)
    assert fetch(web.urls["51-style"] + "/__epoch")[2] == b'{"epoch": 1}'


def test_empty_sites_still_serve_lists_and_epochs() -> None:
    with DemoWeb(seed=5, n_job=0, n_marriage=0, slow_seconds=0) as demo:
        assert fetch(demo.urls["hongniang-marriage"] + "/hunlian/list_1.html")[0] == 200
        demo.set_epoch(2)
        assert fetch(demo.urls["jiangsu-talent"] + "/jobs")[0] == 200


def test_stop_frees_the_ports() -> None:
    demo = DemoWeb(seed=3, n_job=20, n_marriage=5)
    urls = demo.start()
    ports = [int(url.rsplit(":", 1)[1]) for url in urls.values()]
    assert fetch(urls["suzhou-jobs"] + "/robots.txt")[0] == 200
    demo.stop()
    for port in ports:
        with socket.socket() as sock:
            # SO_REUSEADDR tolerates TIME_WAIT leftovers but not a socket still listening on the port.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))
            sock.listen()


def test_write_ground_truth(tmp_path: Path, truth: dict) -> None:
    target = write_ground_truth(tmp_path / "truth.json", 2014, 1, **SIZES)
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["sites"] == truth and doc["epoch"] == 1
    reposted: dict[str, set[tuple[str, str]]] = {}
    for site, pages in truth.items():
        for fields in pages.values():
            if fields["status"] == 200:
                reposted.setdefault(fields["ad_id"], set()).add((site, fields["employer"]))
    assert any(len({name for _, name in v}) == 2 for v in reposted.values())  # reposts under another name


README = Path(__file__).parents[2] / "crawlers" / "demo_web" / "README.md"
DOCUMENTED_DETAIL_SELECTORS = {
    "suzhou-jobs": ["h1.job-title", "span.pos_salary", "dl.job-fields", "dd.f-company a", "dd.f-salary",
                    "dd.f-age", "dd.f-address", "dd.f-contact", "dd.f-date", "div#job-description"],
    "jiangsu-talent": ["article.job-detail", "h1.job-title", "span.salary", "span.location", "span.age",
                       "div.company-card a.company-name", "section.job-description", "div.contact"],
    "51-style": ["div.tHeader h1", "div.tHeader strong", "p.cname a", "p.msg.ltype", "div.bmsg.job_msg",
                 "p.fp.contact"],
    "hongniang-marriage": ["h1.ad-title", "ul.profile-fields li", "span.v.broker-name", "span.v.age",
                           "span.v.area", "span.v.contact", "span.v.posted", "div.ad-body"],
}  # fmt: skip


def test_readme_selectors_find_the_fields(web: DemoWeb, truth: dict) -> None:
    from parsel import Selector

    readme = README.read_text(encoding="utf-8")
    for site, selectors in DOCUMENTED_DETAIL_SELECTORS.items():
        path = sorted(p for p in live_paths(truth, site) if not truth[site][p]["slow"])[1]
        page = Selector(text=fetch(web.urls[site] + path)[2].decode(web.sites[site].encoding))
        for css in selectors:
            assert css in readme, (site, css)
            assert page.css(css), (site, css)
