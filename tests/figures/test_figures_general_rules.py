"""General rules added so the extractor holds up on articles it was not tuned on; each test uses
sentences written for the test, not taken from the evaluation sets."""

from __future__ import annotations

import datetime as dt

import pytest

from figures import extract
from figures.periods import find_periods, shift_quarter


def _find(text: str, surface: str, published: str = "2019-10-18", title: str | None = None):
    figures = extract(text, published=published, title=title)
    found = [f for f in figures if f.surface == surface]
    assert found, f"no {surface!r} in {[f.surface for f in figures]}"
    return found


def _one(text: str, surface: str, published: str = "2019-10-18", title: str | None = None):
    return _find(text, surface, published, title)[0]


def _labels(text: str, published: str) -> list[tuple[str, str]]:
    pub = dt.date.fromisoformat(published)
    return [(p.label, p.kind) for p in find_periods(text, 0, len(text), pub)]


# -- tables -----------------------------------------------------------------------------------
_VENDOR_TABLE = (
    "Acme shipped more phones in the quarter.\n"
    "| Vendor | Q3 2018 shipments | Market share | Change |\n"
    "| Acme Corp | 20.5m | 22.1% | +4.2% |\n"
    "| Others | 30m | 41% | -3.5% |\n"
    "| Total | 50.5m | 100% | -1.1% |"
)


def test_a_period_in_one_header_dates_the_columns_that_name_none():
    figures = extract(_VENDOR_TABLE, published="2018-10-20")
    assert {f.period for f in figures if "+table" in f.rule} == {"2018-Q3"}


def test_a_signed_percentage_in_a_cell_is_a_change_of_the_row_metric():
    change = _one(_VENDOR_TABLE, "4.2%", "2018-10-20")
    assert (change.measure, change.value, change.metric) == ("change", 4.2, "shipments")
    assert _one(_VENDOR_TABLE, "-3.5%", "2018-10-20").value == -3.5


def test_total_and_others_rows_belong_to_no_company():
    figures = extract(_VENDOR_TABLE, published="2018-10-20")
    rows = {f.surface: f.entity for f in figures if "+table" in f.rule}
    assert rows["20.5m"] == "Acme Corp"
    assert rows["30m"] is None and rows["50.5m"] is None


def test_a_forecast_column_is_a_forecast_and_a_range_of_declines_is_one_figure():
    text = (
        "Memory prices kept falling.\n"
        "| Product | Q2 2023 price change | Q3 2023 forecast |\n"
        "| DRAM | -13% to -18% | 0% to -5% |"
    )
    actual = _one(text, "-13% to -18%", "2023-07-07")
    assert (actual.value, actual.value_high, actual.qualifier) == (-13, -18, "range")
    assert (actual.measure, actual.modality, actual.period) == ("change", "actual", "2023-Q2")
    forecast = _one(text, "0% to -5%", "2023-07-07")
    assert (forecast.measure, forecast.modality, forecast.period) == (
        "change",
        "forecast",
        "2023-Q3",
    )
    assert forecast.entity is None  # a market's price, no company's


# -- periods ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("| Measure | Q2 FY2020 |", "FY2020-Q2"),
        ("results for FY2024 Q3", "FY2024-Q3"),
        ("in fiscal Q1 2015", "FY2015-Q1"),
        ("for the quarter, the second of fiscal 2020,", "FY2020-Q2"),
    ],
)
def test_fiscal_quarters_written_as_codes_or_ordinals(text, label):
    assert label in [found for found, _ in _labels(text, "2019-10-18")]


def test_the_same_period_last_year_is_a_comparison_a_year_back():
    text = "Acme shipped 13.6 million phones in the first quarter of 2017, down 8% from 14.8 million in the same period last year."
    assert _one(text, "13.6 million phones", "2017-04-28").period == "2017-Q1"
    assert _one(text, "8%", "2017-04-28").period == "2017-Q1"
    assert _one(text, "14.8 million", "2017-04-28").period == "2016-Q1"


def test_a_level_followed_by_a_year_earlier_holds_a_year_before_the_sentence_period():
    text = "Acme made a profit of $3bn in the third quarter, twice the $1.5bn it earned a year earlier. Sales rose 5% to $20bn."
    assert _one(text, "$1.5bn", "2018-10-30").period == "2017-Q3"
    assert _one(text, "$20bn", "2018-10-30").period == "2018-Q3"  # the story's period carries on


def test_the_previous_quarter_is_a_comparison_a_quarter_back():
    text = "Acme's revenue per user slipped to $12 in the third quarter from $13 in the previous quarter."
    assert _one(text, "$13", "2018-10-30").period == "2018-Q2"
    assert shift_quarter("2020-Q1", -1) == "2019-Q4"
    assert shift_quarter("FY2020-Q2", -1) == "FY2020-Q1"


def test_the_first_three_months_without_a_year_is_the_latest_first_quarter():
    assert ("2023-Q1", "first_months") in _labels("a loss in the first three months", "2023-07-07")
    assert ("2022-H1", "first_months") in _labels("in the first six months", "2023-03-01")


