"""Finding numeric mentions in a sentence and their spans, as the spec's *Span* convention says.

A mention is a number with what is written around it: a currency sign or name, a scale word,
`%`, a unit or the counted noun phrase that follows; ranges, fractions and multipliers are one
mention each, and an amount restated in parentheses is folded in as an equivalent. Numbers that
are not figures (years, dates, ordinals, model names, ages, time frames) are dropped here, each
by a named rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from figures import money, units
from figures.lexicon import alternation, load
from figures.numbers import (
    DIGITS_RE,
    FOLDS,
    FRACTIONS,
    SCALE_WORD_RE,
    WORD_UNITS_ALL,
    WORDS_RE,
    parse_digits,
    parse_words,
    scale_value,
)

_LEX = load("lexicon")
_PERIODS = load("periods")
_MONTHS = _PERIODS["months"]
_QUAL = _LEX["qualifiers"]
COUNT_NOUNS = set(_LEX["count_nouns"]["names"])
PHRASE_STOPS = set(_LEX["phrase_stops"]["names"])
ITEM_DROP = set(_LEX["item_drop"]["names"])
PHRASE_VERBS = set(_LEX["phrase_verbs"]["names"])
IDENTIFIER_BEFORE = set(_LEX["identifier_before"]["names"])
FRAME_BEFORE = set(_LEX["duration_frames"]["before"])
FRAME_AFTER = _LEX["duration_frames"]["after"]

# Capitalised words that may stand right before a figure (otherwise "Mi 6" is a model name).
_FUNCTION_WORDS = {
    "in", "about", "some", "over", "nearly", "almost", "only", "up", "the", "those", "its", "just",
    "more", "around", "since", "by", "at", "for", "with", "of", "and", "but", "to", "from", "after",
    "before", "another", "roughly", "approximately", "between", "under", "less", "fewer", "than",
    "until", "on", "as", "if", "exactly", "barely", "during", "within", "across", "among", "every",
    "each", "all", "least", "most", "estimated", "an", "a", "these", "their", "his", "her", "our",
    "below", "above", "well", "fully", "perhaps", "maybe", "so",
    "now", "then", "while", "when", "where", "although", "though", "yet", "still", "also", "even",
    "into", "per", "via", "plus", "minus", "say", "says", "said", "total",
    "totalled", "reached", "hit", "rose", "fell", "was", "were", "is", "are", "had", "has", "have",
    "top", "topped", "like", "what", "how", "there", "here", "it", "they", "we",
}  # fmt: skip
_MONTH_NAMES = alternation([m.capitalize() for m in _MONTHS] + [m for m in _MONTHS])
_MONTH_BEFORE_RE = re.compile(rf"{_MONTH_NAMES}\.?\s*$", re.IGNORECASE)
_MONTH_AFTER_RE = re.compile(rf"^(?:st|nd|rd|th)?\s*(?:of\s+)?{_MONTH_NAMES}", re.IGNORECASE)
_DATE_RANGE_AFTER_RE = re.compile(
    rf"^\s*(?:-|–|to|and)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_NAMES}", re.IGNORECASE
)
_QUALIFIER_PHRASES = {
    phrase: kind for kind in ("approx", "at_least", "at_most", "exact") for phrase in _QUAL[kind]
}
_QUALIFIER_BEFORE_RE = re.compile(
    rf"(?<![\w])({alternation(_QUALIFIER_PHRASES, boundary=False)})\s+$", re.IGNORECASE
)
_QUALIFIER_AFTER_RE = re.compile(r"^\s*(or more|or so|-plus|plus|and above|or higher)(?![\w])")
_FRACTION_RE = re.compile(
    rf"(?<![\w-])(?:{alternation(FRACTIONS, boundary=False)})(?![\w-])", re.IGNORECASE
)
_IN_OUT_OF_RE = re.compile(
    r"(?<![\w])(?P<a>one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:in|out\s+of)\s+(?P<b>\d+|two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|a\s+hundred)(?![\w,.]\d)",
    re.IGNORECASE,
)
_FOLD_RE = re.compile(
    rf"(?<![\w])(?:{alternation(FOLDS, boundary=False)}|(?P<n>\d+(?:\.\d+)?)[\s-]?fold|(?P<w>{alternation(WORD_UNITS_ALL, boundary=False)})-fold)(?![\w])",
    re.IGNORECASE,
)
_TIMES_AFTER_RE = re.compile(
    r"^\s+times\s+(?:as|more|higher|larger|bigger|greater|faster|the|over|what|that|its|their|his|her|revenue|sales|earnings|profits?)\b",
    re.IGNORECASE,
)
_PERCENT_RE = re.compile(
    r"\s*(%|per\s?cent\b|percent\b|percentage\s+points?\b|pc\b)", re.IGNORECASE
)
_WORD_TOKEN_RE = re.compile(r"\s*([A-Za-z][\w&'’/-]*)")
_AGE_AFTER_RE = re.compile(r"^(?:-|\s)(?:years?|months?)(?:-|\s)old\b", re.IGNORECASE)
_NAME_COMMA_BEFORE_RE = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][\w'’-]+)+,\s*$")
_WHO_IS_BEFORE_RE = re.compile(r"\b(?:who|which)\s+(?:is|was|turns|turned)\s+$")
_AGE_END_AFTER_RE = re.compile(r"^\s*(?:[,.;)]|$)")
_TIME_AFTER_RE = re.compile(r"^\s*(?:am|pm|a\.m\.|p\.m\.|gmt|bst|est|cet|hrs)(?!\w)", re.IGNORECASE)
# "787-9", "A350-1000": a model code, a number glued to another by a hyphen (a range is one
# mention with value_high, so it never reaches this test).
_CODE_AFTER_RE = re.compile(r"^-\d")
_CODE_BEFORE_RE = re.compile(r"\w-$")
# "roughly 400 737 Max jets", "five 787 Dreamliner sales": a number right after a count names
# the model of what is counted.
_COUNT_BEFORE_RE = re.compile(
    r"(?:\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen))\s+$",
    re.IGNORECASE,
)
# "two people familiar with the matter": who told the reporter, not a figure.
_ATTRIBUTION_AFTER_RE = re.compile(
    r"^\s+(?:people|persons?|sources?|officials?|executives?|insiders?)\s+(?:(?:directly|closely)\s+)?"
    r"(?:familiar\s+with|briefed\s+on|close\s+to|with\s+(?:direct\s+)?knowledge\s+of|involved\s+in|"
    r"who\s+(?:asked|spoke|declined|requested))",
    re.IGNORECASE,
)
_ADJ_DURATION_RE = re.compile(
    r"^-(?:year|month|week|day|hour|minute|second|decade|time|page|point|member|seat|storey|mile|man|person|inch|bit|core|way)s?\b",
    re.IGNORECASE,
)
_STREET_AFTER_RE = re.compile(r"^\s+[A-Z]\w+\s+(?:Street|Road|Avenue|Lane|Square|Drive)\b")
_PLACE_AFTER_RE = re.compile(
    r"^\s*(?:north|south|east|west|latitude|longitude|away|from\s+[A-Z])\b", re.IGNORECASE
)
_DIMENSION_RE = re.compile(r"\s*[*×x]\s*[\d,]+\s*([A-Za-z]+)")
_RANGE_JOIN_RE = re.compile(r"\s*(?:(-|–|—)|\s(to|and|or)\s)\s*", re.IGNORECASE)


_DIGIT_RE = re.compile(r"\d")
_MAY_HOLD_NUMBER_RE = re.compile(
    rf"\d|{alternation([*WORD_UNITS_ALL, 'half', 'third', 'thirds', 'quarter', 'quarters', 'fifth', 'fifths', 'tenth', 'sixth', 'eighth'])}|fold\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Mention:
    start: int  # offsets into the whole text
    end: int
    value: float
    unit: str  # "count" until something better is known
    rule: str
    kind: str  # money | percent | unit | count | fraction | times
    value_high: float | None = None
    item: str | None = None
    qualifier: str = "exact"
    equivalents: list[tuple[float, str]] = field(default_factory=list)
    bare: bool = False  # a count with no noun after it
    written: bool = False  # written in words
    number_end: int = 0  # where the number (with its scale) ends


@dataclass(slots=True)
class _Number:
    start: int
    end: int
    value: float
    written: bool
    scaled: bool = False
    raw: float = 0.0


def find_mentions(text: str, start: int, end: int, countries: frozenset[str]) -> list[Mention]:
    """All figure mentions in `text[start:end]` (one sentence), in text order."""
    if not _DIGIT_RE.search(text, start, end) and not _MAY_HOLD_NUMBER_RE.search(text, start, end):
        return []  # most sentences hold no number at all: skip them cheaply
    finder = _Finder(text, start, end, countries)
    return finder.run()


class _Finder:
    def __init__(self, text: str, start: int, end: int, countries: frozenset[str]):
        self.text = text
        self.start = start
        self.end = end
        self.countries = countries
        self.taken: list[tuple[int, int]] = []
        self.mentions: list[Mention] = []

    # -- driver ---------------------------------------------------------------------------
    def run(self) -> list[Mention]:
        self._fractions()
        self._folds()
        numbers = self._numbers()
        index = 0
        while index < len(numbers):
            number = numbers[index]
            if self._is_taken(number.start, number.end):
                index += 1
                continue
            mention = self._mention(number)
            if mention is not None:
                mention, used = self._maybe_range(mention, numbers, index)
                index += used
                self._equivalents(mention)
                self._qualify(mention)
                if self._keep(mention):
                    self._take(mention)
            index += 1
        self.mentions.sort(key=lambda m: m.start)
        return self.mentions

    def _is_taken(self, start: int, end: int) -> bool:
        return any(start < e and s < end for s, e in self.taken)

    def _take_qualified(self, mention: Mention) -> None:
        self._qualify(mention)
        self._take(mention)

    def _take(self, mention: Mention) -> None:
        self.mentions.append(mention)
        self.taken.append((mention.start, max(mention.end, mention.number_end)))

    # -- numbers --------------------------------------------------------------------------
    def _numbers(self) -> list[_Number]:
        """Digit and word numbers (with their scale word) that may be figures."""
        segment = self.text[self.start : self.end]
        found: list[_Number] = []
        for match in DIGITS_RE.finditer(segment):
            number = self._digit_number(match.start() + self.start, match.end() + self.start)
            if number:
                found.append(number)
        for match in WORDS_RE.finditer(segment):
            s, e = match.start() + self.start, match.end() + self.start
            value = parse_words(match.group())
            if value is None or any(n.start < e and s < n.end for n in found):
                continue
            if self._is_taken(s, e):
                continue
            found.append(_Number(s, e, value, True, raw=value))
        found.sort(key=lambda n: n.start)
        return found

    def _digit_number(self, s: int, e: int) -> _Number | None:
        text = self.text
        before = text[s - 1] if s > 0 else " "
        if before in "_." or (
            before.isalpha() and not money.PREFIX_BEFORE_RE.search(text[max(0, s - 6) : s])
        ):
            return None  # "R800", "S1", "MP3", ".5" inside something (not "RMB14.2 billion")
        if before == "-" and s >= 2 and text[s - 2].isalpha():
            return None  # "Qatargas-2", "COVID-19"
        if before in "/:" and s >= 2 and text[s - 2].isdigit():
            return None
        after = text[e : e + 2]
        if after[:1] in ("/", ":") and after[1:2].isdigit():
            return None  # "24/7", "10:30", "2004/05"
        if text[s] == "0" and e - s > 1 and text[s + 1].isdigit():
            return None  # phone numbers and codes
        if _PHONE_GROUP_BEFORE_RE.search(text[max(0, s - 8) : s]):
            return None  # the rest of a phone number ("020 7946 0000")
        raw = parse_digits(text[s:e])
        if before in "-−" and (s < 2 or text[s - 2] in " \t|(\n"):
            s, raw = s - 1, -raw  # "| -10.4% |": a signed number, not a range
        number = _Number(s, e, raw, False, raw=raw)
        scale = SCALE_WORD_RE.match(text, e, self.end)
        if scale:
            word = next(g for g in scale.groups() if g)
            if word.lower() == "k" and not money.PREFIX_BEFORE_RE.search(
                text[max(self.start, s - 8) : s]
            ):
                return number
            if word.lower() in ("m", "b") and text[scale.end() : scale.end() + 1] == ".":
                pass  # "5m." still a scale at a sentence end
            number.value = raw * scale_value(word)
            number.end = scale.end()
            number.scaled = True
        return number

    # -- one mention ----------------------------------------------------------------------
    def _mention(self, number: _Number) -> Mention | None:
        text = self.text
        s, e = number.start, number.end
        before = text[self.start : s]
        prefix = money.PREFIX_BEFORE_RE.search(before)
        if prefix:
            code = money.prefix_code(prefix.group())
            if code == "JPY" and "China" in self.countries and "Japan" not in self.countries:
                code = "CNY"  # "¥" in a Chinese story is the yuan
            start, value = self.start + prefix.start(), number.value
            if _SIGN_BEFORE_PREFIX_RE.search(text[max(self.start, start - 2) : start]):
                start, value = start - 1, -value  # "| -€156m |": a signed amount in a table
            return Mention(
                start, e, value, code, "money.symbol" + ("_scale" if number.scaled else ""),
                "money", written=number.written, number_end=e,
            )  # fmt: skip
        percent = _PERCENT_RE.match(text, e, self.end)
        if percent:
            pp = "point" in percent.group(1).lower()
            return Mention(
                s, percent.end(), number.value, "pp" if pp else "percent",
                "percent.points" if pp else "percent.sign", "percent", written=number.written, number_end=e,
            )  # fmt: skip
        suffix = money.SUFFIX_AFTER_RE.match(text, e, self.end)
        if suffix and not (suffix.group(2) == "won" and not number.scaled and number.value < 1000):
            if suffix.group(1):
                code, per = money.minor_unit(suffix.group(1))
                return Mention(s, suffix.end(), number.value / per, code, "money.minor_unit", "money",
                               written=number.written, number_end=e)  # fmt: skip
            code = money.suffix_code(suffix.group(2), self.countries)
            return Mention(s, suffix.end(), number.value, code,
                           "money.name" + ("_scale" if number.scaled else ""), "money",
                           written=number.written, number_end=e)  # fmt: skip
        pence = money.PENCE_ATTACHED_RE.match(text, e, self.end)
        if pence and not number.written and number.value < 1000:
            return Mention(
                s, pence.end(), number.value / 100, "GBP", "money.minor_unit", "money", number_end=e
            )
        unit = units.UNIT_AFTER_RE.match(text, e, self.end)
        if unit:
            name = unit.group("attached") or unit.group("spaced")
            symbol = units.unit_symbol(name)
            if symbol:
                return Mention(s, unit.end(), number.value, symbol, "unit." + ("duration" if symbol in units.DURATIONS else "physical"),
                               "unit", written=number.written, number_end=e)  # fmt: skip
        times = _TIMES_AFTER_RE.match(text[e : self.end])
        if times:
            return Mention(s, e + len(" times"), number.value, "times", "multiplier.times", "times",
                           written=number.written, number_end=e)  # fmt: skip
        dimension = _DIMENSION_RE.match(text, e, self.end)
        if dimension and units.unit_symbol(dimension.group(1)):
            return Mention(s, e, number.value, units.unit_symbol(dimension.group(1)), "unit.dimension", "unit",
                           written=number.written, number_end=e)  # fmt: skip
        return self._count(number)

    def _count(self, number: _Number) -> Mention:
        """A count: the number and the counted noun phrase that follows it directly."""
        text, e = self.text, number.end
        words: list[tuple[str, int]] = []
        position = e
        while len(words) < 6:
            token = _WORD_TOKEN_RE.match(text, position, self.end)
            if not token or token.start(1) == position:
                break  # "2k projectors": letters stuck to the number
            word = token.group(1)
            lower = word.lower()
            if not words and lower in _LEADING_MODIFIERS:
                words.append((word, token.end(1)))  # "2,000 more research and development staff"
                position = token.end(1)
                continue
            if lower == "and" and words and _head(words) is None:
                following = _WORD_TOKEN_RE.match(text, token.end(1), self.end)
                if following and following.group(1).lower() not in PHRASE_STOPS:
                    words.append((word, token.end(1)))  # "research and development staff"
                    position = token.end(1)
                    continue
            if lower in PHRASE_STOPS or lower in _MONTHS:
                break
            if (lower.endswith("ed") or lower in PHRASE_VERBS) and _head(words) is not None:
                break  # "81,144 staff held shares": the phrase ended at its noun
            if word.endswith(("'s", "’s")):
                break
            words.append((word, token.end(1)))
            position = token.end(1)
            if text[position : position + 1] in (",", ";", ":", ".", ")", "(", '"'):
                break
        head = _head(words)
        rule = "count.noun_after" if head is not None else "count.bare"
        if head is None:
            return Mention(number.start, e, number.value, "count", rule, "count", bare=True,
                           written=number.written, number_end=e)  # fmt: skip
        phrase = [w for w, _ in words[: head + 1]]
        item = (
            " ".join(w.lower() for w in phrase if w[0].islower() and w.lower() not in ITEM_DROP)
            or phrase[-1].lower()
        )
        return Mention(number.start, words[head][1], number.value, "count", rule, "count", item=item,
                       written=number.written, number_end=e)  # fmt: skip

    # -- fractions and multipliers ----------------------------------------------------------
    def _fractions(self) -> None:
        segment = self.text[self.start : self.end]
        for match in _FRACTION_RE.finditer(segment):
            s, e = match.start() + self.start, match.end() + self.start
            phrase = match.group().lower()
            before = segment[: match.start()].lower()
            after = segment[match.end() :]
            if phrase == "half" or phrase.endswith(" half"):
                if _HALF_AS_PERIOD_BEFORE_RE.search(before):
                    continue
                if _HALF_IDIOM_AFTER_RE.match(after):
                    continue
                if _HALF_OF_SCALE_AFTER_RE.match(after):
                    continue
            elif not _OF_AFTER_RE.match(after):
                continue  # "a quarter" alone is a period, not a part of a whole
            self._take_qualified(Mention(s, e, FRACTIONS[phrase], "percent", "fraction.word", "fraction", number_end=e,
                               written=True))  # fmt: skip
        for match in _IN_OUT_OF_RE.finditer(segment):
            s, e = match.start() + self.start, match.end() + self.start
            a, b = (
                parse_words(match.group("a")) or _num(match.group("a")),
                parse_words(match.group("b")) or _num(match.group("b")),
            )
            if not a or not b or b <= a or b > 1000 or self._is_taken(s, e):
                continue
            self._take_qualified(
                Mention(
                    s,
                    e,
                    round(100 * a / b, 2),
                    "percent",
                    "fraction.one_in_n",
                    "fraction",
                    number_end=e,
                )
            )

    def _folds(self) -> None:
        segment = self.text[self.start : self.end]
        for match in _FOLD_RE.finditer(segment):
            s, e = match.start() + self.start, match.end() + self.start
            if match.group("n"):
                value = float(match.group("n"))
            elif match.group("w"):
                value = parse_words(match.group("w")) or 0.0
            else:
                value = float(FOLDS[match.group().lower()])
            self._take_qualified(
                Mention(s, e, value, "times", "multiplier.fold", "times", number_end=e)
            )

    # -- ranges, equivalents, qualifiers ----------------------------------------------------
    def _maybe_range(
        self, first: Mention, numbers: list[_Number], index: int
    ) -> tuple[Mention, int]:
        """Join "10-19%", "£30 to £40", "between 700,000 and one million", "two or three pictures"."""
        if index + 1 >= len(numbers):
            return first, 0
        second_number = numbers[index + 1]
        if not first.written and _is_year(self.text[first.start : first.number_end]):
            return first, 0
        gap_start = (
            first.number_end if first.kind in ("count",) or first.unit == "count" else first.end
        )
        join = _RANGE_JOIN_RE.match(self.text, min(gap_start, first.end), self.end)
        if not join:
            join = _RANGE_JOIN_RE.match(self.text, first.number_end, self.end)
            if not join:
                return first, 0
        target = join.end()
        gap = self.text[join.end() : second_number.start]
        prefix_gap = money.PREFIX_BEFORE_RE.search(gap)
        if prefix_gap and prefix_gap.start() != 0:
            prefix_gap = None  # only a currency sign may stand between "to" and the second number
        if second_number.start != target and not prefix_gap:
            return first, 0
        word = (join.group(2) or "-").lower()
        before = self.text[self.start : first.start].lower()
        if word == "and" and not _BETWEEN_BEFORE_RE.search(before):
            return first, 0
        if word == "or" and not (first.written and second_number.written):
            return first, 0
        if word == "to" and (_FROM_OR_BY_BEFORE_RE.search(before) or _follows_change(before)):
            return first, 0
        if word == "-" and first.kind == "count" and not first.bare:
            return first, 0
        second = self._mention(second_number)
        if second is None:
            return first, 0
        if first.kind == "count" and first.bare:
            unit, kind = second.unit, second.kind
        elif first.unit == second.unit:
            unit, kind = first.unit, first.kind
        else:
            return first, 0
        low = first.value
        if first.bare and second_number.scaled and not _is_scaled(self.text, first):
            low = first.value * (second.value / second_number.raw if second_number.raw else 1)
            if kind == "money" and second.rule == "money.minor_unit":
                low = first.value
        elif kind == "money" and second.rule == "money.minor_unit" and first.bare:
            low = first.value / 100
        if low > second.value and not (low <= 0 and second.value < 0):
            return first, 0  # ("-13% to -18%" is a range of declines)
        merged = Mention(first.start, second.end, low, unit, "range." + second.rule, kind, value_high=second.value,
                         item=second.item, qualifier="range", written=first.written, number_end=second.number_end)  # fmt: skip
        return merged, 1

    def _equivalents(self, mention: Mention) -> None:
        """Fold "100 billion yuan (14.71 billion US dollars)" into one figure."""
        if mention.kind not in ("money", "unit"):
            return
        opening = re.compile(r"\s*\(").match(self.text, mention.end, self.end)
        if not opening:
            return
        close = self.text.find(")", opening.end(), self.end)
        if close < 0:
            return
        inner = _Finder(self.text, opening.end(), close, self.countries).run()
        if not inner or inner[0].kind != mention.kind:
            return
        mention.equivalents = [(m.value, m.unit) for m in inner if m.kind == mention.kind]
        self.taken.append((opening.start(), close + 1))

    def _qualify(self, mention: Mention) -> None:
        if mention.qualifier == "range":
            return
        before = self.text[max(self.start, mention.start - 40) : mention.start]
        match = _QUALIFIER_BEFORE_RE.search(before)
        if match:
            mention.qualifier = _QUALIFIER_PHRASES.get(match.group(1).lower(), "exact")
            return
        after = _QUALIFIER_AFTER_RE.match(self.text[mention.end : self.end])
        if after:
            mention.qualifier = "approx" if after.group(1) == "or so" else "at_least"

    # -- what is not a figure --------------------------------------------------------------
    def _keep(self, mention: Mention) -> bool:
        reason = self.not_a_figure(mention)
        return reason is None

    def not_a_figure(self, m: Mention) -> str | None:
        """The name of the rule that rules the mention out, or None for a figure."""
        text = self.text
        before = text[max(self.start, m.start - 80) : m.start]
        after = text[m.number_end : self.end]
        word_before = _WORD_BEFORE_RE.search(before)
        prev = word_before.group(1) if word_before else ""
        if m.kind in ("fraction", "times") and m.rule != "multiplier.times":
            return None
        if (
            m.kind == "count"
            and m.value_high is None
            and not m.written
            and _is_year(text[m.start : m.number_end])
            and not _TIMES_NUMBER_AFTER_RE.match(after)
        ):
            return "not.year"
        if m.kind == "count" or m.kind == "unit":
            if _MONTH_BEFORE_RE.search(before) and not m.written and m.value <= 31:
                return "not.date"
            if _MONTH_AFTER_RE.match(after) or _DATE_RANGE_AFTER_RE.match(after):
                return "not.date"
        if _ORDINAL_SUFFIX_RE.match(after):
            return "not.ordinal"
        if _TIME_AFTER_RE.match(after):
            return "not.time"
        if m.kind == "count" and m.value_high is None and not m.written:
            if _CODE_AFTER_RE.match(after) or _CODE_BEFORE_RE.search(before):
                return "not.model_name"
            if float(m.value).is_integer() and _COUNT_BEFORE_RE.search(before):
                return "not.model_name"
        if m.kind == "count" and _ATTRIBUTION_AFTER_RE.match(after):
            return "not.attribution"
        if _LETTER_AFTER_RE.match(after) and m.kind == "count" and m.bare and not m.written:
            return "not.attached_letters"  # "3G", "2k projectors", "10x7in", "1990s"
        if _DIMENSION_AFTER_RE.match(after):
            return "not.dimensions"
        if _AGE_AFTER_RE.match(after) or _AGE_BEFORE_RE.search(before):
            return "not.age"
        if (
            m.kind == "count" or (m.kind == "unit" and m.unit in units.DURATIONS)
        ) and _ADJ_DURATION_RE.match(after):
            return "not.adjective"  # "a 10-year deal" (but "a 6.3-inch screen" is a spec)
        if (
            m.kind == "count"
            and m.bare
            and not m.written
            and float(m.value).is_integer()
            and 16 <= m.value <= 105
            and (_NAME_COMMA_BEFORE_RE.search(before) or _WHO_IS_BEFORE_RE.search(before))
            and _AGE_END_AFTER_RE.match(after)
        ):
            return "not.age"  # "Shuntaro Furukawa, 46, as its next president", "who is 68,"
        if _STREET_AFTER_RE.match(after):
            return "not.address"
        if prev and prev[0].isupper() and prev.lower() not in _FUNCTION_WORDS and m.kind in ("count", "unit") \
                and not m.written and prev.lower() not in _MONTHS and _WORD_THEN_SPACE_RE.search(before) \
                and not prev.isupper() | (prev.lower() in ("q",)) \
                and not prev.endswith(("'s", "’s")) \
                and not _ANY_LETTER_RE.search(text[m.start : m.number_end].lstrip("$£€¥₹₩")):  # fmt: skip
            return "not.model_name"
        if (
            prev
            and prev[0].isupper()
            and prev.isupper()
            and len(prev) > 1
            and m.kind == "count"
            and m.bare
        ):
            return "not.model_name"
        if (
            m.kind == "count"
            and m.bare
            and (_SCORE_AFTER_RE.match(after) or _SCORE_BEFORE_RE.search(before))
        ):
            return "not.score"  # "won 3-0", "a 2-for-1 offer"
        if (
            m.kind == "count"
            and m.bare
            and _CITATION_RE.match(text, m.start - 1)
            and text[m.number_end : m.number_end + 1] in ")]"
        ):
            return "not.citation"  # "suppress appetite (35)."
        if (
            m.kind == "count"
            and m.bare
            and _LIST_NUMBER_AFTER_RE.match(after)
            and _LINE_START_RE.search(before)
        ):
            return "not.list_number"  # "14. Plan meals", "1) Lego"
        if m.kind == "count" and m.written and _COMPOUND_AFTER_RE.match(after):
            return "not.compound"  # "a four-door coupe", "a two-seat car"
        if (
            m.kind == "count"
            and m.bare
            and not m.written
            and _CAPITAL_AFTER_RE.match(after)
            and not _SCALE_LETTERS_RE.search(text[m.start : m.number_end])
        ):
            return "not.model_name"  # "its popular 737 Max jet" (not "2.5 million PlayStation 5 consoles")
        if _RANKING_BEFORE_RE.search(before) and m.kind == "count" and m.bare:
            return "not.ranking"
        if _NUMBERED_LIST_BEFORE_RE.search(before):
            return "not.identifier"
        if (
            m.kind == "count"
            and m.item
            and m.item.split()[-1] in _TIME_NOUNS
            and self._time_frame(m, before, after, count=True)
        ):
            return "not.time_frame"
        if (
            prev.lower().rstrip(".") in IDENTIFIER_BEFORE
            and m.kind in ("count",)
            and (m.bare or not m.written)
        ) and not (prev.lower() == "number" and _OF_AFTER_2_RE.match(after)):
            return "not.identifier"
        if m.kind == "unit" and m.unit in units.DURATIONS:
            reason = self._time_frame(m, before, after)
            if reason:
                return reason
        if (
            m.kind == "unit"
            and m.unit in ("km", "miles", "degrees", "m")
            and _PLACE_AFTER_RE.match(text[m.end : self.end])
        ):
            return "not.place"
        if m.written and m.kind == "count" and m.value_high is None:
            return self._written_count(m, before, after)
        return None

    def _time_frame(self, m: Mention, before: str, after: str, count: bool = False) -> str | None:
        unit_word = self.text[m.number_end : m.end].strip().lower()
        if not count and not unit_word.endswith("s") and m.value != 1:
            return "not.adjective"  # "a three year funding program"
        if _FRAME_PREPOSITION_BEFORE_RE.search(before):
            return "not.time_frame"  # "over five years": a frame, not "more than"
        stripped = _QUALIFIER_BEFORE_RE.sub("", before)
        qualified = stripped != before
        last = _LAST_WORD_RE.search(stripped)
        last_word = last.group(1).lower() if last else ""
        if last_word in FRAME_BEFORE or (last_word == "for" and not qualified):
            return "not.time_frame"
        tail = self.text[m.end : self.end].lower().lstrip()
        if any(tail.startswith(word) for word in FRAME_AFTER):
            return "not.time_frame"
        return None

    def _written_count(self, m: Mention, before: str, after: str) -> str | None:
        surface = self.text[m.start : m.number_end].lower()
        if surface in ("one", "an", "a") and m.kind == "count":
            return "not.one_as_article"
        if m.value <= 10 and _ONE_OF_THE_AFTER_RE.match(after):
            return "not.one_of"
        if _DETERMINER_BEFORE_RE.search(before) and m.value <= 10:
            return "not.identifying_number"
        return None


_CITATION_RE = re.compile(r"[(\[]\d+[)\]]")
_LIST_NUMBER_AFTER_RE = re.compile(r"^[.)](?:\s|$)")
_LINE_START_RE = re.compile(r"(?:^|\n)\s*$")
_COMPOUND_AFTER_RE = re.compile(r"^-[a-z]")
_CAPITAL_AFTER_RE = re.compile(r"^\s[A-Z][a-z]")
_SCORE_AFTER_RE = re.compile(r"^(?:\s?[-–]\s?\d|-for-)")
_SCORE_BEFORE_RE = re.compile(r"(?:\d\s?[-–]\s?|-for-)$")
_LEADING_MODIFIERS = {"more", "new", "additional", "extra", "other", "fewer"}
_TIME_NOUNS = {"quarters", "halves", "sessions", "seasons", "terms", "semesters"}


# Plural product words that start with a capital: "PSPs", "PCs", "iPhones".
_PLURAL_PRODUCT_RE = re.compile(r"[A-Z]{2,}s|i[A-Z][a-z]+s")


def _head(words: list[tuple[str, int]]) -> int | None:
    """Index of the counted noun: the last plural or count noun in the phrase."""
    head = None
    for index, (word, _) in enumerate(words):
        lower = word.lower()
        if lower == "and" or lower in _LEADING_MODIFIERS:
            continue
        if lower in COUNT_NOUNS or (
            len(lower) > 2 and lower.endswith("s") and not lower.endswith(("ss", "us", "is", "'s"))
        ):
            if word[0].isupper() and index == len(words) - 1 and not lower.endswith("s"):
                continue
            head = index
    if (
        head is not None
        and words[head][0][0].isupper()
        and not _PLURAL_PRODUCT_RE.fullmatch(words[head][0])
    ):
        return None  # "Windows", "Games" as a name, not a count
    return head


def _num(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _is_year(surface: str) -> bool:
    return bool(_YEAR_RE.fullmatch(surface))


def _is_scaled(text: str, mention: Mention) -> bool:
    return bool(_SCALE_LETTERS_RE.search(text[mention.start : mention.number_end]))


_CHANGE_WORDS = set(_LEX["change"]["up"]) | set(_LEX["change"]["down"])


def _follows_change(before: str) -> bool:
    """Whether a change verb stands right before ("rose 2% to $11.1bn" is no range)."""
    words = _LETTERS_RE.findall(before)[-3:]
    return any(word.lower() in _CHANGE_WORDS for word in words if word.lower() not in ("by", "to"))


# Patterns used inside functions, compiled once at import.
_SIGN_BEFORE_PREFIX_RE = re.compile(r"(?:^|[\s|(])[-−]$")
_PHONE_GROUP_BEFORE_RE = re.compile(r"(?<![\d.,])0\d+[\s-]$")
_HALF_AS_PERIOD_BEFORE_RE = re.compile(
    r"(?:first|second|1st|2nd|the|a|last|next|this|one|and a|of a)\s+$"
)
_HALF_IDIOM_AFTER_RE = re.compile(r"^(?:-|\s+(?:past|an?\s+hour|a\s+(?:point|percentage)|time))")
_HALF_OF_SCALE_AFTER_RE = re.compile(r"^\s+(?:a\s+)?(?:million|billion|thousand|trillion|dozen)")
_OF_AFTER_RE = re.compile(r"^\s+of\b")
_BETWEEN_BEFORE_RE = re.compile(r"between\s+(?:\S+\s+)?$")
_FROM_OR_BY_BEFORE_RE = re.compile(r"(?:from|by)\s+(?:\S+\s+)?$")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][\w.&-]*(?:'s|’s)?)\s+$")
_TIMES_NUMBER_AFTER_RE = re.compile(r"^\s*[*x×]\s*\d")
_ORDINAL_SUFFIX_RE = re.compile(r"^(?:st|nd|rd|th)\b")
_LETTER_AFTER_RE = re.compile(r"^[a-zA-Z]")
_DIMENSION_AFTER_RE = re.compile(r"^(?:x|×)\s?\d")
_AGE_BEFORE_RE = re.compile(r"\b(?:aged|age of|ages of)\s+$", re.IGNORECASE)
_WORD_THEN_SPACE_RE = re.compile(r"[A-Za-z]\w*\s$")
_ANY_LETTER_RE = re.compile(r"[A-Za-z]")
_RANKING_BEFORE_RE = re.compile(
    r"\b(?:number|no\.?|place|spot|position|ranked|rank)\s+(?:\S+\s+){0,2}$", re.I
)
_NUMBERED_LIST_BEFORE_RE = re.compile(
    r"\b(?:number|no\.?)\s+\d+\s*(?:,|and|or|to)\s+$", re.IGNORECASE
)
_OF_AFTER_2_RE = re.compile(r"^\s+of\b")
_FRAME_PREPOSITION_BEFORE_RE = re.compile(r"\b(?:over|under|within)\s+$", re.IGNORECASE)
_LAST_WORD_RE = re.compile(r"(\w+)\s+$")
_ONE_OF_THE_AFTER_RE = re.compile(r"^\s+of\s+(?:the|them|us|those|its|their|these|our|his|her)\b")
_DETERMINER_BEFORE_RE = re.compile(r"\b(?:the|those|these|both)\s+$", re.IGNORECASE)
_YEAR_RE = re.compile(r"(1[89]\d\d|20\d\d|2100)")
_SCALE_LETTERS_RE = re.compile(r"[a-zA-Z]")
_LETTERS_RE = re.compile(r"[A-Za-z]+")
