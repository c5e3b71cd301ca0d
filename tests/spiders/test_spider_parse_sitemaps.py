"""Sitemap parsing on real sitemaps: urlsets, indexes, news, gzip, text, BOM, odd namespaces."""

from __future__ import annotations

import gzip

from spider_fixtures import corpus

from spiders.parse.sitemaps import read_sitemap


def _read(*parts: str):
    path = corpus("feeds", "sitemaps", *parts)
    return read_sitemap(path.read_bytes(), url=path.name)


def test_every_sitemap_yields_urls_and_no_exception():
    root = corpus("feeds", "sitemaps")
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name in {"LICENSE", "SOURCE.txt"}:
            continue
        listing = read_sitemap(path.read_bytes(), url=path.name)
        assert listing.entries or listing.sitemaps, path
        assert all(
            e.url.startswith(("http://", "https://")) for e in listing.entries + listing.sitemaps
        ), path


def test_urlset_gives_urls_with_lastmod_dates_and_gzip_reads_the_same():
    plain = _read("trafilatura", "sitemap.xml")
    zipped = _read("trafilatura", "sitemap.xml.gz")
    assert plain.kind == "urlset" and len(plain.entries) == 84
    assert [(e.url, e.modified) for e in zipped.entries] == [
        (e.url, e.modified) for e in plain.entries
    ]
    first = plain.entries[0]
    assert (first.url, first.modified, first.published_source) == (
        "https://www.sitemaps.org/",
        "2016-11-21T00:00:00Z",
        "sitemap_lastmod",
    )


def test_google_news_sitemap_gives_publication_date_and_title():
    listing = _read("crawler-commons", "extension", "sitemap-news.xml")
    first = listing.entries[0]
    assert first.url == "http://www.example.org/business/article55.html"
    assert (first.published, first.published_source) == ("2008-12-23T00:00:00Z", "news_sitemap")
    assert first.title == "Companies A, B in Merger Talks"
    assert first.tags == ["business", "merger", "acquisition", "A", "B"]


def test_news_sitemap_with_another_namespace_prefix():
    listing = _read("washingtonpost_excerpt_2017", "politics-news-sitemap-excerpt.xml")
    assert len(listing.entries) == 4
    assert all(e.published_source == "news_sitemap" and e.title for e in listing.entries)
    assert listing.entries[0].published == "2017-11-23T02:05:12Z"


def test_news_sitemap_offsets_are_converted_to_utc():
    listing = _read("crawler-commons", "extension", "hebdenbridgetimes-articles-sitemap.xml")
    assert len(listing.entries) == 74
    assert all(e.published and e.published.endswith("Z") for e in listing.entries)


def test_sitemap_index_lists_child_sitemaps_with_lastmod():
    listing = _read("trafilatura", "sitemap2.xml")
    assert listing.kind == "index"
    assert [(s.url, s.modified) for s in listing.sitemaps] == [
        ("http://www.example.com/sitemap1.xml.gz", "2004-10-01T18:23:17Z"),
        ("http://www.example.com/sitemap2.xml.gz", "2005-01-01T00:00:00Z"),
    ]


def test_index_without_loc_elements_still_gives_its_sitemaps():
    listing = _read("crawler-commons", "sitemap.index.xml")
    assert listing.kind == "index" and len(listing.sitemaps) > 5
    assert listing.sitemaps[0].url == "https://example.com/sitemap.jss?portalCode=10260&lang=en"


def test_text_sitemaps_plain_gzip_and_with_bom():
    assert [e.url for e in _read("crawler-commons", "sitemap.txt").entries] == [
        "http://www.domain.com/page1.html",
        "http://www.domain.com/page2.html",
    ]
    assert (
        _read("crawler-commons", "sitemap-with-bom.txt").entries[0].url
        == "http://www.domain.com/page1.html"
    )
    assert _read("crawler-commons", "sitemap.txt.gz").kind == "text"


def test_old_google_namespace_and_whitespace_around_loc():
    listing = _read("crawler-commons", "sitemap.badns.xml")
    assert [e.url for e in listing.entries] == [
        "http://www.example.com/1",
        "http://www.example.com/2",
    ]


def test_atom_feed_as_sitemap():
    listing = _read("crawler-commons", "atom.xml")
    assert listing.kind == "feed"
    assert [(e.url, e.published) for e in listing.entries] == [
        ("http://example.org/2003/12/13/atom03.html", "2003-12-13T18:30:02Z")
    ]


def test_broken_sitemaps_are_problems_not_exceptions():
    cut = read_sitemap(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.b/1</loc></url><url><lo'
    )
    assert [e.url for e in cut.entries] == ["https://a.b/1"]
    assert cut.problem is not None and cut.problem.reason == "malformed_xml"
    assert (
        read_sitemap(b"<html><body>not a sitemap</body></html>").problem.reason == "malformed_xml"
    )
    assert read_sitemap(b"").problem.reason == "empty"
    assert read_sitemap(gzip.compress(b"x")[:-6]).problem.reason == "malformed_xml"