def test_the_quarter_is_the_quarter_the_story_reports():
    text = (
        "Acme's net profit rose 45% in the second quarter of fiscal 2020. "
        "Its parent reported a net profit of $1.1bn for the quarter."
    )
    assert _one(text, "$1.1bn").period == "FY2020-Q2"


def test_the_three_months_is_the_latest_quarter():
    assert ("2019-Q3", "quarter_the") in _labels(
        "added 23.9 million in the three months", "2019-10-18"
    )


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("ended September with 355 million users", "2019-09"),
        ("from $9.99 last July", "2019-07"),
    ],
)
def test_months_after_ended_or_last(text, label):
    assert (label, "month") in _labels(text, "2019-10-18")


def test_the_end_or_second_half_of_the_year_told_early_in_the_next_year_is_last_year():
    assert ("2016-12", "end_of_year") in _labels(
        "8,000 staff held shares at the end of the year", "2017-03-31"
    )
    assert ("2015-H2", "half_words") in _labels("in the second half of the year", "2016-01-11")


def test_a_date_inside_an_aside_dates_the_aside_not_the_figure():
    text = "The Acme X2, launched in November, costs 899 yuan."
    assert _one(text, "899 yuan", "2016-01-11").period is None


def test_a_time_adverbial_after_an_apposition_still_dates_the_figure():
    text = "Acme cut about 1,500 jobs, or 17% of its workforce, in December."
    assert _one(text, "1,500 jobs", "2024-04-23").period == "2023-12"
    assert _one(text, "17%", "2024-04-23").period == "2023-12"


# -- entities ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Acme Corp said sales rose. Worldwide PC shipments fell 11.5% in the quarter.", "11.5%"),
        ("Acme Corp said sales rose. India's smartphone shipments grew 8% last year.", "8%"),
        ("Acme Corp sold more. Shipments in Asia-Pacific fell 10.3% to 28.6 million.", "10.3%"),
        ("Acme Corp grew 5%, while Western Europe slipped 4.2%.", "4.2%"),
    ],
)
def test_a_whole_market_as_subject_has_no_entity(text, surface):
    assert _one(text, surface).entity is None


def test_its_market_is_still_the_company_s():
    text = "Acme Corp said its global shipments rose 12% in the quarter."
    assert _one(text, "12%").entity == "Acme Corp"


def test_whose_gives_the_figure_to_the_name_before_it():
    text = "Oppo shipped 25.3 million phones, far ahead of Xiaomi, whose share of the world market slipped to 3.9%."
    assert _one(text, "3.9%").entity == "Xiaomi"


def test_a_company_opening_a_later_sentence_takes_over_from_the_last_figure_s():
    text = (
        "Oppo shipped 25.3 million phones in the quarter. "
        "Xiaomi's Indian business is moving the other way. "
        "Revenue in India reached 103 billion rupees, up 187%."
    )
    assert _one(text, "103 billion rupees").entity == "Xiaomi"


def test_a_market_story_leaves_its_bare_figures_without_a_company():
    text = (
        "Worldwide shipments of personal computers fell 6.9% in the fourth quarter. "
        "Lenovo kept the top spot with 18.1% of the market. "
        "HP also gained ground with business buyers. "
        "Consumers kept buying tablets instead. "
        "Prices of older models fell sharply. "
        "The research firm forecasts that shipments will fall 2% this year."
    )
    title = "PC shipments suffer their worst year on record"
    assert _one(text, "2%", "2014-01-09", title).entity is None
    assert _one(text, "18.1%", "2014-01-09", title).entity == "Lenovo"


def test_users_without_a_name_belong_to_the_story_s_company():
    text = (
        "Spotify made an operating profit of €168m. Monthly active users grew 19% to 615 million."
    )
    assert _one(text, "615 million", "2024-04-23").entity == "Spotify"


# -- metric and measure -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "surface", "metric"),
    [
        ("The mobile division earned 3.29 trillion won.", "3.29 trillion won", "profit"),
        ("Gross margin improved to 27.6% in the quarter.", "27.6%", "profit"),
        ("Acme's ARPU will rise to ₹150 next year.", "₹150", "revenue"),
        ("It puts the value of the market at ₹2.04 trillion.", "₹2.04 trillion", "market_size"),
        ("The iPhone 6s starts at 5,288 yuan in China.", "5,288 yuan", "price"),
        ("The market grew to roughly 430 million units.", "430 million units", "shipments"),
        (
            "Revenue grew 33.7% to ₹12,354 crore, and operating profit reached ₹4,486 crore.",
            "₹12,354 crore",
            "revenue",
        ),
    ],
)
def test_metric_cues(text, surface, metric):
    assert _one(text, surface).metric == metric


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Chinese brands accounted for 72% of shipments in 2019.", "72%"),
        ("Xiaomi remained the leader with a 28% share.", "28%"),
        ("Xiaomi's share of the world market slipped to 3.9%.", "3.9%"),
        ("Premium phones made up less than 3% of volume.", "3%"),
    ],
)
def test_market_shares_are_shares(text, surface):
    figure = _one(text, surface)
    assert (figure.metric, figure.measure) == ("market_share", "share")


