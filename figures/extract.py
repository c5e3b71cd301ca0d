"""The pipeline: sentences -> mentions -> meaning -> `Figure` records."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from figures import entities, semantics, tables
from figures.entities import NameMention
from figures.mentions import Mention, find_mentions
from figures.periods import FISCAL_KINDS, PeriodMention, find_periods, shift_quarter, shift_year
from figures.records import Equivalent, Figure
from figures.sentences import Sentence, split_sentences

# Metrics whose period carries over from earlier in the article (a results story's year).
_CARRY_PERIOD = {"revenue", "profit", "units_sold", "shipments"}
_MARKET_METRICS = {"share_price"}
# Metrics that only a company has: with no name in the sentence they belong to the story's company.
_COMPANY_METRICS = {
    "revenue", "profit", "units_sold", "shipments", "stores", "employees", "valuation",
    "funding", "investment", "deal_value", "market_share", "share_price", "users",
}  # fmt: skip
_COMMODITY_RE = re.compile(
    r"\b(?:oil|crude|barrel|petrol|gasoline|brent|gold|copper|wheat)\b", re.I
)
_PEOPLE_OF_RE = re.compile(
    r"^\s*(?:\)\s*)?(?:of\s+)?(?:the\s+|all\s+)?(?:\w+\s+){0,3}?(?:people|homes|households|adults|population|consumers|respondents|those|companies|businesses|firms|messages|e-mail|email|users|children|men|women|males|females|teenagers|britons|americans|europeans|country|internet users|business leaders|workers|employees|members|visitors)\b",
    re.IGNORECASE,
)
_ANAPHOR_BEFORE_RE = re.compile(
    r"\b(?:the\s+(?!research\b|consult|analyst|market-research\b|data\b|law\b|accountancy\b)(?:[\w-]+\s+)?(?:company|firm|group|upstart|maker|carmaker|brewer|retailer|chipmaker|operator|carrier|giant|start-up|startup|business|board)|it|its|they|their)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Document:
    text: str
    published: dt.date | None
    orgs: list[NameMention]
    places: list[NameMention]
    main_entity: str | None
    main_country: str | None
    countries: frozenset[str]
    last_entity: str | None = None
    last_entity_at: int = -1  # where the figure that set `last_entity` stands
    last_org: str | None = None
    last_org_at: int = -1  # where the sentence that set `last_org` starts
    last_period: str | None = None
    last_prose_period: str | None = None
    lede_period: str | None = None
    lede_periods: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    base_starts: set = field(default_factory=set)  # figures dated as a comparison's basis
    calendar_of: dict = field(default_factory=dict)  # fiscal label -> the calendar one it matches
    last_period_entity: str | None = None  # whose figure set `last_period`
    market_story: bool = False  # neither the title nor the opening sentence names a company
    recent_org: bool = False  # an organisation was named in this or the previous sentence
    figures: list[Figure] = field(default_factory=list)


def _published(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as error:
        raise ValueError(f"published must be YYYY-MM-DD, got {value!r}") from error


def extract(
    text: str, published: str | dt.date | None = None, title: str | None = None
) -> list[Figure]:
    """Every figure in `text`, in text order; `published` resolves relative periods."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    pub = _published(published)
    orgs = entities.find_orgs(text)
    orgs = sorted(orgs + entities.title_names(title, text, orgs), key=lambda o: o.start)
    places = entities.find_places(text)
    doc = _Document(
        text=text,
        published=pub,
        orgs=orgs,
        places=places,
        main_entity=entities.main_entity(title, orgs, len(text)),
        main_country=entities.main_country(places, title),
        countries=frozenset(p.name for p in places)
        | frozenset(text[p.start : p.end] for p in places),
        rows=tables.table_rows(text) if "|" in text else {},
    )
    named_recently = [False, False]  # the two sentences before this one
    sentences = split_sentences(text)
    doc.market_story = _is_market_story(title, orgs, sentences)
    doc.lede_periods = {s.start: find_periods(text, s.start, s.end, pub) for s in sentences[:2]}
    doc.lede_period = _lede_period(sentences[:2], doc.lede_periods)
    for sentence in sentences:
        named = any(sentence.start <= o.start < sentence.end and o.kind != "source" for o in orgs)
        doc.recent_org = named or any(named_recently)
        named_recently = [named_recently[1], named]
        _sentence_figures(doc, sentence)
        in_sentence = [
            o for o in orgs if sentence.start <= o.start < sentence.end and o.kind != "source"
        ]
        subjects = [
            o
            for o in in_sentence
            if not _LOCATIVE_BEFORE_RE.search(text[max(0, o.start - 6) : o.start])
        ]
        if (subjects or in_sentence) and sentence.start not in doc.rows:
            first = (subjects or in_sentence)[0]
            doc.last_org = first.name  # the subject, usually named first
            if first.start - sentence.start <= 4:
                doc.last_org_at = sentence.start  # it opens the sentence: the new topic
    return doc.figures


def _is_market_story(title: str | None, orgs: list[NameMention], sentences: list[Sentence]) -> bool:
    """A story about a whole market ("PC shipments suffer their worst year"): its bare figures are
    the market's, not the most named vendor's."""
    if title is None or not sentences:
        return False
    if any(o.kind not in ("source", "state") for o in entities.find_orgs(title)):
        return False
    lede = sentences[0]
    return not any(
        lede.start <= o.start < lede.end and o.kind not in ("source", "state") for o in orgs
    )


def _lede_period(lede: list[Sentence], found: dict[int, list[PeriodMention]]) -> str | None:
    """The first period the story's opening sentences name."""
    for sentence in lede:
        for period in found[sentence.start]:
            if (
                period.label
                and not period.comparator
                and period.kind
                not in ("now", "until", "year_ago", "weekday", "week_ago", "month_this", "speech")
                and len(period.label) < 10  # a dateline ("Oct 27 -") is no reporting period
            ):
                return period.label
    return None


def _sentence_figures(doc: _Document, sentence: Sentence) -> None:
    """Append the figures of one sentence (or table row) to `doc.figures`."""
    mentions = find_mentions(doc.text, sentence.start, sentence.end, doc.countries)
    if not mentions:
        return
    row = doc.rows.get(sentence.start)
    if row is not None:
        _row_figures(doc, sentence, row, mentions)
        return
    periods = doc.lede_periods.get(sentence.start)
    if periods is None:
        periods = find_periods(doc.text, sentence.start, sentence.end, doc.published)
    context = _SentenceContext(sentence, mentions, periods, _has_goods(mentions, sentence.text))
    for index, mention in enumerate(mentions):
        figure = _figure(doc, context, index, mention)
        doc.figures.append(figure)
        _remember(doc, figure, context.windows[index])


@dataclass(slots=True)
class _SentenceContext:
    """What every figure of one sentence shares."""

    sentence: Sentence
    mentions: list[Mention]
    periods: list[PeriodMention]
    goods: bool  # the sentence counts goods (phones, cars, units)
    main_period: str | None = None  # the first period a figure of the sentence took
    windows: dict[int, semantics.Window] = field(default_factory=dict)


