"""The clean stage for one page: raw bytes -> `Article`, or a `Reject` saying why not.

Three shapes of input share one path after extraction:
- `html`: a fetched page; trafilatura finds the body and guesses metadata.
- `wp_json`: one WordPress REST post (possibly cut off mid-JSON); its `content.rendered`
  fragment is wrapped as a whole document, because trafilatura returns nothing for a bare
  fragment.
- `text`: plain text whose first line is `date YYYY-MM-DD Title`.

What the crawl already knew (`listing`: API, feed or sitemap fields) is preferred to what the
page says, and what the page's metadata says is preferred to guessing.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import trafilatura
from trafilatura.utils import load_html

from articles import identity
from articles.dates import date_from_url, first_sane, html_dates, is_sane, iso_z, parse_date
from articles.decode import UndecodableError, decode_body
from articles.gates import (
    BLOCKED_MAX_WORDS,
    PAYWALL_MAX_WORDS,
    article_signal,
    blocked_marker,
    link_density,
    listing_url,
    paywall_marker,
)
from articles.language import detect_language, latin_share
from articles.records import Article
from articles.wpjson import MalformedJSON, read_post
from spiders.records import RawPage, Reject

MIN_WORDS = 80
# Extractions shorter than this are tried again without favour_precision (see _recall_retry).
RETRY_BELOW_WORDS = 2 * MIN_WORDS
# Fewer visible words than this and the page is blank (a placeholder, an error shell).
EMPTY_MAX_WORDS = 5
# A page whose visible words are mostly link text is a listing, a hub or a menu.
LISTING_LINK_DENSITY = 0.5
# trafilatura settings: comments off (reader comments are not the article), tables on (they
# carry a good share of the numbers), no cross-document deduplication (it keeps state and
# makes one page's output depend on the pages before it).
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "deduplicate": False,
    "favor_precision": True,
    "with_metadata": True,
}
_LISTING_DATE_SOURCES = ("wp_api", "feed", "news_sitemap", "given")
_TEXT_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*(.*)$", re.I)
_BLOCK_TAGS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "table", "ul", "ol", "section", "article", "figure", "figcaption",
)  # fmt: skip


@dataclass(slots=True)
class Extracted:
    """What one page yields before the article-or-reject decision."""

    text: str
    title: str | None = None
    canonical: str | None = None
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    published: list[tuple[object, str]] = field(default_factory=list)  # (value, source), best first
    modified: list[object] = field(default_factory=list)


class _Rejected(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def clean_page(
    body: bytes,
    *,
    url: str,
    kind: str = "html",
    content_type: str | None = None,
    listing: RawPage | dict | None = None,
    now: datetime | None = None,
) -> Article | Reject:
    """Turn one raw page into an `Article`, or a `Reject` (stage `clean`) with a reason."""
    meta = _listing_dict(listing)
    now = now or datetime.now(UTC)
    try:
        extracted = _extract(body, url=url, kind=kind, content_type=content_type)
        return _article(extracted, url=url, meta=meta, now=now)
    except _Rejected as rejected:
        return reject(url, rejected.reason, rejected.detail, meta)


def reject(url: str, reason: str, detail: str, meta: dict | None = None) -> Reject:
    meta = meta or {}
    return Reject(
        url=url,
        stage="clean",
        reason=reason,
        detail=detail,
        source=meta.get("source"),
        raw_path=meta.get("path"),
        at=iso_z(datetime.now(UTC)),
    )


def _listing_dict(listing: RawPage | dict | None) -> dict[str, Any]:
    if listing is None:
        return {}
    if isinstance(listing, RawPage):
        return listing.to_dict()
    return dict(listing)


# --- extraction, one function per kind ------------------------------------------------------


def _extract(body: bytes, *, url: str, kind: str, content_type: str | None) -> Extracted:
    if not body or not body.strip():
        raise _Rejected("empty", f"the page body is empty ({len(body or b'')} bytes)")
    try:
        text, _encoding = decode_body(body, content_type)
    except UndecodableError as error:
        raise _Rejected("undecodable", str(error)) from error
    if kind == "html":
        return _from_html(text, url=url)
    if kind == "wp_json":
        return _from_wp_json(text, url=url)
    if kind == "text":
        return _from_text(text)
    raise ValueError(f"unknown page kind {kind!r}: expected html, wp_json or text")


def _from_html(page: str, *, url: str) -> Extracted:
    if _is_fragment(page):  # a feed item's full text stored as is: trafilatura needs a document
        page = _as_document(page, None)
    tree = load_html(page)
    if tree is None:
        raise _Rejected("empty", "the page has no HTML that could be parsed")
    # Everything read from the tree is read before trafilatura, which prunes it in place.
    signs = _PageSigns(page, tree, url)
    doc = trafilatura.bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS)
    text = _tidy(doc.text if doc is not None else "")
    if len(text.split()) < RETRY_BELOW_WORDS:
        doc, text = _recall_retry(page, url, doc, text)
    signs.check(text)
    published = [(v, "html_meta") for v in signs.published]
    published.append((date_from_url(url), "url"))
    if doc is not None and doc.date:
        published.append((doc.date, "html_guess"))
    if doc is None:
        return Extracted(text=text, canonical=url, published=published, modified=signs.modified)
    return Extracted(
        text=text,
        title=_without_site_name(doc.title, doc.sitename, url),
        canonical=_canonical(doc.url, url),
        authors=_split_authors(doc.author),
        categories=list(doc.categories or []),
        tags=list(doc.tags or []),
        published=published,
        modified=signs.modified,
    )


def _recall_retry(page: str, url: str, doc, text: str):
    """Extract a short result again without favouring precision; keep the longer text.

    Precision mode sometimes prunes most of an article on unusual layouts; a short result is
    where that costs most (it turns into a too_short or paywall reject). The tree was pruned
    by the first pass, so the page is parsed again.
    """
    tree = load_html(page)
    options = {**TRAFILATURA_OPTIONS, "favor_precision": False}
    again = trafilatura.bare_extraction(tree, url=url, **options) if tree is not None else None
    retry = _tidy(again.text if again is not None else "")
    if len(retry.split()) > len(text.split()):
        return again, retry
    return doc, text


class _PageSigns:
    """What the raw page says about itself: walls, challenges, links, article markup, dates."""

    def __init__(self, page: str, tree, url: str):
        self.url = url
        lowered = page.lower()
        self.blocked = blocked_marker(lowered, lowered=True)
        self.paywall = paywall_marker(lowered, lowered=True)
        self.article = article_signal(tree)
        self.density, self.links, self.visible = link_density(tree)
        self.published, self.modified = html_dates(tree)

    def check(self, text: str) -> None:
        """Raise the reject this page deserves, given the text extracted from it."""
        words = len(text.split())
        if self.blocked and words < BLOCKED_MAX_WORDS:
            raise _Rejected(
                "blocked",
                f"a bot challenge ({self.blocked}) was served instead of the page; fetch it "
                "again later, slower, or from an allowed address",
            )
        if self.paywall and words < PAYWALL_MAX_WORDS:
            raise _Rejected(
                "paywall",
                f"only {words} words are readable behind a subscription wall ({self.paywall})",
            )
        if not text and self.visible < EMPTY_MAX_WORDS:
            raise _Rejected("empty", f"the page shows only {self.visible} words and no article")
        if not text:
            raise _Rejected(
                "not_article",
                f"no article body found among the page's {self.visible} visible words "
                f"({self.density:.0%} of them link text, {self.links} links): a form, menu "
                "or listing",
            )
        if listing_url(self.url) and not (self.article and words >= MIN_WORDS):
            path = urlsplit(self.url).path or "/"
            raise _Rejected("not_article", f"{path} is a home, listing or form page")
        if self.article is None and self.density > LISTING_LINK_DENSITY:
            raise _Rejected(
                "not_article",
                f"the page looks like a listing or menu: {self.density:.0%} of its "
                f"{self.visible} words are link text across {self.links} links, and nothing "
                "marks it as an article",
            )


def _from_wp_json(raw: str, *, url: str) -> Extracted:
    try:
        post = read_post(raw)
    except MalformedJSON as error:
        raise _Rejected(
            "malformed_json", f"the WordPress post is not valid JSON: {error}"
        ) from error
    content = post.content_html
    fragment_words = len(fragment_text(content).split()) if content else 0
    if post.truncated and fragment_words < MIN_WORDS:
        raise _Rejected("truncated_json", post.salvaged())
    if not content.strip() and post.protected:
        raise _Rejected("paywall", "the WordPress post is password-protected: no content served")
    if not content.strip():
        raise _Rejected("empty", "the WordPress post has no content.rendered")
    text = _wp_text(content, post.title)
    link = post.canonical or post.link or url
    return Extracted(
        text=text,
        title=post.title,
        canonical=_canonical(link, url),
        authors=post.authors,
        categories=post.terms("category"),
        tags=post.terms("post_tag"),
        published=[(post.published_gmt, "wp_api"), (date_from_url(link), "url")],
        modified=[post.modified_gmt],
    )


def _wp_text(content: str, title: str | None) -> str:
    """Text of a content.rendered fragment: trafilatura on the wrapped fragment, unless it
    drops much of what is plainly there (the fragment is the article: no boilerplate)."""
    document = _as_document(content, title)
    doc = trafilatura.bare_extraction(document, **{**TRAFILATURA_OPTIONS, "with_metadata": False})
    extracted = _tidy(doc.text if doc is not None else "")
    plain = fragment_text(content)
    if len(extracted.split()) < 0.8 * len(plain.split()):
        return plain
    return extracted


def _is_fragment(page: str) -> bool:
    head = page[:4096].lower()
    return "<html" not in head and "<body" not in head and "<head" not in head and "<" in head


def _as_document(fragment: str, title: str | None) -> str:
    """A bare HTML fragment as a whole document: trafilatura returns None for a fragment."""
    return (
        "<html><head><title>"
        + html_lib.escape(title or "")
        + "</title></head><body><article>"
        + fragment
        + "</article></body></html>"
    )


def _from_text(raw: str) -> Extracted:
    lines = raw.lstrip("\ufeff").splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    header = _TEXT_HEADER.match(lines[0]) if lines else None
    body_lines = lines[1:] if header else lines
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", "\n".join(body_lines))]
    text = "\n".join(p for p in paragraphs if p)
    if not text:
        raise _Rejected("empty", "the text record has a header but no body")
    return Extracted(
        text=text,
        title=(header.group(2).strip() or None) if header else None,
        published=[(header.group(1), "text_header")] if header else [],
    )


# --- deciding: article or reject ------------------------------------------------------------


def _article(extracted: Extracted, *, url: str, meta: dict[str, Any], now: datetime) -> Article:
    text = extracted.text
    words = len(text.split())
    language, why = detect_language(text)
    # Script first: a Chinese page has few space-separated "words" but is not short.
    if language != "en" and (words >= MIN_WORDS or latin_share(text) < 0.5):
        raise _Rejected("language", f"we read English only: {why}")
    if words < MIN_WORDS:
        raise _Rejected(
            "too_short",
            f"only {words} word{'' if words == 1 else 's'} of text; "
            f"an article needs at least {MIN_WORDS}",
        )
    published, source = first_sane(_published_candidates(meta, extracted), now)
    canonical = identity.canonical_url(extracted.canonical or url)
    return Article(
        article_id=identity.article_id(canonical),
        url=url,
        canonical_url=canonical,
        title=meta.get("title") or extracted.title,
        text=text,
        published=published,
        published_source=source,
        modified=_modified(meta, extracted, now),
        language=language,
        authors=list(meta.get("authors") or extracted.authors),
        categories=list(meta.get("categories") or extracted.categories),
        tags=list(meta.get("tags") or extracted.tags),
        content_hash=identity.content_hash(text),
        fingerprint=identity.fingerprint(text),
        word_count=words,
        source=meta.get("source"),
        raw_path=meta.get("path"),
    )


def _published_candidates(meta: dict[str, Any], extracted: Extracted) -> list[tuple[object, str]]:
    """Listing (API, feed, news sitemap) first, then the page's own evidence, best first."""
    listed = meta.get("published")
    source = meta.get("published_source") or "given"
    candidates = []
    if listed and source != "sitemap_lastmod":  # a lastmod says when it changed, not appeared
        candidates.append((listed, source))
    return candidates + extracted.published