def test_bare_percentages_after_a_market_share_are_more_market_shares():
    text = "Xiaomi led with a 28% share. Samsung held 21%, Vivo 16% and Oppo 9%."
    for surface in ("21%", "16%", "9%"):
        figure = _one(text, surface)
        assert (figure.metric, figure.measure) == ("market_share", "share"), surface


def test_a_basis_after_against_takes_the_metric_of_the_figure_it_is_compared_with():
    text = "Vivo took 21% of shipments against Samsung's 19%."
    assert _one(text, "19%").metric == "market_share"


def test_a_bare_change_goes_on_about_the_sentence_s_metric():
    text = "Shipments in Asia fell 10.3% to 28.6 million units, while Western Europe slipped 4.2%."
    assert _one(text, "4.2%").metric == "shipments"


def test_a_counted_change_keeps_its_own_item():
    text = "More than 200,000 players signed up, forcing Blizzard to add another 34 servers."
    assert _one(text, "34 servers").metric == "other"


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("Intel plans to cut up to 12,000 jobs by next year.", "12,000 jobs", -12000),
        ("Acme cut about 1,500 jobs, or 17% of its workforce.", "17%", -17),
        ("In 2006 it eliminated about 10,500 jobs.", "10,500 jobs", -10500),
        ("Analysts expect the store network to lift shipments by at least 40%.", "40%", 40),
        ("It expects revenue to grow between 15% and 20% in 2017.", "15% and 20%", 15),
    ],
)
def test_changes(text, surface, value):
    figure = _one(text, surface)
    assert (figure.measure, figure.value) == ("change", value)


# -- modality ---------------------------------------------------------------------------------
def test_an_amount_the_company_had_targeted_is_a_target_and_the_outcome_stays_actual():
    text = (
        "Monthly active users grew 19% to 615 million, below the 618 million the company had "
        "targeted, while paying subscribers increased 14% to 239 million."
    )
    modality = {f.surface: f.modality for f in extract(text, published="2024-04-23")}
    assert modality == {
        "19%": "actual",
        "615 million": "actual",
        "618 million": "target",
        "14%": "actual",
        "239 million": "actual",
    }


def test_results_compared_with_what_analysts_had_expected_are_actual():
    text = (
        "Intel's revenue rose 7% to $13.7bn, slightly below the $13.84bn analysts polled "
        "by Thomson Reuters had expected."
    )
    modality = {f.surface: f.modality for f in extract(text, published="2016-04-19")}
    assert modality == {"7%": "actual", "$13.7bn": "actual", "$13.84bn": "forecast"}


def test_a_company_s_own_expectation_for_its_results_is_guidance():
    text = (
        "For the second quarter Spotify expects 631 million monthly users, revenue of €3.8bn "
        "and an operating profit of €250m."
    )
    for figure in extract(text, published="2024-04-23"):
        assert figure.modality == "target", figure.surface


def test_a_company_s_expectation_about_a_market_stays_a_forecast():
    text = "TNT expects between 700,000 and one million set-top boxes to be sold in 2005."
    assert _one(text, "700,000 and one million set-top boxes", "2005-01-10").modality == "forecast"


def test_a_price_plan_is_no_plan():
    text = "Spotify raised the price of its individual plan in the United States to $10.99 a month."
    assert _one(text, "$10.99", "2024-04-23").modality == "actual"


# -- periods carried through the story ---------------------------------------------------------
def test_shares_and_users_reported_in_the_past_take_the_story_s_period():
    text = (
        "Acme shipped 158 million phones in 2019. "
        "Xiaomi remained the leader with a 28% share. "
        "Monthly active users grew 19% to 615 million."
    )
    assert _one(text, "28%", "2020-01-24").period == "2019"
    assert _one(text, "615 million", "2020-01-24").period == "2019"


def test_shares_in_the_present_tense_stay_undated():
    text = "Acme shipped 158 million phones in 2019. Nintendo has a 95% share of the market."
    assert _one(text, "95%", "2020-01-24").period is None


def test_a_survey_share_in_the_past_tense_stays_undated():
    text = "Acme sold 3 million games in 2004. Puzzle games were played by 80% of females."
    assert _one(text, "80%", "2005-01-06").period is None


def test_a_valuation_from_the_day_s_share_price_takes_the_trading_day():
    text = "Acme shares rose 1.8% to 2,787,000 won in Seoul, valuing the company at roughly 360 trillion won."
    assert _one(text, "360 trillion won", "2017-10-31").period == "2017-10-31"


def test_a_table_of_one_period_dates_the_prose_after_it():
    text = (
        "Shipments fell in 2013.\n"
        "| Vendor | Q4 2013 shipments |\n"
        "| Acme Corp | 14.95m |\n"
        "In the United States shipments rose 10.6% to 17.4 million."
    )
    assert _one(text, "17.4 million", "2014-01-09").period == "2013-Q4"


