"""A tiny HTTP server on 127.0.0.1 for crawl tests: fixed routes, plus hostile behaviours on demand."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar


@dataclass
class Route:
    """What one path answers: status, headers, body; or a handler doing something hostile."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] | None = None
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Route]] = {}
    hits: ClassVar[dict[str, int]] = {}

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def do_GET(self) -> None:
        path = self.path
        self.hits[path] = self.hits.get(path, 0) + 1
        route = self.routes.get(path) or self.routes.get(path.split("?")[0])
        if route is None:
            route = Route(body=b"not found", status=404, content_type="text/plain")
        if route.handler is not None:
            route.handler(self)
            return
        try:
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            for name, value in (route.headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[tuple[str, dict[str, int]]]:
    """Serve ROUTES on a free port; yields (base URL, hit counts per path)."""
    handler = type("Handler", (_Handler,), {"routes": routes, "hits": {}})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.hits
    finally:
        server.shutdown()
        server.server_close()


def slow_drip(seconds: float, chunk: bytes = b"<p>x</p>\n") -> Callable[[BaseHTTPRequestHandler], None]:
    """A handler that sends a byte trickle for SECONDS (a tarpit)."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        try:
            request.send_response(200)
            request.send_header("Content-Type", "text/html")
            request.end_headers()
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                request.wfile.write(chunk)
                request.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass

    return handle


def huge_body(megabytes: int) -> Callable[[BaseHTTPRequestHandler], None]:
    """A handler that streams MEGABYTES of HTML without a Content-Length."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        try:
            request.send_response(200)
            request.send_header("Content-Type", "text/html")
            request.end_headers()
            block = b"<p>" + b"x" * 65_000 + b"</p>"
            for _ in range(megabytes * 16):
                request.wfile.write(block)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass

    return handle
