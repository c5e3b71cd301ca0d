"""A held-out set of real news articles, annotated by hand from `../shared/figures-spec.md`.

The texts are the publishers' (`../shared/corpora/article_html/ground-truth.json`), so only the
annotations live here, keyed by corpus id; `corpus_documents(shared)` reads each text at run time
and finds every figure's offsets by searching its surface in reading order. The annotations were
written and committed before the extractor ever ran on these texts, so the set measures how its
rules generalise to news it was not tuned on.

    python tests/figures/heldout/corpus_heldout.py      # prints a summary, writes nothing

Choices the spec leaves open, applied the same way across the set: source counts such as "two
people familiar with the matter" are not figures; an order or deal with no date of its own has
period null; a ticker table's unlabelled prices are in the listing's currency (USD).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

GROUND_TRUTH = Path("corpora") / "article_html" / "ground-truth.json"
M, B = 1e6, 1e9


def F(surface, value, unit, metric, entity, period, measure="level", q="exact", mod="actual",
      item=None, region=None, basis=None, hi=None, eq=()):  # fmt: skip
    """One gold figure in the spec's record shape (offsets are added by `locate`)."""
    return {
        "surface": surface, "value": value, "value_high": hi, "unit": unit, "item": item,
        "metric": metric, "measure": measure, "entity": entity, "region": region,
        "period": period, "qualifier": q, "modality": mod,
        "change_basis": (basis or "unspecified") if measure == "change" else None,
        "equivalents": [{"value": v, "unit": u} for v, u in eq],
    }  # fmt: skip


def chg(surface, value, unit, metric, entity, period, basis="unspecified", **kw):
    return F(surface, value, unit, metric, entity, period, measure="change", basis=basis, **kw)


def shr(surface, value, metric, entity, period, **kw):
    return F(surface, value, "percent", metric, entity, period, measure="share", **kw)


def cnt(surface, value, item, metric, entity, period, **kw):
    return F(surface, value, "count", metric, entity, period, item=item, **kw)


def px(surface, value, unit, entity, period, **kw):
    """A day's level of a share, index or asset."""
    return F(surface, value, unit, "share_price", entity, period, **kw)


def mv(surface, value, unit, entity, period, **kw):
    """A day's move of a share or index."""
    return chg(surface, value, unit, "share_price", entity, period, **kw)


HOUSTON, US = "Houston", "US"
CARS_DAY = "2019-11-19"
REUTERS_DAY, MONDAY = "2019-11-19", "2019-11-18"

