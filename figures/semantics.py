"""What a figure means: metric, measure and sign, change basis, modality.

Every decision reads the words around the mention through the lexicon in `data/lexicon.toml`:
the nearest metric cue in the clause, change verbs right before or after the number, the
modal and attribution words of the clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from figures.lexicon import alternation, load
from figures.mentions import Mention
from figures.units import DURATIONS, SPEC_UNITS

_LEX = load("lexicon")
_CHANGE = _LEX["change"]
UP = set(_CHANGE["up"])
DOWN = set(_CHANGE["down"])
AFTER_UP = set(_CHANGE["after_up"])
AFTER_DOWN = set(_CHANGE["after_down"])
BY_UP = set(_CHANGE["by_up"])
_METRICS: dict[str, list[str]] = _LEX["metrics"]
_ITEM_METRICS = {item: metric for metric, items in _LEX["item_metrics"].items() for item in items}
GOODS = set(_LEX["goods"]["names"])
_MOD = _LEX["modality"]

_CUE_TO_METRIC = {cue: metric for metric, cues in _METRICS.items() for cue in cues}
_CUE_RE = re.compile(
    rf"(?<![\w-]){alternation(_CUE_TO_METRIC, boundary=False)}(?![\w-])", re.IGNORECASE
)
_MARKET_SHARE_RE = re.compile(
    r"\b(?:share\s+of\s+the\s+[\w\s-]{0,30}market|market\s+share|of\s+(?:the\s+)?[\w\s-]{0,25}market\b|of\s+\w+'s\s+(?:oil\s+|gas\s+)?output)",
    re.IGNORECASE,
)
_SHARE_AFTER_RE = re.compile(
    r"^\s*(?:of\b(?!\s+(?:the\s+)?(?:year|quarter|month)\b)|share\b|stake\b|market\s+share\b|\)\s+(?:have|of|are|were)\b)",
    re.IGNORECASE,
)
_SHARE_BEFORE_RE = re.compile(
    r"\b(?:prevalence|stake|holding|penetration|proportion|share)\s+(?:of\s+)?(?:\w+\s+)?$|\b(?:accounts?|accounted|accounting)\s+for\s+(?:\w+\s+)?$|\b(?:owns?|owning|own|control|controls|reach|reaches|reaching|take|taking)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_CHANGE_NOUN_BEFORE_RE = re.compile(
    r"\b(?:growth|increase|rise|fall|drop|decline|gain|jump|cut|reduction|decrease|slump|dip|surge|improvement|hike)\s+(?:in\s+\w+\s+)?(?:of|by)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_VERB_OBJECT_BY_RE = re.compile(
    r"((?:[\w'-]+\s+){1,4})by\s+(?:(?:almost|nearly|about|around|some|more\s+than|over|up\s+to|just|roughly|a\s+further|another|at\s+least|at\s+most|less\s+than|as\s+much\s+as)\s+)?$",
    re.IGNORECASE,
)
_COMPARATIVES = {
    "more",
    "less",
    "fewer",
    "greater",
    "higher",
    "lower",
    "bigger",
    "larger",
    "smaller",
}
_SKIP_BEFORE = {"by", "between", "another", "a", "further", "an", "additional", "extra", "some", "of", "than", "more", "almost", "nearly", "about", "around", "roughly", "just", "only", "over", "least", "at", "to"}  # fmt: skip
_LEVEL_LINKS = {"to", "from", "at", "reach", "reached", "reaching", "totalled", "totaled", "was", "were", "is", "are", "hit", "of", "below", "above", "under"}  # fmt: skip
_GROWTH_SUBJECT_RE = re.compile(
    r"\b(?:growth|grew|growing|expand(?:ed|ing)?)\b[^,;]{0,30}$", re.IGNORECASE
)
_LOSS_RE = re.compile(r"\b(?:loss|losses|lost|deficit of|in the red)\b", re.IGNORECASE)
_RIGHT_DOWN_RE = re.compile(
    r"^[^,;.]{0,20}?\b(?:being\s+)?(?:fired|axed|cut|lost|shed|off\s+(?:its|the|their))\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Window:
    """The words around one mention, limited to its clause."""

    sentence: str
    left: str  # clause text before the mention
    right: str  # clause text after the mention, up to the next mention
    near_left: str  # the few words right before (qualifier words removed)
    own_left: str = ""  # clause text since the previous mention: this figure's own words
    after: str = ""  # the raw text right after the mention, other figures included


_SUBJECT_SHARE_AFTER_RE = re.compile(
    r"^\s*(?:\)\s*)?(?:are|were|have|had|say|said|use|used|own|owned|think|believe|plan|planned)\b",
    re.I,
)
# Asides that name something else: ", which ...,", ", used in ... Apple's newest Macs,".
ASIDE_RE = re.compile(
    r",\s*(?:which|who|used|made|built|launched|released|sold|known|based|founded|owned|led)\b[^,]*,"
)
_CLAUSE_BREAK_RE = re.compile(
    r";|:|\bbut\b|\bwhile\b|\bwhereas\b|\balthough\b|\bhowever\b", re.IGNORECASE
)


def window(
    text: str,
    sentence_start: int,
    sentence_end: int,
    mention: Mention,
    next_start: int | None,
    previous_end: int | None = None,
) -> Window:
    sentence = text[sentence_start:sentence_end]
    left_all = text[sentence_start : mention.start]
    breaks = list(_CLAUSE_BREAK_RE.finditer(left_all))
    left = left_all[breaks[-1].end() :] if breaks else left_all
    left = ASIDE_RE.sub(" ", left)
    right_end = min(next_start if next_start is not None else sentence_end, sentence_end)
    right = text[max(mention.end, mention.number_end) : max(right_end, mention.end)]
    stop = _CLAUSE_BREAK_RE.search(right)
    if stop:
        right = right[: stop.start()]
    own_left = left
    if previous_end is not None and previous_end > mention.start - len(left):
        own_left = text[previous_end : mention.start]
    after = text[max(mention.end, mention.number_end) : min(sentence_end, mention.end + 40)]
    return Window(sentence, left, right, left_all[-60:], own_left, after)


def _last_words(text: str, n: int) -> list[str]:
    return _WORD_TOKENS_RE.findall(text)[-n:]


def measure_and_direction(m: Mention, w: Window) -> tuple[str, int]:
    """('level' | 'change' | 'share', +1 or -1 for a change)."""
    words = [x.lower() for x in _last_words(w.near_left, 5)]
    if len(words) >= 2 and words[-1] == "than" and words[-2] in _COMPARATIVES:
        del words[-2:]  # "fewer than half": a bound, not a fall
    if words[-2:] == ["up", "to"] and m.qualifier == "at_most":
        del words[-2:]  # "cut up to 12,000 jobs": a bound, not a rise
    while words and (words[-1] in _SKIP_BEFORE - {"to", "at", "of"} or words[-1].endswith("ly")):
        words.pop()
    prev = words[-1] if words else ""
    right_words = [x.lower() for x in _RIGHT_WORD_TOKENS_RE.findall(w.right)[:2]]
    next_word = right_words[0] if right_words else ""
    if _NEXT_FIGURE_LEAD_RE.match(w.after or w.right):
        next_word = ""  # "28.4 million, up 109%": the change word leads the next figure
    if _COMPARED_LEVEL_AFTER_RE.match(w.after or w.right):
        next_word = ""  # "$39,014, up from $38,373": a level set against an earlier one
    if m.kind == "times":
        direction = _direction(prev)
        if direction or (words and any(x in UP for x in words[-3:])):
            return "change", direction or 1
        return "level", 1
    if (
        next_word in AFTER_UP
        and m.kind in ("percent", "money", "count")
        and not (m.kind == "count" and m.item)
    ):
        return "change", 1
    if next_word in AFTER_DOWN and m.kind in ("percent", "money"):
        return "change", -1
    verb_by = _VERB_OBJECT_BY_RE.search(w.near_left)
    if verb_by:
        verbs = [x for x in verb_by.group(1).lower().split() if x in UP or x in DOWN or x in BY_UP]
        if verbs:
            return "change", _direction(verbs[0]) or 1  # "cut rates by 25 basis points"
    if _MAKE_UP_BEFORE_RE.search(w.near_left):
        # "made up less than 3% of volume"; "made up about 1.76 million of the total"
        return ("share" if m.kind in ("percent", "fraction") else "level"), 1
    if (
        m.kind in ("percent", "fraction")
        and _WORKFORCE_AFTER_RE.match(w.right)
        and any(x in DOWN for x in _WORD_TOKENS_RE.findall(w.left.lower()))
    ):
        return "change", -1  # "cut 1,500 jobs, or 17% of its workforce"
    if (prev in UP or prev in DOWN) and prev not in _LEVEL_LINKS:
        return "change", _direction(prev)
    if m.rule == "fraction.one_in_n":
        return "share", 1  # "one in 16 messages", "nine out of 10 members"
    if m.kind in ("percent", "fraction"):
        if _SUBJECT_SHARE_AFTER_RE.match(w.after or w.right):
            return "share", 1  # "only 15% are recycled", "25% were planning to buy"
        if _CHANGE_NOUN_BEFORE_RE.search(w.near_left):
            noun = _CHANGE_NOUN_BEFORE_RE.search(w.near_left).group().split()[0].lower()
            return "change", -1 if noun in DOWN else 1
        if _SHARE_AFTER_RE.match(w.right) or _SHARE_BEFORE_RE.search(w.near_left):
            return "share", 1
        if _GROWTH_SUBJECT_RE.search(w.left) and prev not in ("to", "from"):
            return "change", 1
        if _GROWTH_NOUN_RE.search(w.left):
            return "change", 1  # "advertising growth slows to around 20%": a growth rate
        return "level", 1
    if m.kind in ("money", "count", "unit") and _CHANGE_NOUN_BEFORE_RE.search(w.near_left):
        noun = _CHANGE_NOUN_BEFORE_RE.search(w.near_left).group().split()[0].lower()
        return "change", -1 if noun in DOWN else 1
    if m.kind == "count" and _RIGHT_DOWN_RE.match(w.right):
        return "change", -1
    if m.kind == "count" and _ADDED_AFTER_RE.match(w.after or w.right):
        return "change", 1  # "the 15.77 million it added in the first quarter"
    if m.kind == "money" and _OFF_AFTER_RE.match(w.right):
        return "change", -1
    return "level", 1


def _direction(word: str) -> int:
    if word in DOWN:
        return -1
    if word in UP:
        return 1
    return 0


_PRICE_BEFORE_RE = re.compile(
    r"\b(?:sells?|sold|selling|priced|retails?|costs?|costing|available|starts?|starting|launched|launches|on\s+sale)\b[^.;]{0,20}?\b(?:for|at|from)\s+(?:just\s+|only\s+|as\s+little\s+as\s+|under\s+)?$",
    re.IGNORECASE,
)
# Buying or selling a named company (a capitalised object) "for" an amount.
_DEAL_BEFORE_RE = re.compile(
    r"\b(?:buy|buys|bought|buying|acquire[sd]?|acquiring|purchase[sd]?|sell|sells|sold|selling|take\s+over|took\s+over)\s+(?:[\w'’-]+\s+){0,4}?[A-Z][\w&'’.-]*(?:\s+[\w'’.-]+){0,3}?\s+for\s+(?:about\s+|around\s+|some\s+|nearly\s+|up\s+to\s+)?$"
)
_DEAL_PART_AFTER_RE = re.compile(r"^\s*in\s+(?:cash|stock|shares)\b", re.I)
_DEAL_WORD_RE = re.compile(
    r"\b(?:buy|bought|acqui|deal|takeover|merger|purchase|pay|paid|paying)", re.I
)
_KIND_METRICS = {
    "money": {"revenue", "profit", "price", "valuation", "funding", "investment", "deal_value", "market_size", "share_price", "economic_indicator", "other"},
    "count": {"units_sold", "shipments", "users", "stores", "employees", "economic_indicator", "market_size", "other"},
    "unit": {"spec", "other", "economic_indicator", "price", "share_price", "shipments", "units_sold"},
    "times": {"users", "units_sold", "shipments", "revenue", "profit", "other"},
}  # fmt: skip


def metric(m: Mention, w: Window, measure: str, sentence_has_goods: bool) -> str:
    """The taxonomy metric: unit first, then counted item, then the nearest cue in the clause."""
    if m.kind == "unit":
        if m.unit in SPEC_UNITS:
            return "spec"
        if m.unit in DURATIONS:
            return "spec" if _BATTERY_WORDS_RE.search(w.sentence) else "other"
    if m.kind == "count" and m.item:
        head = m.item.split()[-1]
        if head in _ITEM_METRICS:
            return _ITEM_METRICS[head]
    if m.kind in ("percent", "fraction") and (
        _OF_MARKET_AFTER_RE.match(w.right) or _SHARE_NOUN_AFTER_RE.match(w.right)
    ):
        return "market_share"  # "72% of shipments", "a 28% share"
    if (
        m.kind in ("percent", "fraction")
        and _MARKET_SHARE_RE.search(w.left[-60:] + " " + w.right[:60])
        and (measure == "share" or _MARKET_SHARE_PHRASE_RE.search(w.sentence))
    ):
        return "market_share"
    allowed = _KIND_METRICS.get(m.kind)
    if m.kind in ("percent", "fraction"):
        whole = _OF_WHOLE_AFTER_RE.match(w.right)
        if whole:
            return _WHOLE_METRICS[whole.group(1).lower()]  # "three-quarters of group sales"
    best: tuple[float, str] | None = None
    probe = w.left + " \x00 " + _RIGHT_CLAUSE_END_RE.split(w.right, maxsplit=1)[0]
    anchor = len(w.left)
    for cue in _cues(probe):
        name = cue.group().lower()
        metric_name = _CUE_TO_METRIC.get(name) or _CUE_TO_METRIC.get(cue.group())
        if metric_name is None:
            continue
        metric_name = _adjust(metric_name, name, m, sentence_has_goods)
        if metric_name is None or (allowed is not None and metric_name not in allowed):
            continue
        if cue.start() > anchor:
            between = probe[anchor + 3 : cue.start()]
            tied = _TIED_PREPOSITION_RE.match(between)
            distance = (cue.start() - anchor) * (1.0 if tied else 1.5) + 5
            if metric_name == "price" and m.kind in ("percent", "fraction"):
                continue  # a price cue after a percentage belongs to something else
            if metric_name == "spec" and m.kind != "unit":
                continue  # "a decline of 2% as memory costs push up prices"
        else:
            distance = anchor - cue.end()
        if best is None or distance < best[0]:
            best = (distance, metric_name)
    if m.kind == "money" and _DEAL_BEFORE_RE.search(w.near_left):
        return "deal_value"  # "to buy Tallyfox for $340m"
    if (
        m.kind == "money"
        and _DEAL_PART_AFTER_RE.match(w.after or w.right)
        and _DEAL_WORD_RE.search(w.sentence)
    ):
        return "deal_value"  # "$210m in cash and $130m in stock"
    if m.kind == "money" and _PRICE_BEFORE_RE.search(w.near_left):
        return "price"  # "sells there for 5,999 rupees"
    if best:
        if best[1] == "employees" and m.kind in ("percent", "fraction") and best[0] > 30:
            return "other"  # a distant "employees" does not make a percentage about staff
        return best[1]
    if (
        m.kind == "count"
        and m.item
        and m.item.split()[-1] in GOODS
        and _SELLING_RE.search(w.sentence)
    ):
        return "units_sold"
    return "other"


class _Cue:
    """A cue phrase found in text (the slice of `re.Match` that `metric` uses)."""

    __slots__ = ("_end", "_start", "_text")

    def __init__(self, text: str, start: int, end: int):
        self._text, self._start, self._end = text, start, end

    def group(self) -> str:
        return self._text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


_TOKEN_RE = re.compile(r"[\w&%]+(?:[.'’-][\w&]+)*")
_CUES_BY_FIRST: dict[str, list[tuple[list[str], str]]] = {}
for _phrase in _CUE_TO_METRIC:
    _tokens = _TOKEN_RE.findall(_phrase.lower())
    if _tokens:
        _CUES_BY_FIRST.setdefault(_tokens[0], []).append((_tokens, _phrase))
for _entries in _CUES_BY_FIRST.values():
    _entries.sort(key=lambda entry: -len(entry[0]))


def _cues(text: str) -> list[_Cue]:
    """Cue phrases in `text`, longest first at each word: a word-indexed scan, far quicker than
    one regex alternation of every phrase."""
    tokens = [
        (match.group().lower(), match.start(), match.end()) for match in _TOKEN_RE.finditer(text)
    ]
    found: list[_Cue] = []
    index = 0
    while index < len(tokens):
        entries = _CUES_BY_FIRST.get(tokens[index][0])
        step = 1
        if entries:
            for phrase_tokens, _phrase in entries:
                size = len(phrase_tokens)
                if [t[0] for t in tokens[index : index + size]] == phrase_tokens:
                    start, end = tokens[index][1], tokens[index + size - 1][2]
                    found.append(_Cue(text[start:end], start, end))
                    step = size
                    break
        index += step
    return found


def _adjust(metric_name: str, cue: str, m: Mention, goods: bool) -> str | None:
    """Cues whose metric depends on the unit ("sales" of money is revenue, of units is units_sold)."""
    if (
        metric_name in ("units_sold", "shipments")
        and m.kind == "count"
        and m.item
        and m.item.split()[-1] not in GOODS
    ):
        return None  # "sells phones in seven markets": markets are not what is sold
    if cue in ("sales", "sold", "sell", "sells", "selling", "sales of"):
        if m.kind == "count" or (m.kind in ("percent", "fraction", "times") and goods):
            return "units_sold"
        if m.kind == "money" and cue in ("sold", "sell", "sells", "selling"):
            return None
        return "revenue"
    if metric_name == "units_sold" and m.kind == "money":
        return None
    if (
        metric_name in ("users", "employees", "stores")
        and m.kind == "count"
        and m.item
        and m.item.split()[-1] != "people"
    ):
        return None  # a counted item says itself what it is ("34 servers" are no users)
    if metric_name in ("deal_value", "valuation") and m.kind in ("percent", "fraction"):
        return None
    if cue == "population" and not (m.kind == "count" and (m.item in (None, "people"))):
        return None
    if metric_name == "users" and cue in ("households", "homes") and m.kind == "count":
        return "users"
    if metric_name == "market_size" and m.kind == "count":
        if m.item and m.item.split()[-1] in GOODS:
            return "shipments"  # "the market grew to 430 million units": what it shipped
        return None
    if metric_name == "employees" and m.kind in ("money",):
        return None
    if metric_name == "share_price" and m.kind == "count":
        return None
    if (
        cue in ("oil", "crude", "brent", "petrol", "gasoline", "gold", "a barrel", "per barrel")
        and m.kind == "count"
    ):
        return None
    return metric_name


# -- change basis -----------------------------------------------------------------------------
_YOY_RE = re.compile(
    r"year[\s-](?:on|over)[\s-]year|\by-o-y\b|\by/y\b|from\s+a\s+year|a\s+year\s+(?:earlier|ago|before)|year-earlier|year-ago|previous\s+year|prior\s+year|last\s+year's|annual(?:ly)?|\byoy\b|in\s+the\s+(?:last|past)\s+(?:12\s+months|year)",
    re.I,
)
_QOQ_RE = re.compile(
    r"compared\s+(?:with|to)\s+(?:the\s+)?(?:Q[1-4]|(?:first|second|third|fourth|previous|prior|preceding)\s+quarter)|quarter[\s-](?:on|over)[\s-]quarter|\bq/q\b|\bqoq\b|sequential|previous\s+quarter|from\s+the\s+(?:first|second|third|fourth)\s+quarter",
    re.I,
)
_MOM_RE = re.compile(r"month[\s-]on[\s-]month|previous\s+month", re.I)
_VS_RE = re.compile(
    r"\bsince\b|\bfrom\s+(?:the\s+)?(?:record|peak|high|low)|\bbetween\s+(?:19|20)\d\d\s+and\s+(?:19|20)\d\d|\bhighs?\b",
    re.I,
)


def change_basis(m: Mention, w: Window, metric_name: str, period: str | None) -> str:
    scope = w.right[:80] + " " + w.left[-80:]
    if _QOQ_RE.search(scope):
        return "qoq"
    if _MOM_RE.search(scope):
        return "mom"
    if _VS_RE.search(w.right[:80]):
        return "vs_period"
    if _YOY_RE.search(scope):
        return "yoy"
    if (
        m.kind == "percent"
        and metric_name not in ("share_price", "price")
        and (period or metric_name == "economic_indicator")
    ):
        return "yoy"
    if m.kind == "count" and period and "-Q" in period and metric_name == "users":
        return "qoq"
    return "unspecified"


# -- modality ---------------------------------------------------------------------------------
_TARGET_RE = re.compile(
    rf"(?<![\w]){alternation(_MOD['target'], boundary=False)}(?![\w])", re.IGNORECASE
)
_FORECAST_RE = re.compile(
    rf"(?<![\w]){alternation(_MOD['forecast'], boundary=False)}(?![\w])", re.IGNORECASE
)
_SOURCE_RE = re.compile(rf"(?<![\w]){alternation(_MOD['sources'], boundary=False)}(?![\w])")
_ATTRIBUTION_AFTER_RE = re.compile(
    r"\b(?:(?:the\s+)?(?:government|analysts?|experts?|economists?|forecasters?)\s+(?:believes?|expects?|says?|said|predicts?|estimates?)|(?:are|is|was|were)\s+(?:expected|predicted|forecast|projected|set|likely)\s+to|according\s+to\s+(?:a\s+)?\w+\s+(?:report|forecast|study|research)|said\s+the\s+(?:EPA|government))",
    re.IGNORECASE,
)
_ACTUAL_CONTEXT_RE = re.compile(
    r"\b(?:ahead\s+of|above|below|beat|beating|exceed(?:ed|ing)?|missed|than)\s+(?:\w+\s+)?(?:forecasts|expectations|estimates)\b|\b(?:than|above|below|beat|ahead\s+of)\s+(?:\w+\s+){0,2}?(?:analysts|investors|wall\s+street|the\s+market)\s+(?:had\s+)?(?:expected|forecast|predicted|anticipated)\b",
    re.IGNORECASE,
)
_ACTUAL_OVERRIDE_RE = re.compile(
    r"\b(?:to\s+have\s+(?:been|had)|previously|already|has\s+been|had\s+been|estimated\s+to\s+have|(?:previous|existing|outstanding)\s+\w+\s+(?:worth|of)|will\s+(?:own|hold|have\s+a\s+stake))\b",
    re.I,
)
_OWN_ACTION_RE = re.compile(
    r"\b(?:expects?|expected|hopes?|aims?|plans?|intends?|wants?)\s+to\s+(?:sell|ship|open|hire|cut|invest|spend|reach|raise|launch|build|add|double|achieve|make|deliver|have|keep|increase|reduce|lift|grow)\b|\bwill\s+(?:be\s+)?(?:taking|set\s+up|oversee|launch|open|see|be\s+established|cut|invest|spend|hire|build)|\bthere\s+will\s+be\b|\bforesees\b|\bwarn(?:s|ed|ing)?\b|\bprojecting\b|\bgoal\b|\b(?:its|a|the|revenue|sales)\s+(?:own\s+)?target\b|\btargets\b|\baim\b|\baims\b|\bguidance\b|\bplans?\s+to\b|\bplann(?:ed|ing)\b|\bplans\b|\bhopes?\b|\bpledged?\b|\bbudgeted\b|\bwants?\b",
    re.IGNORECASE,
)
_FUTURE_RE = re.compile(
    r"\b(?:will|would|could|may|might|should|expected|expects?|set\s+to|forecasts?|forecast\s+to|predicted|predicts?|projected|likely|going\s+to|foresees|believes|anticipate[sd]?)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=512)
def _sentence_flags(sentence: str) -> tuple[bool, bool, bool]:
    """(names a forecaster, compares with forecasts, speaks of projections): once per sentence."""
    return (
        bool(_SOURCE_RE.search(sentence)),
        bool(_ACTUAL_CONTEXT_RE.search(sentence)),
        bool(_PROJECTION_WORD_RE.search(_HAD_EXPECTED_SPAN_RE.sub(" ", sentence))),
    )


def modality(
    m: Mention,
    w: Window,
    entity_is_org: bool,
    period: str | None,
    pub_year: int | None,
    same_unit_before: bool = True,
) -> str:
    """`actual`, `target` (an organisation's own plan) or `forecast` (any other projection)."""
    # "the $42.9bn analysts had forecast, as the company began selling ...": that forecast is used up
    left = _HAD_EXPECTED_SPAN_RE.sub(" ", w.own_left or w.left)
    before_words = [x.lower() for x in _last_words(w.near_left, 2)]
    if (
        before_words
        and before_words[-1] == "from"
        and same_unit_before
        and _FUTURE_RE.search(w.left[:-10])
    ):
        return "actual"  # the starting point of a projected change ("to 36% from 53%")
    if (
        _ACTUAL_OVERRIDE_RE.search(left[-60:] + " " + w.right[:40])
        or _sentence_flags(w.sentence)[1]
    ):
        return "actual"
    right = w.right[:70]
    source, _, projection = _sentence_flags(w.sentence)
    future_left = _FUTURE_RE.search(left)
    future_right = _ATTRIBUTION_AFTER_RE.search(right) or _MODAL_AFTER_RE.match(right)
    if future_right and future_right.group().lower().startswith("according") and not future_left:
        future_right = None  # "up 24% from a year earlier, according to X Research": a source
    own = _OWN_ACTION_RE.search(left)
    # analysts named later in the sentence compare with the plan; they do not make it theirs
    if own and not _SOURCE_RE.search(w.left) and entity_is_org:
        if _EXPECT_WORD_RE.search(own.group()) and not entity_is_org:
            return "forecast"
        return "target"
    # a source quoted only after a company's own figure compares with it ("... above the $20bn
    # analysts had expected"); it does not make the company's plan a forecast
    source = source and (not entity_is_org or bool(_SOURCE_RE.search(left)))
    if source and (future_left or future_right or (projection and _in_clause_projection(w))):
        return "forecast"
    if future_left or future_right:
        cue = (future_left.group() if future_left else future_right.group()).lower()
        if _ATTRIBUTION_AFTER_RE.search(right) or _FORECAST_WORDS_RE.search(left + " " + right):
            return "forecast"
        if (cue.strip() == "would" or cue.endswith("would")) and (
            m.kind == "unit" or not _SAID_BEFORE_RE.search(left)
        ):
            return "actual"  # "the same image would cost £2.50": a conditional, not a plan
        return "target" if entity_is_org else "forecast"
    if period and pub_year and period[:4].isdigit() and int(period[:4]) > pub_year:
        return "target" if entity_is_org else "forecast"
    return "actual"


def _in_clause_projection(w: Window) -> bool:
    """A projection word in the figure's own clause, or the clause hangs on one ("forecast that
    X will ..."): "..., but net income fell 14%" after "analysts expected" is no projection."""
    left = _HAD_EXPECTED_SPAN_RE.sub(" ", w.left)
    return (
        bool(_PROJECTION_WORD_RE.search(left + " " + w.right))
        or w.left == w.sentence[: len(w.left)]
    )


# Patterns used inside functions, compiled once at import.
_GROWTH_NOUN_RE = re.compile(
    r"\bgrowth\s+(?:\w+\s+){0,2}?(?:slows?|slowed|slowing|accelerated|accelerates|picks?\s+up|was|is|of|at|to)\s+(?:\w+\s+){0,2}$",
    re.I,
)
_ADDED_AFTER_RE = re.compile(
    r"^\s+(?:that\s+|which\s+)?(?:it|they|the\s+company|the\s+service)\s+(?:had\s+)?(?:added|gained|signed\s+up|lost|shed)\b",
    re.I,
)
_HAD_EXPECTED_SPAN_RE = re.compile(
    r"(?:^|[$£€¥₹]?\d[\d.,]*\s*(?:bn|m|billion|million|trillion|%)?)\s+(?:that\s+)?(?:analysts?|the\s+company|it|they|wall\s+street)[^,;]{0,40}?\bhad\s+(?:forecast|expected|predicted|estimated|pencill?ed\s+in|targeted)\b",
    re.I,
)
_SAID_BEFORE_RE = re.compile(
    r"\b(?:said|says|told|believes|predicted|expects|estimated|warned)\b", re.I
)
_WHOLE_METRICS = {
    "revenue": "revenue", "revenues": "revenue", "sales": "revenue", "turnover": "revenue",
    "profit": "profit", "profits": "profit", "earnings": "profit", "users": "users",
    "subscribers": "users", "customers": "users", "shipments": "market_share",
}  # fmt: skip
_OF_WHOLE_AFTER_RE = re.compile(
    r"^\s*of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(revenues?|sales|turnover|profits?|earnings|users|subscribers|customers)\b",
    re.I,
)
_MAKE_UP_BEFORE_RE = re.compile(r"\b(?:make|makes|made|making)\s+up\s+(?:\w+\s+){0,2}$", re.I)
_WORKFORCE_AFTER_RE = re.compile(
    r"^\s*of\s+(?:its|the|their|the\s+company's)\s+(?:\w+\s+)?(?:workforce|staff|employees|headcount|jobs)\b",
    re.I,
)
_OF_MARKET_AFTER_RE = re.compile(
    r"^\s*(?:\)\s*)?of\s+(?:all\s+|total\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:shipments|volume|deliveries|smartphone\s+sales|unit\s+sales)\b",
    re.I,
)
_SHARE_NOUN_AFTER_RE = re.compile(
    r"^\s*(?:market\s+)?share\b(?!\s+(?:in|of)\s+(?:the\s+)?(?:company|firm|group|business|venture))",
    re.I,
)
_RIGHT_CLAUSE_END_RE = re.compile(r",\s*(?:and|but|while|whereas|or)\b|;")
_WORD_TOKENS_RE = re.compile(r"[A-Za-z][\w'-]*")
_RIGHT_WORD_TOKENS_RE = re.compile(r"[A-Za-z][\w'-]*")
_COMPARED_LEVEL_AFTER_RE = re.compile(r"^\W*(?:up|down)\s+from\b", re.IGNORECASE)
_NEXT_FIGURE_LEAD_RE = re.compile(r"^\W*[A-Za-z]+\s+(?:by\s+)?[\d$£€¥]")
_OFF_AFTER_RE = re.compile(r"^\s*off\b")
_BATTERY_WORDS_RE = re.compile(r"battery|charge|standby|playback|download", re.I)
_MARKET_SHARE_PHRASE_RE = re.compile(r"market\s+share|share\s+of\s+the\s+[\w\s-]{0,30}market", re.I)
_TIED_PREPOSITION_RE = re.compile(r"^\s*(?:\S+\s+)?(?:off|in|of|on)\s+(?:\S+\s+){0,3}$")
_SELLING_RE = re.compile(r"\bsold|sell|sales\b")
_MODAL_AFTER_RE = re.compile(r"^[\w\s-]{0,30}?\b(?:will|could|would)\b")
_EXPECT_WORD_RE = re.compile(r"\bexpects?\b|\bexpected\b", re.I)
_PROJECTION_WORD_RE = re.compile(r"\bpredict|forecast|expect|project", re.I)
_FORECAST_WORDS_RE = re.compile(
    r"\b(?:believes|predicted|predicts|forecast|set\s+to|expected|expects?|could|may|might|likely)\b",
    re.I,
)
