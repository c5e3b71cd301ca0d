"""Organisations and places: the curated gazetteer, unknown organisation names, regions."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from figures.lexicon import alternation, load

_COMPANIES = load("companies")
_REGIONS = load("regions")
GAZETTEER_VERSION: str = _COMPANIES["version"]

ALIASES: dict[str, str] = {}
for _table in ("companies", "organisations"):
    for _canonical, _aliases in _COMPANIES[_table].items():
        for _alias in [_canonical, *_aliases]:
            ALIASES.setdefault(_alias, _canonical)
SOURCES = set(_COMPANIES["sources"]["names"])
ORGANISATIONS = set(_COMPANIES["organisations"])
ORG_SUFFIXES = _COMPANIES["org_suffixes"]["names"]
ANAPHORA = _COMPANIES["anaphora"]["names"]
INDICES = set(_COMPANIES["indices"]["names"])
COMMON_WORD_NAMES = set(_COMPANIES["common_word_names"]["names"])
_COMMON_FOLLOWERS = set(_COMPANIES["common_word_names"]["followers"])
PRODUCT_MAKERS: dict[str, str] = {
    product: maker for maker, products in _COMPANIES["products"].items() for product in products
}
_PRODUCT_RE = re.compile(rf"(?<![\w-]){alternation(PRODUCT_MAKERS, boundary=False)}(?![\w-])")
# Unknown names that are research firms or data providers: sources, not figure entities.
_SOURCE_WORD_RE = re.compile(
    r"\b(?:Research|Analytics|Consulting|Consultancy|Insights|Intelligence)\b"
)
_NEXT_WORD_RE = re.compile(r"\s*([A-Za-z][\w'’-]*|\S)?")

PLACES: dict[str, str] = {}
COUNTRIES: set[str] = set(_REGIONS["countries"])
for _table in ("countries", "areas"):
    for _canonical, _names in _REGIONS[_table].items():
        for _name in [_canonical, *_names]:
            PLACES.setdefault(_name, _canonical)
DEMONYMS: dict[str, str] = _REGIONS["demonyms"]

_ORG_RE = re.compile(rf"(?<![\w-]){alternation(ALIASES, boundary=False)}(?![\w-]|\.\w)")
_SOURCE_RE = re.compile(rf"(?<![\w-]){alternation(SOURCES, boundary=False)}(?![\w-])")
_CAP = r"[A-Z][\w&'.-]*"
_UNKNOWN_ORG_RE = re.compile(
    rf"(?<![\w-])((?:{_CAP}\s+){{1,3}}(?:{alternation(ORG_SUFFIXES, boundary=False)}))(?![\w-])(?!\s+[A-Z])"
)
_PLACE_RE = re.compile(rf"(?<![\w-]){alternation(PLACES, boundary=False)}(?![\w-])")
_DEMONYM_RE = re.compile(rf"(?<![\w-]){alternation(DEMONYMS, boundary=False)}(?![\w-])")
# A country acting: "Turkey has agreed", "the Colombian government", "Indonesia said".
_STATE_ACTOR_RE = re.compile(
    rf"(?:\bthe\s+(?P<place_d>{alternation(DEMONYMS, boundary=False)})\s+government|(?<![\w-])(?P<place_c>{alternation(COUNTRIES, boundary=False)})(?:'s\s+(?:current\s+|new\s+)?(?=[$£€\d])|(?:'s)?\s+(?:government|has|have|had|said|says|is|was|will|agreed|plans|expects|expected|wants|hopes|borrowed|owes)))",
)
_ANAPHORA_RE = re.compile(
    rf"(?<![\w-]){alternation(ANAPHORA, boundary=False)}(?![\w-])", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class NameMention:
    start: int
    end: int
    name: str  # canonical
    kind: str  # company | organisation | source | country | area | demonym | anaphor


def find_orgs(text: str) -> list[NameMention]:
    """Companies and organisations named in `text` (gazetteer first, then unknown names)."""
    found: list[NameMention] = []
    taken: list[tuple[int, int]] = []
    for match in _SOURCE_RE.finditer(text):
        found.append(NameMention(match.start(), match.end(), match.group(), "source"))
        taken.append(match.span())
    for match in _ORG_RE.finditer(text):
        if any(match.start() < e and s < match.end() for s, e in taken):
            continue
        if match.group() in COMMON_WORD_NAMES and not _names_the_company(text, match.end()):
            continue
        canonical = ALIASES[match.group()]
        kind = "organisation" if canonical in ORGANISATIONS else "company"
        found.append(NameMention(match.start(), match.end(), canonical, kind))
        taken.append(match.span())
    for match in _UNKNOWN_ORG_RE.finditer(text):
        name = match.group(1)
        words = name.split()
        while words and (
            words[0].lower() in _LEADING_NOISE or words[0] in PLACES or words[0] in DEMONYMS
        ):
            words = words[1:]
        if len(words) < 2:
            continue
        start = match.start(1) + name.index(words[0])
        if any(start < e and s < match.end(1) for s, e in taken):
            continue
        name = " ".join(words)
        kind = "source" if _SOURCE_WORD_RE.search(name) else "company"
        found.append(NameMention(start, match.end(1), name, kind))
        taken.append((start, match.end(1)))
    for match in _STATE_ACTOR_RE.finditer(text):
        name = match.group("place_d") or match.group("place_c")
        canonical = PLACES.get(name) or DEMONYMS.get(name)
        start, end = match.span("place_d") if match.group("place_d") else match.span("place_c")
        if canonical and not any(start < e and s < end for s, e in taken):
            found.append(NameMention(start, end, canonical, "state"))
    found.sort(key=lambda n: n.start)
    return found


_TITLE_NAME_RE = re.compile(r"(?<![\w'’-])[A-Z][\w&’'-]*[a-zA-Z](?:\s+[A-Z][\w&’'-]*[a-zA-Z]){0,2}")
# Capitalised title words that are not names ("New", "Thousands", "Beauty").
_TITLE_NOISE = {"new", "thousands", "hundreds", "millions", "billions", "why", "how", "what",
                "who", "when", "the", "a", "an", "this", "that", "these", "shares", "stocks",
                "markets", "us", "uk", "eu", "ceo", "report", "exclusive", "update", "analysis",
                "breaking", "live", "watch", "opinion", "beauty", "tech", "business"}  # fmt: skip


def title_names(title: str | None, text: str, known: list[NameMention]) -> list[NameMention]:
    """Every mention in `text` of a name the title gives and the gazetteer lacks ("Home Depot",
    "WeWork", "Coty"): a capitalised run of the title the text repeats, capitalised, at least
    twice away from the start of a sentence. Places, demonyms and known names are left out."""
    if not title:
        return []
    taken = [(o.start, o.end) for o in known]
    found: list[NameMention] = []
    for candidate in {m.group() for m in _TITLE_NAME_RE.finditer(title)}:
        name = candidate.removesuffix("'s").removesuffix("’s")
        if name.lower() in _TITLE_NOISE or name in ALIASES or name in PLACES or name in DEMONYMS:
            continue
        if any(word in PLACES or word in DEMONYMS for word in name.split()):
            continue
        spots = [
            m
            for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)
            if not any(m.start() < e and s < m.end() for s, e in taken)
        ]
        inside = [
            m
            for m in spots
            if not _SENTENCE_START_RE.search(text[max(0, m.start() - 3) : m.start()])
        ]
        if len(inside) < 2 or not any(_acts_as_company(text, m) for m in spots):
            continue
        found += [NameMention(m.start(), m.end(), name, "company") for m in spots]
    return found


_COMPANY_AFTER_RE = re.compile(
    r"^(?:['’]s\b|\s+(?:Inc|Corp|Ltd|Plc|Group|reported|reports|said|says|announced|posted|"
    r"expects|forecast|raised|cut|plans|shares|stock|employees|executives|management|CEO|"
    r"chief|spokesman|spokeswoman|spokesperson)\b)"
)
_COMPANY_BEFORE_RE = re.compile(
    r"\b(?:company|firm|group|retailer|carrier|airline|giant|rival|start-?up|maker|chain|"
    r"component|shares\s+of|investors\s+in)\s+$",
    re.IGNORECASE,
)


def _acts_as_company(text: str, spot: re.Match) -> bool:
    """Whether the name is used as a company here: "Coty's", "Home Depot reported", "Beauty
    company Coty", "shares of Home Depot"."""
    return bool(
        _COMPANY_AFTER_RE.match(text, spot.end())
        or _COMPANY_BEFORE_RE.search(text[max(0, spot.start() - 30) : spot.start()])
    )


