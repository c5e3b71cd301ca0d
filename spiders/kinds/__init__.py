"""One spider per kind of source: `wordpress`, `feed`, `sitemap` (SPIDER_MODULES)."""
