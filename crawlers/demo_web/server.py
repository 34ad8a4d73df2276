"""A pure-stdlib threaded HTTP server for the demo sites: one port per site, all in one process."""

from __future__ import annotations

import gzip
import json
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

from crawlers.demo_web import site_51, site_feeds, site_hongniang, site_suzhou, site_talent
from crawlers.demo_web.chrome import related_block
from crawlers.demo_web.model import SITES, SiteSpec, SiteState, site_states, write_ground_truth

SITE_MODULES: dict[str, ModuleType] = {
    "suzhou-jobs": site_suzhou,
    "jiangsu-talent": site_talent,
    "51-style": site_51,
    "hongniang-marriage": site_hongniang,
}
_LOOPBACK = ("127.0.0.1", "::1", "::ffff:127.0.0.1")


@dataclass
class Page:
    """A rendered response: status, content type, body, and whether a gzip variant is offered."""

    status: int
    content_type: str
    body: bytes
    may_gzip: bool
    slow: bool = False

    @cached_property
    def gzipped(self) -> bytes | None:
        """The gzip body, compressed on first use (deterministic: mtime 0)."""
        return gzip.compress(self.body, 5, mtime=0) if self.may_gzip else None


def _stable_index(path: str) -> int:
    return zlib.crc32(path.encode())


