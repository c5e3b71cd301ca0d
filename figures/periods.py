"""Time expressions in a sentence, resolved against the publication date into period labels.

Labels: `2013`, `2017-Q2`, `2017-H1`, `2017-07`, `2017-07-07`, `FY2017`, `FY2017-Q1`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from figures.lexicon import alternation, load

_P = load("periods")
MONTHS: dict[str, int] = _P["months"]
WEEKDAYS: dict[str, int] = _P["weekdays"]
ORDINALS: dict[str, int] = _P["ordinals"]
RELATIVE_YEARS: dict[str, int] = _P["relative_years"]
NOW_WORDS: list[str] = _P["now"]["words"]
COMPARATORS: list[str] = _P["comparators"]["words"]
FISCAL_KINDS = {
    "fy_quarter", "fy_quarter_code", "fy_quarter_bare", "fy_to", "fy_year", "fy_slash", "fy_current",
}  # fmt: skip

_MONTH = alternation(MONTHS)
_WEEKDAY = alternation(WEEKDAYS)
_ORD = alternation(ORDINALS)
_YEAR = r"(?:19|20)\d\d"
_FINANCIAL = r"(?:fiscal|financial)(?:\s+year)?"
_RESULTS = r"(?:pre-tax\s+|net\s+|operating\s+)?(?:profits?|sales|revenues?|results|earnings|loss(?:es)?|income|turnover|shipments|dividend|total)"

# (name, pattern): the name picks the resolver; order matters, earlier patterns win overlaps.
_PATTERNS: list[tuple[str, str]] = [
    (
        "year_ago",  # before the fiscal patterns: "the same quarter of fiscal 2014" is a basis
        r"\bthe\s+same\s+(?:period|quarter|months?|time|three\s+months)\s+(?:(?:of\s+)?last\s+year|a\s+year\s+(?:ago|earlier|before)|of\s+the\s+previous\s+year|of\s+(?:fiscal\s+|financial\s+)?\d{4})\b",
    ),
    (
        "span",
        rf"\bbetween\s+(?:(?P<m1>{_MONTH})\s+)?(?P<y1>{_YEAR})\s+and\s+(?:(?P<m2>{_MONTH})\s+)?(?P<y>{_YEAR})\b",
    ),
    (
        "until",
        rf"\b(?:until|till|through)\s+(?:(?:the\s+)?end\s+of\s+)?(?:{_MONTH}\s+)?{_YEAR}\b",
    ),
    ("delivery_month", rf"\b(?:for\s+)?{_MONTH}\s+(?:delivery|contracts?|futures)\b"),
    (
        "day_range",
        rf"\b\d{{1,2}}\s*(?:-|–|to)\s*\d{{1,2}}\s+(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "fy_quarter",
        rf"\b(?P<ord>{_ORD})\s+(?:fiscal\s+)?(?:quarter\s+)?of\s+(?:its\s+)?(?:fiscal|financial)\s+(?:year\s+)?(?P<y>{_YEAR})",
    ),
    (
        "fy_to",
        rf"\b(?:{_FINANCIAL}|year|(?:12|twelve)\s+months)\s+(?:to|ending|ended)\s+(?:(?:\d{{1,2}}\s+)?(?P<m>{_MONTH})(?:\s+\d{{1,2}}(?!\d))?)(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "fy_quarter_code",
        rf"\b(?:Q(?P<q>[1-4])\s*(?:FY\s?|fiscal\s+)(?P<y>{_YEAR}|\d\d)|(?:FY\s?|fiscal\s+)(?P<y2>{_YEAR}|\d\d)\s*Q(?P<q2>[1-4])|fiscal\s+Q(?P<q3>[1-4])\s+(?P<y3>{_YEAR}))\b",
    ),
    (
        "fy_quarter_bare",
        rf"\b(?:its\s+|the\s+)?(?:fiscal|financial)[\s-]+(?P<ord>{_ORD})[\s-]+quarter(?:\s+(?:ended|ending|to)\s+(?:(?P<m>{_MONTH})\.?(?:\s+\d{{1,2}})?|\d{{1,2}}\s+(?P<m2>{_MONTH}))(?:,?\s+(?P<y>{_YEAR}))?)?",
    ),
    (
        "fy_current",
        r"\b(?:the\s+)?(?P<rel>current|this|next|coming)\s+(?:financial|fiscal)\s+year\b",
    ),
    ("fy_year", rf"\b(?:{_FINANCIAL}\s+(?P<y>{_YEAR})|FY\s?(?P<y2>{_YEAR}|\d\d))\b"),
    ("fy_slash", rf"\b(?P<y1>{_YEAR})\s?/\s?(?P<y2>{_YEAR}|\d\d)\b"),
    (
        "quarter_code",
        rf"\b(?:Q(?P<q>[1-4])|(?P<q2>[1-4])Q)(?!\d)(?:\s*(?:FY\s?)?(?P<y>{_YEAR}|'?\d\d)(?!\d))?\b",
    ),
    (
        "first_months",
        rf"\b(?:the\s+)?first\s+(?P<n>three|six|3|6)\s+months(?:\s+of\s+(?:(?P<y>{_YEAR})|(?P<rel>this\s+year|last\s+year|the\s+year)))?",
    ),
    (
        "half_months",
        rf"\b(?:six|6)\s+months\s+(?:to|ended|ending|through)\s+(?:the\s+end\s+of\s+)?(?P<m>june|december)(?:\s+\d{{1,2}})?(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "quarter_span",
        rf"\b(?P<m1>{_MONTH})\s*(?:to|-|–|through)\s*(?P<m>{_MONTH})(?:\s+quarter)?(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "quarter_months",
        rf"\bthree\s+months\s+(?:to|ended|ending|through)\s+(?:the\s+end\s+of\s+)?(?P<m>{_MONTH})(?:\s+\d{{1,2}})?(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "quarter_words",
        rf"(?<!\ba\s)\b(?P<ord>{_ORD})[\s-]+quarter(?!\s+(?:running|in\s+a\s+row|straight))(?:\s+(?:of|in)\s+(?:(?P<y>{_YEAR})|(?P<rel>this\s+year|last\s+year|the\s+year|next\s+year)))?(?:\s+(?P<y3>{_YEAR}))?",
    ),
    ("quarter_month_named", r"\bthe\s+(?P<m>march|june|september|december)\s+quarter\b"),
    (
        "quarter_the",
        r"\b(?:the\s+(?:latest\s+|same\s+)?quarter|quarterly|the\s+(?:latest\s+)?three\s+months)\b",
    ),
    ("half_code", rf"\b(?:H(?P<h>[12])|(?P<h2>[12])H)(?!\d)(?:\s*(?P<y>{_YEAR}|'?\d\d)(?!\d))?\b"),
    (
        "half_words",
        rf"\b(?P<ord>first|second|1st|2nd)[\s-]+half(?:\s+of\s+(?:(?P<y>{_YEAR})|(?P<rel>this\s+year|last\s+year|the\s+year|next\s+year)))?(?:\s+(?P<y3>{_YEAR}))?",
    ),
    ("end_decade", r"\b(?:by\s+)?the\s+end\s+of\s+the\s+decade\b"),
    (
        "end_of_year",
        rf"\b(?:by\s+)?the\s+end\s+of\s+(?:(?P<y>{_YEAR})|(?P<rel>this\s+year|last\s+year|next\s+year|the\s+year))",
    ),
    ("next_months", r"\b(?:over|in|within)\s+the\s+next\s+(?P<n>\d+|\w+)\s+months\b"),
    (
        "window_now",
        r"\b(?:in|over|during|within)\s+(?:the\s+(?:past|last)|less\s+than)\s+(?:(?P<n>\d+|\w+)\s+)?(?P<u>year|years|months|12\s+months)\b",
    ),
    (
        "as_of",
        rf"\bas\s+of\s+(?:(?P<m>{_MONTH})\.?\s+(?P<d>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH}))(?:,?\s+(?P<y>{_YEAR}))?",
    ),
    (
        "date_md",
        rf"\b(?P<m>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>{_YEAR}))?(?!\d)",
    ),
    ("date_dm", rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"),
    ("month_year", rf"\b(?:mid-|early\s+|late\s+)?(?P<m>{_MONTH})\.?,?\s+(?P<y>{_YEAR})\b"),
    (
        "month",
        rf"\b(?:in|since|by|during|until|from|of|for|ended|ending|last|this|mid-|early|late)\s+(?:mid-)?(?P<m>{_MONTH})\b(?!\s+\d)",
    ),
    ("weekday", rf"\b(?P<w>{_WEEKDAY})(?:'s)?\b"),
    ("week_ago", r"\b(?:a\s+week\s+ago|last\s+week|this\s+week|earlier\s+this\s+week)\b"),
    (
        "month_ago",
        r"\b(?:(?P<w>last|next|previous|prior|past)\s+month|a\s+month\s+(?:ago|earlier|before))\b(?!s)",
    ),
    ("month_this", r"\bthis\s+month\b(?!s)"),
    (
        "annual",
        rf"\b(?:annual|full[\s-]year|yearly)\s+{_RESULTS}|\bfor\s+the\s+full[\s-]year\b|\bfull[\s-]year\b",
    ),
    (
        "year_ago",
        r"\b(?:year-earlier|year-ago|a\s+year\s+(?:ago|earlier|before)|the\s+year\s+before|the\s+previous\s+year|the\s+prior\s+year|last\s+year's|the\s+same\s+(?:period|quarter|months?|time|three\s+months)\s+(?:(?:of\s+)?last\s+year|a\s+year\s+(?:ago|earlier|before)|of\s+the\s+previous\s+year|of\s+(?:fiscal\s+|financial\s+)?\d{4}))\b",
    ),
    (
        "quarter_ago",
        r"\b(?:the\s+(?:previous|prior|preceding)\s+(?:quarter|three\s+months)|a\s+quarter\s+(?:earlier|ago|before)|the\s+quarter\s+before)\b",
    ),
    ("relative_year", rf"\b{alternation(RELATIVE_YEARS, boundary=False)}\b"),
    ("year", rf"(?<![\w$£€.,-])(?P<y>{_YEAR})(?:'s)?(?![\w%.,]\d|\d|%)"),
    ("now", rf"{alternation(NOW_WORDS)}"),
]
_COMPILED = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _PATTERNS]

# Cheap substring tests: a pattern runs only when one of its words is in the sentence
# (lower-cased). Patterns not listed always run.
_MONTH_WORDS = tuple(MONTHS)
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "span": ("between",),
    "until": ("until", "till", "through"),
    "delivery_month": ("delivery", "contract", "futures"),
    "day_range": _MONTH_WORDS,
    "fy_quarter": ("fiscal", "financial"),
    "fy_to": ("year to", "year end", "fiscal", "financial", "months to", "months end"),
    "fy_year": ("fiscal", "financial", "fy"),
    "fy_quarter_code": ("fy", "fiscal q"),
    "fy_current": ("financial year", "fiscal year"),
    "fy_quarter_bare": ("fiscal", "financial"),
    "fy_slash": ("/",),
    "quarter_code": ("q",),
    "quarter_span": _MONTH_WORDS,
    "first_months": ("first",),
    "half_months": ("months",),
    "quarter_months": ("three months",),
    "quarter_words": ("quarter",),
    "quarter_month_named": ("quarter",),
    "quarter_the": ("quarter", "three months"),
    "half_code": ("h1", "h2", "1h", "2h"),
    "half_words": ("half",),
    "end_decade": ("decade",),
    "end_of_year": ("end of",),
    "next_months": ("next",),
    "window_now": ("past", "last", "less than"),
    "as_of": ("as of",),
    "date_md": _MONTH_WORDS,
    "date_dm": _MONTH_WORDS,
    "month_year": _MONTH_WORDS,
    "month": _MONTH_WORDS,
    "weekday": ("day",),
    "week_ago": ("week",),
    "month_ago": ("month",),
    "month_this": ("this month",),
    "annual": ("annual", "full", "yearly"),
    "year_ago": ("year", "same"),
    "quarter_ago": ("quarter", "three months"),
    "relative_year": ("year",),
    "year": ("19", "20"),
}
_COMPARATOR_BEFORE = re.compile(
    rf"(?<![\w])(?:{alternation(COMPARATORS, boundary=False)})\s+(?:the\s+|its\s+|a\s+|in\s+|levels?\s+|end\s+of\s+)*$",
    re.IGNORECASE,
)
_INHERENT_COMPARATORS = {"year_ago", "quarter_ago"}
_SPEECH_KINDS = {
    "month",
    "month_year",
    "weekday",
    "date_md",
    "date_dm",
    "week_ago",
    "month_ago",
    "month_this",
}
_COMPARATOR_NEAR = re.compile(
    r"(?:\bfrom|(?<!more )(?<!less )(?<!fewer )(?<!rather )\bthan|\bcompared\s+with|\bsince)\b[^,;.]{0,35}$",
    re.IGNORECASE,
)
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|warned|warns|announced|reported|told|added|predicted|forecast|estimated|revealed|confirmed|disclosed|published|released|wrote)\s+(?:on\s+|in\s+|at\s+|last\s+|earlier\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PeriodMention:
    start: int
    end: int
    label: str
    kind: str
    comparator: bool  # introduced by "from", "than", "compared with": a basis, not the period
    by: bool = False  # "by 2019": a level to be reached


def find_periods(text: str, start: int, end: int, published: dt.date | None) -> list[PeriodMention]:
    """Every time expression in `text[start:end]`, resolved; overlapping ones keep the first pattern."""
    pub = published or dt.date(2000, 1, 1)
    taken: list[tuple[int, int]] = []
    found: list[PeriodMention] = []
    segment = text[start:end]
    lower = segment.lower()
    present: dict[int, bool] = {}  # trigger sets shared by several patterns are tested once
    for name, pattern in _COMPILED:
        triggers = _TRIGGERS.get(name)
        if triggers is not None:
            key = id(triggers)
            if key not in present:
                present[key] = any(word in lower for word in triggers)
            if not present[key]:
                continue
        for match in pattern.finditer(segment):
            s, e = match.start() + start, match.end() + start
            if any(s < te and ts < e for ts, te in taken):
                continue
            label = _resolve(name, match, pub, segment, match.start())
            if label is None:
                continue
            if published is None and name in ("now", "weekday", "relative_year", "annual"):
                continue
            before = segment[max(0, match.start() - 40) : match.start()]
            comparator = bool(_COMPARATOR_BEFORE.search(before)) or name in _INHERENT_COMPARATORS
            if _COMPARATOR_NEAR.search(before) and not _DIGIT_RE.search(before[-40:]):
                comparator = True  # "from the record highs reached in late October"
            if _SPEECH_BEFORE.search(before) and name in _SPEECH_KINDS:
                name = "speech"  # "it had warned in September that ...": when it was said
            if name == "now" or name == "as_of":
                comparator = False
            if name == "month" and match.group().lower().startswith(("since", "from")):
                comparator = True  # "Since January, buyers have been able to claim ..."
            by = bool(_BY_BEFORE_RE.search(before)) or match.group().lower().startswith("by")
            taken.append((s, e))
            found.append(PeriodMention(s, e, label, name, comparator, by))
    found.sort(key=lambda p: p.start)
    return _full_year_of_sentence(found, text, pub)


def _full_year_of_sentence(
    found: list[PeriodMention], text: str, pub: dt.date
) -> list[PeriodMention]:
    """ "rising 8% for the full year" next to "the second half of 2019": a full year looking
    forward is the sentence's year, not the year whose results are being reported."""
    years = {
        p.label[:4]
        for p in found
        if p.kind not in ("annual", "now", "speech", "year_ago", "quarter_ago")
        and not p.comparator
        and p.label[:4].isdigit()
    }
    if len(years) != 1:
        return found
    year = years.pop()
    if int(year) < pub.year:
        return found
    return [
        PeriodMention(p.start, p.end, year, p.kind, p.comparator, p.by)
        if p.kind == "annual" and p.label != year and "full" in text[p.start : p.end].lower()
        else p
        for p in found
    ]


