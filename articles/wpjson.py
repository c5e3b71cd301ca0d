"""One WordPress REST post object, even when the capture was cut off mid-JSON.

A complete object goes through `json.loads` (lenient about raw control characters inside
strings, which real captures contain). A truncated one is read by a small tolerant parser that
keeps every field completed before the cut and the string that was being written when it came
(`content.rendered` up to the cut, JSON escapes undone).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

_WS = " \t\r\n"
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_TAG = re.compile(r"<[^>]*>")


class MalformedJSON(ValueError):
    """Not JSON (and not JSON cut short): says where it went wrong."""


class _Truncated(Exception):
    """Internal: the input ended inside a value; carries the partial value."""

    def __init__(self, partial: Any):
        super().__init__("truncated")
        self.partial = partial


@dataclass(slots=True)
class Post:
    """What a post object says, whether it was complete or salvaged."""

    data: dict[str, Any]
    truncated: bool = False
    cut_in: list[str] = field(default_factory=list)  # the key path being written at the cut

    @property
    def title(self) -> str | None:
        return _plain(_rendered(self.data.get("title")))

    @property
    def link(self) -> str | None:
        link = self.data.get("link")
        return link if isinstance(link, str) and link else None

    @property
    def canonical(self) -> str | None:
        yoast = self.data.get("yoast_head_json")
        canonical = yoast.get("canonical") if isinstance(yoast, dict) else None
        return canonical if isinstance(canonical, str) and canonical else None

    @property
    def content_html(self) -> str:
        return _rendered(self.data.get("content")) or ""

    @property
    def protected(self) -> bool:
        content = self.data.get("content")
        return isinstance(content, dict) and content.get("protected") is True

    @property
    def published_gmt(self) -> str | None:
        return _str(self.data.get("date_gmt"))

    @property
    def modified_gmt(self) -> str | None:
        return _str(self.data.get("modified_gmt"))

    @property
    def authors(self) -> list[str]:
        embedded = self.data.get("_embedded")
        people = embedded.get("author") if isinstance(embedded, dict) else None
        names = [p.get("name") for p in people or [] if isinstance(p, dict)]
        yoast = self.data.get("yoast_head_json")
        if not names and isinstance(yoast, dict):
            names = [yoast.get("author")]
        return [n for n in names if isinstance(n, str) and n.strip()]

    def terms(self, taxonomy: str) -> list[str]:
        """Names of the embedded terms of one taxonomy (`category`, `post_tag`)."""
        embedded = self.data.get("_embedded")
        groups = embedded.get("wp:term") if isinstance(embedded, dict) else None
        names = []
        for group in groups or []:
            for term in group if isinstance(group, list) else []:
                if isinstance(term, dict) and term.get("taxonomy") == taxonomy:
                    names.append(html.unescape(str(term.get("name", ""))))
        return [n for n in names if n]

    def salvaged(self) -> str:
        """A sentence naming what survived, for a reject's detail."""
        kept = [k for k in ("title", "link", "date_gmt", "modified_gmt") if self.data.get(k)]
        words = len(_plain(self.content_html).split()) if self.content_html else 0
        where = ".".join(self.cut_in) or "the top level"
        return (
            f"JSON cut off inside {where}; salvaged {', '.join(kept) or 'no fields'} "
            f"and {words} words of content.rendered"
        )


def _rendered(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _plain(fragment: str | None) -> str | None:
    if fragment is None:
        return None
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split()) or None


def read_post(text: str) -> Post:
    """The post object in `text`; a `Post` with `truncated=True` when it was cut off.

    Raises MalformedJSON when the text is not JSON at all (or not an object).
    """
    try:
        data = json.loads(text, strict=False)
    except ValueError:
        data = None
    if data is not None:
        return Post(_as_object(data))
    parser = _TolerantParser(text)
    try:
        value = parser.document()
    except _Truncated as cut:
        return Post(_as_object(cut.partial), truncated=True, cut_in=parser.path_at_cut)
    return Post(_as_object(value))


