"""Many pages at once (a process pool, in input order, time-limited) and the `clean` command."""

from __future__ import annotations

import gzip
import json
import threading

import pytest
import typer
from typer.testing import CliRunner

from articles import Article
from articles.cli import ARTICLE_FIELDS, clean
from articles.pool import clean_page_limited, clean_pages
from spiders.records import RawPage, Reject
from tests.articles.conftest import ARTICLE_HTML, article_html, need, seed


@pytest.fixture(scope="module")
def real_ids() -> list[str]:
    return (need(ARTICLE_HTML) / "english_ids.txt").read_text().split()[:6]


def write_gz(path, data: bytes) -> None:
    path.write_bytes(gzip.compress(data))


def test_pool_returns_every_page_in_input_order(tmp_path, real_ids):
    pages_dir = tmp_path / "pages"
    pages_dir.mkdir()
    pages = []
    for page_id in real_ids:
        write_gz(pages_dir / f"{page_id}.gz", article_html(page_id))
        pages.append(
            RawPage(
                id=page_id,
                source="bench",
                url=f"https://example.org/{page_id}",
                kind="html",
                path=f"pages/{page_id}.gz",
            )
        )
    pages.insert(
        2, {"id": "seed-text", "body": seed("001"), "kind": "text", "url": "https://x.org/t"}
    )
    pages.append({"id": "missing", "path": str(tmp_path / "nope.gz"), "url": "https://x.org/m"})
    results = list(clean_pages(pages, workers=2, batch_size=2, base_dir=tmp_path))
    ids = [p.id if isinstance(p, RawPage) else p["id"] for p in pages]
    assert [i for i, _ in results] == ids
    by_id = dict(results)
    assert isinstance(by_id["seed-text"], Article)
    assert by_id["seed-text"].published == "2017-07-07T00:00:00Z"
    assert by_id["missing"].reason == "unreadable"
    articles = [by_id[i] for i in real_ids if isinstance(by_id[i], Article)]
    assert len(articles) >= 5
    assert all(a.source == "bench" and a.raw_path.startswith("pages/") for a in articles)


def test_a_page_over_its_time_limit_is_a_timeout_reject(real_ids):
    body = article_html(real_ids[0])
    pages = [{"id": "slow", "body": body, "url": "https://x.org/slow"}]
    [(page_id, result)] = list(clean_pages(pages, workers=1, timeout=0.0001))
    assert page_id == "slow"
    assert isinstance(result, Reject)
    assert result.reason == "timeout" and "0.0001 s" in result.detail


def test_a_worker_stuck_beyond_the_alarm_is_killed_and_the_rest_still_cleaned(
    monkeypatch, real_ids
):
    from articles import pool
    from tests.articles.stuck_worker import batch_with_a_stuck_page

    monkeypatch.setattr(pool, "clean_batch", batch_with_a_stuck_page)
    monkeypatch.setattr(pool, "HARD_LIMIT_MARGIN", 1.0)
    text = seed("001")
    pages = [
        {"id": name, "body": text, "kind": "text", "url": f"https://x.org/{name}"}
        for name in ("a", "b", "stuck", "c", "d", "e")
    ]
    results = list(clean_pages(pages, workers=1, batch_size=2, timeout=0.5))
    assert [i for i, _ in results] == ["a", "b", "stuck", "c", "d", "e"]
    by_id = dict(results)
    assert by_id["stuck"].reason == "timeout"
    assert all(isinstance(by_id[i], Article) for i in "abcde")


def test_in_process_time_limit_works_on_the_main_thread_and_off_it(real_ids):
    body = article_html(real_ids[1])
    on_main = clean_page_limited(body, url="https://x.org/a", timeout=0.0001)
    assert on_main.reason == "timeout"
    assert isinstance(clean_page_limited(body, url="https://x.org/a"), Article)
    off_main = []
    worker = threading.Thread(
        target=lambda: off_main.append(
            clean_page_limited(body, url="https://x.org/a", timeout=0.0001)
        )
    )
    worker.start()
    worker.join(120)
    assert off_main and off_main[0].reason == "timeout"


def test_the_limited_variant_never_raises_it_rejects_with_the_error():
    result = clean_page_limited(b"<p>x</p>", url="https://x.org/a", kind="pdf")
    assert isinstance(result, Reject)
    assert result.reason == "error"
    assert "unknown page kind 'pdf'" in result.detail


# --- the command ----------------------------------------------------------------------------

app = typer.Typer()
app.command("clean")(clean)
app.command("noop")(lambda: None)  # a second command keeps `clean` a sub-command, as in flows


def test_clean_prints_one_article_object(tmp_path):
    page = tmp_path / "wire.txt.gz"
    write_gz(page, seed("001"))
    outcome = CliRunner().invoke(
        app, ["clean", str(page), "--kind", "text", "--url", "https://x.org/wire/q2"]
    )
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.stdout)
    assert list(data)[: len(ARTICLE_FIELDS)] == list(ARTICLE_FIELDS)
    assert data["published"] == "2017-07-07T00:00:00Z"
    assert data["published_source"] == "text_header"
    assert data["url"] == "https://x.org/wire/q2"


def test_clean_published_option_is_preferred(tmp_path):
    page = tmp_path / "wire.txt"
    page.write_bytes(seed("001"))
    outcome = CliRunner().invoke(
        app, ["clean", str(page), "--kind", "text", "--published", "2017-07-08T09:00:00+08:00"]
    )
    assert json.loads(outcome.stdout)["published"] == "2017-07-08T01:00:00Z"


def test_clean_reject_prints_the_reason_and_exits_1(tmp_path):
    page = tmp_path / "short.html"
    page.write_text("<html><body><article><p>Too short to be news.</p></article></body></html>")
    outcome = CliRunner().invoke(app, ["clean", str(page)])
    assert outcome.exit_code == 1
    data = json.loads(outcome.stdout)
    assert data["reject"] == "too_short"
    assert "5 words" in data["detail"]


def test_clean_batch_reads_gzipped_jsonl_and_prints_a_line_per_input(tmp_path):
    (tmp_path / "a.txt").write_bytes(seed("001"))
    write_gz(tmp_path / "b.json.gz", seed("000"))
    (tmp_path / "c.html").write_text("<html><body></body></html>")
    lines = [
        {"id": "a", "path": "a.txt", "kind": "text"},
        {
            "id": "b",
            "path": "b.json.gz",
            "kind": "wp_json",
            "url": "https://chinadigitaltimes.net/?p=167317",
        },
        {"id": "c", "path": "c.html"},
    ]
    batch = tmp_path / "in.jsonl.gz"
    batch.write_bytes(gzip.compress("".join(json.dumps(x) + "\n" for x in lines).encode()))
    outcome = CliRunner().invoke(app, ["clean", "--batch", str(batch), "--workers", "2"])
    assert outcome.exit_code == 0, outcome.output
    out = [json.loads(line) for line in outcome.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert out[0]["published"] == "2017-07-07T00:00:00Z"
    assert out[1]["published"] == "2014-01-06T01:48:46Z"
    assert out[1]["published_source"] == "wp_api"
    assert out[2]["reject"] == "empty"