def _figure(doc: _Document, ctx: _SentenceContext, index: int, mention: Mention) -> Figure:
    """One mention read in its sentence: what it measures, whose, when, and how sure."""
    sentence, mentions = ctx.sentence, ctx.mentions
    next_start = mentions[index + 1].start if index + 1 < len(mentions) else None
    previous_end = mentions[index - 1].end if index else None
    w = semantics.window(doc.text, sentence.start, sentence.end, mention, next_start, previous_end)
    ctx.windows[index] = w
    measure, direction = semantics.measure_and_direction(mention, w)
    restated = _restated_change(doc, w, sentence)
    if restated:
        measure, direction = "change", restated
    metric = _metric(doc, mention, w, measure, ctx)
    if doc.figures and _FIGURE_ANAPHOR_RE.search(w.left) and doc.figures[-1].unit == mention.unit:
        measure = doc.figures[-1].measure  # "In 2003 the figure was 29%": the same kind of figure
    item, metric = _item(doc, mention, sentence, metric)
    metric, measure = _continued_kind(doc, mention, w, sentence, metric, measure)
    if metric == "investment" and _market_spending(doc, mention, w):
        metric = "market_size"  # "worldwide spending on public cloud services will rise 20.7%"
    entity = _choose_entity(doc, mention, w, sentence, metric, measure)
    period = _choose_period(
        doc, mention, w, ctx.periods, metric, measure, ctx.main_period, mentions, entity
    )
    period = _restated_period(doc, mention, metric, period, ctx.periods)
    if period and ctx.main_period is None and not w.near_left.rstrip().lower().endswith("from"):
        ctx.main_period = period
    value, value_high = _signed(mention, w, measure, direction, metric)
    return Figure(
        value=_round(value),
        unit=mention.unit,
        metric=metric,
        measure=measure,
        qualifier=_qualifier(mention, w),
        modality=_modality(doc, mention, w, sentence, entity, metric, period),
        surface=doc.text[mention.start : mention.end],
        start=mention.start,
        end=mention.end,
        sentence=sentence.text,
        rule=mention.rule,
        value_high=_round(value_high) if value_high is not None else None,
        item=item,
        entity=entity,
        region=_choose_region(doc, mention, w, sentence, metric),
        period=period,
        change_basis=semantics.change_basis(mention, w, metric, period)
        if measure == "change"
        else None,
        equivalents=[Equivalent(_round(v), u) for v, u in mention.equivalents],
    )


_OR_BEFORE_RE = re.compile(
    r"\s*,?\s*or\s+(?:about|around|roughly|nearly|almost|some|just|more\s+than|over)?\s*", re.I
)


def _restated_change(doc: _Document, w: semantics.Window, sentence: Sentence) -> int | None:
    """The direction of a change restated in other units right after it ("fell 102.2 points,
    or 0.36%"; "lost $2.10, or 4.5%"), None when the figure restates nothing."""
    last = doc.figures[-1] if doc.figures else None
    if (
        last is None
        or last.sentence != sentence.text
        or last.measure != "change"
        or not _OR_BEFORE_RE.fullmatch(w.own_left)
    ):
        return None
    return -1 if last.value < 0 else 1


def _metric(
    doc: _Document, m: Mention, w: semantics.Window, measure: str, ctx: _SentenceContext
) -> str:
    """The metric from the words around, and index points for bare numbers about an index."""
    metric = semantics.metric(m, w, measure, ctx.goods)
    if m.kind == "count" and m.bare and m.value_high is None and metric == "share_price":
        m.unit = "points"
    elif (
        m.kind == "count"
        and m.bare
        and _INDEX_WORD_RE.search(w.left)
        and "." in doc.text[m.start : m.end]
    ):
        m.unit, metric = "points", "share_price"
    return _inherited_metric(doc, m, w, metric, ctx.sentence)


_FOLLOWED_METRICS = {"revenue", "profit", "investment", "market_size", "deal_value", "valuation"}
# A bare amount that answers the one before: what others expected, or the year before.
_FOLLOW_UP_RE = re.compile(
    r"\b(?:forecast|expected|estimated|predicted|pencill?ed\s+in|last\s+year|a\s+year\s+(?:earlier|ago)|previous\s+year|made|earned|compared\s+with)\b",
    re.I,
)


def _continued_kind(
    doc: _Document, m: Mention, w: semantics.Window, sentence: Sentence, metric: str, measure: str
) -> tuple[str, str]:
    """What a figure with no cue of its own continues: a market share is a share ("share slipped
    to 3.9%"); a bare percentage after market shares is one more ("Samsung held 21%, Vivo 16%");
    a bare change goes on about the sentence's metric ("..., while Western Europe slipped 4.2%")."""
    last_percent = next((f for f in reversed(doc.figures[-3:]) if f.unit == "percent"), None)
    if (
        metric == "other"
        and m.unit == "percent"
        and measure == "level"
        and last_percent is not None
        and last_percent.metric == "market_share"
        and m.start - last_percent.end < 300
    ):
        metric = "market_share"
    if metric == "market_share" and m.unit == "percent" and measure == "level":
        measure = "share"
    last = doc.figures[-1] if doc.figures else None
    if (
        metric == "other"
        and m.kind == "money"
        and last is not None
        and last.sentence == sentence.text
        and last.metric == "price"
        and _COORDINATED_RE.fullmatch(w.own_left)
    ):
        return "price", measure  # "for ¥29,980 in Japan and $299.99 in the United States"
    if (
        metric == "other"
        and m.kind == "money"
        and measure == "level"
        and last is not None
        and last.unit == m.unit
        and last.metric in _FOLLOWED_METRICS
        and m.start - last.end < 160
        and _FOLLOW_UP_RE.search(w.left)
    ):
        metric = last.metric  # "expects profits of £600m. Analysts had forecast £680m."
    if measure == "level" and _BASIS_MEASURE_BEFORE_RE.search(w.near_left):
        compared = [f for f in doc.figures[-4:] if f.sentence == sentence.text and f.unit == m.unit]
        if compared and compared[-1].measure == "change":
            measure = "change"  # "grew 35%, down from 40%"; "add 2.5 million, against 6.8 million"
    if metric == "other" and measure == "change" and not m.item:
        earlier = [f for f in doc.figures if f.sentence == sentence.text and f.metric != "other"]
        if earlier:
            metric = earlier[-1].metric
    return metric, measure


def _item(doc: _Document, m: Mention, sentence: Sentence, metric: str) -> tuple[str | None, str]:
    """What a count counts, and the metric a bare count takes from the figure it continues."""
    if m.unit != "count":
        return None, metric
    if m.item is not None:
        return m.item, metric
    item = _context_item(doc, sentence.text)
    last = doc.figures[-1] if doc.figures else None
    if metric == "other" and last and last.unit == "count" and last.item == item:
        metric = last.metric  # "That compares with 7 million in 2012"
    return item, metric


def _signed(
    m: Mention, w: semantics.Window, measure: str, direction: int, metric: str
) -> tuple[float, float | None]:
    """Declines and cuts are negative changes; a loss is a negative profit."""
    value, value_high = m.value, m.value_high
    if measure == "change" and direction < 0:
        value = -abs(value)
        value_high = -abs(value_high) if value_high is not None else None
    elif measure == "level" and metric == "profit" and semantics._LOSS_RE.search(w.left[-40:]):
        value = -abs(value)
    return value, value_high


def _qualifier(m: Mention, w: semantics.Window) -> str:
    if m.qualifier == "exact" and _ESTIMATE_BEFORE_RE.search((w.own_left or w.left)[-50:]):
        return "approx"  # "which estimates an HIV prevalence of 24%"
    return m.qualifier


