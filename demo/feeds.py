"""Feeds (RSS 2.0, Atom, full-content RSS), sitemaps (index, posts, Google News, text) and robots.txt.

Feeds show the newest 50 articles, as real feeds do; sitemaps list every article, at most
1,000 URLs per sitemap file, all linked from `/sitemap_index.xml`.
"""

from __future__ import annotations

import functools
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from demo.markup import body_html, excerpt_text
from demo.site import SITE_EPOCH, SITE_NAME, Article, DemoSite

FEED_ITEMS = 50
SITEMAP_MAX_URLS = 1000


def w3c(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def rfc822(moment: datetime) -> str:
    return format_datetime(moment)  # "Mon, 06 Jan 2014 01:48:46 +0000"


def feed_articles(site: DemoSite) -> list[Article]:
    return site.newest_first[:FEED_ITEMS]


def _rss_item(site: DemoSite, article: Article, base: str, full: bool) -> str:
    categories = "".join(
        f"\n<category>{escape(name)}</category>" for name in (*article.categories, *article.tags)
    )
    content = ""
    if full:
        content = f"\n<content:encoded>{escape(body_html(article.body))}</content:encoded>"
    return f"""<item>
<title>{escape(article.title)}</title>
<link>{escape(base + article.url_path)}</link>
<dc:creator>{escape(article.author)}</dc:creator>
<pubDate>{rfc822(article.published)}</pubDate>{categories}
<guid isPermaLink="false">{escape(f"{base}/?p={article.id}")}</guid>
<description>{escape(excerpt_text(article.body))}</description>{content}
</item>"""


def rss(site: DemoSite, base: str, *, full: bool = False) -> tuple[str, datetime]:
    """RSS 2.0 of the newest 50 articles (`full` adds `content:encoded`), and its newest date."""
    articles = feed_articles(site)
    newest = site.newest_modified(articles)
    self_path = "/feed/full/" if full else "/feed/"
    items = "\n".join(_rss_item(site, a, base, full) for a in articles)
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:atom="http://www.w3.org/2005/Atom"
 xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
<title>{SITE_NAME}</title>
<atom:link href="{escape(base + self_path)}" rel="self" type="application/rss+xml"/>
<link>{escape(base)}/</link>
<description>Technology news, numbers and analysis</description>
<lastBuildDate>{rfc822(newest)}</lastBuildDate>
<language>en-US</language>
<sy:updatePeriod>hourly</sy:updatePeriod>
<sy:updateFrequency>1</sy:updateFrequency>
<generator>https://wordpress.org/?v=6.5.2</generator>
{items}
</channel>
</rss>
"""
    return text, newest


def atom(site: DemoSite, base: str) -> tuple[str, datetime]:
    """Atom 1.0 of the newest 50 articles, and its newest date."""
    articles = feed_articles(site)
    newest = site.newest_modified(articles)
    entries = []
    for a in articles:
        categories = "".join(
            f'\n<category term="{escape(c, {chr(34): "&quot;"})}"/>' for c in a.categories
        )
        entries.append(f"""<entry>
<id>{escape(f"{base}/?p={a.id}")}</id>
<title type="html">{escape(a.title)}</title>
<link rel="alternate" type="text/html" href="{escape(base + a.url_path)}"/>
<published>{w3c(a.published)}</published>
<updated>{w3c(a.modified)}</updated>
<author><name>{escape(a.author)}</name></author>{categories}
<summary type="html">{escape(excerpt_text(a.body))}</summary>
</entry>""")
    joined = "\n".join(entries)
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-US">
<title type="text">{SITE_NAME}</title>
<subtitle type="text">Technology news, numbers and analysis</subtitle>
<id>{escape(base)}/feed/atom/</id>
<updated>{w3c(newest)}</updated>
<link rel="alternate" type="text/html" href="{escape(base)}/"/>
<link rel="self" type="application/atom+xml" href="{escape(base)}/feed/atom/"/>
<generator uri="https://wordpress.org/" version="6.5.2">WordPress</generator>
{joined}
</feed>
"""
    return text, newest


# --- sitemaps -----------------------------------------------------------------------------


def chunks(items: list, size: int = SITEMAP_MAX_URLS) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


@functools.lru_cache(maxsize=8)
def _sitemap_chunks(
    site: DemoSite, version: int
) -> tuple[list[list[Article]], list[list[Article]]]:
    # Posts sitemaps run oldest first (a new article only touches the last file); news newest first.
    oldest_first = sorted(site.articles, key=lambda a: (a.published, a.id))
    return chunks(oldest_first), chunks(site.newest_first)


def post_sitemaps(site: DemoSite) -> list[list[Article]]:
    return _sitemap_chunks(site, site.version)[0]


def news_sitemaps(site: DemoSite) -> list[list[Article]]:
    return _sitemap_chunks(site, site.version)[1]


def news_sitemap_path(number: int) -> str:
    return "/news-sitemap.xml" if number == 1 else f"/news-sitemap-{number}.xml"


def sitemap_index(site: DemoSite, base: str) -> tuple[str, datetime]:
    entries = []
    for number, group in enumerate(post_sitemaps(site), 1):
        entries.append((f"/sitemap-posts-{number}.xml", site.newest_modified(group)))
    for number, group in enumerate(news_sitemaps(site), 1):
        entries.append((news_sitemap_path(number), site.newest_modified(group)))
    body = "\n".join(
        f"<sitemap>\n<loc>{escape(base + path)}</loc>\n<lastmod>{w3c(moment)}</lastmod>\n</sitemap>"
        for path, moment in entries
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{body}
</sitemapindex>
"""
    return text, max(m for _, m in entries)


def urlset(base: str, entries: list[tuple[str, datetime]]) -> str:
    body = "\n".join(
        f"<url>\n<loc>{escape(base + path)}</loc>\n<lastmod>{w3c(moment)}</lastmod>\n</url>"
        for path, moment in entries
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{body}
</urlset>
"""


def posts_sitemap(site: DemoSite, base: str, number: int) -> tuple[str, datetime] | None:
    groups = post_sitemaps(site)
    if not 1 <= number <= len(groups):
        return None
    group = groups[number - 1]
    return urlset(base, [(a.url_path, a.modified) for a in group]), site.newest_modified(group)


def news_sitemap(site: DemoSite, base: str, number: int) -> tuple[str, datetime] | None:
    groups = news_sitemaps(site)
    if not 1 <= number <= len(groups):
        return None
    group = groups[number - 1]
    entries = "\n".join(
        f"""<url>
<loc>{escape(base + a.url_path)}</loc>
<lastmod>{w3c(a.modified)}</lastmod>
<news:news>
<news:publication><news:name>{SITE_NAME}</news:name><news:language>en</news:language></news:publication>
<news:publication_date>{w3c(a.published)}</news:publication_date>
<news:title>{escape(a.title)}</news:title>
<news:keywords>{escape(", ".join(a.tags))}</news:keywords>
</news:news>
</url>"""
        for a in group
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{entries}
</urlset>
"""
    return text, site.newest_modified(group)


def sitemap_txt(site: DemoSite, base: str) -> tuple[str, datetime]:
    articles = sorted(site.articles, key=lambda a: (a.published, a.id))
    return "".join(f"{base}{a.url_path}\n" for a in articles), site.newest_modified()


def robots_txt(site: DemoSite, base: str) -> str:
    lines = [
        "User-agent: *",
        "Disallow: /private/",
        "Disallow: /wp-admin/",
        "Allow: /wp-admin/admin-ajax.php",
    ]
    if site.crawl_delay is not None:
        lines.append(f"Crawl-delay: {site.crawl_delay:g}")
    lines += ["", f"Sitemap: {base}/sitemap_index.xml", ""]
    return "\n".join(lines)


ROBOTS_DATE = SITE_EPOCH