_SENTENCE_START_RE = re.compile(r"(?:^|[.!?\n])\s*$")


def _names_the_company(text: str, end: int) -> bool:
    """Whether a name that is also a common word ("Total", "Smart") is used as the name here."""
    if text[end : end + 2] in ("'s", "’s"):
        return True
    if text[end : end + 3].strip().startswith("|"):
        return False  # "| Total | £186.4m |": a table's sum row
    following = _NEXT_WORD_RE.match(text, end).group(1) or ""
    return not following[:1].islower() or following.lower() in _COMMON_FOLLOWERS


_LEADING_NOISE = {"the", "a", "an", "and", "but", "in", "at", "of", "for", "with", "by", "on", "to",
                  "its", "their", "his", "her", "said", "says", "as", "from", "while"}  # fmt: skip


def product_maker(text: str) -> str | None:
    """The maker of the first known product line named in `text` ("the Galaxy Note 8" -> Samsung)."""
    match = _PRODUCT_RE.search(text)
    return PRODUCT_MAKERS[match.group()] if match else None


def find_places(text: str) -> list[NameMention]:
    """Countries, areas and cities, and demonyms standing for their country."""
    found = [
        NameMention(
            m.start(),
            m.end(),
            PLACES[m.group()],
            "country" if PLACES[m.group()] in COUNTRIES else "area",
        )
        for m in _PLACE_RE.finditer(text)
    ]
    taken = [(p.start, p.end) for p in found]
    for match in _DEMONYM_RE.finditer(text):
        if any(match.start() < e and s < match.end() for s, e in taken):
            continue
        found.append(NameMention(match.start(), match.end(), DEMONYMS[match.group()], "demonym"))
    found.sort(key=lambda n: n.start)
    return found


def find_anaphora(text: str) -> list[NameMention]:
    return [
        NameMention(m.start(), m.end(), m.group().lower(), "anaphor")
        for m in _ANAPHORA_RE.finditer(text)
    ]


def main_entity(title: str | None, orgs: list[NameMention], text_length: int) -> str | None:
    """The article's main company: named in the title, else the most named, earliest first."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for org in orgs:
        if org.kind == "source" or org.name in INDICES:
            continue  # an index is what a market story measures, not whom it is about
        counts[org.name] += 1
        first.setdefault(org.name, org.start)
    if title:
        for org in find_orgs(title):
            if org.kind != "source" and org.name not in INDICES:
                counts[org.name] += 3
                first.setdefault(org.name, -1)
    if not counts:
        return None
    return max(counts, key=lambda name: (counts[name], -first[name]))


def main_country(places: list[NameMention], title: str | None) -> str | None:
    counts: Counter[str] = Counter(p.name for p in places if p.name in COUNTRIES)
    if title:
        for place in find_places(title):
            if place.name in COUNTRIES:
                counts[place.name] += 2
    return counts.most_common(1)[0][0] if counts else None