def _modified(meta: dict[str, Any], extracted: Extracted, now: datetime) -> str | None:
    values: list[object] = [meta.get("modified")]
    if meta.get("published_source") == "sitemap_lastmod":
        values.append(meta.get("published"))
    for value in values + extracted.modified:
        moment = parse_date(value)
        if moment is not None and is_sane(moment, now):
            return iso_z(moment)
    return None


# --- small helpers --------------------------------------------------------------------------


def _tidy(text: str) -> str:
    """One paragraph per line, no trailing spaces, no blank lines."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one block element per line."""
    if not fragment.strip():
        return ""
    tree = load_html("<html><body><div>" + fragment + "</div></body></html>")
    if tree is None:
        return ""
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    for element in tree.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    for cell in tree.iter("td", "th"):
        cell.tail = " | " + (cell.tail or "")
    body = tree.find(".//body")
    return _tidy((body if body is not None else tree).text_content())


def _canonical(candidate: str | None, url: str) -> str:
    """The page's canonical URL when it is a plausible one for this page, else the URL."""
    if not candidate:
        return url
    resolved = urljoin(url, candidate.strip())
    parts, fetched = urlsplit(resolved), urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return url
    # Sites that point every page's canonical at the home page would merge all their articles.
    if parts.path in ("", "/") and fetched.path not in ("", "/"):
        return url
    return resolved


_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014-]\s+")


def _without_site_name(title: str | None, site: str | None, url: str) -> str | None:
    """'Story | CNN Politics' -> 'Story', 'LinkNaija | Story' -> 'Story': drop a short first
    or last segment that names the site (its og:site_name or its host)."""
    if not title:
        return title
    host = (urlsplit(url).hostname or "").removeprefix("www.").split(".")[0]
    names = {re.sub(r"\W", "", (site or "").lower()), host} - {""}

    def names_site(segment: str) -> bool:
        key = re.sub(r"\W", "", segment.lower())
        return len(segment.split()) <= 4 and any(n in key or key in n for n in names if key)

    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) >= 2 and names_site(parts[-1]):
        return title[: title.rfind(parts[-1])].rstrip(" |\u2013\u2014-")
    if len(parts) >= 2 and names_site(parts[0]):
        return title[len(parts[0]) :].lstrip(" |\u2013\u2014-")
    return title


def _split_authors(value: str | None) -> list[str]:
    if not value:
        return []
    return [name.strip() for name in value.split(";") if name.strip()]
