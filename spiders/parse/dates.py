"""Dates from listings, normalised to ISO 8601 UTC (`2024-05-01T09:30:00Z`)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def iso_utc(
    value: str | datetime | time.struct_time | None, *, naive_is_utc: bool = True
) -> str | None:
    """The date as `YYYY-MM-DDTHH:MM:SSZ`, or None when it cannot be read.

    Accepts ISO 8601 / W3C datetimes (with `Z`, an offset, or none: then UTC is assumed, which
    is what WordPress's `*_gmt` fields mean), bare dates, RFC 822 dates (RSS) and struct_time
    (feedparser's `*_parsed`, always UTC).
    """
    if value is None:
        return None
    if isinstance(value, time.struct_time):
        try:
            parsed = datetime(*value[:6], tzinfo=UTC)
        except (TypeError, ValueError):
            return None
    elif isinstance(value, datetime):
        parsed = value
    else:
        parsed = _parse_text(value.strip())
        if parsed is None:
            return None
    if parsed.tzinfo is None:
        if not naive_is_utc:
            return None
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_text(text: str) -> datetime | None:
    if not text:
        return None
    candidate = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def newest(*dates: str | None) -> str | None:
    """The latest of some normalised dates (they sort as text), ignoring Nones."""
    present = [d for d in dates if d]
    return max(present) if present else None
