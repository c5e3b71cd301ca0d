"""HTML pages of the demo site, with the boilerplate a real news site wraps around an article.

The article page carries what a cleaner must see through: navigation, breadcrumb, related
links with tracking parameters, reader comments, a cookie banner, a newsletter box and a footer
full of links. Only the `<article>` element holds the story; comments sit outside it.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape

from demo.markup import body_html, body_text, excerpt_text
from demo.site import SITE_NAME, Article, DemoSite, slugify

NAV = ("Smartphones", "Chips", "E-commerce", "Cloud", "EVs", "Startups", "Policy", "Reviews")
FOOTER_LINKS = (
    "About us", "Contact", "Advertise", "Careers", "Editorial standards", "Corrections",
    "Privacy policy", "Cookie policy", "Terms of use", "Accessibility", "Sitemap", "RSS feeds",
    "Newsletters", "Events", "Podcasts", "Archive", "Press releases", "Partners",
)  # fmt: skip
COMMENTERS = ("gadgetfan88", "Mei L.", "R. Okafor", "skeptical_reader", "Tomasz", "hk_trader")
COMMENTS = (
    "Great write-up, but I think the real story is pricing. My last phone cost me 399 dollars and lasted 4 years.",
    "I doubt these numbers hold up next quarter. We saw the same hype in 2019 and sales fell 12 percent after.",
    "Does anyone know if this applies to the European models too? My cousin paid 20 percent more in Berlin.",
    "The supply chain angle is underrated here. Three of my suppliers doubled lead times to 16 weeks.",
    "Interesting, thanks. Would love a follow-up comparing this with the numbers from 2 years ago.",
    "Honestly the software matters more than the hardware for me, I switched after 6 years on the other side.",
)


def iso_z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _attr(text: str) -> str:
    return escape(text, quote=True)


def page_head(title: str, base: str, path: str, *, extra: str = "", charset: str = "utf-8") -> str:
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="canonical" href="{_attr(base + path)}">
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Feed" href="{base}/feed/">
<link rel="https://api.w.org/" href="{base}/wp-json/">
<link rel="stylesheet" href="/wp-content/themes/dailynews/style.css?ver=6.5.2">
{extra}</head>
"""


def site_header() -> str:
    items = "\n".join(
        f'<li class="menu-item"><a href="/category/{slugify(n)}/">{escape(n)}</a></li>' for n in NAV
    )
    return f"""<body class="post-template-default single single-post">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header">
<div class="site-branding"><p class="site-title"><a href="/" rel="home">{SITE_NAME}</a></p>
<p class="site-description">Technology news, numbers and analysis</p></div>
<nav id="site-navigation" class="main-navigation" aria-label="Primary">
<ul id="primary-menu" class="menu">
<li class="menu-item"><a href="/">Home</a></li>
{items}
<li class="menu-item"><a href="/private/">Staff area</a></li>
</ul></nav>
<form role="search" class="search-form" action="/"><input type="search" name="s" placeholder="Search &hellip;"><button>Search</button></form>
</header>
"""


def cookie_banner() -> str:
    return """<div id="cookie-consent" class="cookie-notice" role="dialog" aria-label="Cookie consent">
<p>We and our 143 partners use cookies and similar technologies to store and access information on your device, to personalise ads and content, and to measure audiences. You can change your choice at any time under Cookie settings.</p>
<button class="cookie-accept">Accept all</button> <button class="cookie-reject">Reject all</button> <a href="/cookie-policy/">Manage preferences</a>
</div>
"""


def newsletter_box() -> str:
    return """<aside class="widget newsletter-signup">
<h3 class="widget-title">Get the Daily Brief</h3>
<p>Join 120,000 readers who get the five tech stories that matter, every weekday at 7 am. Free, and you can unsubscribe at any time.</p>
<form action="/newsletter/subscribe" method="post"><input type="email" name="email" placeholder="you@example.com"><button>Sign up</button></form>
</aside>
"""


def site_footer() -> str:
    links = "\n".join(f'<li><a href="/{slugify(n)}/">{escape(n)}</a></li>' for n in FOOTER_LINKS)
    sections = "\n".join(f'<li><a href="/category/{slugify(n)}/">{escape(n)}</a></li>' for n in NAV)
    return f"""<footer id="colophon" class="site-footer">
<div class="footer-widgets"><section><h4>Sections</h4><ul>
{sections}
</ul></section>
<section><h4>{SITE_NAME}</h4><ul>
{links}
</ul></section></div>
<div class="site-info">&copy; 2014&ndash;2026 {SITE_NAME}. All rights reserved. Proudly powered by WordPress.</div>
</footer>
<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>
<script src="/wp-content/themes/dailynews/js/navigation.js?ver=1.0"></script>
</body>
</html>
"""


