"""Helpers for spider tests: a tiny fixture HTTP server, the corpora folder, quick crawl settings."""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
CORPORA = SHARED / "corpora"

# Polite crawling as in production, minus the waiting: tests must stay quick.
FAST = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_START_DELAY": 0,
    "NEWSFIGURES_BACKOFF_BASE": 0.05,
    "NEWSFIGURES_BACKOFF_MAX": 5,
}


def run_all(jobs: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Runs independent crawls side by side (each is a subprocess that mostly waits)."""
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def corpus(*parts: str) -> Path:
    path = CORPORA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"corpus {path} is absent")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def page_body(out_dir: Path, page: dict[str, Any]) -> bytes:
    return gzip.decompress((out_dir / page["path"]).read_bytes())


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = True  # answer If-None-Match with 304
    delay: float = 0.0  # seconds before answering (cut short when the server stops)
    on_answer: Callable[[], Any] | None = None  # called once the answer is sent


@dataclass
class Fixture:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, int]] = field(default_factory=list)  # (path with query, status)
    base: str = ""
    stop: threading.Event = field(default_factory=threading.Event)

    def add(self, path: str, body: bytes | str, status: int = 200, **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(
            data, status, {k.replace("_", "-"): v for k, v in headers.items()}
        )

    def fetched(self, prefix: str = "") -> list[str]:
        return [path for path, _ in self.requests if path.startswith(prefix)]


def _handler(fixture: Fixture) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = fixture.routes.get(self.path) or fixture.routes.get(self.path.split("?", 1)[0])
            if route is None:
                route = Route(b"not found", 404, {"Content-Type": "text/plain"})
            if route.delay and fixture.stop.wait(route.delay):
                return  # the server is stopping: nobody waits for this answer any more
            etag = '"' + hashlib.sha1(route.body).hexdigest()[:12] + '"'
            if route.etag and route.status == 200 and self.headers.get("If-None-Match") == etag:
                self._answer(self.path, 304, {"ETag": etag}, b"")
                return
            headers = {"Content-Type": "text/html; charset=utf-8", **route.headers}
            if route.etag and route.status == 200:
                headers["ETag"] = etag
            self._answer(self.path, route.status, headers, route.body)
            if route.on_answer is not None:
                route.on_answer()

        def _answer(self, path: str, status: int, headers: dict[str, str], body: bytes) -> None:
            fixture.requests.append((path, status))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve(fixture: Fixture) -> Iterator[Fixture]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fixture))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fixture.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fixture
    finally:
        fixture.stop.set()
        server.shutdown()
        server.server_close()