DOCS = {
    # chron.com: Houston new car sales, October 2019
    "9ebb3af65694a953005df5bd3869b2cefc263e1dea0471e3ef361c66a264cdd3": {
        "published": CARS_DAY,
        "title": "New car sales plunge 10 percent in October",
        "figures": [
            chg("10 percent", -10, "percent", "units_sold", None, "2019-10", "yoy", region=HOUSTON),
            cnt("30,154 new cars, trucks and SUVs", 30154, "new cars, trucks and suvs", "units_sold", None, "2019-10", region=HOUSTON),
            chg("10 percent", -10, "percent", "units_sold", None, "2019-10", "yoy", region=HOUSTON),
            cnt("208,560 new vehicles", 208560, "new vehicles", "units_sold", None, "2019", region=HOUSTON),
            chg("5 percent", -5, "percent", "units_sold", None, "2019", "yoy", region=HOUSTON),
            chg("2.6 percent", -2.6, "percent", "units_sold", None, "2019", "yoy", region=HOUSTON),
            chg("12.3 percent", -12.3, "percent", "units_sold", None, "2019", "yoy", region=HOUSTON),
            cnt("303,417 new vehicles", 303417, "new vehicles", "units_sold", None, "2018", region=HOUSTON),
            chg("4 percent", 4, "percent", "units_sold", None, "2018", "yoy", region=HOUSTON),
            F("6 percent", 6, "percent", "economic_indicator", None, "2019-10", q="at_most"),
            F("5.7 percent", 5.7, "percent", "economic_indicator", None, "2019-10"),
            F("6.2 percent", 6.2, "percent", "economic_indicator", None, "2018-10"),
            chg("a quarter-point", -0.25, "pp", "economic_indicator", "Federal Reserve", "2019-10", region=US),
            F("$39,014", 39014, "USD", "price", None, "2019-10", region=HOUSTON),
            F("$38,373", 38373, "USD", "price", None, "2018-10", region=HOUSTON),
            F("$34,410", 34410, "USD", "price", None, "2015-10", region=HOUSTON),
            F("$41,640", 41640, "USD", "price", None, "2019-10", region=HOUSTON),
            F("$31,627", 31627, "USD", "price", None, "2019-10", region=HOUSTON),
            shr("14.6 percent", 14.6, "units_sold", None, "2019-10", region=HOUSTON),
            shr("13.2 percent", 13.2, "units_sold", None, "2019-09", region=HOUSTON),
            shr("21.8 percent", 21.8, "units_sold", None, "2019-03", region=HOUSTON),
            shr("15.2 percent", 15.2, "units_sold", None, None, region=HOUSTON),
            cnt("17.3 million new vehicles", 17.3 * M, "new vehicles", "units_sold", None, "2018", q="approx", region=US),
            chg("0.3 percent", 0.3, "percent", "units_sold", None, "2018", "yoy", region=US),
            cnt("16.6 million vehicles", 16.6 * M, "vehicles", "units_sold", None, "2019", mod="forecast", region=US),
        ],
    },
    # Fox Business: Home Depot third-quarter results
    "51374560f40088e227f0053ff1bb0b8525d10a8d7bfbff1cd6033f42347fd85b": {
        "published": "2019-11-19",
        "title": "Home Depot sales earnings retail",
        "figures": [
            px("225.86", 225.86, "USD", "Home Depot", "2019-11-19"),
            mv("-12.99", -12.99, "USD", "Home Depot", "2019-11-19"),
            mv("-5.44%", -5.44, "percent", "Home Depot", "2019-11-19"),
            px("113.40", 113.40, "USD", "Lowe's", "2019-11-19"),
            mv("-1.62", -1.62, "USD", "Lowe's", "2019-11-19"),
            mv("-1.41%", -1.41, "percent", "Lowe's", "2019-11-19"),
            F("$2.8 billion", 2.8 * B, "USD", "profit", "Home Depot", "2019-Q3"),
            F("$2.53", 2.53, "USD", "profit", "Home Depot", "2019-Q3"),
            chg("3.5 percent", 3.5, "percent", "revenue", "Home Depot", "2019-Q3", "yoy"),
            F("$27.2 billion", 27.2 * B, "USD", "revenue", "Home Depot", "2019-Q3"),
            F("$2.52", 2.52, "USD", "profit", "Home Depot", "2019-Q3", mod="forecast"),
            F("$27.53 billion", 27.53 * B, "USD", "revenue", "Home Depot", "2019-Q3", mod="forecast"),
            chg("3.6 percent", 3.6, "percent", "revenue", "Home Depot", "2019-Q3", "yoy"),
            chg("4.8 percent", 4.8, "percent", "revenue", "Home Depot", "2019-Q3", "yoy", mod="forecast"),
            chg("1.8 percent", 1.8, "percent", "revenue", "Home Depot", "FY2019", "yoy", mod="target"),
            chg("3.5 percent", 3.5, "percent", "revenue", "Home Depot", "FY2019", "yoy", mod="target"),
            chg("2.3 percent", 2.3, "percent", "revenue", "Home Depot", "FY2019", "yoy", mod="target"),
            chg("4 percent", 4, "percent", "revenue", "Home Depot", "FY2019", "yoy", mod="target"),
            mv("39 percent", 39, "percent", "Home Depot", "2019-11-19", basis="vs_period"),
            mv("24.5 percent", 24.5, "percent", "S&P 500", "2019-11-19", basis="vs_period", region=US),
        ],
    },
    # Reuters: global markets on Tuesday 2019-11-19
    "57d46c9d751e3fd3ffaf3ede7ac20cebd30eacb5ea78e1a6aa0a72059244e7ca": {
        "published": REUTERS_DAY,
        "title": "Asian shares soft as trade doubts creep back in",
        "figures": [
            chg("3.38%", -3.38, "percent", "price", None, REUTERS_DAY),
            F("$55.12", 55.12, "USD", "price", None, REUTERS_DAY),
            F("$60.73", 60.73, "USD", "price", None, REUTERS_DAY),
            chg("2.74%", -2.74, "percent", "price", None, REUTERS_DAY),
            mv("102.2 points", -102.2, "points", "Dow Jones Industrial Average", REUTERS_DAY, region=US),
            mv("0.36%", -0.36, "percent", "Dow Jones Industrial Average", REUTERS_DAY, region=US),
            px("27,934.02", 27934.02, "points", "Dow Jones Industrial Average", REUTERS_DAY, region=US),
            mv("1.85 points", -1.85, "points", "S&P 500", REUTERS_DAY, region=US),
            mv("0.06%", -0.06, "percent", "S&P 500", REUTERS_DAY, region=US),
            px("3,120.18", 3120.18, "points", "S&P 500", REUTERS_DAY, region=US),
            mv("20.72 points", 20.72, "points", "Nasdaq Composite", REUTERS_DAY, region=US),
            mv("0.24%", 0.24, "percent", "Nasdaq Composite", REUTERS_DAY, region=US),
            px("8,570.66", 8570.66, "points", "Nasdaq Composite", REUTERS_DAY, region=US),
            mv("0.12%", -0.12, "percent", "STOXX 600", REUTERS_DAY, region="Europe"),
            mv("0.02%", 0.02, "percent", "MSCI", REUTERS_DAY),
            mv("0.48%", 0.48, "percent", None, REUTERS_DAY),
            mv("0.68%", 0.68, "percent", "MSCI", REUTERS_DAY, region="Asia-Pacific"),
            mv("0.66%", -0.66, "percent", "Nikkei", REUTERS_DAY, region="Japan"),
            chg("7/32", 7 / 32, "points", "economic_indicator", "US", REUTERS_DAY, region=US),
            F("1.786%", 1.786, "percent", "economic_indicator", "US", REUTERS_DAY, region=US),
            F("1.808%", 1.808, "percent", "economic_indicator", "US", MONDAY, region=US),
            chg("29/32", 29 / 32, "points", "economic_indicator", "US", REUTERS_DAY, region=US),
            F("2.252%", 2.252, "percent", "economic_indicator", "US", REUTERS_DAY, region=US),
            F("2.293%", 2.293, "percent", "economic_indicator", "US", MONDAY, region=US),
            cnt("six major currencies", 6, "major currencies", "other", None, None),
            chg("0.05%", 0.05, "percent", "economic_indicator", "US", REUTERS_DAY, region=US),
            chg("0.05%", 0.05, "percent", "economic_indicator", "euro zone", REUTERS_DAY, region="euro zone"),
            F("$1.1075", 1.1075, "USD", "economic_indicator", "euro zone", REUTERS_DAY, region="euro zone"),
            chg("0.13%", 0.13, "percent", "economic_indicator", "Japan", REUTERS_DAY, region="Japan"),
            F("108.55", 108.55, "JPY", "economic_indicator", "Japan", REUTERS_DAY, region="Japan"),
            F("$1.2925", 1.2925, "USD", "economic_indicator", "UK", REUTERS_DAY, region="UK"),
            chg("0.21%", -0.21, "percent", "economic_indicator", "UK", REUTERS_DAY, region="UK"),
            chg("0.1%", 0.1, "percent", "price", None, REUTERS_DAY),
            F("$1,472.19", 1472.19, "USD", "price", None, REUTERS_DAY),
            chg("0.86%", 0.86, "percent", "price", None, REUTERS_DAY),
            F("$5,880.00", 5880, "USD", "price", None, REUTERS_DAY),
            chg("0.06%", -0.06, "percent", "price", None, REUTERS_DAY, region="London"),
            F("$1,737.00", 1737, "USD", "price", None, REUTERS_DAY, region="London"),
        ],
    },
    # Barron's: Home Depot cuts full-year sales growth guidance
    "f8ff621a0b9b7646cc0d57d37416feabba2bf78ef5dd0bfc5b080f9f97bbe584": {
        "published": "2019-11-19",
        "title": "Home Depot stock earnings report",
        "figures": [
            F("$2.53", 2.53, "USD", "profit", "Home Depot", "2019-Q3"),
            F("$2.52", 2.52, "USD", "profit", "Home Depot", "2019-Q3", mod="forecast"),
            mv("5%", -5, "percent", "Home Depot", "2019-11-19"),
            chg("3.5%", 3.5, "percent", "revenue", "Home Depot", "2019", "yoy", mod="target"),
            chg("4.0%", 4.0, "percent", "revenue", "Home Depot", "2019", "yoy", mod="target"),
            chg("0.6% to 0.7%", -0.6, "percent", "revenue", "Home Depot", "2019-Q3", hi=-0.7, q="range"),
            chg("5%", 5, "percent", "revenue", "Home Depot", "2019-Q3", "yoy", q="approx", mod="forecast"),
            mv("1.8%", -1.8, "percent", "Lowe's", "2019-11-19"),
            mv("40%", 40, "percent", "Home Depot", "2019-11-19", basis="vs_period", q="approx"),
        ],
    },
    # CNBC: Emirates orders 30 Boeing 787 jets at the Dubai Air Show
    "374ac9a59a85196cdacc1679fb8993521a7b7d9d6533720f102300be1c7face4": {
        "published": "2019-11-20",
        "title": "Emirates inks order for 30 Boeing 787 jets, talks expansion plans",
        "figures": [
            cnt("30", 30, "787-9 dreamliner jets", "other", "Emirates", None),
            chg("30", -30, "count", "other", "Emirates", None, item="777x jets"),
            cnt("126", 126, "777x jets", "other", "Emirates", None),
            cnt("242 to 330 passengers", 242, "passengers", "spec", "Boeing", None, hi=330, q="range"),
            F("$8.8 billion", 8.8 * B, "USD", "deal_value", "Emirates", None),
            cnt("two catastrophic crashes", 2, "catastrophic crashes", "other", "Boeing", None),
            cnt("346 people", 346, "people", "other", "Boeing", None),
            cnt("400", 400, "737 max jets", "other", "Boeing", None, q="approx"),
            cnt("five 787 Dreamliner sales", 5, "787 dreamliner sales", "units_sold", "Boeing", None),
            cnt("two", 2, "787 dreamliner sales", "units_sold", "Boeing", None),
            cnt("three", 3, "787 dreamliner sales", "units_sold", "Boeing", None),
            cnt("60", 60, "737 max jet", "other", "Boeing", None, q="approx"),
            chg("30%", 30, "percent", "other", "Emirates", "2025", mod="target"),
            cnt("270 aircraft", 270, "aircraft", "other", "Emirates", "2019-10"),
            cnt("12 freight", 12, "freight", "other", "Emirates", "2019-10"),
            cnt("30 Boeing jets", 30, "boeing jets", "other", "Emirates", None),
            cnt("50", 50, "airbus a350-900 jets", "other", "Emirates", None),
            F("$16 billion", 16 * B, "USD", "deal_value", "Emirates", None),
            cnt("123", 123, "planes", "other", "Emirates", None),
        ],
    },
    # pv magazine: South Korea's roadmap to drive down solar costs
    "b0cf2bbf0192315eec95ede9c59bbf4ae58699275739d590edc24b012e3e8800": {
        "published": "2019-11-20",
        "title": "South Korea's roadmap to drive down solar costs",
        "figures": [
            chg("90%", -90, "percent", "other", "South Korea", None, mod="target", region="South Korea"),
            cnt("Sixteen energy technology priorities", 16, "energy technology priorities", "other", "MOTIE", None),
            F("$0.23/W", 0.23, "USD", "price", None, "2019-11-20", q="approx", region="South Korea"),
            F("$0.10", 0.10, "USD", "price", None, "2030", mod="target", region="South Korea"),
            F("$0.03/kWh", 0.03, "USD", "price", None, "2030", mod="target", region=US),
            F("$0.06/kWh", 0.06, "USD", "price", None, "2017-09", region=US),
            F("20%", 20, "percent", "spec", None, "2019-11-20", q="approx", region="South Korea"),
            F("24%", 24, "percent", "spec", None, "2029", mod="target", region="South Korea"),
            F("23%", 23, "percent", "spec", None, None, region="South Korea"),
            F("35%", 35, "percent", "spec", None, None, mod="forecast", region="South Korea"),
            F("8.69 GW", 8.69, "gw", "other", None, "2017-12", q="approx", region="South Korea"),
            F("3.7 GW", 3.7, "gw", "other", "Hanwha Q Cells", "2017-12"),
            F("3 GW", 3, "gw", "other", "LG Electronics", "2017-12"),
            cnt("17 manufacturers", 17, "manufacturers", "other", None, "2017-12", region="South Korea"),
            F("30-600 MW", 30, "mw", "other", None, "2017-12", hi=600, q="range", region="South Korea"),
            F("8.69 GW", 8.69, "gw", "other", None, "2017-12", region="South Korea"),
            F("1.64 GW", 1.64, "gw", "other", None, None, region="South Korea"),
            F("30.8 GW", 30.8, "gw", "other", "South Korea", "2030", mod="target", region="South Korea"),
            F("2.1 GW", 2.1, "gw", "other", None, None, region="South Korea"),
            F("3 GW", 3, "gw", "other", None, None, region="Saemangeum"),
        ],
    },
    # CNN Business: Asian markets in early trading, Tuesday 2019-11-19 in Hong Kong
    "d605bdef2cde7308a9f2fbd1484d4a9c3da0167177245d346da61e455f42208d": {
        "published": "2019-11-18",
        "title": "Asian markets mixed on muddled view of US-China trade talks",
        "figures": [
            mv("0.3%", -0.3, "percent", "Nikkei 225", "2019-11-19", region="Japan"),
            mv("0.5%", -0.5, "percent", "Kospi", "2019-11-19", region="South Korea"),
            mv("0.2%", -0.2, "percent", "Shanghai Composite", "2019-11-19", region="China"),
            mv("0.4%", 0.4, "percent", "Shanghai Composite", "2019-11-19", region="China"),
            mv("1%", 1, "percent", "Hang Seng", "2019-11-19", q="approx", region="Hong Kong"),
            F("90-day", 90, "days", "other", None, None, region=US),
        ],
    },
    # City A.M.: Alibaba's Hong Kong listing
    "360c732d1fdbfc6895d7096c0c0b8c0d581bb1af80160f4c6a0f1fd9ff85e469": {
        "published": "2019-11-20",
        "title": "Alibaba to raise up to $12.9bn in landmark Hong Kong listing",
        "figures": [
            F("$12.9bn", 12.9 * B, "USD", "funding", "Alibaba", None, q="at_most", region="Hong Kong", eq=[(10 * B, "GBP")]),
            chg("2.8 per cent", -2.8, "percent", "share_price", "Alibaba", None),
            F("176 Hong Kong dollars", 176, "HKD", "share_price", "Alibaba", None, region="Hong Kong", eq=[(17.43, "GBP")]),
            F("88 billion Hong Kong dollars", 88 * B, "HKD", "funding", "Alibaba", None, q="at_least", region="Hong Kong"),
            F("$12.9bn", 12.9 * B, "USD", "funding", "Alibaba", None, q="at_most", region="Hong Kong"),
            shr("15 per cent", 15, "other", "Alibaba", None, q="at_most"),
            px("$185.25", 185.25, "USD", "Alibaba", "2019-11-19", region="New York"),
            mv("0.35%", 0.35, "percent", "Alibaba", "2019-11-19", region="New York"),
            cnt("eight", 8, "hong kong shares", "other", "Alibaba", None),
            shr("10 per cent", 10, "other", "Alibaba", None, q="at_most", region="Hong Kong"),
        ],
    },
    # CNBC: Coty after the Kylie Jenner deal
    "ffc109d474fdee1a59fa554df8b09643f4a7d45b23eceabad66f0712c3f7daed": {
        "published": "2019-11-19",
        "title": "Beauty stock Coty could surge after Kylie Jenner makeover",
        "figures": [
            mv("2%", 2, "percent", "Coty", "2019-11-18", q="at_least"),
            F("$600 million", 600 * M, "USD", "deal_value", "Coty", None),
            mv("80%", 80, "percent", "Coty", "2019-11-19", basis="vs_period", q="at_least"),
            F("four straight years", 4, "years", "other", "Coty", None),
            mv("60%", -60, "percent", "Coty", None, q="at_least"),
            px("$13.60", 13.60, "USD", "Coty", None, mod="forecast"),
            shr("51%", 51, "other", "Coty", None),
        ],
    },
    # The Real Deal: WeWork lay-offs
    "bc13ff87b2630ffbebc33bc37b11178b14f03109055e1d17bf644f804b63d98a": {
        "published": "2019-11-18",
        "title": "Thousands of WeWork employees to be laid off this week",
        "figures": [
            shr("a third", 33.33, "employees", "WeWork", None, q="at_least", mod="target"),
            cnt("12,000 employees", 12000, "employees", "employees", "WeWork", None),
            F("$47 billion", 47 * B, "USD", "valuation", "WeWork", None),
            F("$8 billion", 8 * B, "USD", "valuation", "WeWork", None),
            F("$9.5 billion", 9.5 * B, "USD", "funding", "WeWork", None),
            chg("4,000 people", -4000, "count", "employees", "WeWork", None, q="at_least", mod="target", item="people"),
            chg("1,000 maintenance workers", -1000, "count", "employees", "WeWork", "2019-12-09", mod="target", item="maintenance workers"),
            chg("1,000 maintenance and cleaning workers", 1000, "count", "employees", "JLL", None, q="approx", mod="target", item="maintenance and cleaning workers"),
            F("$3 billion", 3 * B, "USD", "deal_value", "SoftBank", None),
            F("two weeks", 2, "weeks", "other", "SoftBank", None, q="approx"),
        ],
    },
    # Deccan Herald (Reuters): Beijing's tariff demands
    "39d5c43beb60605c3eec760c99500e62e7bd71ebbe4ae05edf382125e1b0b80a": {
        "published": "2019-11-20",
        "title": "Beijing tariff demands may expand US-China trade deal",
        "figures": [
            F("$156 billion", 156 * B, "USD", "economic_indicator", "US", None, q="approx", mod="target", region=US),
            F("15%", 15, "percent", "economic_indicator", "US", None, region=US),
            F("$125 billion", 125 * B, "USD", "economic_indicator", "US", None, q="approx", region=US),
            F("25%", 25, "percent", "economic_indicator", "US", None, region=US),
            F("$250 billion", 250 * B, "USD", "economic_indicator", "US", None, region=US),
            F("$40-50 billion", 40 * B, "USD", "economic_indicator", "China", None, hi=50 * B, q="range", mod="forecast"),
        ],
    },
    # VentureBeat (Reuters): New York attorney general investigating WeWork
    "06e5123e4ef7cfb4533250dc45d1e03d0838fc66223f45c583c4d12f48b4da85": {
        "published": "2019-11-18",
        "title": "New York State Attorney General investigating WeWork and former CEO",
        "figures": [
            F("$6 million", 6 * M, "USD", "deal_value", "WeWork", None, q="approx"),
            F("$6.5 billion", 6.5 * B, "USD", "funding", "WeWork", None),
            F("$3 billion", 3 * B, "USD", "deal_value", "SoftBank", None),
            F("$1 billion", 1 * B, "USD", "deal_value", "SoftBank", None),
            chg("4,000 jobs", -4000, "count", "employees", "WeWork", None, mod="target", item="jobs"),
            cnt("12,500 employees", 12500, "employees", "employees", "WeWork", "2019-06-30"),
            F("16.057%", 16.057, "percent", "other", "WeWork", "2019-11-18"),
        ],
    },
}  # fmt: skip