def _year(match: re.Match, pub: dt.date, key: str = "y") -> int | None:
    groups = match.groupdict()
    for name in (key, "y3", "y2"):
        value = (groups.get(name) or "").lstrip("'")
        if value:
            return int(value) if len(value) == 4 else 2000 + int(value)
    rel = groups.get("rel")
    if rel:
        return pub.year + RELATIVE_YEARS.get(" ".join(rel.lower().split()), 0)
    return None


def _last_month(month: int, pub: dt.date, *, strict: bool = False) -> int:
    """The year of the latest `month` at or before the publication month."""
    if month < pub.month or (month == pub.month and not strict):
        return pub.year
    return pub.year - 1


def _day_year(month: int, day: int, pub: dt.date) -> int:
    """The year of a day written without one: the coming one when it is at most two months
    ahead ("will be terminated on Dec. 9", written on November 20), else the latest past one."""
    for year in (pub.year, pub.year + 1):
        try:
            ahead = dt.date(year, month, day) - pub
        except ValueError:  # "Feb. 30"
            continue
        if dt.timedelta(0) < ahead <= dt.timedelta(days=62):
            return year
    return _last_month(month, pub)


def _last_quarter(pub: dt.date) -> tuple[int, int]:
    """The latest quarter that ended before the publication date."""
    q = (pub.month - 1) // 3  # quarters completed this year
    return (pub.year, q) if q else (pub.year - 1, 4)