def _modality(
    doc: _Document,
    m: Mention,
    w: semantics.Window,
    sentence: Sentence,
    entity: str | None,
    metric: str,
    period: str | None,
) -> str:
    """actual, target or forecast; figures joined without a verb of their own share it."""
    entity_is_org = (entity is not None and metric != "economic_indicator") or (
        entity is None and doc.recent_org and _OWN_FUTURE_RE.search(w.left + " " + w.right[:30])
    )
    last = doc.figures[-1] if doc.figures else None
    previous = last if last and last.sentence == sentence.text else None
    modality = semantics.modality(
        m,
        w,
        bool(entity_is_org),
        period,
        doc.published.year if doc.published else None,
        same_unit_before=bool(previous and previous.unit == m.unit),
    )
    after = doc.text[max(m.end, m.number_end) : sentence.end]
    aimed = _HAD_AIMED_AFTER_RE.match(after)
    if aimed:  # "the 618 million the company had targeted"
        return "forecast" if _ANALYSTS_RE.search(aimed.group("who")) else "target"
    if _ESTIMATES_OF_BEFORE_RE.search(w.near_left) or _EXPECTED_AFTER_RE.match(after):
        return "forecast"  # "compared with analyst estimates of $1.27", "the $20.1bn expected"
    if (
        previous
        and (
            _COORDINATED_RE.fullmatch(w.own_left)
            or _LIST_ITEM_RE.fullmatch(w.own_left)
            or (_LIST_TAIL_RE.search(w.own_left) and not _FINITE_VERB_RE.search(w.own_left))
        )
        and not _CLAUSE_BREAK_RE.search(doc.text[previous.end : m.start])
    ):
        return previous.modality  # "1.4 billion cubic feet of gas, and 7.8 million tonnes"
    return _modality_in_context(doc, m, w, sentence, entity, metric, modality)


def _modality_in_context(
    doc: _Document,
    m: Mention,
    w: semantics.Window,
    sentence: Sentence,
    entity: str | None,
    metric: str,
    modality: str,
) -> str:
    """Corrections that need the whole sentence: "the 618 million the company had targeted",
    "rose 7% to $13.7bn, below the $13.84bn analysts had expected", "Spotify expects revenue of
    €3.8bn" (a company's own guidance)."""
    after = doc.text[max(m.end, m.number_end) : sentence.end]
    if (
        modality != "actual"
        and _COMPARED_WITH_EXPECTED_RE.match(after)
        and not _PLAN_LEFT_RE.search(w.left)
    ):
        return "actual"  # the outcome, compared with what was expected (not a plan so compared)
    if modality != "actual" and _BASIS_BEFORE_RE.search(w.near_left) and _AGO_AFTER_RE.match(after):
        return "actual"  # "expects to add 2.5 million, against 6.8 million a year ago"
    if (
        modality == "forecast"
        and entity is not None
        and metric in _OWN_RESULT_METRICS
        and not semantics._SOURCE_RE.search(doc.text[sentence.start : m.start])
        and not _ANALYSTS_RE.search(doc.text[sentence.start : m.start])
        and not _MARKET_OBJECT_RE.search(sentence.text)
        and _own_expectation(doc, entity, sentence, m)
    ):
        return "target"  # the company's own guidance about its own results
    return modality


def _own_expectation(doc: _Document, entity: str, sentence: Sentence, m: Mention) -> bool:
    """Whether the sentence's subject, the entity itself (by name, "it" or "the company"),
    expects or plans before the figure."""
    head = _ASIDE_SPAN_RE.sub(" ", doc.text[sentence.start : m.start])
    match = _EXPECTING_SUBJECT_RE.search(head)
    if not match:
        return False
    subject = match.group("subject")
    if subject.lower() == "it" or subject.lower().startswith("the "):
        return True
    names = [o.name for o in doc.orgs if o.start == sentence.start + match.start("subject")]
    return entity in names


_OWN_RESULT_METRICS = {
    "revenue", "profit", "units_sold", "shipments", "users", "stores", "employees",
    "investment", "other", "price",
}  # fmt: skip
# "..., and Intelligent Cloud revenue of between": one more item of the same verb's list
_LIST_TAIL_RE = re.compile(
    r",\s*and\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){1,3}(?:of|at)\s+(?:between\s+|about\s+|around\s+|up\s+to\s+)?$"
)
_FINITE_VERB_RE = re.compile(
    r"\b(?:was|were|is|are|had|has|have|rose|fell|grew|reached|made|earned|spent|sold|shipped|added|dropped|declined|increased|jumped|climbed|slipped)\b",
    re.I,
)
_ESTIMATES_OF_BEFORE_RE = re.compile(
    r"\b(?:analysts?'?|consensus|market|street|average)\s+(?:estimates?|forecasts?|expectations?)\s+(?:of|for)\s+(?:about\s+|around\s+)?$|\bestimates\s+of\s+$|\b(?:analysts?|wall\s+street|the\s+market|economists?|brokers?)\b[^,;.]{0,40}\bhad\s+(?:pencill?ed\s+in|expected|forecast|predicted|estimated)\b[^,;.]{0,30}$",
    re.I,
)
_EXPECTED_AFTER_RE = re.compile(
    r"^\s+(?:expected|forecast|predicted|anticipated)\b(?!\s+(?:to|in|by|for|that))"
)
_PLAN_LEFT_RE = re.compile(
    r"\b(?:will|would|plans?|planned|aims?|expects?|intends?|targets?|guidance|forecasts?)\b", re.I
)
_AGO_AFTER_RE = re.compile(
    r"^\s*(?:\w+\s+){0,2}?(?:a\s+year\s+(?:ago|earlier|before)|last\s+year|the\s+previous\s+(?:year|quarter)|a\s+quarter\s+earlier)\b",
    re.I,
)
_LIST_ITEM_RE = re.compile(
    r"[\s,;]*(?:and\s+)?(?:an?\s+|the\s+)?(?:[\w-]+\s+){1,3}(?:of|at)\s+(?:about\s+|around\s+|some\s+|nearly\s+|roughly\s+|up\s+to\s+)?"
)
_CLAUSE_BREAK_RE = re.compile(r";|\bwhile\b|\bbut\b|\bwhereas\b|\balthough\b", re.I)
_ANALYSTS_RE = re.compile(
    r"\b(?:analysts?|economists?|brokers?|brokerages?|consensus|polled|forecasters?)\b", re.I
)
_HAD_AIMED_AFTER_RE = re.compile(
    r"^\s+(?:that\s+)?(?P<who>the\s+company|the\s+firm|the\s+group|it|they|analysts?(?:\s+[\w\s]{0,40}?)?|[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)?)\s+(?:had\s+)?(?:been\s+)?(?:targeted|aimed\s+for|planned|budgeted|forecast|expected|projected|predicted|hoped\s+for|guided|pencill?ed\s+in|estimated)\b"
)
_COMPARED_WITH_EXPECTED_RE = re.compile(
    r"^(?:[^.;]|\.(?=\d)){0,120}?\b(?:below|above|ahead\s+of|short\s+of|beating|missing|than)\s+(?:the\s+)?[$£€¥₹]?\d(?:[^.;]|\.(?=\d)){0,80}?\b(?:had\s+)?(?:expected|forecast|predicted|estimated|targeted)\b"
)
_EXPECTING_SUBJECT_RE = re.compile(
    r"(?:^|[.;,]\s+|\b(?:and|but)\s+|\b(?:quarter|year|half|month)\s+|\d{4}\s+)(?P<subject>it|the\s+(?:company|firm|group|chain|retailer|bank|carmaker|chipmaker|operator|maker|business|airline|insurer|brewer)|[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)?)\s+(?:now\s+|also\s+|still\s+)?(?:expects|expected|forecasts|projects|predicts|sees|anticipates|will|plans|aims)\b",
    re.I,
)
_MARKET_OBJECT_RE = re.compile(
    r"\b(?:sales\s+of(?!\s+(?:about\s+|around\s+)?[$£€¥₹\d])|market|industry|demand|prices)\b|\bto\s+be\s+(?:sold|shipped|bought)\b",
    re.I,
)


def _remember(doc: _Document, figure: Figure, w: semantics.Window) -> None:
    """What later sentences may refer back to: the last entity and the story's periods."""
    if figure.entity and figure.metric != "spec" and not _OVERTAKE_BEFORE_RE.search(w.near_left):
        doc.last_entity = figure.entity  # (not "overtaking Tesla's $25.2bn": a comparison)
        doc.last_entity_at = figure.start
    if (
        figure.period
        and figure.metric in _CARRY_PERIOD
        and figure.modality == "actual"  # a guidance quarter is not the story's period
        and len(figure.period) < 10  # nor is the day something "now" holds
        and not _FROM_BEFORE_RE.search(w.near_left)
        and figure.start not in doc.base_starts
    ):
        doc.last_period_entity = figure.entity
        doc.last_period = figure.period
    if figure.period:
        doc.last_prose_period = figure.period


