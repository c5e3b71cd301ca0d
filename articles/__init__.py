"""Clean stage: raw page -> Article (trafilatura text + metadata, dedup keys), or a Reject.

`clean_page` cleans one page in this process; `clean_page_limited` adds a time limit;
`clean_pages` runs many in a process pool, in input order.
"""

from articles.clean import clean_page
from articles.pool import clean_page_limited, clean_pages
from articles.records import Article

__all__ = ["Article", "clean_page", "clean_page_limited", "clean_pages"]
