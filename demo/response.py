"""What a route returns to the server: status, body, headers and validators."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

HTML = "text/html; charset=UTF-8"
JSON = "application/json; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
ATOM = "application/atom+xml; charset=UTF-8"
TEXT = "text/plain; charset=utf-8"


@dataclass
class Response:
    """One answer. `last_modified` set means the answer also gets an ETag and honours
    If-None-Match / If-Modified-Since; `stream` (with `length`) sends a body too big to build."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = HTML
    headers: list[tuple[str, str]] = field(default_factory=list)
    last_modified: datetime | None = None
    stream: Callable[[], Iterator[bytes]] | None = None
    length: int | None = None


def html(text: str, status: int = 200, last_modified: datetime | None = None) -> Response:
    return Response(status, text.encode("utf-8"), HTML, last_modified=last_modified)


def wp_json(data: object) -> str:
    """JSON as WordPress writes it: compact, non-ASCII as \\uXXXX, slashes escaped as \\/."""
    return json.dumps(data, separators=(",", ":")).replace("/", "\\/")


def json_response(data: object, status: int = 200, headers=None, last_modified=None) -> Response:
    body = wp_json(data).encode("ascii")
    return Response(status, body, JSON, list(headers or []), last_modified)


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, b"", HTML, [("Location", location)])