# -- tables -----------------------------------------------------------------------------------
_CHANGE_HEADER_RE = re.compile(
    r"\b(?:change|growth|grew|rise|increase|decline|yoy|y/y|year[\s-]on[\s-]year|annual\s+growth|net\s+adds|additions|added)\b",
    re.I,
)
_QOQ_HEADER_RE = re.compile(r"quarter[\s-]on[\s-]quarter|q/q|qoq|sequential", re.I)
_SHARE_HEADER_RE = re.compile(r"\bshare\b", re.I)


def _row_figures(
    doc: _Document, sentence: Sentence, row: tables.Row, mentions: list[Mention]
) -> None:
    """Figures in a table row: the column header says what the number is, the row label whose."""
    label_orgs = [
        o
        for o in entities.find_orgs(row.label)
        if o.kind != "source" and not tables.is_aggregate(row.label)
    ]
    table_period = _table_period(doc, row)
    if table_period:
        doc.last_period = table_period  # a table of one period: the period the story reports
    row_level_metric: str | None = None
    row_metric: str | None = None
    for mention in mentions:
        cell = row.cell_at(mention.start)
        if cell is None or cell is row.cells[0]:
            continue
        header = cell.header
        scale = tables.header_scale(header)
        if (
            scale
            and mention.kind == "count"
            and mention.bare
            and not _is_scaled_mention(doc.text, mention)
        ):
            mention.value *= scale
        elif "%" in header and mention.kind == "count" and mention.bare:
            mention.unit, mention.kind = "percent", "percent"
        context = f"{row.label} {header} "
        dated = f"{row.caption} {context}"
        w = semantics.Window(context, context, "", context, context)
        change = bool(_CHANGE_HEADER_RE.search(header)) or _signed_percent(doc.text, mention)
        share = not change and bool(_SHARE_HEADER_RE.search(header))
        measure = (
            "change" if change else ("share" if share and mention.unit == "percent" else "level")
        )
        metric = semantics.metric(mention, w, measure, True)
        if share and mention.unit == "percent":
            metric = "market_share"
        elif row_level_metric and measure == "change":
            metric = row_level_metric  # "Change year on year" of the row's shipments
        elif metric == "other" and row_metric:
            metric = row_metric  # a forecast column of the row's price change
        elif metric == "other" and doc.figures:
            metric = _table_metric(doc, mention)
        if measure == "level" and metric != "other" and row_level_metric is None:
            row_level_metric = metric
        if metric != "other" and row_metric is None:
            row_metric = metric
        periods = find_periods(dated, 0, len(dated), doc.published)
        own = [p.label for p in periods if p.label and not p.comparator]
        period = own[0] if own else (table_period or doc.last_period or doc.last_prose_period)
        if tables.is_aggregate(row.label):
            # "Total", "Others": the market's in a table of companies, else the story company's
            entity = None if _table_of_companies(doc, row) else doc.main_entity
        elif label_orgs:
            entity = label_orgs[0].name
        elif metric == "price" and measure == "change":
            entity = None  # a market's price move
        else:
            entity = doc.main_entity
        basis = None
        if measure == "change":
            basis = "qoq" if _QOQ_HEADER_RE.search(header) else "yoy"
        doc.figures.append(
            Figure(
                value=_round(mention.value),
                unit=mention.unit,
                metric=metric,
                measure=measure,
                qualifier=mention.qualifier,
                modality=_header_modality(header),
                surface=doc.text[mention.start : mention.end],
                start=mention.start,
                end=mention.end,
                sentence=sentence.text,
                rule=mention.rule + "+table",
                value_high=_round(mention.value_high) if mention.value_high is not None else None,
                item=mention.item,
                entity=entity,
                period=period,
                change_basis=basis,
                equivalents=[Equivalent(_round(v), u) for v, u in mention.equivalents],
            )
        )


def _table_period(doc: _Document, row: tables.Row) -> str | None:
    """The one period the table's headers (else its caption) name ("| Vendor | Q4 2013 shipments
    | Market share |"): it dates the columns that name none."""
    for heads in (" | ".join(row.headers[1:]), row.caption):
        labels = {
            p.label
            for p in find_periods(heads, 0, len(heads), doc.published)
            if p.label and not p.comparator
        }
        if labels:
            return labels.pop() if len(labels) == 1 else None
    return None


def _table_of_companies(doc: _Document, row: tables.Row) -> bool:
    """Whether other rows of this row's table are labelled with companies."""
    return any(
        other.headers == row.headers
        and other is not row
        and not tables.is_aggregate(other.label)
        and any(o.kind == "company" for o in entities.find_orgs(other.label))
        for other in doc.rows.values()
    )


def _signed_percent(text: str, mention: Mention) -> bool:
    """ "+6.6%" or "-13% to -18%" in a cell: an explicit sign makes the percentage a change."""
    if mention.unit != "percent":
        return False
    surface = text[max(0, mention.start - 1) : mention.end]
    return bool(_SIGNED_RE.search(surface)) or mention.value < 0 or (mention.value_high or 0) < 0


_SIGNED_RE = re.compile(r"(?:^|\s)[+\-−–]\d")
_FORECAST_HEADER_RE = re.compile(
    r"\b(?:forecast|estimate[sd]?|expected|projection|projected|outlook|consensus)\b", re.I
)
_TARGET_HEADER_RE = re.compile(r"\b(?:guidance|target|goal|plan)\b", re.I)


def _header_modality(header: str) -> str:
    if _TARGET_HEADER_RE.search(header):
        return "target"
    return "forecast" if _FORECAST_HEADER_RE.search(header) else "actual"


def _is_scaled_mention(text: str, mention: Mention) -> bool:
    return any(ch.isalpha() for ch in text[mention.start : mention.number_end])


def _table_metric(doc: _Document, mention: Mention) -> str:
    """A count column with no telling header counts what the prose before it counted."""
    for figure in reversed(doc.figures[-8:]):
        if figure.unit == mention.unit and figure.metric != "other" and "+table" not in figure.rule:
            return figure.metric
    return "other"


_ESTIMATE_BEFORE_RE = re.compile(
    r"\bestimat(?:es?|ed|ing)\b(?!\s+(?:published|released|from|by))", re.I
)
_FIGURE_ANAPHOR_RE = re.compile(
    r"\b(?:the|that|this)\s+(?:figure|number|proportion|rate|share)\b", re.I
)


def _inherited_metric(
    doc: _Document, m: Mention, w: semantics.Window, metric: str, sentence: Sentence
) -> str:
    """A base value ("from 798m euro") or "the figure" takes the metric of the figure it refers to."""
    if not doc.figures:
        return metric
    last = doc.figures[-1]
    if _BASIS_BEFORE_RE.search(w.near_left) and not _PRICED_FROM_RE.search(w.near_left):
        same_unit = [
            f for f in doc.figures[-4:] if f.sentence == sentence.text and f.unit == m.unit
        ]
        if same_unit:
            return same_unit[-1].metric  # "from 60% in 2018", "against Samsung's 19%"
    if metric == "other" and _FIGURE_ANAPHOR_RE.search(w.left) and last.unit == m.unit:
        return last.metric
    if metric == "other" and doc.figures and last.entity in entities.INDICES:
        entity_here = [
            o
            for o in doc.orgs
            if sentence.start <= o.start < m.start and o.name in entities.INDICES
        ]
        if entity_here:
            return "share_price"
    return metric


def _round(value: float) -> float:
    return float(f"{value:.10g}")


