"""The raw-page sink: an item pipeline that writes a crawl's output folder (docs/contracts.md).

`pages.jsonl` (RawPage per line, bodies gzip at `pages/<id>.gz`), `rejects.jsonl`, and at the
end `state.json` and `stats.json` (on `spider_closed`, when the finish reason is known). Lines are flushed as they are written, so a crawl killed by
its timeout still leaves every page and reject it got so far.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from scrapy import signals

from spiders.items import PageItem, RejectItem
from spiders.parse.dates import newest
from spiders.records import RawPage, page_id

# RawPage.to_dict (dataclasses.asdict) deep-copies; its fields are flat, so a plain read is enough.
PAGE_FIELDS = tuple(RawPage.__dataclass_fields__)


def write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(
        json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str),
        encoding="utf-8",
    )
    os.replace(tmp, path)


class RawPageSink:
    def __init__(self, crawler: Any):
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RawPageSink:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        spider = spider or self.crawler.spider
        self.out = Path(spider.out_dir)
        (self.out / "pages").mkdir(parents=True, exist_ok=True)
        self.pages = (self.out / "pages.jsonl").open("w", encoding="utf-8")
        self.rejects = (self.out / "rejects.jsonl").open("w", encoding="utf-8")
        self.written: set[str] = set()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        spider = spider or self.crawler.spider
        if isinstance(item, PageItem):
            self._write_page(item, spider)
        elif isinstance(item, RejectItem):
            self._write_line(self.rejects, item.reject.to_dict())
            self.crawler.stats.inc_value(f"newsfigures/rejects/{item.reject.reason}")
        return item

    def _write_page(self, item: PageItem, spider: Any) -> None:
        page = item.page
        if page.url in self.written:  # one URL once per crawl, however many listings name it
            self.crawler.stats.inc_value("newsfigures/pages_duplicate")
            return
        page.id = page_id(page.url)
        page.path = f"pages/{page.id}.gz"
        page.body_sha256 = hashlib.sha256(item.body).hexdigest()
        # The body first, its line after: a crawl killed in between leaves a body nobody
        # names, never a line naming a missing or partial body.
        (self.out / page.path).write_bytes(gzip.compress(item.body, compresslevel=6, mtime=0))
        self._write_line(self.pages, {name: getattr(page, name) for name in PAGE_FIELDS})
        self.written.add(page.url)
        spider.state.record_page(
            page.url, modified=newest(page.modified, page.published), body_sha256=page.body_sha256
        )
        self.crawler.stats.inc_value("newsfigures/pages")

    @staticmethod
    def _write_line(stream: Any, data: dict[str, Any]) -> None:
        stream.write(json.dumps(data, ensure_ascii=False) + "\n")
        stream.flush()

    def close_spider(self, spider: Any = None) -> None:
        self.pages.flush()  # closed on spider_closed, after the unfinished requests are written

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Unfinished requests, state and stats, once the reason is known (after close_spider)."""
        if reason != "finished":
            # Stopped early (closespider_timeout, shutdown): listings were not read to the end.
            spider.state.complete = False
            for reject in spider.unfinished_rejects(reason):
                self.process_item(RejectItem(reject), spider)
        self.pages.close()
        self.rejects.close()
        out = Path(spider.out_dir)
        write_json_atomic(out / "state.json", spider.state.to_dict())
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        write_json_atomic(out / "stats.json", stats)
