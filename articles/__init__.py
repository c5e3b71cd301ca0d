"""Clean stage: raw page -> Article (trafilatura text + metadata, dedup keys), or a Reject."""

from articles.clean import clean_page
from articles.records import Article

__all__ = ["Article", "clean_page"]
