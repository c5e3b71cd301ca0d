"""The demo news site's content: articles loaded from `demo/content/`, plus generated extras.

`DemoSite` holds the articles and what the server needs to look them up; it also keeps the log
of requests the server answered, so tests can assert what a crawler did (or did not) fetch.
Everything here is deterministic: the same content folder gives the same site, byte for byte.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SITE_NAME = "Demo Tech Daily"
EXTRA_FIRST_ID = 100_000
FORMATS = ("post", "text")


class ContentError(ValueError):
    """A content file that cannot be read as an article; the message names the file."""


@dataclass(frozen=True, slots=True)
class Article:
    """One article of the demo site. Dates are timezone-aware UTC."""

    id: int
    slug: str
    title: str
    author: str
    published: datetime
    modified: datetime
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    format: str
    body: str
    duplicate_of: int | None
    url_path: str

    @property
    def html_path(self) -> str:
        """Where the HTML page lives (every article has one, wire copy too)."""
        return f"/{self.published.year:04d}/{self.published.month:02d}/{self.slug}/"


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A WordPress-like slug: lowercase ASCII words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


def url_path_for(slug: str, published: datetime, fmt: str) -> str:
    """The article's listed URL: the HTML page, or the plain-text wire copy."""
    if fmt == "text":
        return f"/wire/{slug}.txt"
    return f"/{published.year:04d}/{published.month:02d}/{slug}/"


def parse_datetime(value: object, *, field: str) -> datetime:
    """A UTC datetime from a TOML datetime or an ISO 8601 string (naive means UTC)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"{field}: not an ISO 8601 date: {value!r}") from exc
    if not isinstance(value, datetime):
        raise ValueError(f"{field}: expected a date-time, got {value!r}")
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def split_front_matter(text: str) -> tuple[str, str]:
    """(TOML front matter, body) of a content file written as `+++ ... +++ body`."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "+++":
        raise ValueError("does not start with a '+++' front matter line")
    for end in range(1, len(lines)):
        if lines[end].strip() == "+++":
            return "\n".join(lines[1:end]), "\n".join(lines[end + 1 :]).strip() + "\n"
    raise ValueError("front matter has no closing '+++' line")


def _string_list(meta: dict, key: str) -> tuple[str, ...]:
    value = meta.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key}: expected a list of strings, got {value!r}")
    return tuple(v.strip() for v in value if v.strip())


def _id_from_filename(path: Path) -> int | None:
    match = re.match(r"(\d+)-", path.name)
    return int(match.group(1)) if match else None


def article_from_text(text: str, *, filename: Path) -> Article:
    """Parse one content file; raises ValueError saying what is wrong."""
    front, body = split_front_matter(text)
    try:
        meta = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"front matter is not valid TOML: {exc}") from exc
    for key in ("title", "published"):
        if key not in meta:
            raise ValueError(f"front matter lacks '{key}'")
    article_id = meta.get("id", _id_from_filename(filename))
    if not isinstance(article_id, int) or article_id <= 0:
        raise ValueError(f"id: expected a positive integer, got {article_id!r}")
    fmt = meta.get("format", "post")
    if fmt not in FORMATS:
        raise ValueError(f"format: expected one of {FORMATS}, got {fmt!r}")
    published = parse_datetime(meta["published"], field="published")
    modified = parse_datetime(meta.get("modified", published), field="modified")
    slug = str(meta.get("slug") or slugify(str(meta["title"])))
    duplicate_of = meta.get("duplicate_of")
    if duplicate_of is not None and not isinstance(duplicate_of, int):
        raise ValueError(f"duplicate_of: expected an article id, got {duplicate_of!r}")
    if not body.strip():
        raise ValueError("the body is empty")
    return Article(
        id=article_id,
        slug=slug,
        title=str(meta["title"]).strip(),
        author=str(meta.get("author") or "Staff Writer").strip(),
        published=published,
        modified=max(modified, published),
        categories=_string_list(meta, "categories"),
        tags=_string_list(meta, "tags"),
        format=fmt,
        body=body,
        duplicate_of=duplicate_of,
        url_path=url_path_for(slug, published, fmt),
    )


def load_articles(content_dir: Path) -> list[Article]:
    """Every `*.md` article of a folder, sorted by id; ContentError names the faulty file."""
    if not Path(content_dir).is_dir():
        raise ContentError(f"{content_dir}: no such content folder")
    articles = []
    for path in sorted(Path(content_dir).glob("*.md")):
        try:
            articles.append(article_from_text(path.read_text(encoding="utf-8"), filename=path))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ContentError(f"{path}: {exc}") from exc
    articles.sort(key=lambda a: a.id)
    _check_unique(articles)
    return articles


def _check_unique(articles: Iterable[Article]) -> None:
    seen_ids: dict[int, str] = {}
    seen_paths: dict[str, int] = {}
    for article in articles:
        if article.id in seen_ids:
            raise ContentError(f"article id {article.id} is used twice ({article.slug})")
        if article.url_path in seen_paths:
            raise ContentError(f"two articles share the URL {article.url_path}")
        seen_ids[article.id] = article.slug
        seen_paths[article.url_path] = article.id


