"""Feeds, sitemaps and robots.txt of the demo site are valid and list what they should."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

from demo.server import serve
from demo.site import DemoSite
from tests.demo.demo_http import FIXTURE_CONTENT, fetch

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def xml_of(url: str) -> ET.Element:
    answer = fetch(url)
    assert answer.status == 200, url
    return ET.fromstring(answer.body)


def test_rss_feed_items(base):
    answer = fetch(f"{base}/feed/")
    assert answer.headers["Content-Type"] == "application/rss+xml; charset=UTF-8"
    items = ET.fromstring(answer.body).findall("./channel/item")
    assert len(items) == 4
    newest = items[0]
    assert newest.findtext("title") == "Acme revenue rises 9% to $4.2 billion"
    assert newest.findtext("link") == f"{base}/wire/acme-revenue-wire.txt"
    assert newest.findtext("guid") == f"{base}/?p=2"
    assert newest.findtext("dc:creator", namespaces=NS) == "Wire Desk"
    assert (
        parsedate_to_datetime(newest.findtext("pubDate")).isoformat() == "2024-05-01T09:30:00+00:00"
    )
    assert [c.text for c in newest.findall("category")] == ["Earnings", "Acme"]
    assert newest.findtext("description").startswith("Acme's revenue rose 9 percent")
    assert newest.find("content:encoded", NS) is None


def test_full_feed_carries_the_article_html(base):
    items = xml_of(f"{base}/feed/full/").findall("./channel/item")
    by_title = {i.findtext("title"): i for i in items}
    content = by_title["Acme shipped 12.5 million phones in the first quarter"].findtext(
        "content:encoded", namespaces=NS
    )
    assert "<h2>Regions</h2>" in content and "<td>3.9</td>" in content


def test_atom_feed_entries(base):
    feed = xml_of(f"{base}/feed/atom/")
    entries = feed.findall("atom:entry", NS)
    assert len(entries) == 4
    wire = entries[0]
    assert wire.findtext("atom:id", namespaces=NS) == f"{base}/?p=2"
    assert wire.find("atom:link", NS).get("href") == f"{base}/wire/acme-revenue-wire.txt"
    assert wire.findtext("atom:published", namespaces=NS) == "2024-05-01T09:30:00+00:00"
    assert wire.findtext("atom:updated", namespaces=NS) == "2024-05-02T10:00:00+00:00"
    assert wire.findtext("atom:author/atom:name", namespaces=NS) == "Wire Desk"
    assert wire.find("atom:category", NS).get("term") == "Earnings"
    assert wire.findtext("atom:summary", namespaces=NS).startswith("Acme's revenue")


def test_sitemap_index_lists_sitemaps_that_all_answer(base):
    index = xml_of(f"{base}/sitemap_index.xml")
    sitemaps = index.findall("sm:sitemap", NS)
    locs = [s.findtext("sm:loc", namespaces=NS) for s in sitemaps]
    assert locs == [f"{base}/sitemap-posts-1.xml", f"{base}/news-sitemap.xml"]
    assert all(s.findtext("sm:lastmod", namespaces=NS) for s in sitemaps)
    urls = []
    for loc in locs:
        urls += [u.findtext("sm:loc", namespaces=NS) for u in xml_of(loc).findall("sm:url", NS)]
    assert len(urls) == 8 and len(set(urls)) == 4
    assert all(fetch(url).status == 200 for url in set(urls))


def test_posts_sitemap_lastmod_is_the_modified_date(base):
    urls = xml_of(f"{base}/sitemap-posts-1.xml").findall("sm:url", NS)
    lastmods = {
        u.findtext("sm:loc", namespaces=NS): u.findtext("sm:lastmod", namespaces=NS) for u in urls
    }
    assert lastmods[f"{base}/wire/acme-revenue-wire.txt"] == "2024-05-02T10:00:00+00:00"
    assert lastmods[f"{base}/2023/11/bolt-chips-capex/"] == "2023-11-20T01:00:00+00:00"


def test_news_sitemap_has_publication_dates_and_wire_copy(base):
    urls = xml_of(f"{base}/news-sitemap.xml").findall("sm:url", NS)
    assert len(urls) == 4
    by_loc = {u.findtext("sm:loc", namespaces=NS): u for u in urls}
    wire = by_loc[f"{base}/wire/acme-revenue-wire.txt"]
    assert (
        wire.findtext("news:news/news:publication_date", namespaces=NS)
        == "2024-05-01T09:30:00+00:00"
    )
    assert (
        wire.findtext("news:news/news:title", namespaces=NS)
        == "Acme revenue rises 9% to $4.2 billion"
    )
    assert wire.findtext("news:news/news:publication/news:name", namespaces=NS) == "Demo Tech Daily"
    assert wire.findtext("news:news/news:publication/news:language", namespaces=NS) == "en"
    assert all(u.findtext("news:news/news:publication_date", namespaces=NS) for u in urls)


def test_gzipped_and_text_sitemaps(base):
    plain = fetch(f"{base}/sitemap-posts-1.xml").body
    assert gzip.decompress(fetch(f"{base}/sitemap-posts-1.xml.gz").body) == plain
    lines = fetch(f"{base}/sitemap.txt").text.splitlines()
    assert lines == [
        f"{base}/2023/11/bolt-chips-capex/",
        f"{base}/2024/04/acme-phones-q1/",
        f"{base}/2024/04/acme-phones-q1-syndicated/",
        f"{base}/wire/acme-revenue-wire.txt",
    ]
    assert fetch(f"{base}/sitemap-posts-2.xml").status == 404


def test_robots_txt_without_and_with_crawl_delay(base):
    text = fetch(f"{base}/robots.txt").text
    assert "User-agent: *\nDisallow: /private/\n" in text
    assert f"Sitemap: {base}/sitemap_index.xml" in text
    assert "Crawl-delay" not in text
    with serve(DemoSite(FIXTURE_CONTENT, crawl_delay=0.5)) as other:
        assert "Crawl-delay: 0.5\n" in fetch(f"{other}/robots.txt").text


def test_extra_pages_split_sitemaps_and_cap_feeds():
    site = DemoSite(FIXTURE_CONTENT, extra_pages=2000)
    with serve(site) as base:
        locs = [
            s.findtext("sm:loc", namespaces=NS)
            for s in xml_of(f"{base}/sitemap_index.xml").findall("sm:sitemap", NS)
        ]
        assert f"{base}/sitemap-posts-3.xml" in locs and f"{base}/news-sitemap-3.xml" in locs
        post_urls, news_urls = set(), set()
        for loc in locs:
            urls = [u.findtext("sm:loc", namespaces=NS) for u in xml_of(loc).findall("sm:url", NS)]
            assert 0 < len(urls) <= 1000
            (news_urls if "news-sitemap" in loc else post_urls).update(urls)
        assert len(post_urls) == len(news_urls) == 2004
        assert len(fetch(f"{base}/sitemap.txt").text.splitlines()) == 2004
        assert len(xml_of(f"{base}/feed/").findall("./channel/item")) == 50
        assert len(xml_of(f"{base}/feed/atom/").findall("atom:entry", NS)) == 50