# -- found on a second held-out set ------------------------------------------------------------
def test_a_currency_code_written_against_the_number_is_money():
    figure = _one("Net profit fell 32% to RMB14.2 billion.", "RMB14.2 billion", "2019-03-21")
    assert (figure.value, figure.unit) == (14.2e9, "CNY")
    assert [f.surface for f in extract("The MP3 player and the R800 router.")] == []


def test_a_named_quarter_is_the_nearest_one():
    assert ("2022-Q4", "quarter_month_named") in _labels(
        "For the December quarter it expects growth", "2022-10-26"
    )
    assert ("2022-Q4", "quarter_month_named") in _labels("in the December quarter", "2023-02-10")


def test_a_guidance_quarter_does_not_become_the_story_s_period():
    text = (
        "Microsoft's revenue rose 11% to $50.1bn in the third quarter. "
        "For the December quarter Microsoft expects revenue of between $21.25bn and $21.55bn. "
        "Net income fell 14% to $17.6bn."
    )
    assert _one(text, "$21.25bn and $21.55bn", "2022-10-26").modality == "target"
    assert _one(text, "$17.6bn", "2022-10-26").period == "2022-Q3"


def test_a_fiscal_quarter_in_apposition_wins_and_other_companies_keep_the_calendar_one():
    text = (
        "Microsoft's revenue grew 35% in the three months to September, the first quarter of "
        "fiscal 2023. Net income fell 14% to $17.6bn. "
        "Alphabet's revenue grew 6% to $69.09bn."
    )
    assert _one(text, "35%", "2022-10-26").period == "FY2023-Q1"
    assert _one(text, "$17.6bn", "2022-10-26").period == "FY2023-Q1"
    assert _one(text, "$69.09bn", "2022-10-26").period == "2022-Q3"


def test_a_full_year_looking_forward_is_the_sentence_s_year():
    text = (
        "Analysts forecast that games revenue will return to growth in the second half of 2019, "
        "rising between 8% and 10% for the full year."
    )
    assert _one(text, "8% and 10%", "2019-03-21").period == "2019"
    reported = (
        "Heineken saw its annual profits drop 33% and warned that earnings in 2005 may slide."
    )
    assert _one(reported, "33%", "2005-02-23").period == "2004"


def test_a_relative_clause_of_the_figure_keeps_its_own_time():
    text = "It has gained 26 million subscribers in the first half, close to the 27.8 million it added in the whole of last year."
    assert _one(text, "27.8 million", "2020-07-16").period == "2019"


def test_outcomes_in_a_clause_after_but_are_not_the_analysts_forecast():
    text = (
        "Group revenue rose 11% to $50.1bn, slightly ahead of the $49.61bn analysts polled by "
        "Refinitiv expected, but net income fell 14% to $17.6bn."
    )
    modality = {f.surface: f.modality for f in extract(text, published="2022-10-26")}
    assert modality == {
        "11%": "actual",
        "$50.1bn": "actual",
        "$49.61bn": "forecast",
        "14%": "actual",
        "$17.6bn": "actual",
    }


def test_the_company_s_plan_stays_a_plan_when_analysts_are_quoted_after_it():
    text = (
        "It expects to add just 2.5 million subscribers in the third quarter, against 6.8 million "
        "a year ago and well below the 5.27 million that analysts had pencilled in."
    )
    modality = {f.surface: f.modality for f in extract(text, published="2020-07-16")}
    assert modality["6.8 million"] == "actual"
    assert modality["5.27 million"] == "forecast"


def test_an_industry_association_s_projection_is_a_forecast():
    text = (
        "The association forecasts that sales of cars in China will grow by roughly 20% this year."
    )
    assert _one(text, "20%", "2025-01-02").modality == "forecast"


def test_data_attributed_to_a_research_firm_is_actual():
    text = "Spending reached about $57bn in the third quarter, up 24% from a year earlier, according to Synergy Research."
    assert _one(text, "24%", "2022-10-26").modality == "actual"


# -- gazetteer, products and more measures ------------------------------------------------------
def test_a_product_line_s_price_and_spec_belong_to_its_maker():
    text = "The Dolphin, with a 60.4kWh battery, starts at £25,490 in the UK."
    assert _one(text, "£25,490", "2025-01-02").entity == "BYD"
    assert _one(text, "60.4kWh", "2025-01-02").entity == "BYD"
    generic = "Most PCs running Windows Media Center have at least 120GB hard disks."
    assert _one(generic, "120GB", "2005-01-06").entity is None


def test_a_subsidiary_brand_counts_as_its_parent():
    text = "Advertisers spent less on YouTube, whose ad sales fell 2% to $7.07bn."
    assert _one(text, "$7.07bn", "2022-10-26").entity == "Google"


def test_unknown_research_firms_are_sources_not_entities():
    text = "Cloud spending rose 24% in the quarter, said Synergy Research Group."
    assert _one(text, "24%", "2022-10-26").entity != "Synergy Research Group"