@dataclass(frozen=True, slots=True)
class Term:
    """A category, tag or author as the WordPress API numbers it."""

    id: int
    name: str
    slug: str
    taxonomy: str  # "category", "post_tag" or "author"


def _terms(names: Iterable[str], taxonomy: str, first_id: int) -> dict[str, Term]:
    """Terms numbered in name order, so ids do not depend on the order files were read."""
    unique = sorted(set(names), key=lambda n: (slugify(n), n))
    return {
        name: Term(first_id + i, name, slugify(name), taxonomy) for i, name in enumerate(unique)
    }


class DemoSite:
    """The demo site's articles, their taxonomies and the log of requests served.

    `extra_pages` adds that many generated articles (ids from 100000) for benchmarks;
    `crawl_delay` goes into robots.txt; `pretty_permalinks=False` makes `/wp-json/...`
    redirect to the `/?rest_route=` form, as WordPress does without pretty permalinks.
    """

    def __init__(
        self,
        content_dir: str | Path | None = None,
        extra_pages: int = 0,
        crawl_delay: float | None = None,
        pretty_permalinks: bool = True,
    ) -> None:
        from demo.extra import generate_extra_articles  # late: extra imports this module

        self.content_dir = Path(content_dir) if content_dir is not None else CONTENT_DIR
        self.crawl_delay = crawl_delay
        self.pretty_permalinks = pretty_permalinks
        real = load_articles(self.content_dir)
        self.articles: list[Article] = real + generate_extra_articles(real, extra_pages)
        self._lock = threading.Lock()
        self._log: list[tuple[str, str, int]] = []
        self.version = 0  # bumped by touch(); caches key on it
        self._reindex()
        self.categories = _terms((c for a in real for c in a.categories), "category", 2)
        self.categories.setdefault(
            "Uncategorized", Term(1, "Uncategorized", "uncategorized", "category")
        )
        self.tags = _terms((t for a in real for t in a.tags), "post_tag", 1000)
        self.authors = _terms((a.author for a in real), "author", 1)

    def _reindex(self) -> None:
        # Built aside and swapped in whole: request threads never see a half-built index.
        by_path: dict[str, Article] = {}
        for article in self.articles:
            by_path.setdefault(article.html_path, article)
            by_path[article.url_path] = article
        # Newest first, as listings show them; ties broken by id for a stable order.
        newest_first = sorted(self.articles, key=lambda a: (a.published, a.id), reverse=True)
        # ("category" | "tag" | "author", slug) -> its articles, newest first.
        listings: dict[tuple[str, str], list[Article]] = {}
        for article in newest_first:
            names = [("category", c) for c in article.categories]
            names += [("tag", t) for t in article.tags] + [("author", article.author)]
            for kind, name in names:
                listings.setdefault((kind, slugify(name)), []).append(article)
        self.by_id = {a.id: a for a in self.articles}
        self.by_path, self.newest_first, self.listings = by_path, newest_first, listings

    # --- changes --------------------------------------------------------------------------

    def touch(self, article_id: int, modified_iso: str) -> Article:
        """Mark an article as edited at `modified_iso`: new modified date, an update paragraph."""
        with self._lock:
            old = self.by_id.get(article_id)
            if old is None:
                raise KeyError(f"no article with id {article_id}")
            modified = parse_datetime(modified_iso, field="modified")
            note = (
                f"Update: this article was revised on {modified:%B} {modified.day}, {modified:%Y}."
            )
            new = dataclasses.replace(
                old, modified=modified, body=old.body.rstrip() + f"\n\n{note}\n"
            )
            self.articles = [new if a.id == article_id else a for a in self.articles]
            self._reindex()
            self.version += 1
            return new

    # --- the request log ------------------------------------------------------------------

    @property
    def requests(self) -> list[tuple[str, str, int]]:
        """A snapshot of `(method, path_with_query, status)` of every request served."""
        with self._lock:
            return list(self._log)

    def log_request(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self._log.append((method, path, status))

    def reset_log(self) -> None:
        with self._lock:
            self._log.clear()

    # --- lookups --------------------------------------------------------------------------

    @property
    def posts(self) -> list[Article]:
        """What the WordPress API lists: every article except plain-text wire copy."""
        return [a for a in self.newest_first if a.format == "post"]

    def article_categories(self, article: Article) -> list[Term]:
        names = article.categories or ("Uncategorized",)
        return [self.categories[n] for n in names if n in self.categories]

    def article_tags(self, article: Article) -> list[Term]:
        return [self.tags[n] for n in article.tags if n in self.tags]

    def author(self, article: Article) -> Term:
        return self.authors.get(article.author) or Term(
            1, article.author, slugify(article.author), "author"
        )

    def newest_modified(self, articles: Iterable[Article] | None = None) -> datetime:
        pool = self.articles if articles is None else articles
        return max((a.modified for a in pool), default=SITE_EPOCH)


SITE_EPOCH = datetime(2014, 1, 1, tzinfo=UTC)
