"""Every fault under /faults/ misbehaves exactly as described, and only as described."""

from __future__ import annotations

import contextlib
import json
import socket
import xml.etree.ElementTree as ET

import pytest

from demo.server import serve
from tests.demo.demo_http import fetch

SM = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def is_article_page(answer) -> bool:
    return answer.status == 200 and '<article id="post-' in answer.text and "<h1" in answer.text


def test_slow_waits_then_serves_an_article(base):
    assert is_article_page(fetch(f"{base}/faults/slow?seconds=1"))


def test_500_always_fails(base):
    assert [fetch(f"{base}/faults/500").status for _ in range(2)] == [500, 500]


def test_flaky_fails_once_per_server_then_recovers(base):
    first, second = fetch(f"{base}/faults/flaky"), fetch(f"{base}/faults/flaky")
    assert first.status == 500
    assert is_article_page(second)


def test_429_once_with_retry_after_then_recovers(base):
    first = fetch(f"{base}/faults/429")
    assert first.status == 429 and first.headers["Retry-After"] == "1"
    assert is_article_page(fetch(f"{base}/faults/429"))


def test_always_429(base):
    for _ in range(3):
        answer = fetch(f"{base}/faults/always-429")
        assert answer.status == 429 and answer.headers["Retry-After"] == "1"


def test_404(base):
    assert fetch(f"{base}/faults/404").status == 404
    assert fetch(f"{base}/faults/no-such-fault").status == 404


def test_truncated_json_is_cut_mid_document(base):
    answer = fetch(f"{base}/faults/truncated.json")
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert answer.body.startswith(b'[{"id":')
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.body)


def test_faulty_wordpress_endpoint_breaks_on_page_two(base):
    first = fetch(f"{base}/faults/wp-json/wp/v2/posts")
    assert first.status == 200 and first.headers["X-WP-TotalPages"] == "2"
    assert json.loads(first.body)[0]["id"] == 1
    next_url = first.headers["Link"].split(";")[0].strip("<>")
    assert next_url == f"{base}/faults/wp-json/wp/v2/posts?page=2"
    second = fetch(next_url)
    assert second.status == 200 and second.body.startswith(b'[{"id":')
    with pytest.raises(json.JSONDecodeError):
        json.loads(second.body)
    assert fetch(f"{base}/faults/wp-json/wp/v2/posts?page=3").status == 400


def test_latin1_is_declared_and_encoded(base):
    answer = fetch(f"{base}/faults/latin1")
    assert answer.headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert b'<meta charset="iso-8859-1">' in answer.body
    assert "Zürich" in answer.body.decode("iso-8859-1") and "£4.5 million" in answer.body.decode(
        "iso-8859-1"
    )
    with pytest.raises(UnicodeDecodeError):
        answer.body.decode("utf-8")


def test_cp1252_is_undeclared(base):
    answer = fetch(f"{base}/faults/cp1252-undeclared")
    assert answer.headers["Content-Type"] == "text/html"
    assert b"charset" not in answer.body.lower()
    text = answer.body.decode("cp1252")
    assert "“record quarter”" in text and "€2.3 billion" in text
    with pytest.raises(UnicodeDecodeError):
        answer.body.decode("utf-8")


def test_gbk_is_declared_by_meta_only(base):
    answer = fetch(f"{base}/faults/gbk")
    assert "charset" not in answer.headers["Content-Type"]
    assert b'<meta charset="gbk">' in answer.body
    assert "小米" in answer.body.decode("gbk")


def test_huge_page_is_12_mb_with_content_length(base):
    answer = fetch(f"{base}/faults/huge")
    assert answer.status == 200
    assert len(answer.body) == int(answer.headers["Content-Length"]) >= 12 * 1024 * 1024
    assert answer.body.rstrip().endswith(b"</html>")


def test_cloudflare_challenge(base):
    answer = fetch(f"{base}/faults/challenge")
    assert answer.status == 403 and answer.headers["cf-mitigated"] == "challenge"
    assert "<title>Just a moment...</title>" in answer.text and "challenge-platform" in answer.text


def test_aws_waf_challenge_with_status_200(base):
    answer = fetch(f"{base}/faults/challenge-200")
    assert answer.status == 200
    assert "<title>Human Verification</title>" in answer.text
    assert "awsWafCookieDomainList" in answer.text and "gokuProps" in answer.text
    assert "x-amzn-waf-action" not in answer.headers  # only the body gives it away


def test_not_article_and_empty(base):
    login = fetch(f"{base}/faults/not-article")
    assert login.status == 200 and "<article" not in login.text and 'name="pwd"' in login.text
    empty = fetch(f"{base}/faults/empty")
    assert (empty.status, empty.body, empty.headers["Content-Length"]) == (200, b"", "0")


def test_timeout_sleeps_until_the_server_shuts_down(site):
    """/faults/timeout answers nothing for a long time; leaving serve() wakes it at once."""
    with contextlib.ExitStack() as stack:
        base = stack.enter_context(serve(site))
        host, port = base.removeprefix("http://").split(":")
        sock = socket.create_connection((host, int(port)))
        sock.sendall(b"GET /faults/timeout HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        sock.settimeout(0.5)
        with pytest.raises(TimeoutError):
            sock.recv(100)
    with sock:
        sock.settimeout(5)  # far less than the 60 s the fault would otherwise sleep
        assert sock.recv(100).startswith(b"HTTP/1.1 200")


def test_faults_sitemap_lists_every_fault_once_except_the_waits(base):
    answer = fetch(f"{base}/faults/sitemap.xml")
    urls = ET.fromstring(answer.body).findall("sm:url", SM)
    locs = [u.findtext("sm:loc", namespaces=SM) for u in urls]
    assert all(u.findtext("sm:lastmod", namespaces=SM) for u in urls)
    names = {loc.removeprefix(f"{base}/faults/").split("?")[0] for loc in locs}
    assert len(names) == len(locs)
    assert names == {
        "slow", "500", "flaky", "429", "404", "truncated.json", "wp-json/wp/v2/posts", "latin1",
        "cp1252-undeclared", "gbk", "huge", "challenge", "challenge-200", "not-article", "empty",
    }  # fmt: skip
