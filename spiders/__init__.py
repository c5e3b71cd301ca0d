"""Collect: Scrapy spiders for WordPress REST APIs, feeds and sitemaps, run one per source.

- `spiders.crawl.run_crawl(source, out_dir, state, timeout, polite)` runs `scrapy crawl <kind>`
  as a subprocess and returns a `CrawlResult`; the output folder is described in
  docs/contracts.md (pages.jsonl + pages/<id>.gz, rejects.jsonl, state.json, stats.json).
- `spiders.parse.{wordpress,feeds,sitemaps}`: the listings' parsers, pure functions.
- `spiders.settings` (Scrapy's project settings), `spiders.kinds` (the spiders),
  `spiders.middlewares` (guard, retries, challenges, rejects), `spiders.sink` (the pipeline).
"""
