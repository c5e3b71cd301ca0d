"""What spiders hand to the sink: a fetched page with its body, or a reject."""

from __future__ import annotations

from dataclasses import dataclass

from spiders.records import RawPage, Reject


@dataclass(slots=True)
class PageItem:
    """A page to keep; the sink fills in `id`, `path` and `body_sha256` when it writes `body`."""

    page: RawPage
    body: bytes


@dataclass(slots=True)
class RejectItem:
    reject: Reject
