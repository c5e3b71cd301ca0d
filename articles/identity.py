"""Who an article is: a stable id, an exact content hash and a near-duplicate fingerprint.

Near-duplicate decision rule (the same whatever order runs see the articles in):
of a group of articles whose fingerprints are within `NEAR_DUPLICATE_DISTANCE` bits of each
other, the one published earliest is the original (ties: the smallest `article_id`), and every
other member is recorded as a duplicate of it, so its figures are not counted twice. The rule
depends only on (published, article_id, fingerprint), never on arrival order, so the warehouse
can apply it set-based across runs with the fingerprints produced here (`original_of`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Bits two SimHashes may differ by and still be the same story. Measured: the demo's syndicated
# copies (rewritten lead, an added credit line) are 7 and 9 bits from their originals; of the
# 16,290 pairs of distinct real articles in the article-extraction benchmark the closest pair is
# 14 bits apart and all others 17 or more (random texts centre on 32, sd 4).
NEAR_DUPLICATE_DISTANCE = 11
SHINGLE_WORDS = 3

_TRACKING_EXACT = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "igshid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "source",
        "cmpid",
        "cmp",
        "ncid",
        "spm",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_enc_id",
        "oly_anon_id",
        "vero_id",
        "wt.mc_id",
        "s_cid",
        "ito",
        "smid",
        "share",
    }
)
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "at_", "__")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WORD = re.compile(r"\w+", re.UNICODE)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_EXACT or lowered.startswith(_TRACKING_PREFIXES)


def _netloc(parts) -> str:
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    return host


def canonical_url(url: str) -> str:
    """The URL with the variations that do not change the page taken out.

    Lower-case scheme and host, no default port, no fragment, no tracking parameters
    (utm_*, fbclid, gclid, mc_*, ref, ...), the remaining parameters sorted, and no trailing
    slash except for the root path.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if not parts.netloc:
        return urlunsplit((scheme, "", parts.path, parts.query, ""))
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    )
    return urlunsplit((scheme, _netloc(parts), path, urlencode(query), ""))


def article_id(url: str) -> str:
    """First 16 hex digits of the SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def normalised_text(text: str) -> str:
    return " ".join(text.lower().split())


def content_hash(text: str) -> str:
    """SHA-256 of the lower-cased, whitespace-normalised text: equal for exact copies."""
    return hashlib.sha256(normalised_text(text).encode("utf-8")).hexdigest()


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Distinct word n-grams of the lower-cased text (the whole text when shorter than n)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _hash64(token: str) -> int:
    # blake2b rather than hash(): Python salts str hashes per process, fingerprints must not.
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "big")


def simhash(features: Iterable[str]) -> int:
    """64-bit SimHash: each bit is the majority vote of that bit over the features' hashes."""
    rows = [f"{_hash64(feature):064b}" for feature in features]
    if not rows:
        return 0
    # Column counts via zip(*rows): the per-bit loop runs in C, 10x faster than bit shifts.
    half = len(rows) / 2
    bits = "".join("1" if column.count("1") > half else "0" for column in zip(*rows, strict=True))
    return int(bits, 2)


def fingerprint(text: str) -> str:
    """SimHash over word 3-gram shingles, as 16 hex digits."""
    return f"{simhash(sorted(shingles(text))):016x}"


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two hex fingerprints."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def is_near_duplicate(a: str, b: str, max_distance: int = NEAR_DUPLICATE_DISTANCE) -> bool:
    """True when two fingerprints are within `max_distance` bits: the same story."""
    return hamming(a, b) <= max_distance


def original_of(members: Iterable[tuple[str | None, str]]) -> tuple[str | None, str]:
    """The original of a near-duplicate group of (published, article_id) pairs.

    Earliest published wins; undated articles come after dated ones; ties go to the smallest
    article_id. Order-independent, so every run makes the same decision.
    """
    return min(members, key=lambda m: (m[0] is None, m[0] or "", m[1]))