class _Renderer:
    """Renders and caches every page of every site, per epoch (pages never change within an epoch)."""

    def __init__(self, seed: int, n_job: int, n_marriage: int) -> None:
        self.args = (seed, n_job, n_marriage)
        self.cache: dict[tuple[int, str, str], Page] = {}
        self._orders: dict[str, dict[str, int]] = {}
        self.lock = threading.Lock()

    def states(self, epoch: int) -> dict[str, SiteState]:
        with self.lock:  # the first build of an epoch is not thread-safe inside lru_cache
            return site_states(*self.args, epoch)

    def page(self, epoch: int, site: str, target: str) -> Page:
        key = (epoch, site, target)
        page = self.cache.get(key)
        if page is None:
            page = self._render(epoch, site, target)
            self.cache[key] = page
        return page

    def _render(self, epoch: int, site: str, target: str) -> Page:
        if site in site_feeds.FEED_SITES:
            status, ctype, text = site_feeds.render(site, self.args[0], target)
            return Page(status, ctype, text.encode("utf-8"), status == 200)
        module = SITE_MODULES[site]
        state = self.states(epoch)[site]
        parts = urlsplit(target)
        if parts.path == "/robots.txt":
            return self._encode(site, 200, module.ROBOTS, "text/plain; charset=utf-8", False)
        if parts.path == "/":
            return self._encode(site, 200, module.home(state), None, True)
        page_no = self._list_page_number(module, state, target)
        if page_no:
            return self._encode(site, 200, module.list_page(state, page_no), "list", True)
        posting = state.by_path.get(parts.path)
        if posting is not None:
            html = module.detail(
                posting, self._related(epoch, site, parts.path), self._broken(site, parts.path)
            )
            page = self._encode(site, 200, html, "detail:" + parts.path, _stable_index(parts.path) % 2 == 0)
            return replace(page, slow=posting.slow)
        if site == "suzhou-jobs" and parts.path == "/search":
            return self._encode(site, 200, "<html><body>搜索结果：0条</body></html>", None, False)
        return self._encode(
            site, 404, "<html><body><h1>404 信息不存在或已删除</h1></body></html>", None, False
        )

    @staticmethod
    def _list_page_number(module: ModuleType, state: SiteState, target: str) -> int:
        for n in range(1, state.pages() + 1):
            if target == module.page_path(n):
                return n
        return 1 if module is site_talent and target == "/jobs?page=1" else 0

    def _related(self, epoch: int, site: str, path: str) -> str:
        base = self.states(1)[site].postings
        if not base:
            return ""
        order = self._orders.get(site)
        if order is None:
            order = self._orders[site] = {p.path: i for i, p in enumerate(base)}
        return related_block(base, order.get(path, _stable_index(path) % len(base)))

    def prerender(self, epoch: int) -> int:
        """Render every list and detail page of an epoch now (benchmarks); returns the page count."""
        count = 0
        for site, state in self.states(epoch).items():
            if site in site_feeds.FEED_SITES:
                continue  # feed pages depend on their query (cursor, page): rendered when asked
            module = SITE_MODULES[site]
            targets = [module.page_path(n) for n in range(1, state.pages() + 1)] + list(state.by_path)
            for target in targets:
                self.page(epoch, site, target)
            count += len(targets)
        return count

    @staticmethod
    def _broken(site: str, path: str) -> bool:
        return site == "suzhou-jobs" and _stable_index(path) % 7 == 0

    @staticmethod
    def _encode(site: str, status: int, html: str, role: str | None, may_gzip: bool) -> Page:
        """Bytes and Content-Type with each site's (deliberately imperfect) charset habits."""
        if site != "suzhou-jobs":
            ctype = "text/html; charset=utf-8" if role != "text/plain; charset=utf-8" else role
            return Page(status, ctype, html.encode("utf-8"), True)
        body = html.encode("gbk", errors="xmlcharrefreplace")
        if role and role.startswith("text/plain"):
            return Page(status, role, body, False)
        if role == "list":
            ctype = "text/html"  # no charset at all: the page's <meta> is the only hint
        elif role and role.startswith("detail:") and _stable_index(role[7:]) % 10 == 3:
            ctype = "text/html; charset=iso-8859-1"  # a lying header, as some old boards send
        else:
            ctype = "text/html; charset=gbk"
        return Page(status, ctype, body, may_gzip)


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], web: DemoWeb, site: str) -> None:
        self.web = web
        self.site = site
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up mid-response are normal during crawls; stay quiet about them."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes; Nagle would stall each
    server: _SiteServer

    def log_message(self, format: str, *args: object) -> None:
        """No per-request log lines: benchmarks serve thousands of pages."""

    def do_GET(self) -> None:
        self._serve(head_only=False)

    def do_HEAD(self) -> None:
        self._serve(head_only=True)

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != "/__epoch":
            self._send(405, "text/plain", b"method not allowed")
            return
        if self.client_address[0] not in _LOOPBACK:
            self._send(403, "text/plain", b"loopback only")
            return
        try:
            epoch = int(parse_qs(parts.query).get("n", [""])[0])
            self.server.web.set_epoch(epoch)
        except ValueError:
            self._send(400, "text/plain", b"n must be an integer >= 1")
            return
        self._send(200, "application/json", json.dumps({"epoch": epoch}).encode())

    def _serve(self, head_only: bool) -> None:
        web = self.server.web
        if self.path.startswith("/__epoch"):
            self._send(200, "application/json", json.dumps({"epoch": web.epoch}).encode(), head_only)
            return
        if self.path.startswith("/admin/"):
            self._send(403, "text/html", b"<h1>403 Forbidden</h1>", head_only)
            return
        web.count_hit(self.server.site)
        page = web.renderer.page(web.epoch, self.server.site, self.path)
        if page.slow:
            time.sleep(web.slow_seconds)
        compressed = page.gzipped if "gzip" in self.headers.get("Accept-Encoding", "") else None
        body = compressed if compressed is not None else page.body
        encoding = "gzip" if compressed is not None else None
        self._send(page.status, page.content_type, body, head_only, encoding)

    def _send(
        self, status: int, ctype: str, body: bytes, head_only: bool = False, encoding: str | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        if not head_only:
            self.wfile.write(body)


class DemoWeb:
    """The demo sites, served from one process on 127.0.0.1, one port per site.

    >>> web = DemoWeb(seed=2014); urls = web.start(); ...; web.set_epoch(2); ...; web.stop()
    """

    def __init__(
        self,
        seed: int = 2014,
        n_job: int = 240,
        n_marriage: int = 60,
        epoch: int = 1,
        slow_seconds: float = 2.0,
    ) -> None:
        if epoch < 1:
            raise ValueError("epoch starts at 1")
        self.seed, self.n_job, self.n_marriage = seed, n_job, n_marriage
        self.epoch = epoch
        self.slow_seconds = slow_seconds
        self.sites: dict[str, SiteSpec] = {s.name: s for s in SITES}
        self.urls: dict[str, str] = {}
        self.renderer = _Renderer(seed, n_job, n_marriage)
        self._servers: list[_SiteServer] = []
        self._threads: list[threading.Thread] = []
        self.hits: Counter[str] = Counter()  # requests served per site (robots.txt included)
        self._hits_lock = threading.Lock()

    def count_hit(self, site: str) -> None:
        """Count one request to SITE (benchmarks kill a crawl after a share of its pages)."""
        with self._hits_lock:
            self.hits[site] += 1

    def start(self, host: str = "127.0.0.1", base_port: int = 0) -> dict[str, str]:
        """Serve every site (ports base_port, base_port+1, ... or ephemeral when 0); returns base URLs."""
        if self._servers:
            raise RuntimeError("already started")
        self.renderer.states(self.epoch)  # build before the first request so it is not timed by a crawler
        for i, name in enumerate(self.sites):
            server = _SiteServer((host, base_port + i if base_port else 0), self, name)
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
            thread.start()
            self._servers.append(server)
            self._threads.append(thread)
            self.urls[name] = f"http://{host}:{server.server_address[1]}"
        return dict(self.urls)

    def stop(self) -> None:
        """Stop serving and free the ports."""
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads, self.urls = [], [], {}

    def set_epoch(self, n: int) -> None:
        """Switch every site to epoch n (pages of other epochs stay cached)."""
        if n < 1:
            raise ValueError("epoch starts at 1")
        self.renderer.states(n)
        self.epoch = n

    def prerender(self) -> int:
        """Render every page of the current epoch ahead of a benchmark; returns the page count."""
        return self.renderer.prerender(self.epoch)

    def states(self) -> dict[str, SiteState]:
        """The sites' current content (postings, 404 paths)."""
        return self.renderer.states(self.epoch)

    def __enter__(self) -> DemoWeb:
        if not self._servers:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_forever(
    host: str = "127.0.0.1",
    base_port: int = 8600,
    seed: int = 2014,
    n_job: int = 240,
    n_marriage: int = 60,
    epoch: int = 1,
    ground_truth_path: str | Path | None = None,
    slow_seconds: float = 2.0,
) -> None:
    """Run the demo sites until interrupted (backs `labourwatch demo-web`); prints each site's URL.

    Sites listen on base_port, base_port+1, ... in the order of SITES. With ground_truth_path the
    ground truth of the starting epoch is written there first. POST /__epoch?n=2 switches epochs.
    """
    if ground_truth_path:
        write_ground_truth(ground_truth_path, seed, epoch, n_job, n_marriage)
    web = DemoWeb(seed, n_job, n_marriage, epoch, slow_seconds)
    for name, url in web.start(host, base_port).items():
        print(f"{name:20s} {url}/", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        web.stop()
