"""Generated articles for benchmarks: N more articles shaped like the real ones.

Each extra article is a post (never wire copy, so the WordPress API lists them all) and takes a
real post as its template, keeps its headings and tables, swaps about
half of its later paragraphs for paragraphs of other articles, and varies every number and
company name, so that the texts differ while staying the same kind of news. Dates spread evenly
over 2015-2025. Deterministic: the same real articles and N give the same extras.
"""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from demo.site import EXTRA_FIRST_ID, Article, slugify, url_path_for

COMPANIES = (
    "Xiaomi", "Huawei", "Apple", "Samsung", "Alibaba", "Tencent", "Baidu", "ByteDance",
    "Lenovo", "Oppo", "Vivo", "Google", "Microsoft", "Amazon", "Nvidia", "Intel", "TSMC",
    "Sony", "BYD", "Tesla", "Meituan", "Pinduoduo", "Qualcomm", "AMD", "Oracle", "IBM",
    "Netflix", "Honor", "Transsion", "Realme",
)  # fmt: skip
COMPANY_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, COMPANIES)) + r")\b")
COMPANY_INDEX = {name: i for i, name in enumerate(COMPANIES)}
# A number standing alone ("23.16", "1,200", "70%"), not part of a name like "Q2", "5G", "A17".
NUMBER_RE = re.compile(
    r"(?<![A-Za-z\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![A-Za-z\d])|(?<![A-Za-z\d.,])\d+(?:\.\d+)?(?![A-Za-z\d])"
)
FIRST_DATE = datetime(2015, 1, 1, tzinfo=UTC)
LAST_DATE = datetime(2025, 12, 31, tzinfo=UTC)


def _blocks(body: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]


def _is_paragraph(block: str) -> bool:
    return not block.startswith(("#", "|"))


@dataclass(frozen=True, slots=True)
class _Number:
    """A number of a template, parsed once so that each variant only formats it."""

    value: float
    decimals: int
    thousands: bool
    year: bool

    def varied(self, factor: float, year_shift: int) -> str:
        if self.year:
            return str(int(self.value) + year_shift)
        if self.decimals == 0:
            scaled = max(round(self.value * factor), 1 if self.value >= 1 else 0)
            return f"{scaled:,}" if self.thousands else str(scaled)
        return (
            f"{self.value * factor:,.{self.decimals}f}"
            if self.thousands
            else f"{self.value * factor:.{self.decimals}f}"
        )


Token = str | _Number | int  # literal text, a number, or the index of a company name
TOKEN_RE = re.compile(f"(?P<number>{NUMBER_RE.pattern})|{COMPANY_RE.pattern}")


def _number(token: str) -> _Number:
    plain = token.replace(",", "")
    decimals = len(plain.split(".")[1]) if "." in plain else 0
    year = bool(re.fullmatch(r"(19|20)\d\d", token))
    return _Number(float(plain), decimals, "," in token, year)


@functools.cache
def tokens(text: str) -> tuple[Token, ...]:
    """The text split into literal pieces, numbers and company names."""
    out: list[Token] = []
    position = 0
    for match in TOKEN_RE.finditer(text):
        out.append(text[position : match.start()])
        found = match.group(0)
        out.append(_number(found) if match.group("number") else COMPANY_INDEX[found])
        position = match.end()
    out.append(text[position:])
    return tuple(out)


class _Variation:
    """Replaces numbers and company names of one generated article, deterministically."""

    def __init__(self, article_id: int, year_shift: int) -> None:
        self.random = random.Random(article_id).random
        self.year_shift = year_shift
        self.company_shift = 1 + article_id % (len(COMPANIES) - 1)

    def apply(self, text: str) -> str:
        random, shift, years, count = (
            self.random,
            self.company_shift,
            self.year_shift,
            len(COMPANIES),
        )
        return "".join(
            token
            if token.__class__ is str
            else COMPANIES[(token + shift) % count]
            if token.__class__ is int
            else token.varied(0.5 + random() * 1.4, years)
            for token in tokens(text)
        )


def _published(index: int, count: int, rng: random.Random) -> datetime:
    span = (LAST_DATE - FIRST_DATE).total_seconds()
    offset = span * index / max(count, 1) + rng.randint(0, 6 * 3600)
    return (FIRST_DATE + timedelta(seconds=int(offset))).replace(microsecond=0)


def generate_extra_articles(real: list[Article], count: int) -> list[Article]:
    """`count` generated articles with ids from 100000, modelled on the `real` ones."""
    templates = [a for a in real if a.duplicate_of is None and a.format == "post"]
    if count <= 0 or not templates:
        return []
    template_blocks = [_blocks(t.body) for t in templates]
    pool = [b for blocks in template_blocks for b in blocks[1:] if _is_paragraph(b)]
    extras = []
    for index in range(count):
        article_id = EXTRA_FIRST_ID + index
        which = index % len(templates)
        template = templates[which]
        rng = random.Random(article_id * 7919)
        published = _published(index, count, rng)
        modified = published + timedelta(hours=rng.choice((0, 0, 0, 2, 30, 200)))
        variation = _Variation(article_id, published.year - template.published.year)
        blocks = [
            rng.choice(pool) if i and pool and _is_paragraph(b) and rng.random() < 0.5 else b
            for i, b in enumerate(template_blocks[which])
        ]
        title = variation.apply(template.title)
        body = "\n\n".join(variation.apply(b) for b in blocks) + "\n"
        slug = f"{slugify(title)[:70].strip('-')}-{article_id}"
        extras.append(
            Article(
                id=article_id,
                slug=slug,
                title=title,
                author=template.author,
                published=published,
                modified=modified,
                categories=template.categories,
                tags=template.tags,
                format=template.format,
                body=body,
                duplicate_of=None,
                url_path=url_path_for(slug, published, template.format),
            )
        )
    return extras