def _has_goods(mentions: list[Mention], sentence: str) -> bool:
    if any(
        m.kind == "count" and m.item and m.item.split()[-1] in semantics.GOODS for m in mentions
    ):
        return True
    if any(m.kind == "count" for m in mentions) and _SALES_WORD_RE.search(sentence):
        return True
    return bool(_GOODS_WORD_RE.search(sentence))


_GOODS_NOUN_RE = re.compile(
    r"\b(smartphone|phone|handset|car|tablet|pc|console|vehicle|device)\s+(?:shipments|sales|deliveries)\b",
    re.I,
)


def _context_item(doc: _Document, sentence: str) -> str | None:
    """What a bare count counts, from "smartphone shipments" or the last counted item nearby."""
    match = _GOODS_NOUN_RE.search(sentence)
    if match:
        return match.group(1).lower() + "s"
    for figure in reversed(doc.figures[-3:]):
        if figure.unit == "count" and figure.item:
            return figure.item
    return None


# -- period -----------------------------------------------------------------------------------
_BREAK_RE = re.compile(
    r";|,\s+(?:and|but|while)\b|\bbut\b|\bwhile\b|\band\s+(?:warned|said|expects|plans)\b", re.I
)


def _choose_period(
    doc: _Document,
    m: Mention,
    w: semantics.Window,
    periods: list[PeriodMention],
    metric: str,
    measure: str,
    main: str | None,
    doc_mentions: list[Mention] = (),
    entity: str | None = None,
) -> str | None:
    text = doc.text
    if main and measure == "level" and _HAD_AIMED_AFTER_RE.match(w.after or w.right):
        return main  # "above the $20bn to $22bn analysts had expected": the plan's own period
    is_base = bool(_BASE_BEFORE_RE.search(w.near_left)) and not _PRICED_FROM_RE.search(w.near_left)
    if is_base:
        after = [p for p in periods if 0 <= p.start - m.end <= 25]
        if after:
            p = after[0]
            if p.kind == "year_ago":
                return shift_year(main, -1) if main else p.label
            if p.kind == "quarter_ago":
                return shift_quarter(main, -1) if main and "-Q" in main else p.label
            return p.label
        if main and measure == "level":
            if _HAD_AIMED_AFTER_RE.match(w.after or w.right):
                return main  # "compared with the $12.61bn analysts had forecast": the same period
            return shift_year(main, -1) if _MOVE_VERB_RE.search(w.sentence) else None
    earlier = _earlier_period_after(doc, m, periods, main, measure)
    if earlier:
        doc.base_starts.add(m.start)
        return earlier
    mention_spans = [(x.start, x.end) for x in doc_mentions]
    asides = [a.span() for a in _ASIDE_SPAN_RE.finditer(text, max(0, m.start - 200), m.end + 200)]
    best: tuple[float, PeriodMention] | None = None
    fiscal = any(p.kind in FISCAL_KINDS for p in periods)
    fiscal_quarter = any(
        p.kind in FISCAL_KINDS and "-Q" in p.label and not p.comparator for p in periods
    )
    if fiscal_quarter:
        periods = _fiscal_appositions(doc, periods)
    for p in periods:
        if p.comparator or p.kind == "year_ago" or not p.label:
            continue
        if p.kind == "span" and measure != "change":
            continue
        if any(p.start < e and s < p.end for s, e in mention_spans):
            continue  # "2048 * 1080 pixels": a number, not a year
        if any(s <= p.start < e and not s <= m.start < e for s, e in asides):
            continue  # "The Redmi Note 3, launched in November, costs 899 yuan"
        if (
            fiscal
            and p.kind in ("annual", "relative_year", "year", "now")
            and p.kind not in FISCAL_KINDS
        ):
            continue  # "annual losses ... for the year to 31 July": the fiscal year wins
        if fiscal_quarter and p.kind in _CALENDAR_QUARTER_KINDS:
            continue  # "the three months to September, the first quarter of fiscal 2023"
        if p.end <= m.start:
            gap = text[p.end : m.start]
            distance = len(gap)
        elif p.start >= m.end:
            gap = _PARENTHESES_RE.sub("", text[m.end : p.start])
            distance = 0 if _OWN_PREPOSITION_GAP_RE.fullmatch(gap) else len(gap) * 0.8
            if (
                _BREAK_RE.search(gap)
                or _SUBORDINATE_GAP_RE.search(gap)
                or ("," in _NUMBER_IN_GAP_RE.sub("0", gap) and not _ADVERBIAL_GAP_RE.fullmatch(gap))
            ):
                continue  # belongs to a later clause
            if _COMPARE_GAP_RE.search(gap) or (measure == "change" and _SINCE_RE.search(gap)):
                continue  # the basis of a comparison, or the start of a move with no stated end
        else:
            continue
        if _BREAK_RE.search(gap):
            distance = distance * 2 + 30
        if p.kind == "speech":
            continue  # "warned in September that ...": when it was said, not when it holds
        if p.kind == "now":
            if distance > 45 or _NOW_GOVERNS_VERB_RE.match(text[p.end : p.end + 20]):
                continue
            if p.end <= m.start and _PAST_VERB_AFTER_RE.match(text[p.end : p.end + 20]):
                continue  # "already offered to pay": the now is the offer's
            if _HERE_AND_RE.search(text[max(0, p.start - 10) : p.start]):
                continue  # "the here and now"
            distance += 25
        if best is None or distance < best[0]:
            best = (distance, p)
    if best:
        chosen = best[1]
        if chosen.kind == "quarter_the" and doc.last_period and "-Q" in doc.last_period:
            return doc.last_period  # "for the quarter": the quarter the story reports
        fiscal_story = _recent_fiscal(doc)
        if fiscal_story and not _YEAR_DIGITS_RE.search(text[chosen.start : chosen.end]):
            if chosen.kind == "quarter_words" and "-Q" in fiscal_story:
                return _fiscal_quarter(fiscal_story, chosen.label)  # "in the third quarter"
            if (
                chosen.kind == "relative_year"
                and "the year" in text[chosen.start : chosen.end].lower()
            ):
                return fiscal_story.split("-")[0]  # "in the year": the story's financial year
        if chosen.kind == "now":
            speech = [p for p in periods if p.kind == "speech" and p.end <= chosen.start]
            if speech:
                return speech[-1].label  # "said on Friday that it now owns 8%"
        return chosen.label
    if (
        doc.published
        and (
            metric in _MARKET_METRICS
            or (metric == "price" and _COMMODITY_RE.search(w.sentence))
            or (metric == "economic_indicator" and _TRADED_RATE_RE.search(w.sentence))
        )
        and not _SINCE_IN_CLAUSE_RE.search(w.right)
    ):
        return doc.published.isoformat()
    if metric == "valuation" and main and _TRADING_DAY_RE.search(w.sentence):
        return main  # "shares rose 1.8% ..., valuing the company at 360 trillion won"
    carries = metric in _CARRY_PERIOD or (
        metric in _PAST_CARRY_METRICS
        and (metric == "market_share" or measure != "share")  # not a survey's "80% of females"
        and _PAST_REPORT_RE.search(w.sentence)
        and not _PRESENT_RE.search(w.sentence)
    )
    if carries and doc.last_period:
        if entity and entity != doc.last_period_entity and doc.last_period in doc.calendar_of:
            return doc.calendar_of[doc.last_period]  # another company: its calendar quarter
        return doc.last_period
    if carries and doc.lede_period:
        return doc.lede_period  # the story's own period, named in its first sentences
    return None


