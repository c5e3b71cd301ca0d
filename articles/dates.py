"""Publication dates: parse what sources say, keep the sane ones, remember where each came from."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser
from lxml import html as lxml_html

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# Publishers east of UTC write local dates without a zone; such a date can look up to 14 hours
# ahead of UTC without being wrong.
FUTURE_SLACK = timedelta(hours=14)

_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/._-]|$)"
)
_META_PUBLISHED = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "originalpublicationdate",
)
_META_MODIFIED = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
)


def parse_date(value: object) -> datetime | None:
    """A timezone-aware UTC datetime from ISO 8601, RFC 822 or a loose date; None if unreadable.

    Values without a zone are taken as UTC (WordPress `date_gmt`, sitemaps without offsets).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        if not text:
            return None
        parsed = _parse_text(text)
        if parsed is None:
            return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _parse_text(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    if not re.search(r"\d{4}", text):  # "3 days ago", "Tuesday": not a date we can trust
        return None
    with warnings.catch_warnings():  # unknown zone names ("IST") warn; we treat them as UTC
        warnings.simplefilter("ignore")
        try:
            return dateutil_parser.parse(text, fuzzy=False)
        except (ValueError, OverflowError, TypeError):
            return None


def iso_z(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second: 2017-07-07T00:00:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_sane(moment: datetime, now: datetime) -> bool:
    """Not before 1990 and not in the future."""
    return EARLIEST <= moment <= now + FUTURE_SLACK


def first_sane(
    candidates: Iterable[tuple[object, str]], now: datetime
) -> tuple[str | None, str | None]:
    """(ISO date, source) of the first candidate that parses and is sane; (None, None) if none."""
    for value, source in candidates:
        moment = parse_date(value)
        if moment is not None and is_sane(moment, now):
            return iso_z(moment), source
    return None, None


def date_from_url(url: str) -> str | None:
    """The /YYYY/MM/DD/ (or YYYY-MM-DD) date in a URL's path, as an ISO date."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, tzinfo=UTC).isoformat()
    except ValueError:
        return None


def _jsonld_objects(tree) -> Iterable[dict]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "", strict=False)
        except ValueError:
            continue
        yield from _walk_jsonld(data)


def _walk_jsonld(data) -> Iterable[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _walk_jsonld(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), list | dict):
                yield from _walk_jsonld(data[key])


def _meta_values(tree, names: tuple[str, ...]) -> list[str]:
    found: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = meta.get("content") or meta.get("datetime")
        if key in names and content:
            found.setdefault(key, []).append(content)
    return [v for name in names for v in found.get(name, [])]


def html_dates(tree: lxml_html.HtmlElement | None) -> tuple[list[str], list[str]]:
    """(published candidates, modified candidates) from a page's metadata, best first.

    JSON-LD datePublished, then <meta> (article:published_time, ...), then <time> elements
    marked as the publication time, then the first <time datetime> inside an <article>.
    """
    if tree is None:
        return [], []
    published: list[str] = []
    modified: list[str] = []
    for obj in _jsonld_objects(tree):
        if isinstance(obj.get("datePublished"), str):
            published.append(obj["datePublished"])
        if isinstance(obj.get("dateModified"), str):
            modified.append(obj["dateModified"])
    published += _meta_values(tree, _META_PUBLISHED)
    modified += _meta_values(tree, _META_MODIFIED)
    published += tree.xpath(
        '//time[@pubdate or @itemprop="datePublished" or contains(@class, "publish")]/@datetime'
    )
    published += tree.xpath("//article//time/@datetime")[:1]
    return [str(v) for v in published], [str(v) for v in modified]
