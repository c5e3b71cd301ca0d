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


FACTORS = tuple(0.5 + 1.4 * i / 15 for i in range(16))  # how much a number may grow or shrink


class _Year(int):
    """A year in the text; it moves with the article's date instead of being scaled."""


def _scaled(token: str) -> tuple[str, ...]:
    """The number written the same way (decimals, thousands separators) at each factor."""
    plain = token.replace(",", "")
    value = float(plain)
    decimals = len(plain.split(".")[1]) if "." in plain else 0
    spec = ("," if "," in token else "") + f".{decimals}f"
    if decimals == 0:
        low = 1 if value >= 1 else 0
        return tuple(format(max(round(value * f), low), spec) for f in FACTORS)
    return tuple(format(value * f, spec) for f in FACTORS)


# literal text, a number's variants, a year, or the index of a company name
Token = str | tuple[str, ...] | _Year | int
TOKEN_RE = re.compile(f"(?P<number>{NUMBER_RE.pattern})|{COMPANY_RE.pattern}")


def _number(token: str) -> Token:
    if re.fullmatch(r"(19|20)\d\d", token):
        return _Year(token)
    return _scaled(token)


@functools.cache
def tokens(text: str) -> tuple[Token, ...]:
    """The text split into literal pieces, numbers and company names (parsed once per text)."""
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
        random, shift, years = self.random, self.company_shift, self.year_shift
        count, factors = len(COMPANIES), len(FACTORS)
        parts = []
        for token in tokens(text):
            kind = token.__class__
            if kind is str:
                parts.append(token)
            elif kind is tuple:
                parts.append(token[int(random() * factors)])
            elif kind is _Year:
                parts.append(str(token + years))
            else:
                parts.append(COMPANIES[(token + shift) % count])
        return "".join(parts)


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
    bodies = {t.body for t in real}
    for index in range(count):
        article_id = EXTRA_FIRST_ID + index
        which = index % len(templates)
        template = templates[which]
        rng = random.Random(article_id * 7919)
        published = _published(index, count, rng)
        modified = published + timedelta(hours=rng.choice((0, 0, 0, 2, 30, 200)))
        blocks = [
            rng.choice(pool) if i and pool and _is_paragraph(b) and rng.random() < 0.5 else b
            for i, b in enumerate(template_blocks[which])
        ]
        year_shift = published.year - template.published.year
        for attempt in range(100):  # a short template may vary into a text already made
            variation = _Variation(article_id + attempt * 1_000_003, year_shift)
            body = "\n\n".join(variation.apply(b) for b in blocks) + "\n"
            if body not in bodies:
                break
        bodies.add(body)
        title = variation.apply(template.title)
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