# Metrics that take the story's period only when the sentence reports the past ("Samsung held
# 21%", "users grew 19%"); in the present tense they stay undated ("Nintendo has a 95% share").
_PAST_CARRY_METRICS = {"market_share", "users", "investment", "stores", "market_size"}
_PAST_REPORT_RE = re.compile(
    r"\b(?:was|were|had|held|kept|remained|rose|fell|grew|slipped|dropped|declined|increased|decreased|jumped|climbed|reached|spent|invested|added|gained|lost|took|accounted|ended|totalled|made\s+up)\b",
    re.I,
)
_PRESENT_RE = re.compile(
    r"\b(?:now|currently|has|have|is|are|will|would|expects?|forecasts?|aims?|plans?)\b", re.I
)
# Bond yields and exchange rates quoted from the day's trading (spec: *Market moves and prices*).
_TRADED_RATE_RE = re.compile(
    r"\b(?:yields?|treasur(?:y|ies)|the\s+(?:dollar|euro|yen|pound|greenback)|sterling)\b"
    r"[^.;]{0,60}\b(?:rose|fell|gained|lost|slipped|dropped|climbed|was|were|last|edged|traded)\b",
    re.I,
)
_TRADING_DAY_RE = re.compile(
    r"\bshares?\b[^.;]{0,40}\b(?:rose|fell|closed|gained|dropped|climbed|slipped|jumped|ended)\b",
    re.I,
)


def _recent_fiscal(doc: _Document) -> str | None:
    """The financial year or quarter the story's latest figures were dated in, if fiscal."""
    for figure in reversed(doc.figures[-8:]):
        if figure.metric not in _CARRY_PERIOD:
            continue  # a launch price's month says nothing of the reporting period
        if figure.period and not figure.period[:1].isdigit():
            return figure.period if figure.period.startswith("FY") else None
        if figure.period and figure.period[:4].isdigit() and len(figure.period) > 4:
            return None  # a calendar quarter or month came since
    return None


def _fiscal_quarter(fiscal: str, calendar_label: str) -> str:
    """ "the third quarter" in a story about FY2024-Q2 -> FY2024-Q3 (or the next year's Q1)."""
    year = int(fiscal[2:6])
    current = int(fiscal[-1]) if "-Q" in fiscal else 4
    wanted = int(calendar_label[-1])
    if wanted < current - 1:
        year += 1
    return f"FY{year}-Q{wanted}"


def _fiscal_appositions(doc: _Document, periods: list[PeriodMention]) -> list[PeriodMention]:
    """ "in the three months to September, the first quarter of fiscal 2023": the calendar
    quarter stands where the fiscal one is meant; remember the calendar one for other companies."""
    result = []
    for p in periods:
        fiscal = [
            f
            for f in periods
            if f.kind in FISCAL_KINDS
            and "-Q" in f.label
            and 0 <= f.start - p.end <= 12
            and doc.text[p.end : f.start].strip(" ,(").lower() in ("", "the", "its")
        ]
        if p.kind in _CALENDAR_QUARTER_KINDS and fiscal and not p.comparator:
            doc.calendar_of[fiscal[0].label] = p.label
            p = PeriodMention(p.start, p.end, fiscal[0].label, fiscal[0].kind, False, p.by)
        result.append(p)
    return result


def _restated_period(
    doc: _Document, m: Mention, metric: str, period: str | None, periods: list[PeriodMention]
) -> str | None:
    """An amount the article already gave ("warned of annual losses of £6m" again) keeps its period
    unless this sentence names a precise one itself."""
    precise = any(
        p.kind in FISCAL_KINDS or "-Q" in p.label or "-H" in p.label for p in periods if p.label
    )
    if precise or m.kind not in ("money", "count") or abs(m.value) < 1000:
        return period
    for earlier in reversed(doc.figures):
        if (
            earlier.unit == m.unit
            and earlier.metric == metric
            and abs(earlier.value) == _round(abs(m.value))
        ):
            return earlier.period if earlier.period else period
    return period


# A clause of its own between the figure and a later time ("fell 3% after the retailer said
# sales dropped 5.6% in the 13 weeks to 1 January"): the time is that clause's.
_SUBORDINATE_GAP_RE = re.compile(
    r"\b(?:after|because|following|when|as)\s+(?:the\s+|its\s+|it\s+|\w+\s+){0,3}(?:said|says|reported|announced|warned)\b",
    re.I,
)
_YEAR_DIGITS_RE = re.compile(r"\d{2,4}")
_CALENDAR_QUARTER_KINDS = {
    "quarter_months", "quarter_words", "quarter_span", "quarter_the", "quarter_code",
    "quarter_month_named",
}  # fmt: skip
_NUMBER_IN_GAP_RE = re.compile(r"\d[\d,.]*")
# ", in December" or ", or 17% of its workforce, in December": the figure's own time adverbial.
_ADVERBIAL_GAP_RE = re.compile(
    r"[^,;]{0,25}?(?:,\s*or\s+[^,;]{1,40})?,\s*(?:(?:in|during|on)\s+(?:the\s+)?)?"
)
# Asides that date something else: ", launched in November," / ", which began selling in May 2018,".
_ASIDE_SPAN_RE = re.compile(
    r",\s*(?:which|who|launched|released|unveiled|introduced|founded|announced|listed|set\s+up)\b(?:[^,;]|,(?=\d))*,"
)
_YEAR_AGO_AFTER_GAP_RE = re.compile(
    r"\s*(?:(?:it|they|which|that|the\s+\w+)\s+)?(?:\w+ed\s+|made\s+|had\s+|earned\s+|sold\s+|shipped\s+)?"
)


def _earlier_period_after(
    doc: _Document, m: Mention, periods: list[PeriodMention], main: str | None, measure: str
) -> str | None:
    """ "the 5.2 trillion won it earned a year earlier", "a loss of €156m a year earlier": a level
    followed by "a year earlier" holds a year before the sentence's own period."""
    if measure != "level" or not main:
        return None
    for p in periods:
        if p.kind not in ("year_ago", "quarter_ago") or p.start < m.end:
            continue
        if p.start - m.end > 30 or not _YEAR_AGO_AFTER_GAP_RE.fullmatch(doc.text[m.end : p.start]):
            return None
        return shift_year(main, -1) if p.kind == "year_ago" else shift_quarter(main, -1)
    return None


_BASE_BEFORE_RE = re.compile(
    r"\b(?:from|against|compared\s+with|compared\s+to|versus|on)\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+){0,1}$",
    re.I,
)
_COMPARE_GAP_RE = re.compile(r"\b(?:from|than|compared\s+(?:with|to)|versus)\b", re.I)
_PARENTHESES_RE = re.compile(r"\([^()]*\)")
_NOW_GOVERNS_VERB_RE = re.compile(
    r"^\s+(?:say|says|said|believe|believes|think|plans?|expects?|aims?|hopes?|wants?|intends?|working|looking|seeking)\b",
    re.I,
)