def json_ld(article: Article, base: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": iso_z(article.published),
        "dateModified": iso_z(article.modified),
        "author": [{"@type": "Person", "name": article.author}],
        "publisher": {
            "@type": "Organization",
            "name": SITE_NAME,
            "logo": {"@type": "ImageObject", "url": f"{base}/wp-content/uploads/logo.png"},
        },
        "mainEntityOfPage": {"@type": "WebPage", "@id": base + article.html_path},
        "articleSection": list(article.categories),
        "keywords": list(article.tags),
        "inLanguage": "en-US",
    }
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>\n'


def article_meta(article: Article, base: str) -> str:
    description = _attr(excerpt_text(article.body, 30))
    tags = "".join(f'<meta property="article:tag" content="{_attr(t)}">\n' for t in article.tags)
    sections = "".join(
        f'<meta property="article:section" content="{_attr(c)}">\n' for c in article.categories
    )
    return (
        f'<meta name="description" content="{description}">\n'
        f'<meta name="author" content="{_attr(article.author)}">\n'
        '<meta property="og:locale" content="en_US">\n'
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{_attr(article.title)}">\n'
        f'<meta property="og:description" content="{description}">\n'
        f'<meta property="og:url" content="{_attr(base + article.html_path)}">\n'
        f'<meta property="og:site_name" content="{SITE_NAME}">\n'
        f'<meta property="article:published_time" content="{iso_z(article.published)}">\n'
        f'<meta property="article:modified_time" content="{iso_z(article.modified)}">\n'
        f"{sections}{tags}" + json_ld(article, base)
    )


def breadcrumb(article: Article) -> str:
    crumbs = ['<a href="/">Home</a>']
    if article.categories:
        first = article.categories[0]
        crumbs.append(f'<a href="/category/{slugify(first)}/">{escape(first)}</a>')
    crumbs.append(f'<span aria-current="page">{escape(article.title)}</span>')
    return (
        '<nav class="breadcrumb" aria-label="Breadcrumb">' + " &rsaquo; ".join(crumbs) + "</nav>\n"
    )


def related_articles(site: DemoSite, article: Article, count: int = 4) -> list[Article]:
    """The newest other posts of the article's first category, topped up with the newest posts."""
    same = (
        site.listings.get(("category", slugify(article.categories[0])), [])
        if article.categories
        else []
    )
    picks: list[Article] = []
    for candidate in [*same[: count + 1], *site.newest_first[: 2 * count + 2]]:
        if candidate.id != article.id and candidate.format == "post" and candidate not in picks:
            picks.append(candidate)
    return picks[:count]


def related_list(site: DemoSite, article: Article) -> str:
    """Links to other articles, with the tracking parameters real sites add."""
    items = "\n".join(
        f'<li><a href="{a.html_path}?utm_source=related&amp;utm_medium=web&amp;utm_campaign=article-footer">{escape(a.title)}</a></li>'
        for a in related_articles(site, article)
    )
    return f"""<section class="related-posts">
<h3>Related articles</h3>
<ul>
{items}
</ul>
</section>
"""


def comments_section(article: Article) -> str:
    """Two or three reader comments, chosen by article id (they are not the article)."""
    count = 2 + article.id % 2
    items = []
    for i in range(count):
        k = (article.id + 2 * i) % len(COMMENTS)
        name = COMMENTERS[(article.id + i) % len(COMMENTERS)]
        items.append(
            f"""<li id="comment-{article.id * 10 + i}" class="comment">
<article class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{escape(name)}</b> <span class="says">says:</span></div>
<div class="comment-metadata"><time datetime="{iso_z(article.published)}">{article.published:%B} {article.published.day}, {article.published:%Y}</time></div></footer>
<div class="comment-content"><p>{escape(COMMENTS[k])}</p></div>
<div class="reply"><a class="comment-reply-link" href="#respond">Reply</a></div>
</article>
</li>"""
        )
    joined = "\n".join(items)
    return f"""<section id="comments" class="comments-area">
<h2 class="comments-title">{count} thoughts on &ldquo;{escape(article.title)}&rdquo;</h2>
<ol class="comment-list">
{joined}
</ol>
<div id="respond" class="comment-respond"><h3>Leave a Reply</h3><form action="/wp-comments-post.php" method="post"><textarea name="comment"></textarea><button>Post Comment</button></form></div>
</section>
"""