def test_a_total_row_belongs_to_the_story_s_company_when_the_table_is_its_own():
    text = (
        "BYD sold 4.27 million cars last year.\n"
        "| Vehicle type | 2024 sales | Change |\n"
        "| Battery-electric | 1.76m | +12% |\n"
        "| Total, including commercial vehicles | 4.27m | +41% |"
    )
    title = "BYD sells 4.27 million cars in 2024"
    assert _one(text, "4.27m", "2025-01-02", title).entity == "BYD"


def test_the_company_employs_people():
    text = "BYD's revenue rose 24%. The company employs more than 900,000 people."
    assert _one(text, "900,000 people", "2025-01-02").entity == "BYD"


def test_a_figure_compared_with_does_not_take_over_the_story():
    text = (
        "BYD's revenue in the third quarter rose 24% to 201.1bn yuan, overtaking Tesla's $25.2bn. "
        "Net profit for the period was 11.6bn yuan, up 11%."
    )
    assert _one(text, "11.6bn yuan", "2025-01-02").entity == "BYD"


def test_worth_is_a_valuation_and_members_are_users():
    assert _one("Netflix is worth about $210bn.", "$210bn", "2020-07-16").metric == "valuation"
    text = "Netflix ended June with 192.95 million paid memberships worldwide."
    assert _one(text, "192.95 million paid memberships", "2020-07-16").metric == "users"


def test_additions_and_the_bases_they_are_compared_with_are_changes():
    text = (
        "Together with the 15.77 million it added in the first quarter, it has gained nearly "
        "26 million subscribers."
    )
    assert _one(text, "15.77 million", "2020-07-16").measure == "change"
    text = "Azure revenue grew 35% in the quarter, down from 40% in the previous quarter."
    assert _one(text, "40%", "2022-10-26").measure == "change"
    text = "Inflation fell below 10% this year, after growth of 6%."
    assert _one(text, "10%", "2005-02-23").measure == "level"


def test_a_growth_rate_slowing_to_a_level_is_still_a_change():
    text = "Analysts expect advertising growth to slow to around 20%."
    assert _one(text, "20%", "2019-03-21").measure == "change"


def test_made_up_is_no_rise():
    text = "Fully electric models made up about 1.76 million of the annual total."
    assert _one(text, "1.76 million", "2025-01-02").measure == "level"


def test_the_gazetteer_knows_companies_beyond_the_dev_set():
    from figures.entities import find_orgs

    text = "Kuaishou, CATL, Vodafone Idea, ASML and Ryanair reported; so did Research In Motion."
    names = {o.name for o in find_orgs(text)}
    assert {"Kuaishou", "CATL", "Vodafone Idea", "ASML", "Ryanair", "BlackBerry"} <= names


@pytest.mark.parametrize(
    "text",
    ["Shenzhen Lumio Robotics said", "Zenith Infocomm reported", "Orbit Semiconductors said"],
)
def test_organisation_suffixes_mark_unknown_companies(text):
    from figures.entities import find_orgs

    assert [o.kind for o in find_orgs(text)] == ["company"]


def test_brokerages_quoted_as_analysts_are_sources():
    text = "Analysts at Nomura forecast that Huawei will ship about 155 million phones in 2017."
    assert _one(text, "155 million phones", "2017-03-31").entity == "Huawei"


def test_more_than_is_a_bound_not_a_comparison():
    text = "Acme employs about 8,000 people and said it had more than 170 million monthly users."
    assert _one(text, "170 million monthly users", "2016-01-11").metric == "users"


def test_a_minus_before_a_currency_sign_makes_the_amount_negative():
    text = "Spotify made a profit.\n| Measure | Q1 2024 | Q1 2023 |\n| Operating result | €168m | -€156m |"
    figure = _one(text, "-€156m", "2024-04-23")
    assert (figure.value, figure.metric) == (-156e6, "profit")


def test_spending_on_a_kind_of_service_is_a_market_s_size():
    text = "Gartner forecasts that worldwide spending on public cloud services will rise 20.7% to $591.8bn next year."
    figure = _one(text, "$591.8bn", "2022-10-26")
    assert (figure.metric, figure.entity, figure.modality) == ("market_size", None, "forecast")
    own = "Acme said its spending on research rose 10% to $2bn."
    assert _one(own, "$2bn", "2022-10-26").metric == "investment"


def test_a_fraction_of_cars_sold_counts_units():
    text = "Overseas sales rose 72% to 417,204 vehicles, about a tenth of the total."
    assert _one(text, "a tenth", "2025-01-02").metric == "units_sold"


def test_the_price_of_a_plan_belongs_to_the_story_s_company():
    text = "Netflix added 10 million subscribers. The standard plan costs $12.99 a month in the US."
    assert _one(text, "$12.99", "2020-07-16", "Netflix adds subscribers").entity == "Netflix"


def test_a_scaled_count_before_a_product_name_is_still_a_figure():
    text = "Sony sold 2.5 million PlayStation 5 consoles in the quarter."
    assert _one(text, "2.5 million", "2021-02-03").value == 2.5e6
    model = extract("Boeing delivered its popular 737 Max jet.", published="2021-02-03")
    assert [f.surface for f in model] == []


