"""`newsfigures import`: local files (WordPress post JSON, HTML, dated plain text) through
clean -> figures -> load, as one small run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flows import pipeline
from flows.process import ProcessStats, RunWriter, process_batch
from flows.settings import new_run_id, paths
from spiders.records import page_id


def guess_kind(path: Path, head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if path.suffix.lower() == ".json" or text[:1] in (b"{", b"["):
        return "wp_json"
    if path.suffix.lower() in (".html", ".htm") or text[:1] == b"<":
        return "html"
    return "text"


def page_for(path: Path) -> dict[str, Any]:
    path = path.resolve()
    with path.open("rb") as handle:
        head = handle.read(512)
    url = path.as_uri()
    return {
        "id": page_id(url),
        "source": "import",
        "url": url,
        "kind": guess_kind(path, head),
        "path": str(path),
    }


def import_files(files: list[Path], home: Path | None = None) -> tuple[dict[str, Any], list[dict]]:
    """Returns the run's info and one result per file (article or reject, with its figures)."""
    from figures import EXTRACTOR_VERSION

    where = paths(home)
    run_id = new_run_id("import")
    writer = RunWriter(where.run_dir(run_id), run_id, EXTRACTOR_VERSION)
    pages = [page_for(f) for f in files]
    results = process_batch(pages, "/")
    stats = ProcessStats()
    writer.add_results(results, stats)
    info = {
        "run_id": run_id,
        "flow": "import",
        "flow_run_id": None,
        "started_at": pipeline.utc_now(),
        "finished_at": pipeline.utc_now(),
        "extractor_version": EXTRACTOR_VERSION,
        "sources": [{"name": "import", "kind": "files", "start_url": str(Path.cwd())}],
        "crawls": {
            "import": {
                "name": "import",
                "crawl_status": "files",
                "pages": len(pages),
                "crawl_rejects": 0,
                "crawl_seconds": 0,
                "process": stats.to_dict(),
                "process_seconds": 0,
                "error": None,
            }
        },
    }
    pipeline.write_run_json(writer.run_dir, info)
    where.private_db.parent.mkdir(parents=True, exist_ok=True)
    from warehouse import load_run, publish

    load = load_run(where.private_db, writer.run_dir)
    info["load"] = load.to_dict() if hasattr(load, "to_dict") else dict(vars(load))
    info["published"] = str(publish(where.private_db, where.published_db))
    pipeline.write_run_json(writer.run_dir, info)
    return info, results