def article_element(article: Article) -> str:
    tags = " ".join(f'<a href="/tag/{slugify(t)}/" rel="tag">{escape(t)}</a>' for t in article.tags)
    updated = ""
    if article.modified > article.published:
        updated = f' <span class="updated">Updated <time datetime="{iso_z(article.modified)}">{article.modified:%B} {article.modified.day}, {article.modified:%Y}</time></span>'
    return f"""<article id="post-{article.id}" class="post-{article.id} post type-post status-publish format-standard hentry">
<header class="entry-header">
<h1 class="entry-title">{escape(article.title)}</h1>
<div class="entry-meta"><span class="byline">By <span class="author vcard"><a class="url fn n" href="/author/{slugify(article.author)}/" rel="author">{escape(article.author)}</a></span></span>
<span class="posted-on"><time class="entry-date published" datetime="{iso_z(article.published)}">{article.published:%B} {article.published.day}, {article.published:%Y}</time></span>{updated}</div>
</header>
<div class="entry-content">
{body_html(article.body)}</div>
<footer class="entry-footer"><span class="tags-links">Tags: {tags}</span></footer>
</article>
"""


def article_page(site: DemoSite, article: Article, base: str) -> str:
    head = page_head(
        f"{article.title} | {SITE_NAME}", base, article.html_path, extra=article_meta(article, base)
    )
    return (
        head
        + site_header()
        + cookie_banner()
        + '<div id="content" class="site-content"><main id="main" class="site-main">\n'
        + breadcrumb(article)
        + article_element(article)
        + '<div class="share-buttons"><a href="/share?network=x">Share on X</a> <a href="/share?network=linkedin">Share on LinkedIn</a> <a href="/share?network=email">Email</a></div>\n'
        + related_list(site, article)
        + comments_section(article)
        + "</main>\n"
        + '<div id="secondary" class="widget-area">\n'
        + newsletter_box()
        + "</div></div>\n"
        + site_footer()
    )


def wire_text(article: Article) -> str:
    """The plain-text wire copy: `date YYYY-MM-DD <title>`, a blank line, the paragraphs."""
    return f"date {article.published:%Y-%m-%d} {article.title}\n\n{body_text(article.body)}"


def listing_page(site: DemoSite, title: str, path: str, articles: list[Article], base: str) -> str:
    items = "\n".join(
        f"""<li class="post-{a.id}"><h2 class="entry-title"><a href="{a.html_path}">{escape(a.title)}</a></h2>
<div class="entry-meta">By {escape(a.author)} &middot; <time datetime="{iso_z(a.published)}">{a.published:%B} {a.published.day}, {a.published:%Y}</time></div>
<p class="excerpt">{escape(excerpt_text(a.body, 25))}</p></li>"""
        for a in articles
    )
    return (
        page_head(f"{title} | {SITE_NAME}", base, path)
        + site_header()
        + cookie_banner()
        + f'<div id="content" class="site-content"><main id="main" class="site-main">\n<h1 class="page-title">{escape(title)}</h1>\n<ul class="post-list">\n{items}\n</ul>\n</main>\n'
        + '<div id="secondary" class="widget-area">\n'
        + newsletter_box()
        + "</div></div>\n"
        + site_footer()
    )


def private_page(path: str, base: str) -> str:
    return (
        page_head(f"Staff area | {SITE_NAME}", base, path)
        + site_header()
        + f"""<main id="main"><article><h1>Internal: editorial planning</h1>
<p>This page is for staff only and is excluded from crawling by robots.txt. Next quarter's plan: 40 features, 12 investigations and a budget of 250,000 dollars.</p>
<p>Path requested: {escape(path)}</p></article></main>
"""
        + site_footer()
    )


def not_found_page(path: str, base: str) -> str:
    return (
        page_head(f"Page not found | {SITE_NAME}", base, path)
        + site_header()
        + f'<main id="main"><section class="error-404 not-found"><h1 class="page-title">Oops! That page can&rsquo;t be found.</h1><p>Nothing was found at {escape(path)}. Maybe try a search?</p></section></main>\n'
        + site_footer()
    )
