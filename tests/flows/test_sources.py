"""Which sources a run takes."""

from pathlib import Path

import pytest

from flows.sources import select_sources
from spiders.sources import parse_sources

SOURCES = """
[[source]]
name = "demo-wp"
kind = "wordpress"
start_url = "{demo}/wp-json/wp/v2/posts"
allow_private = true
demo = true

[[source]]
name = "real-feed"
kind = "feed"
start_url = "https://example.org/feed/"

[[source]]
name = "paused"
kind = "sitemap"
start_url = "https://example.net/sitemap.xml"
enabled = false
"""


@pytest.fixture
def sources_file(tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(SOURCES)
    return path


def test_nightly_takes_enabled_real_sources_only(sources_file):
    assert [s.name for s in select_sources(sources_file=sources_file)] == ["real-feed"]


def test_demo_run_takes_demo_sources_with_the_server_address(sources_file):
    (demo,) = select_sources(demo_url="http://127.0.0.1:5555/", sources_file=sources_file)
    assert demo.start_url == "http://127.0.0.1:5555/wp-json/wp/v2/posts"
    assert demo.allow_private


def test_named_sources_include_disabled_ones(sources_file):
    assert [s.name for s in select_sources(["paused"], sources_file=sources_file)] == ["paused"]


def test_unknown_source_names_the_known_ones(sources_file):
    with pytest.raises(
        ValueError, match=r"unknown source.*nope.*known: demo-wp, real-feed, paused"
    ):
        select_sources(["nope"], sources_file=sources_file)


def test_demo_source_without_demo_address_is_refused(sources_file):
    with pytest.raises(ValueError, match="demo site's address"):
        select_sources(["demo-wp"], sources_file=sources_file)


def test_duplicate_source_names_are_refused():
    text = '[[source]]\nname="a"\nkind="feed"\nstart_url="x"\n' * 2
    with pytest.raises(ValueError, match=r"duplicate source names.*a"):
        parse_sources(text)


def test_the_shipped_sources_file_parses_and_only_demo_sources_reach_private_addresses():
    shipped = parse_sources(
        Path(__file__).resolve().parents[2].joinpath("sources.toml").read_text()
    )
    assert {s.kind for s in shipped} == {"wordpress", "feed", "sitemap"}
    assert all(s.demo for s in shipped if s.allow_private)
    assert any(not s.demo for s in shipped)
