"""Signs that a page is not an article we can use: bot walls, paywalls, listings.

Each check looks at the raw page (markup and URL) and says why in words a person can act on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

# Bot-challenge interstitials: distinctive strings in their markup (matched lower-cased).
_BLOCKED_MARKERS = (
    ("<title>just a moment...</title>", "Cloudflare 'Just a moment'"),
    ("challenge-platform", "Cloudflare challenge"),
    ("cf_chl_opt", "Cloudflare challenge"),
    ("cf-mitigated", "Cloudflare challenge"),
    ("cf-browser-verification", "Cloudflare challenge"),
    ("attention required! | cloudflare", "Cloudflare block page"),
    ("awswafcookiedomainlist", "AWS WAF challenge"),
    ("gokuprops", "AWS WAF challenge"),
    ("_incapsula_resource", "Imperva/Incapsula block"),
    ("captcha-delivery.com", "DataDome captcha"),
    ("px-captcha", "PerimeterX captcha"),
)
# A challenge page is small; an article that merely mentions Cloudflare is long.
BLOCKED_MAX_WORDS = 150

# Subscription walls: (cheap literal that must be present, precise pattern, name). The literal
# keeps the regular expression off the 99% of pages that cannot match (pages are large).
_PAYWALL_MARKERS = (
    ("isaccessibleforfree", re.compile(r'"isaccessibleforfree"\s*:\s*"?false'), "isAccessibleForFree: false"),
    ("paywall", re.compile(r"""(class|id)=["'][^"'>]*paywall"""), "a paywall element"),
    ("meteredcontent", re.compile(r"meteredcontent"), "a metered-content element"),
    ("continue reading", re.compile(r"subscribe (now )?to (continue|keep) reading|to continue reading,? (please )?(subscribe|sign in|log in)"), "'subscribe to continue reading'"),
    ("subscriber", re.compile(r"already a subscriber\?|subscribers? only|(article|content|story) is (only )?(available )?(exclusively )?(for|to) (paying )?subscribers"), "'for subscribers only'"),
    ("free account", re.compile(r"create a free account to (continue|read)"), "a registration wall"),
)  # fmt: skip
# Teaser length behind a wall; a metered page that serves the full text is kept.
PAYWALL_MAX_WORDS = 300

_LISTING_PATH = re.compile(
    r"^/?$|/(tag|tags|category|categories|topic|topics|author|authors|section|archive|archives"
    r"|search|page|login|log-in|signin|sign-in|register|signup|sign-up|account|feed)(/|$)"
    r"|/page/\d+/?$",
    re.I,
)


def blocked_marker(html: str, *, lowered: bool = False) -> str | None:
    """Name of the bot-challenge whose markup the page carries, if any.

    `lowered=True` says `html` is already lower-cased (saves a copy of a large page)."""
    lowered_text = html[:200_000] if lowered else html[:200_000].lower()
    for marker, name in _BLOCKED_MARKERS:
        if marker in lowered_text:
            return name
    return None


def paywall_marker(html: str, *, lowered: bool = False) -> str | None:
    """Name of the first subscription-wall marker in the page, if any."""
    lowered_text = html if lowered else html.lower()
    for literal, pattern, name in _PAYWALL_MARKERS:
        if any(pattern.search(window) for window in _windows(lowered_text, literal)):
            return name
    return None


def _windows(text: str, literal: str, reach: int = 120) -> Iterator[str]:
    """The stretches of `text` around each occurrence of `literal`.

    Running a pattern only there is much faster than over a whole page: patterns that start
    with an alternation get no literal-prefix speed-up from `re`.
    """
    start = text.find(literal)
    while start != -1:
        yield text[max(0, start - reach) : start + len(literal) + reach]
        start = text.find(literal, start + len(literal))


def listing_url(url: str) -> bool:
    """True for paths that are listings or forms by their shape: /, /tag/x, /page/2, /login."""
    return bool(_LISTING_PATH.search(urlsplit(url).path))


def link_density(tree) -> tuple[float, int, int]:
    """(share of visible words inside links, number of links, visible words) of a page."""
    if tree is None:
        return 0.0, 0, 0
    body = tree.find(".//body")
    root = body if body is not None else tree
    # text_content() runs in C; subtracting script and style text is cheaper than an XPath
    # that tests every text node's ancestors.
    hidden = sum(len(e.text_content().split()) for e in root.iter("script", "style"))
    words = len(root.text_content().split()) - hidden
    links = list(root.iter("a"))
    link_words = sum(len(a.text_content().split()) for a in links)
    return (min(1.0, link_words / words) if words > 0 else 0.0), len(links), max(words, 0)


_ARTICLE_TYPES = (
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "report",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "techarticle",
    "liveblogposting",
)


def article_signal(tree) -> str | None:
    """What in the page's metadata says it is an article (og:type, JSON-LD @type), if anything.

    A lone <article> element is not enough: listings wrap every teaser in one.
    """
    if tree is None:
        return None
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key == "og:type" and (meta.get("content") or "").strip().lower() == "article":
            return "og:type article"
        if key == "article:published_time":
            return "article:published_time"
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        compact = script.replace(" ", "").lower()
        for kind in _ARTICLE_TYPES:
            if f'"@type":"{kind}"' in compact or (
                f'"{kind}"' in compact and '"@type":[' in compact
            ):
                return f"JSON-LD {kind}"
    return None
