"""The spec's *Conventions for hard cases*, one behaviour per test."""

from __future__ import annotations

import pytest

from figures import extract


def _one(text: str, surface: str, published: str = "2005-02-10"):
    figures = extract(text, published=published)
    found = [f for f in figures if f.surface == surface]
    assert found, f"no {surface!r} in {[f.surface for f in figures]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("Shares fell 1% to 510.75 pence in London.", "510.75 pence", 5.1075, "GBP"),
        ("The board declared 31p a share.", "31p", 0.31, "GBP"),
        ("It raised its dividend to 40 euro cents.", "40 euro cents", 0.4, "EUR"),
    ],
)
def test_minor_currency_units_convert_to_the_main_unit(text, surface, value, unit):
    figure = _one(text, surface)
    assert (figure.value, figure.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("More than a third of the population can receive it.", "a third", 33.33),
        ("By the end of 2004, almost three-quarters of messages were junk.", "three-quarters", 75),
        ("The firm fired about half of its staff.", "half", 50),
        ("In 2004 one in 16 messages was infected.", "one in 16", 6.25),
        ("According to Microsoft, nine out of 10 members played.", "nine out of 10", 90),
    ],
)
def test_fractions_in_words_are_percent_figures(text, surface, value):
    figure = _one(text, surface)
    assert (figure.value if figure.value > 0 else -figure.value, figure.unit) == (value, "percent")


def test_a_multiplier_with_a_number_is_a_times_figure():
    rose = _one("Phishing has risen more than tenfold in 2004.", "tenfold")
    assert (rose.value, rose.unit, rose.measure, rose.qualifier) == (
        10,
        "times",
        "change",
        "at_least",
    )
    many = _one("Almost five times as many people signed up.", "five times")
    assert (many.value, many.unit, many.measure, many.qualifier) == (5, "times", "level", "approx")


def test_double_and_twice_name_no_number():
    assert (
        extract("Sales more than doubled and profit rose twice as fast.", published="2005-01-01")
        == []
    )


@pytest.mark.parametrize(
    ("text", "surface", "low", "high", "unit"),
    [
        ("An HIV prevalence of 10-19% was found.", "10-19%", 10, 19, "percent"),
        ("Creditors may freeze 20-30bn rupiah.", "20-30bn rupiah", 20e9, 30e9, "IDR"),
        ("Games cost £30 to £40 each.", "£30 to £40", 30, 40, "GBP"),
        (
            "TNT expects between 700,000 and one million boxes to be sold.",
            "700,000 and one million boxes",
            7e5,
            1e6,
            "count",
        ),
    ],
)
def test_ranges_are_one_figure_from_first_to_last_number(text, surface, low, high, unit):
    figure = _one(text, surface)
    assert (figure.value, figure.value_high, figure.unit, figure.qualifier) == (
        low,
        high,
        unit,
        "range",
    )


def test_from_x_to_y_is_two_figures_not_a_range():
    figures = extract("Bonus rates were cut from 2.5% to 2%.", published="2005-02-15")
    assert [(f.value, f.value_high) for f in figures] == [(2.5, None), (2, None)]


@pytest.mark.parametrize(
    ("text", "published", "period"),
    [
        ("It warned of annual losses of £6m for the year to 31 July.", "2004-10-29", "FY2004"),
        ("Profit in its current financial year to March 2005 will be £5m.", "2004-11-01", "FY2005"),
        ("Revenue for 2024/2025 was $3bn.", "2025-06-01", "FY2025"),
    ],
)
def test_fiscal_years_are_named_by_the_year_they_end(text, published, period):
    figures = extract(text, published=published)
    assert figures and figures[0].period == period


def test_now_gives_the_publication_date():
    figure = _one("Now Vodafone has 14m customers.", "14m customers", published="2005-03-01")
    assert figure.period == "2005-03-01"


def test_an_equivalent_in_parentheses_is_folded_into_one_figure():
    figures = extract(
        "Net income fell to 537m euros ($701m; £371m) during 2004.", published="2005-02-23"
    )
    assert len(figures) == 1
    assert [(e.value, e.unit) for e in figures[0].equivalents] == [(701e6, "USD"), (371e6, "GBP")]


def test_changes_are_signed_and_losses_are_negative_profit():
    drop = _one("Heineken saw its annual profits drop 33%.", "33%", published="2005-02-23")
    assert (drop.value, drop.measure, drop.metric, drop.entity) == (
        -33,
        "change",
        "profit",
        "Heineken",
    )
    loss = _one("Argonaut warned of annual losses of £6m.", "£6m", published="2004-10-29")
    assert (loss.value, loss.metric, loss.modality) == (-6e6, "profit", "target")


@pytest.mark.parametrize(
    "text",
    [
        "The two firms met in 2012, on July 7, the fourth time.",
        "Heineken and Carlsberg, two of the world's largest brewers, met.",
        "One analyst said the Mi 6 was number one.",
        "It will grow over the next 12 months and in the past three years.",
        "Thousands of engineers work there.",
        "A three year funding program began.",
    ],
)
def test_not_figures(text):
    assert extract(text, published="2005-01-01") == []


def test_every_figure_names_its_rule():
    figures = extract("Xiaomi sold 18.7 million phones, up 70% to $4bn.", published="2014-01-05")
    assert figures and all(f.rule and "." in f.rule for f in figures)


def test_a_table_row_takes_its_meaning_from_headers_and_label():
    text = (
        "Huawei shipped more smartphones than Apple in the second quarter, Canalys said.\n\n"
        "## Q2 2018 vendor estimates\n\n"
        "| Vendor | Shipments | Share | Change year on year |\n"
        "|---|---|---|---|\n"
        "| Samsung | 71.5 million | 20.9% | -10.4% |\n"
    )
    figures = {f.surface: f for f in extract(text, published="2018-08-02")}
    units, share, change = figures["71.5 million"], figures["20.9%"], figures["-10.4%"]
    assert (units.metric, units.entity, units.period) == ("shipments", "Samsung", "2018-Q2")
    assert (share.metric, share.measure) == ("market_share", "share")
    assert (change.value, change.measure, change.change_basis, change.metric) == (
        -10.4,
        "change",
        "yoy",
        "shipments",
    )


@pytest.mark.parametrize(
    ("text", "published", "period"),
    [
        ("Xiaomi sold 23.16 million phones in Q2.", "2017-07-07", "2017-Q2"),
        ("Revenue in the first half of the year rose 28%.", "2017-07-07", "2017-H1"),
        ("Profit in the six months to June was £3m.", "2005-08-01", "2005-H1"),
        ("Sales rose 5% in the three months to September 2004.", "2005-01-10", "2004-Q3"),
        ("Shipments in April to June reached 23.4 million units.", "2017-07-07", "2017-Q2"),
        ("The firm had 123 stores as of July 7.", "2017-07-07", "2017-07-07"),
        ("It aims to reach 10,000 sites by March 2005.", "2004-11-01", "2005-03"),
        ("Sales fell 2.8% last year.", "2005-02-10", "2004"),
    ],
)
def test_periods_resolve_against_the_publication_date(text, published, period):
    figures = extract(text, published=published)
    assert figures and figures[0].period == period