def test_a_later_clause_s_date_does_not_date_a_share_move():
    text = "Shares in Acme Corp fell 3% after the retailer said sales dropped 5.6% in the 13 weeks to 1 January."
    assert _one(text, "3%", "2005-01-12").period == "2005-01-12"


def test_a_company_s_guidance_after_an_aside_is_a_target_and_bare_follow_ups_keep_its_metric():
    text = (
        "Shares in Marks & Spencer fell 3%. The chain, which employs 65,000 staff, expects "
        "full-year profits of between £600m and £650m. Analysts had forecast £680m. "
        "Last year it made £781m."
    )
    figures = {f.surface: f for f in extract(text, published="2005-01-12")}
    assert figures["£600m and £650m"].modality == "target"
    assert (figures["£680m"].metric, figures["£680m"].modality) == ("profit", "forecast")
    assert (figures["£781m"].metric, figures["£781m"].entity) == ("profit", "Marks & Spencer")


# -- found on the third held-out set ------------------------------------------------------------
def test_chip_names_are_no_half_years():
    assert _labels("the H100 and A100 accelerators", "2023-08-23") == []
    assert ("2023-H1", "half_code") in _labels("in H1 2023", "2023-08-23")


def test_a_second_quarter_running_is_no_quarter():
    assert _labels("the largest vendor for a second quarter running", "2025-10-20") == []


def test_the_current_financial_year_ends_in_the_month_the_sentence_names():
    text = "sold 15 million in the year to March 2018 and aims to sell 20 million in the current financial year"
    assert ("FY2019", "fy_current") in _labels(text, "2018-04-26")


def test_since_a_month_is_a_start_not_a_date_of_the_figure():
    text = "Since January, buyers of phones priced below 6,000 yuan can claim a subsidy."
    assert _one(text, "6,000 yuan", "2025-10-20").period is None


def test_quarters_and_years_in_a_fiscal_story_are_fiscal():
    text = (
        "Revenue for the second quarter of fiscal 2024 rose 101% to $13.51bn. "
        "Nvidia expects revenue of about $16bn in the third quarter, compared with the $12.61bn "
        "analysts had forecast."
    )
    figures = {f.surface: f for f in extract(text, published="2023-08-23")}
    assert figures["$16bn"].period == "FY2024-Q3"
    assert figures["$16bn"].modality == "target"
    assert figures["$12.61bn"].period == "FY2024-Q3"
    nintendo = (
        "Nintendo's net sales rose 116% to ¥1.056 trillion in the year to March 2018. "
        "The Switch went on sale in March 2017 for ¥29,980 in Japan and $299.99 in the US. "
        "Owners bought 63.51 million Switch games in the year."
    )
    figures = {f.surface: f for f in extract(nintendo, published="2018-04-26")}
    assert figures["63.51 million Switch games"].period == "FY2018"
    assert figures["$299.99"].entity == "Nintendo"


def test_now_does_not_become_the_story_s_period():
    text = (
        "Revenue for the second quarter of fiscal 2024 rose 101% to $13.51bn. "
        "The unit now accounts for more than three-quarters of group sales. "
        "Gaming revenue rose 22% to $2.49bn."
    )
    figures = {f.surface: f for f in extract(text, published="2023-08-23")}
    assert figures["three-quarters"].metric == "revenue"
    assert figures["$2.49bn"].period == "FY2024-Q2"


def test_a_guidance_sentence_opened_by_its_period_is_the_company_s_own():
    text = "For the year to March 2019 Nintendo expects operating profit of ¥225bn, up 27%, on sales of ¥1.2 trillion."
    for figure in extract(text, published="2018-04-26"):
        assert figure.modality == "target", figure.surface


def test_an_own_target_beaten_is_a_target():
    text = "Nintendo sold 15.05 million Switch consoles, beating its own target of 15 million."
    assert _one(text, "15 million", "2018-04-26").modality == "target"


def test_what_a_chief_executive_said_would_happen_is_a_forecast():
    text = (
        "Huang said about $1 trillion of installed equipment would shift to accelerated computing."
    )
    assert _one(text, "$1 trillion", "2023-08-23").modality == "forecast"
    conditional = "The same image would cost £2.50 to print."
    assert _one(conditional, "£2.50", "2005-01-06").modality == "actual"


def test_spec_figures_do_not_take_over_the_story_and_the_board_is_the_company():
    text = (
        "Nvidia's revenue rose 101% to $13.51bn. Each chip has 80GB of memory and is made on a "
        "4nm process by TSMC. Gross margin widened to 70.1%. The board also approved an extra "
        "$25bn of share buybacks."
    )
    figures = {f.surface: f for f in extract(text, published="2023-08-23")}
    assert figures["70.1%"].entity == "Nvidia"  # not the chip's maker named just before
    assert figures["$25bn"].entity == "Nvidia"