def locate(text: str, figures: list[dict]) -> list[dict]:
    """Offsets for each surface, searched forward in reading order from the previous figure's
    start; a surface that is not found is an annotation error and fails loudly."""
    cursor = 0
    located = []
    for figure in figures:
        surface = figure["surface"]
        tail = r"(?!\d)" if surface[-1].isdigit() else r"(?!\w)" if surface[-1].isalpha() else ""
        found = re.compile(r"(?<![\w.,])" + re.escape(surface) + tail).search(text, cursor)
        if found is None:
            raise ValueError(f"{surface!r} not found after offset {cursor}")
        located.append({**figure, "start": found.start(), "end": found.end()})
        cursor = found.start() + 1
    return located


def corpus_documents(shared: Path) -> list[dict]:
    """The annotated articles in `figures/eval.py`'s format, their text read from `shared`."""
    bodies = json.loads((shared / GROUND_TRUTH).read_text(encoding="utf-8"))
    documents = []
    for corpus_id, annotation in DOCS.items():
        text = bodies[corpus_id]["articleBody"]
        documents.append({
            "id": f"article_html/{corpus_id}", "title": annotation["title"],
            "published": annotation["published"], "text": text,
            "figures": locate(text, annotation["figures"]),
        })  # fmt: skip
    return documents


if __name__ == "__main__":
    shared = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[3] / ".." / "shared"
    )
    documents = corpus_documents(shared)
    for document in documents:
        print(f"{document['id'][:30]}  {len(document['figures']):3d}  {document['title']}")
    print(f"{len(documents)} documents, {sum(len(d['figures']) for d in documents)} figures")
