"""Which sources a run takes: the enabled real ones, or the demo's with its address filled in."""

from __future__ import annotations

from pathlib import Path

from spiders.sources import Source, load_sources


def select_sources(
    names: list[str] | None = None,
    demo_url: str | None = None,
    sources_file: str | Path | None = None,
) -> list[Source]:
    """Named sources if given; else the demo's (when a demo URL is given) or the enabled real ones."""
    every = load_sources(Path(sources_file) if sources_file else None)
    if names:
        known = {s.name: s for s in every}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ValueError(f"unknown source(s): {', '.join(unknown)}; known: {', '.join(known)}")
        chosen = [known[n] for n in names]
    elif demo_url:
        chosen = [s for s in every if s.demo]
    else:
        chosen = [s for s in every if s.enabled and not s.demo]
    if any(s.demo for s in chosen) and not demo_url:
        raise ValueError("demo sources need the demo site's address (run `newsfigures demo`)")
    return [s.with_demo_url(demo_url) if demo_url else s for s in chosen]