def _as_object(data: Any) -> dict[str, Any]:
    # A /posts listing is a list of posts; one post is what we clean.
    if isinstance(data, list) and data and isinstance(data[0], dict):
        data = data[0]
    if not isinstance(data, dict):
        raise MalformedJSON(f"expected a post object, found a JSON {type(data).__name__}")
    return data


class _TolerantParser:
    """Recursive-descent JSON reader that turns running out of input into a partial value."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.path: list[str] = []
        self.path_at_cut: list[str] = []

    def document(self) -> Any:
        value = self.value()
        self.skip_ws()
        if self.pos < len(self.text):
            raise MalformedJSON(f"unexpected text after the JSON value at character {self.pos}")
        return value

    def cut(self, partial: Any) -> _Truncated:
        if not self.path_at_cut:
            self.path_at_cut = list(self.path)
        return _Truncated(partial)

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in _WS:
            self.pos += 1

    def peek(self) -> str:
        self.skip_ws()
        if self.pos >= len(self.text):
            raise self.cut(None)
        return self.text[self.pos]

    def value(self) -> Any:
        char = self.peek()
        if char == "{":
            return self.object()
        if char == "[":
            return self.array()
        if char == '"':
            return self.string()
        return self.literal()

    def separator(self, closer: str, first: bool) -> bool:
        """Consume the ',' between members; True when `closer` ends the container."""
        char = self.peek()
        if char == closer:
            self.pos += 1
            return True
        if first:
            return False
        if char != ",":
            raise MalformedJSON(f"expected ',' or {closer!r} at character {self.pos}")
        self.pos += 1
        return False

    def object(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        self.pos += 1
        while True:
            key = None
            try:
                if self.separator("}", first=not result):
                    return result
                key = self.string()
                if self.peek() != ":":
                    raise MalformedJSON(f"expected ':' after key {key!r} at character {self.pos}")
                self.pos += 1
                self.path.append(key)
                result[key] = self.value()
                self.path.pop()
            except _Truncated as cut:
                if key is not None and self.path[-1:] == [key]:
                    self.path.pop()
                    if cut.partial is not None:
                        result[key] = cut.partial
                raise self.cut(result) from cut

    def array(self) -> list[Any]:
        result: list[Any] = []
        self.pos += 1
        first = True
        while True:
            try:
                if self.separator("]", first=first):
                    return result
                first = False
                result.append(self.value())
            except _Truncated as cut:
                if cut.partial is not None:
                    result.append(cut.partial)
                raise self.cut(result) from cut

    def string(self) -> str:
        if self.peek() != '"':
            raise MalformedJSON(f"expected a string at character {self.pos}")
        self.pos += 1
        out: list[str] = []
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                return _join_surrogates("".join(out))
            if char != "\\":
                out.append(char)
                self.pos += 1
                continue
            escape = text[self.pos + 1 : self.pos + 2]
            if escape == "u":
                digits = text[self.pos + 2 : self.pos + 6]
                if len(digits) < 4:  # the cut fell inside the escape: drop the half escape
                    break
                out.append(chr(int(digits, 16)))
                self.pos += 6
            elif escape in _ESCAPES:
                out.append(_ESCAPES[escape])
                self.pos += 2
            elif not escape:
                break
            else:
                raise MalformedJSON(f"invalid escape \\{escape} at character {self.pos}")
        raise self.cut(_join_surrogates("".join(out)))

    def literal(self) -> Any:
        text = self.text
        for word, value in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, self.pos):
                self.pos += len(word)
                return value
            if word.startswith(text[self.pos :]):
                raise self.cut(None)
        match = _NUMBER.match(text, self.pos)
        if not match:
            raise MalformedJSON(f"unexpected character {text[self.pos]!r} at {self.pos}")
        self.pos = match.end()
        if self.pos >= len(text):  # a number at the very end may be cut short: do not trust it
            raise self.cut(None)
        number = match.group()
        return float(number) if any(c in number for c in ".eE") else int(number)


def _join_surrogates(text: str) -> str:
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    # \ud83d\ude00 arrives as two \u escapes; recombine, and drop a lone half left by the cut.
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "ignore")
