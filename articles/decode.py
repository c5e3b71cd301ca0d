"""Bytes to text, whatever the page declares.

Order of evidence, as browsers use it: a byte-order mark, then the HTTP `charset`, then the
document's own `<meta charset>` / `http-equiv`, then strict UTF-8, then statistical detection
(`charset_normalizer`). A declared label is only trusted when the bytes decode under it; a
wrong declaration (common: a server default of ISO-8859-1 on UTF-8 pages) falls through to the
next piece of evidence instead of producing mojibake.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# WHATWG label mapping for the labels that matter here: browsers decode ISO-8859-1 and ASCII
# as Windows-1252, and GB2312 / GBK as GBK (gb18030 is its superset, so it never fails on GBK).
_LABEL_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-cp1252": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "euc-cn": "gb18030",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
# How far into the document browsers look for a <meta charset> (the HTML spec's prescan).
_PRESCAN_BYTES = 4096


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we could establish."""


def _c1_controls(error: UnicodeDecodeError) -> tuple[str, int]:
    # Windows-1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined; browsers map them to the
    # C1 control with the same number rather than failing the whole page.
    bad = error.object[error.start : error.end]
    return "".join(chr(b) for b in bad), error.end


codecs.register_error("newsfigures-c1", _c1_controls)


def normalise_label(label: str | None) -> str | None:
    """Python codec name for a declared charset label, or None if the label is unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _LABEL_ALIASES.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return _LABEL_ALIASES.get(codec, codec)


def _declared_http(content_type: str | None) -> str | None:
    match = _HTTP_CHARSET.search(content_type or "")
    return normalise_label(match.group(1)) if match else None


def _declared_meta(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:_PRESCAN_BYTES])
    return normalise_label(match.group(1).decode("ascii", "replace")) if match else None


def _strict(body: bytes, encoding: str) -> str | None:
    errors = "newsfigures-c1" if encoding == "cp1252" else "strict"
    try:
        return body.decode(encoding, errors=errors)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_non_ascii_utf8(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Detection is trusted only for scripts whose byte patterns are distinctive. For everything
# else (Western single-byte guesses such as mac_iceland or cp850, which detection offers for
# short English pages) browsers fall back to Windows-1252, and so do we.
_DISTINCTIVE = (
    "gb", "big5", "shift_jis", "cp932", "euc", "cp949", "johab", "iso2022", "hz",
    "utf_16", "utf_32", "cp1251", "koi8", "iso8859_5", "mac_cyrillic", "cp866",
    "cp1253", "iso8859_7", "cp1255", "iso8859_8", "cp1256", "iso8859_6", "cp874", "tis_620",
)  # fmt: skip


def _detected(body: bytes) -> tuple[str, str] | None:
    best = charset_normalizer.from_bytes(body).best()
    if best is not None and best.encoding and best.encoding.startswith(_DISTINCTIVE):
        encoding = normalise_label(best.encoding) or best.encoding
        text = _strict(body, encoding)
        if text is not None:
            return text, encoding
    if b"\x00" in body:  # NUL bytes: binary data, or a UTF-16 file without a BOM
        return None
    return _strict(body, "cp1252"), "cp1252"


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raises UndecodableError when nothing fits."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            text = _strict(body[len(bom) :], encoding)
            if text is not None:
                return text, encoding
    for declared in (_declared_http(content_type), _declared_meta(body)):
        if not declared:
            continue
        # A single-byte declaration over bytes that are valid, non-ASCII UTF-8 is almost
        # always a server default left in place: by chance, Windows-1252 text is never valid
        # UTF-8 once it has a few accented letters.
        if declared == "cp1252" and _is_non_ascii_utf8(body):
            return body.decode("utf-8"), "utf-8"
        text = _strict(body, declared)
        if text is not None:
            return text, declared
    text = _strict(body, "utf-8")
    if text is not None:
        return text, "utf-8"
    detected = _detected(body)
    if detected is not None and detected[0] is not None:
        return detected
    raise UndecodableError(
        f"{len(body)} bytes are not UTF-8 and no declared or detected charset decodes them"
    )
