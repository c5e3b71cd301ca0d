"""Sources: what to crawl, read from `sources.toml` (or the file named by NEWSFIGURES_SOURCES)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

SourceKind = Literal["wordpress", "feed", "sitemap"]
DEMO_PLACEHOLDER = "{demo}"


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    kind: SourceKind
    start_url: str
    allowed_domains: tuple[str, ...] = ()
    enabled: bool = True
    demo: bool = False
    allow_private: bool = False
    max_pages: int = 1000
    oldest: str | None = None
    follow_items: bool = True
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def with_demo_url(self, demo_url: str) -> Source:
        """The demo's sources name the demo server as `{demo}`; fill in where it runs now."""
        if DEMO_PLACEHOLDER not in self.start_url:
            return self
        return replace(
            self, start_url=self.start_url.replace(DEMO_PLACEHOLDER, demo_url.rstrip("/"))
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["allowed_domains"] = list(self.allowed_domains)
        return data


def sources_path() -> Path:
    """NEWSFIGURES_SOURCES, else ./sources.toml, else the checkout's own (run from anywhere)."""
    if named := os.environ.get("NEWSFIGURES_SOURCES"):
        return Path(named)
    here = Path("sources.toml")
    return here if here.exists() else Path(__file__).resolve().parents[1] / "sources.toml"


def parse_sources(text: str) -> list[Source]:
    table = tomllib.loads(text)
    fields = set(Source.__dataclass_fields__)
    sources = []
    for entry in table.get("source", []):
        known = {k: v for k, v in entry.items() if k in fields}
        extra = {k: v for k, v in entry.items() if k not in fields}
        known["allowed_domains"] = tuple(known.get("allowed_domains", ()))
        sources.append(Source(**known, extra=extra))
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"duplicate source names in sources file: {', '.join(duplicates)}")
    return sources


def load_sources(path: Path | None = None) -> list[Source]:
    path = path or sources_path()
    if not path.exists():
        raise FileNotFoundError(
            f"no sources file at {path} (set NEWSFIGURES_SOURCES to another file)"
        )
    return parse_sources(path.read_text(encoding="utf-8"))