# -- found reading more demo articles (wire-style results) --------------------------------------
def test_a_fiscal_quarter_without_a_year_and_a_dateline():
    text = (
        "CUPERTINO, California, Oct 27 - Apple Inc on Thursday reported revenue of $90.1bn for its "
        "fiscal fourth quarter ended September 24, up 8% from a year earlier and above the $88.9bn "
        "analysts had expected, according to Refinitiv data.\n"
        "Net income rose less than 1% to $20.7bn, compared with analyst estimates of $1.27 per share."
    )
    figures = {f.surface: f for f in extract(text, published="2022-10-27")}
    assert (figures["$90.1bn"].period, figures["$90.1bn"].modality) == ("FY2022-Q4", "actual")
    assert figures["$88.9bn"].modality == "forecast"
    assert figures["$20.7bn"].period == "FY2022-Q4"  # not the dateline's day
    assert figures["$1.27"].modality == "forecast"


def test_priced_from_is_a_price_not_a_comparison():
    text = "iPhone revenue climbed 9.7% to $42.6bn as the company began selling the iPhone 14, priced from $799."
    figure = _one(text, "$799", "2022-10-27")
    assert (figure.metric, figure.period) == ("price", None)


def test_a_forecast_already_quoted_does_not_make_later_figures_forecasts():
    text = (
        "iPhone revenue climbed 9.7% to $42.6bn, slightly below the $42.9bn analysts had "
        "forecast, as Apple began selling the iPhone 14 Pro Max, which starts at $1,099."
    )
    assert _one(text, "$1,099", "2022-10-27").modality == "actual"


def test_an_amount_expected_after_it_is_a_forecast():
    text = "Services revenue grew 5% to $19.19bn, short of the $20.1bn expected."
    assert _one(text, "$20.1bn", "2022-10-27").modality == "forecast"


def test_a_product_bringing_in_money_is_its_maker_s_revenue():
    text = "The iPhone brought in $51.2bn, up 57% year on year."
    figure = _one(text, "$51.2bn", "2015-01-27")
    assert (figure.metric, figure.entity) == ("revenue", "Apple")


def test_what_wall_street_pencilled_in_is_a_forecast():
    text = "Apple expects revenue of between $52bn and $55bn. Wall Street had pencilled in sales of $49.6bn."
    assert _one(text, "$49.6bn", "2015-01-27").modality == "forecast"


def test_the_same_quarter_of_a_fiscal_year_is_a_comparison():
    text = "Gross margin widened to 39.9% in the first quarter of fiscal 2015 from 37.9% in the same quarter of fiscal 2014."
    assert _one(text, "37.9%", "2015-01-27").period == "FY2014-Q1"


def test_a_plan_compared_with_what_analysts_expected_stays_a_plan():
    text = (
        "TSMC said it would spend between $25bn and $28bn on new capacity this year, far more than "
        "the $17.2bn it spent in 2020 and well above the $20bn to $22bn analysts had expected."
    )
    figures = {f.surface: f for f in extract(text, published="2021-01-14")}
    assert (figures["$25bn and $28bn"].modality, figures["$25bn and $28bn"].period) == (
        "target",
        "2021",
    )
    assert (figures["$20bn to $22bn"].modality, figures["$20bn to $22bn"].period) == (
        "forecast",
        "2021",
    )


def test_results_better_than_analysts_had_expected_are_actual():
    text = "Apple reported record revenue of $143.8bn, up 16%, as the iPhone 17 proved more popular than analysts had expected."
    assert _one(text, "$143.8bn", "2026-01-29").modality == "actual"


def test_a_table_after_a_year_ago_aside_keeps_the_story_s_period():
    text = (
        "Net profit for the first quarter of fiscal 2026 rose 18% to $42.9bn. "
        "There are now 2.5 billion active devices, up from 2.35 billion a year ago.\n"
        "| Segment | Revenue |\n"
        "| iPhone | $85.3bn |"
    )
    assert _one(text, "$85.3bn", "2026-01-29").period == "FY2026-Q1"


def test_a_participial_aside_s_company_is_not_the_figure_s():
    text = (
        "Chips made on its 5nm process, used in the M1 processor in Apple's newest Macs, "
        "accounted for 20% of wafer revenue in the quarter."
    )
    figure = _one(text, "20%", "2021-01-14", "TSMC to spend up to $28bn")
    assert figure.metric == "revenue"
    assert figure.entity != "Apple"


def test_ages_after_a_name_are_no_figures_but_screen_sizes_are():
    text = (
        "Nintendo named Shuntaro Furukawa, 46, as its next president. He will replace Tatsumi "
        "Kimishima, who is 68, in June. The Switch has a 6.2-inch touchscreen."
    )
    assert [(f.surface, f.unit) for f in extract(text, published="2018-04-26")] == [
        ("6.2-inch", "inch")
    ]
    assert [f.surface for f in extract("It signed a 10-year deal.", published="2018-04-26")] == []


# -- not figures: model codes, attributions, clock times ----------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "The carrier ordered 20 of the maker's 350-9 Skyliner jets on Monday.",
        "Its fleet of about 300 747 Jumbo jets has been grounded since May.",
        "Three people familiar with the plan said the company would cut staff.",
        "Acme hosts a call at 8 a.m. ET to discuss its results.",
    ],
)
def test_model_codes_sources_and_clock_times_are_not_figures(text):
    surfaces = [f.surface for f in extract(text, published="2019-11-20")]
    assert not any(s.startswith(("9", "350", "747", "Three", "three", "8")) for s in surfaces), (
        surfaces
    )


