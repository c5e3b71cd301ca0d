"""Bytes decode right whatever the page declares."""

from __future__ import annotations

import codecs

import pytest

from articles import clean_page
from articles.decode import UndecodableError, decode_body
from spiders.records import Reject

PROSE = "Zürich start-up Qupé raised £4.5m – its “first” round, 14% above plan…"


def page(charset_meta: str = "") -> str:
    return f"<html><head>{charset_meta}<title>t</title></head><body><p>{PROSE}</p></body></html>"


def test_byte_order_mark_wins_over_a_wrong_declaration():
    body = codecs.BOM_UTF8 + page().encode("utf-8")
    text, encoding = decode_body(body, "text/html; charset=iso-8859-1")
    assert encoding == "utf-8"
    assert PROSE in text and not text.startswith("\ufeff")


def test_utf16_with_bom():
    text, encoding = decode_body(codecs.BOM_UTF16_LE + page().encode("utf-16-le"), None)
    assert encoding == "utf-16-le"
    assert PROSE in text


def test_http_charset_iso_8859_1_is_read_as_windows_1252_like_browsers():
    body = page().encode("cp1252")  # curly quotes, dash, ellipsis exist only in cp1252
    text, encoding = decode_body(body, "text/html; charset=ISO-8859-1")
    assert encoding == "cp1252"
    assert PROSE in text


def test_meta_charset_is_used_when_http_says_nothing():
    body = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    body = body.replace(PROSE, "小米第二季度手机出货量创新高").encode("gbk")
    text, encoding = decode_body(body, "text/html")
    assert encoding == "gb18030"  # the superset of GB2312 and GBK
    assert "小米第二季度手机出货量创新高" in text


def test_undeclared_windows_1252_is_detected():
    body = page().encode("cp1252")
    text, _ = decode_body(body, "text/html")
    assert PROSE in text


def test_a_server_default_latin1_label_on_utf8_bytes_does_not_make_mojibake():
    body = page('<meta charset="iso-8859-1">').encode("utf-8")
    text, encoding = decode_body(body, "text/html; charset=iso-8859-1")
    assert encoding == "utf-8"
    assert PROSE in text and "Ã" not in text


def test_a_wrong_utf8_declaration_falls_through_to_the_meta_charset():
    body = page('<meta charset="windows-1252">').encode("cp1252")
    text, encoding = decode_body(body, "text/html; charset=utf-8")
    assert encoding == "cp1252"
    assert PROSE in text


def test_bytes_undefined_in_windows_1252_do_not_fail_the_page():
    text, encoding = decode_body(b"<p>caf\xe9 \x81 ok</p>", "text/html; charset=windows-1252")
    assert encoding == "cp1252"
    assert "café \x81 ok" in text


def test_binary_data_is_undecodable_and_clean_page_says_so():
    noise = bytes(range(256)) * 4 + b"\x00\xff\xfe\x00" * 64
    with pytest.raises(UndecodableError):
        decode_body(noise, "application/octet-stream")
    result = clean_page(noise, url="https://example.org/a.bin")
    assert isinstance(result, Reject)
    assert result.reason == "undecodable"
    assert "bytes" in result.detail