# -- entity -----------------------------------------------------------------------------------
def _choose_entity(
    doc: _Document, m: Mention, w: semantics.Window, sentence: Sentence, metric: str, measure: str
) -> str | None:
    """The organisation the figure is about (spec: *Surveys*, *Stakes and deals*, *National
    statistics*): a name in the clause, an organisation right after the number, "the company",
    a continuation of the sentence's earlier figure, or null for public and market figures."""
    asides = [
        (sentence.start + a.start(), sentence.start + a.end())
        for a in semantics.ASIDE_RE.finditer(sentence.text)
        if not sentence.start + a.start() <= m.start < sentence.start + a.end()
    ]
    sentence_orgs = [
        o
        for o in doc.orgs
        if sentence.start <= o.start < sentence.end
        and o.kind != "source"
        and not any(s <= o.start < e for s, e in asides)  # "..., used in Apple's Macs, ..."
        and not (o.name in entities.INDICES and metric not in _INDEX_METRICS)
    ]
    before = [o for o in sentence_orgs if o.end <= m.start]
    after = [o for o in sentence_orgs if o.start >= m.end]
    if metric == "economic_indicator":
        return _country(doc, m, sentence)
    clause_start = m.start - len(w.left)
    if not any(o.start >= clause_start and o.kind != "state" for o in before) and _market_wide(
        doc, m, w
    ):
        return None  # "Worldwide PC shipments fell 11.5%", "India's smartphone shipments grew 8%"
    whose = _WHOSE_RE.search(w.left)
    if whose:
        owner = [o for o in before if 0 <= clause_start + whose.start() - o.end <= 1]
        if owner:
            return owner[-1].name  # "far ahead of Xiaomi, whose share slipped to 3.9%"
    if metric == "market_size" or (metric == "price" and _COMMODITY_RE.search(sentence.text)):
        return None
    if (
        measure == "share"
        and _PUBLIC_OF_RE.match(w.right)
        and not _POSSESSIVE_END_RE.search(w.near_left)
    ):
        return None  # a survey or a share of the public, a country, a market
    located = _AT_ORG_RE.match(w.right)
    if located:
        named = [o for o in after if o.start - m.end <= len(located.group())]
        if named:
            return named[0].name  # "17 at its Morpheme offices"
    subject = _SUBJECT_ANAPHOR_RE.match(w.left)
    if before and subject and all(o.start >= m.start - len(w.left) + subject.end() for o in before):
        if _MAIN_ANAPHOR_RE.match(subject.group(1)) and doc.main_entity:
            return doc.main_entity
        return doc.last_org or doc.main_entity
    if before:
        possessive = [o for o in before if doc.text[o.end : o.end + 2] in ("'s", "’s")]
        in_clause = [o for o in before if o.start >= m.start - len(w.left)]
        if possessive and possessive[-1].start >= m.start - len(w.left):
            return possessive[-1].name
        close = [o for o in in_clause if m.start - o.end <= 25]
        if close:
            return close[-1].name  # "at Snappy Snaps £9.99"
        if in_clause:
            return _clause_entity(doc, m, w, sentence, in_clause)
        if not _GOVERNMENT_RE.search(w.left):
            return before[0].name
    people_count = (
        m.kind == "count" and m.item and m.item.split()[-1] in ("people", "adults", "consumers")
    )
    if people_count and _SUBJECT_COMPANY_RE.search(w.left):
        return doc.main_entity or _recent_company(doc)  # "The company employs 900,000 people"
    if people_count:
        close_after = [o for o in after if o.start - m.end < 80]
        return close_after[0].name if close_after else None
    if _GOVERNMENT_RE.search(w.left) or _GOVERNMENT_RE.search(w.right):
        return doc.main_country  # "the government estimated ..."
    anaphor = _ANAPHOR_BEFORE_RE.search(w.left)
    if anaphor:
        word = anaphor.group().lower()
        if doc.market_story:
            return _recent_company(doc)  # a market story's "the company" is the one just named
        if _MAIN_ANAPHOR_END_RE.match(word) and doc.main_entity:
            return doc.main_entity
        if word.startswith("the "):
            return _recent_company(doc)  # "the board", "the chipmaker"
        return doc.last_org or doc.main_entity
    close_after = [o for o in after if o.start - m.end < 60]
    if close_after:
        return close_after[0].name
    earlier = [f for f in doc.figures if f.sentence == sentence.text and f.entity]
    if earlier and earlier[-1].metric == metric:
        return earlier[-1].entity  # the same sentence goes on about the same subject
    if metric in ("price", "spec", "revenue", "units_sold", "shipments") or m.kind == "unit":
        whole = metric in ("price", "spec") or m.kind == "unit"
        maker = entities.product_maker(sentence.text if whole else w.left)
        if maker:
            return (
                maker  # "the Dolphin ... starts at £25,490", "the Galaxy Note 8 sells for $929.99"
            )
    if metric == "price" and not doc.market_story and _OFFER_WORD_RE.search(w.left):
        return doc.main_entity  # "The standard plan costs $12.99 a month"
    if measure == "share" or m.kind in ("unit",) or metric not in _COMPANY_METRICS:
        return None
    if doc.market_story and not doc.recent_org:
        return None  # a market story's bare "shipments dropped 10%"
    return _recent_company(doc)


def _clause_entity(
    doc: _Document, m: Mention, w: semantics.Window, sentence: Sentence, named: list[NameMention]
) -> str:
    """Whose figure, among the names earlier in its clause: one named since the previous figure,
    else the previous figure's when this one goes straight on from it ("the S&P 500 lost 1.85
    points, or 0.06%, to 3,120.18"), else the clause's first."""
    fresh = [o for o in named if o.start >= m.start - len(w.own_left)]
    if fresh:
        return fresh[0].name
    last = doc.figures[-1] if doc.figures else None
    if last and last.sentence == sentence.text and last.entity and len(w.own_left) <= 30:
        return last.entity
    return named[0].name


# What an index has: its level and moves. "Dow component Home Depot reported revenue of ..."
_INDEX_METRICS = {"share_price", "other"}


def _recent_company(doc: _Document) -> str | None:
    """The company the story spoke of last: the last figure's, unless a later sentence named
    another ("Xiaomi's Indian business is moving the other way. Revenue in India ...")."""
    if doc.last_org and doc.last_org_at > doc.last_entity_at:
        return doc.last_org
    return doc.last_entity or doc.last_org or doc.main_entity


_OFFER_WORD_RE = re.compile(
    r"\b(?:plan|plans|subscription|subscriptions|tier|membership|service|package|bundle|tariff)\b",
    re.I,
)
_SUBJECT_COMPANY_RE = re.compile(
    r"\b(?:the\s+(?:company|firm|group|carmaker|chipmaker|retailer|bank)|it)\s+(?:now\s+|still\s+)?(?:employs|employed|has|had|hired|hires)\s+(?:\w+\s+){0,3}$",
    re.I,
)
_OVERTAKE_BEFORE_RE = re.compile(
    r"\b(?:overtaking|overtook|surpassing|surpassed|than|against|versus|behind|ahead\s+of)\s+(?:\w+(?:'s|’s)?\s+){0,2}$",
    re.I,
)
_WHOSE_RE = re.compile(r",\s*whose\b[^,;]*$")
_MARKET_NOUN = r"(?:shipments|sales|deliveries|market|spending|demand|prices)"
_SPENDING_ON_RE = re.compile(
    r"(?:^|[,;]\s*|\bthat\s+)(?:total\s+|global\s+|worldwide\s+|overall\s+)?(?:spending|expenditure|demand)\s+on\s+",
    re.IGNORECASE,
)
_MARKET_SUBJECT_RE = re.compile(
    rf"\b(?:worldwide|global|world|industry|industry-wide)\s+(?:[\w-]+\s+){{0,3}}?{_MARKET_NOUN}\b",
    re.IGNORECASE,
)
_PLACE_MARKET_AFTER_RE = re.compile(
    rf"^(?:'s|’s)?\s+(?:[\w-]+\s+){{0,2}}?{_MARKET_NOUN}\b", re.IGNORECASE
)
_MARKET_IN_BEFORE_RE = re.compile(
    rf"\b{_MARKET_NOUN}\s+(?:of\s+[\w\s-]{{1,30}}?\s+)?(?:in|across)\s+(?:the\s+)?$", re.IGNORECASE
)
_CHANGE_VERB_AFTER_RE = re.compile(
    r"^\s+(?:\w+ly\s+)?(?:slipped|rose|fell|grew|dropped|declined|jumped|climbed|shrank|slid|gained|increased|decreased)\b"
)
_OWNER_WORD_RE = re.compile(r"\b(?:its|their|his|her|our)\b", re.IGNORECASE)


def _market_spending(doc: _Document, m: Mention, w: semantics.Window) -> bool:
    """Spending on a kind of goods or services by everyone, not one buyer: a market's size."""
    if _OWNER_WORD_RE.search(w.left):
        return False
    return bool(_SPENDING_ON_RE.search(w.left)) or _market_wide(doc, m, w)