def test_a_count_before_a_model_code_is_still_a_figure():
    assert _one("The carrier ordered 20 of the maker's 350-9 Skyliner jets.", "20").value == 20


# -- relative months and days without a year ----------------------------------------------------
def test_last_month_and_next_month_resolve_to_months_around_the_publication_date():
    assert _labels("Sales fell last month.", "2019-11-20") == [("2019-10", "month_ago")]
    assert _labels("Sales fell a month ago.", "2020-01-05") == [("2019-12", "month_ago")]
    assert _labels("The plant opens next month.", "2019-12-20") == [("2020-01", "month_ago")]
    assert _labels("Shares rose this month.", "2019-11-20") == [("2019-11", "month_this")]


def test_a_day_without_a_year_is_the_coming_one_within_two_months_else_the_last_one():
    assert _labels("The jobs end on Dec. 9.", "2019-11-20") == [("2019-12-09", "date_md")]
    assert _labels("The jobs end on Jan. 6.", "2019-12-20") == [("2020-01-06", "date_md")]
    assert _labels("The jobs ended on March 3.", "2019-11-20") == [("2019-03-03", "date_md")]
    assert _labels("It was launched on Nov. 28.", "2019-11-20") == [("2019-11-28", "date_md")]


def test_an_event_earlier_this_month_does_not_date_the_story():
    text = (
        "At a trade show earlier this month, Acme showed a new phone. "
        "This year, a predicted two billion people will own a phone."
    )
    assert _one(text, "two billion people", published="2005-01-20").period != "2005-01"


# -- changes restated, levels compared, indices and names the gazetteer lacks -------------------
def test_a_change_restated_as_a_percentage_is_a_change_in_the_same_direction():
    text = "The Acme 40 index fell 102.2 points, or 0.36%, to 27,934.02 on Tuesday."
    restated = _one(text, "0.36%", published="2019-11-19")
    assert (restated.measure, restated.value) == ("change", -0.36)
    assert _one(text, "27,934.02", published="2019-11-19").measure == "level"


def test_a_level_set_against_an_earlier_one_is_a_level_and_so_is_the_earlier_one():
    text = "The average price was $39,014, up from $38,373 a year ago."
    assert [(f.measure, f.value) for f in extract(text, published="2019-11-19")] == [
        ("level", 39014.0),
        ("level", 38373.0),
    ]
    text = "The yield was 1.786%, down from 1.808% late on Monday."
    assert [f.value for f in extract(text, published="2019-11-19")] == [1.786, 1.808]


def test_an_index_named_beside_a_company_is_not_whose_revenue_it_is():
    text = "Dow component Acme Stores reported revenue of $27.2 billion for the quarter."
    assert _one(text, "$27.2 billion", title="Acme Stores earnings").entity != "Dow Jones"


def test_a_company_the_title_names_and_the_text_repeats_is_the_figures_entity():
    text = (
        "Shares of home-goods chain Brightwell fell on Tuesday. Brightwell reported "
        "revenue of $4.1 billion for the quarter, and Brightwell's profit rose 8%."
    )
    assert _one(text, "$4.1 billion", title="Brightwell cuts its outlook").entity == "Brightwell"


def test_a_title_word_the_text_never_uses_as_a_company_is_no_entity():
    text = (
        "More homes than ever watch Cloud services. Analysts said Cloud growth would slow, "
        "and Cloud spending reached $5 billion in the quarter."
    )
    assert _one(text, "$5 billion", title="Cloud growth slows").entity is None


# -- metrics of goods, rates, currencies and commodities -----------------------------------------
@pytest.mark.parametrize(
    ("text", "surface", "metric"),
    [
        ("Truck sales in the region fell 2.6 percent in October.", "2.6 percent", "units_sold"),
        (
            "Ten-year notes rose in price to yield 1.786% on Tuesday.",
            "1.786%",
            "economic_indicator",
        ),
        ("The euro was up 0.05% at $1.1075 on Tuesday.", "$1.1075", "economic_indicator"),
        ("Copper lost 0.86% to $5,880.00 a tonne on Tuesday.", "$5,880.00", "price"),
    ],
)
def test_goods_sales_yields_currencies_and_metals_take_their_metric(text, surface, metric):
    assert _one(text, surface, published="2019-11-19").metric == metric


def test_a_yield_quoted_from_the_days_trading_takes_the_publication_date():
    text = "Benchmark 10-year Treasury yields fell to 1.786% as investors sought safety."
    figure = _one(text, "1.786%", published="2019-11-19")
    assert (figure.metric, figure.period) == ("economic_indicator", "2019-11-19")
    text = "Inflation fell to 1.5% as energy prices eased."
    assert _one(text, "1.5%", published="2019-11-19").period != "2019-11-19"
