"""Sitemaps: urlsets, sitemap indexes, Google News sitemaps, text sitemaps, gzip."""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from spiders.parse.dates import iso_utc
from spiders.parse.entry import Entry, ParseProblem
from spiders.parse.feeds import read_feed

MAX_UNZIPPED = 50 * 1024 * 1024  # the sitemap protocol's own limit is 50 MB uncompressed
SitemapKind = Literal["urlset", "index", "text", "feed", "unknown"]
FEED_ROOTS = {"rss", "feed", "RDF"}
NEWS_FIELDS = {"publication_date", "title", "keywords"}


@dataclass(slots=True)
class SitemapListing:
    kind: SitemapKind = "unknown"
    entries: list[Entry] = field(default_factory=list)
    sitemaps: list[Entry] = field(default_factory=list)  # child sitemaps of an index, with lastmod
    problem: ParseProblem | None = None


def read_sitemap(body: bytes, *, url: str = "") -> SitemapListing:
    """Entries (or child sitemaps) of one sitemap body, gzip or plain, XML or text."""
    try:
        body = gunzipped(body)
    except (OSError, EOFError, zlib.error) as exc:
        return SitemapListing(
            problem=ParseProblem(
                "malformed_xml", f"sitemap looks gzip-compressed but does not decompress ({exc})"
            )
        )
    except ValueError as exc:
        return SitemapListing(problem=ParseProblem("oversize", str(exc)))
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return SitemapListing(problem=ParseProblem("empty", "sitemap is empty"))
    if stripped.startswith((b"http://", b"https://")):
        return _text_sitemap(stripped)
    return _xml_sitemap(stripped, url)


def gunzipped(body: bytes) -> bytes:
    """The body, decompressed if it is gzip (by its magic bytes, whatever the name or header says)."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
        data = stream.read(MAX_UNZIPPED + 1)
    if len(data) > MAX_UNZIPPED:
        raise ValueError(f"gzip sitemap is larger than {MAX_UNZIPPED} bytes uncompressed")
    return data


def _text_sitemap(body: bytes) -> SitemapListing:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return SitemapListing(
            kind="text",
            problem=ParseProblem(
                "undecodable", f"text sitemap is not UTF-8 as the protocol requires ({exc})"
            ),
        )
    urls = [line.strip() for line in text.splitlines()]
    entries = [Entry(url=u) for u in urls if u.startswith(("http://", "https://"))]
    return SitemapListing(kind="text", entries=entries)


def _xml_sitemap(body: bytes, url: str) -> SitemapListing:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        root, error = None, str(exc)
    else:
        error = "; ".join(str(e) for e in parser.error_log[:3])
    if root is None:
        return SitemapListing(
            problem=ParseProblem(
                "malformed_xml", f"sitemap {url} is not readable XML ({error or 'no root element'})"
            )
        )
    kind = _local(root.tag)
    if kind == "sitemapindex":
        listing = SitemapListing(
            kind="index", sitemaps=[e for e in (_entry(n) for n in _children(root, "sitemap")) if e]
        )
    elif kind == "urlset":
        listing = SitemapListing(
            kind="urlset", entries=[e for e in (_entry(n) for n in _children(root, "url")) if e]
        )
    elif kind in FEED_ROOTS:
        # The sitemap protocol also accepts RSS 2.0 and Atom feeds as sitemaps.
        feed = read_feed(body, url=url or None)
        return SitemapListing(kind="feed", entries=feed.entries, problem=feed.problem)
    else:
        return SitemapListing(
            problem=ParseProblem(
                "malformed_xml", f"root element <{kind}> is neither <urlset> nor <sitemapindex>"
            )
        )
    if error and not (listing.entries or listing.sitemaps):
        listing.problem = ParseProblem(
            "malformed_xml", f"sitemap {url} is broken and yielded nothing ({error})"
        )
    elif error:
        listing.problem = ParseProblem(
            "malformed_xml",
            f"sitemap {url} is broken; read {len(listing.entries) + len(listing.sitemaps)} entries before/around the damage ({error})",
        )
    return listing


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(node: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in node if _local(child.tag) == name]


def _texts(node: etree._Element) -> dict[str, str]:
    """Texts of a <url>/<sitemap>: `loc`, `lastmod` (its own children) and Google News fields.

    One pass over the element: `loc` of its own, not an image's or a video's (`image:loc`),
    and `news:*` fields from the news namespace under any prefix.
    """
    found: dict[str, str] = {}
    for child in node:
        name = _local(child.tag)
        if name in ("loc", "lastmod") and name not in found and child.text and child.text.strip():
            found[name] = child.text.strip()
        elif name == "news":
            for field in child.iter():
                local = _local(field.tag)
                if (
                    local in NEWS_FIELDS
                    and local not in found
                    and field.text
                    and field.text.strip()
                ):
                    found[local] = field.text.strip()
    return found


def _bare_url(node: etree._Element) -> str | None:
    """Some generators write the URL as the element's own text, without <loc>; take it."""
    text = (node.text or "").strip()
    return text if text.startswith(("http://", "https://")) and " " not in text else None


def _entry(node: etree._Element) -> Entry | None:
    found = _texts(node)
    loc = found.get("loc") or _bare_url(node)
    if not loc:
        return None
    lastmod = iso_utc(found.get("lastmod"))
    news_date = iso_utc(found.get("publication_date"))
    keywords = found.get("keywords")
    published, source = (
        (news_date, "news_sitemap")
        if news_date
        else (lastmod, "sitemap_lastmod" if lastmod else None)
    )
    return Entry(
        url=loc,
        published=published,
        published_source=source,
        modified=lastmod,
        title=found.get("title"),
        tags=[k.strip() for k in keywords.split(",") if k.strip()] if keywords else [],
    )