def _market_wide(doc: _Document, m: Mention, w: semantics.Window) -> bool:
    """Whether the clause's subject is a whole market ("global shipments", "China's smartphone
    market", "shipments in Asia-Pacific", "Western Europe slipped 4.2%"), not a company."""
    left = w.left
    if _OWNER_WORD_RE.search(left):
        return False  # "its global shipments"
    if _MARKET_SUBJECT_RE.search(left) or _SPENDING_ON_RE.match(left.lstrip()):
        return True
    clause_start = m.start - len(left)
    for place in doc.places:
        if not clause_start <= place.start < m.start:
            continue
        after = doc.text[place.end : m.start]
        before = doc.text[clause_start : place.start]
        if _PLACE_MARKET_AFTER_RE.match(after) or _MARKET_IN_BEFORE_RE.search(before):
            return True
        if not before.strip(" ,") and _CHANGE_VERB_AFTER_RE.match(after):
            return True
    return False


# An organisation's own future action, said without naming it ("there will be 115 sites").
_OWN_FUTURE_RE = re.compile(
    r"\b(?:will\s+(?:launch|see|open|set\s+up|be\s+taking|build|install|add|hire|cut)|there\s+will\s+be|aims?\s+(?:to|of)|current\s+aim|plans?\s+to)\b",
    re.IGNORECASE,
)
_SUBJECT_ANAPHOR_RE = re.compile(
    r"^\s*(?:(?:but|and|however|meanwhile),?\s+)?(the\s+(?:company|firm|group|upstart)|it)\s+(?!is\b|was\b)",
    re.IGNORECASE,
)
# Words between two figures that join them without a verb of their own.
_COORDINATED_RE = re.compile(
    r"[\s,;]*(?:[a-z'’-]+[\s,]+){0,3}?(?:and|or|to|at|with)?[\s,]*(?:up\s+to|some|about|over|nearly|almost|more\s+than)?\s*",
    re.I,
)
_PUBLIC_OF_RE = re.compile(
    r"^\s*(?:\)\s*)?of\s+(?:the\s+|all\s+)?(?:[\w'-]+\s+){0,4}?(?:people|homes|households|adults|population|consumers|respondents|those|companies|businesses|firms|messages|e-mail|email|children|men|women|males|females|teenagers|britons|americans|europeans|country|internet\s+users|business\s+leaders|europe|asia|africa|america|britain|electricity|power\s+supplies)\b",
    re.IGNORECASE,
)
_AT_ORG_RE = re.compile(
    r"^\s*(?:(?!and\b|or\b|but\b)\w+\s+)?(?:at|in)\s+(?:its\s+|the\s+)?", re.IGNORECASE
)
_GOVERNMENT_RE = re.compile(r"\bthe\s+(?:\w+\s+)?government\b|\bthe\s+state\b", re.IGNORECASE)


def _country(doc: _Document, m: Mention, sentence: Sentence) -> str | None:
    places = [
        p
        for p in doc.places
        if sentence.start <= p.start < sentence.end and p.name in entities.COUNTRIES
    ]
    if places:
        return min(places, key=lambda p: abs(p.start - m.start)).name
    return doc.main_country


def _choose_region(
    doc: _Document, m: Mention, w: semantics.Window, sentence: Sentence, metric: str
) -> str | None:
    """A place the figure is restricted to: "in India", "across China", "UK homes", "Russia's"."""
    if metric == "economic_indicator":
        return _country(doc, m, sentence)
    lo = m.start - len(w.left)
    hi = m.end + len(w.right)
    best = None
    for place in doc.places:
        if not (lo <= place.start < hi and sentence.start <= place.start < sentence.end):
            continue
        if m.start <= place.start < max(m.end, m.number_end) + 2 or _inside_parentheses(
            doc.text, m.end, place.start
        ):
            continue
        before = doc.text[max(0, place.start - 12) : place.start].lower()
        after = doc.text[place.end : place.end + 20]
        restricts = (
            _PLACE_PREPOSITION_BEFORE_RE.search(before)
            or after.startswith(("'s", "’s"))
            or (place.kind == "demonym" and _DEMONYM_NOUN_AFTER_RE.match(after))
        )
        if restricts and (best is None or abs(place.start - m.start) < abs(best.start - m.start)):
            best = place
    return best.name if best else None


def _inside_parentheses(text: str, start: int, position: int) -> bool:
    if position < start:
        return False
    gap = text[start:position]
    return gap.count("(") > gap.count(")")


# Patterns used inside functions, compiled once at import.
_LOCATIVE_BEFORE_RE = re.compile(r"\b(?:at|in|from|with)\s+$")
_INDEX_WORD_RE = re.compile(r"\b(?:index|exchange|ftse|dow|nikkei|nasdaq)\b", re.I)
_FROM_BEFORE_RE = re.compile(r"\bfrom\s+(?:\w+\s+)?$", re.I)
_PRICED_FROM_RE = re.compile(
    r"\b(?:priced|prices|starting|starts?|available|costs?|costing|sells?|selling|retails?)\s+from\s+$",
    re.I,
)
_BASIS_MEASURE_BEFORE_RE = re.compile(
    r"\b(?:(?:from|against|versus|(?<!more\s)(?<!less\s)(?<!fewer\s)(?<!rather\s)than|compared\s+(?:with|to))\s+(?:the\s+)?|(?:ahead\s+of|below|above|short\s+of|behind)\s+the\s+)(?:\w+(?:'s|’s)?\s+)?$",
    re.I,
)
_BASIS_BEFORE_RE = re.compile(
    r"\b(?:from|against|versus|(?<!more\s)(?<!less\s)(?<!fewer\s)(?<!rather\s)than|compared\s+(?:with|to))\s+(?:\w+(?:'s|’s)?\s+)?$",
    re.I,
)
_SALES_WORD_RE = re.compile(r"\bsales\b", re.I)
_GOODS_WORD_RE = re.compile(
    r"\b(?:units|cars|phones|smartphones|handsets|copies|vehicles|trucks|suvs)\b"
    r"|\b(?:vehicle|car|truck|suv|sedan|auto|phone|smartphone|handset|pc|tablet|console|iphone)"
    r"\s+(?:sales|shipments|deliveries)\b",
    re.I,
)
_MOVE_VERB_RE = re.compile(
    r"\b(?:rose|fell|up|down|grew|jumped|increased|decreased|dropped|slumped|climbed)\b", re.I
)
# "in", or a relative clause of the figure's own ("the 27.8 million it added in the whole of")
_OWN_PREPOSITION_GAP_RE = re.compile(
    r"\s*(?:(?:it|they|the\s+company|that|which)\s+(?:had\s+)?\w+(?:ed|ld|nt|ok|de)\s+)?(?:(?:in|during|for|over)\s+(?:the\s+(?:whole|course|rest)\s+of\s+)?)?"
)
_SINCE_RE = re.compile(r"\bsince\b")
_PAST_VERB_AFTER_RE = re.compile(r"^\s+\w+ed\b")
_HERE_AND_RE = re.compile(r"here\s+and\s+$")
_SINCE_IN_CLAUSE_RE = re.compile(r"^[^,;]*\bsince\b")
_POSSESSIVE_END_RE = re.compile(r"\b(?:its|their)\s*$")
_MAIN_ANAPHOR_RE = re.compile(r"the\s+(?:company|firm|group|upstart)", re.I)
_MAIN_ANAPHOR_END_RE = re.compile(r"the\s+(?:company|firm|group|upstart)$")
_PLACE_PREPOSITION_BEFORE_RE = re.compile(r"\b(?:in|across|within|throughout|of)\s+(?:the\s+)?$")
_DEMONYM_NOUN_AFTER_RE = re.compile(
    r"^\s+(?:market|sales|homes|households|users|consumers|workforce|customers|people|revenue)"
)