def _reporting_year(pub: dt.date) -> int:
    """The year whose annual results are reported around `pub` (Jan-Apr report the last year)."""
    return pub.year - 1 if pub.month <= 4 else pub.year


def _resolve(name: str, m: re.Match, pub: dt.date, segment: str, offset: int) -> str | None:
    g = m.groupdict()
    if name == "span":
        return g["y"]
    if name in ("until", "delivery_month"):
        return ""  # a time that bounds or delivers, not when the figure holds
    if name == "day_range":
        month = MONTHS[g["m"].lower()]
        return f"{_year(m, pub) or _last_month(month, pub)}-{month:02d}"
    if name == "fy_quarter":
        return f"FY{_year(m, pub)}-Q{ORDINALS[g['ord'].lower()]}"
    if name == "fy_to":
        month = MONTHS[g["m"].lower()]
        year = _year(m, pub) or _last_month(month, pub)
        return f"FY{year}"
    if name == "fy_quarter_bare":
        # "its fiscal fourth quarter ended September 24": the fiscal year the quarter ended in
        month_name = g.get("m") or g.get("m2")
        if month_name:
            year = _year(m, pub) or _last_month(MONTHS[month_name.lower()], pub)
        else:
            year = pub.year
        return f"FY{year}-Q{ORDINALS[g['ord'].lower()]}"
    if name == "fy_current":
        # the financial year under way at publication; its end month from "year to March" nearby
        end = _FY_END_RE.search(segment)
        end_month = MONTHS[end.group(1).lower()] if end else 12
        year = pub.year if pub.month <= end_month else pub.year + 1
        if g["rel"].lower() in ("next", "coming"):
            year += 1
        return f"FY{year}"
    if name == "fy_quarter_code":
        q = g.get("q") or g.get("q2") or g.get("q3")
        return f"FY{_year(m, pub)}-Q{q}"
    if name == "fy_year":
        year = g.get("y") or g.get("y2")
        return f"FY{year if len(year) == 4 else 2000 + int(year)}"
    if name == "fy_slash":
        y1, y2 = int(g["y1"]), g["y2"]
        y2 = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
        return f"FY{y2}" if y2 == y1 + 1 else None
    if name == "quarter_code":
        q = g.get("q") or g.get("q2")
        year = _year(m, pub)
        if year is None:
            year = pub.year if int(q) <= (pub.month - 1) // 3 + 1 else pub.year - 1
        return f"{year}-Q{q}"
    if name == "first_months":
        months = 3 if g["n"] in ("three", "3") else 6
        year = _year(m, pub) or (pub.year if pub.month > months else pub.year - 1)
        return f"{year}-Q1" if g["n"] in ("three", "3") else f"{year}-H1"
    if name == "half_months":
        month = MONTHS[g["m"].lower()]
        year = _year(m, pub) or _last_month(month, pub)
        return f"{year}-H{1 if month == 6 else 2}"
    if name == "quarter_span":
        first, last = MONTHS[g["m1"].lower()], MONTHS[g["m"].lower()]
        if last - first != 2 or first % 3 != 1:
            return None
        year = _year(m, pub) or _last_month(last, pub)
        return f"{year}-Q{(last - 1) // 3 + 1}"
    if name == "quarter_months":
        month = MONTHS[g["m"].lower()]
        year = _year(m, pub) or _last_month(month, pub)
        return f"{year}-Q{(month - 1) // 3 + 1}"
    if name == "quarter_words":
        q = ORDINALS[g["ord"].lower()]
        if g["ord"].lower() == "last" and not (g.get("y") or g.get("rel") or g.get("y3")):
            year, q = _last_quarter(pub)
            return f"{year}-Q{q}"
        year = _year(m, pub)
        if year is None:
            last_year, last_q = _last_quarter(pub)
            year = last_year if q <= last_q or last_year < pub.year else last_year - 1
            if last_year == pub.year and q > last_q:
                year = pub.year if q == last_q + 1 else pub.year - 1
        return f"{year}-Q{q}"
    if name == "quarter_month_named":
        month = MONTHS[g["m"].lower()]
        # the nearest such quarter: "the December quarter" said in October is this year's
        year = pub.year if month - pub.month <= 3 else pub.year - 1
        return f"{year}-Q{(month - 1) // 3 + 1}"
    if name == "quarter_the":
        year, q = _last_quarter(pub)
        return f"{year}-Q{q}"
    if name == "half_code":
        half = g.get("h") or g.get("h2")
        year = _year(m, pub) or (pub.year if half == "1" or pub.month > 6 else pub.year - 1)
        return f"{year}-H{half}"
    if name == "half_words":
        h = 1 if g["ord"].lower() in ("first", "1st") else 2
        year = _year(m, pub) or (pub.year if h == 1 or pub.month > 6 else pub.year - 1)
        if h == 2 and pub.month <= 6 and _THE_YEAR_RE.search(m.group()):
            year = pub.year - 1  # "in the second half of the year", said in January

        return f"{year}-H{h}"
    if name == "end_decade":
        return str((pub.year // 10 + 1) * 10)
    if name == "end_of_year":
        if _THE_YEAR_RE.search(m.group()) and _PAST_TENSE_RE.search(segment):
            return f"{_reporting_year(pub)}-12"  # "held shares at the end of the year" (in March)
        return f"{_year(m, pub)}-12"
    if name == "next_months":
        n = _small_number(g["n"])
        if n is None:
            return None
        month_index = pub.year * 12 + pub.month - 1 + n
        return f"{month_index // 12}-{month_index % 12 + 1:02d}"
    if name == "window_now":
        return pub.isoformat()
    if name == "as_of":
        month = MONTHS[(g.get("m") or g.get("m2")).lower()]
        day = int(g.get("d") or g.get("d2"))
        year = _year(m, pub) or _last_month(month, pub)
        return _date(year, month, day)
    if name in ("date_md", "date_dm"):
        month = MONTHS[g["m"].lower()]
        if g["m"].lower() == "may" and not g["m"][0].isupper():
            return None
        day = int(g["d"])
        year = _year(m, pub) or _day_year(month, day, pub)
        return _date(year, month, day)
    if name == "month_year":
        if g["m"].lower() == "may" and not g["m"][0].isupper():
            return None
        return f"{int(g['y'])}-{MONTHS[g['m'].lower()]:02d}"
    if name == "month":
        if g["m"].lower() in ("may", "mar", "dec", "jun", "sep") and not g["m"][0].isupper():
            return None
        month = MONTHS[g["m"].lower()]
        by = m.group().lower().startswith(("by", "until"))
        year = pub.year if by and month >= pub.month else _last_month(month, pub)
        return f"{year}-{month:02d}"
    if name == "weekday":
        if not m.group()[0].isupper():
            return None
        back = (pub.weekday() - WEEKDAYS[g["w"].lower()]) % 7
        return (pub - dt.timedelta(days=back)).isoformat()
    if name == "month_this":
        return f"{pub.year}-{pub.month:02d}"
    if name == "month_ago":
        shift = 1 if (g.get("w") or "").lower() == "next" else -1
        index = pub.year * 12 + pub.month - 1 + shift
        return f"{index // 12}-{index % 12 + 1:02d}"
    if name == "week_ago":
        back = 0 if "this" in m.group().lower() else 7
        day = pub - dt.timedelta(days=back)
        return f"{day.year}-{day.month:02d}"
    if name == "annual":
        return str(_reporting_year(pub))
    if name == "year_ago":
        return str(pub.year - 1)
    if name == "quarter_ago":
        year, q = _last_quarter(pub)
        return shift_quarter(f"{year}-Q{q}", -1)
    if name == "relative_year":
        phrase = " ".join(m.group().lower().split())
        if phrase == "the year" and _PAST_TENSE_RE.search(segment):
            return str(_reporting_year(pub))
        return str(pub.year + RELATIVE_YEARS[phrase])
    if name == "year":
        return g["y"]
    if name == "now":
        return pub.isoformat()
    return None


def _date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


_SMALL = {
    "six": 6,
    "twelve": 12,
    "three": 3,
    "nine": 9,
    "eighteen": 18,
    "two": 2,
    "four": 4,
    "24": 24,
}


def _small_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _SMALL.get(text.lower())


def shift_quarter(label: str, quarters: int) -> str:
    """'2020-Q1' shifted by -1 -> '2019-Q4'; other labels are returned unchanged."""
    match = _QUARTER_LABEL_RE.match(label)
    if not match:
        return label
    prefix, year, q = match.groups()
    index = int(year) * 4 + int(q) - 1 + quarters
    return f"{prefix or ''}{index // 4}-Q{index % 4 + 1}"


def shift_year(label: str, years: int) -> str:
    """'2004-Q4' shifted by -1 -> '2003-Q4'."""
    match = _LABEL_PARTS_RE.match(label)
    if not match:
        return label
    prefix, year, rest = match.groups()
    return f"{prefix or ''}{int(year) + years}{rest}"


# Patterns used inside functions, compiled once at import.
_DIGIT_RE = re.compile(r"\d")
_BY_BEFORE_RE = re.compile(r"\bby\s+(?:the\s+end\s+of\s+)?$", re.IGNORECASE)
_PAST_TENSE_RE = re.compile(
    r"\b(?:was|were|had|held|rose|fell|grew|sold|shipped|made|earned|reached|came|saw|totalled|reported|posted|recorded|delivered|hit|employed|added|spent|paid|gained|lost|ended|closed)\b",
    re.I,
)
_LABEL_PARTS_RE = re.compile(r"^(FY)?(\d{4})(.*)$")
_FY_END_RE = re.compile(
    rf"\b(?:year|months)\s+(?:to|ending|ended)\s+(?:\d{{1,2}}\s+)?({_MONTH})", re.IGNORECASE
)
_THE_YEAR_RE = re.compile(r"\bthe\s+year\b", re.IGNORECASE)
_QUARTER_LABEL_RE = re.compile(r"^(FY)?(\d{4})-Q([1-4])$")
