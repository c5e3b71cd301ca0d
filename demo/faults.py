"""Pages under `/faults/` that misbehave the way real news sites do, on request.

    slow?seconds=N     sleeps N s (at most 120), then an article page
    timeout            sleeps 60 s, then an article page (woken at once when the server stops)
    500                always HTTP 500
    flaky              HTTP 500 on the first request per server, then an article page
    429                HTTP 429 + Retry-After: 1 on the first request per server, then an article
    always-429         always HTTP 429 + Retry-After: 1
    404                HTTP 404
    truncated.json     a WordPress posts response cut off mid-JSON (200, application/json)
    wp-json/wp/v2/posts  page 1 fine (X-WP-TotalPages: 2), page 2 cut off mid-JSON
    latin1             ISO-8859-1 page, declared in Content-Type and <meta charset>
    cp1252-undeclared  Windows-1252 bytes, no charset anywhere
    gbk                a short Chinese page in GBK, declared by <meta charset> only
    huge               a 12 MB HTML page, streamed with a Content-Length
    challenge          Cloudflare "Just a moment..." (403, cf-mitigated: challenge)
    challenge-200      AWS WAF "Human Verification" (200)
    not-article        a WordPress login page
    empty              200 with an empty body
    sitemap.xml        a sitemap of every fault above except timeout and always-429

Article-serving faults show a real article of the site (canonical URL: the article's own).
Stateful faults (`flaky`, `429`) count per server; `FaultState` holds those counters and the
server's stop event, which cuts the sleeps of `slow` and `timeout` short at shutdown.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from xml.sax.saxutils import escape as xml_escape

from demo.pages import article_page, page_head, site_footer, site_header
from demo.response import HTML, JSON, XML, Response, html, json_response, wp_json
from demo.site import SITE_NAME, Article, DemoSite, url_path_for
from demo.wp import ApiUrls, paging_headers, post_json

FAULTS_DATE = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
MAX_SLEEP = 120.0
HUGE_BYTES = 12 * 1024 * 1024
# What /faults/sitemap.xml lists: every fault once, except the ones no crawl should wait for.
SITEMAP_FAULTS = (
    "slow?seconds=2", "500", "flaky", "429", "404", "truncated.json", "wp-json/wp/v2/posts",
    "latin1", "cp1252-undeclared", "gbk", "huge", "challenge", "challenge-200", "not-article", "empty",
)  # fmt: skip
# The article each article-serving fault shows: the n-th post of the site (by id).
ARTICLE_FOR = {"slow": 0, "flaky": 1, "429": 2, "timeout": 3}


@dataclass
class FaultState:
    """Per-server memory of the faults: how often each was asked for, and the stop signal."""

    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    hits: dict[str, int] = field(default_factory=dict)

    def hit(self, name: str) -> int:
        """Counts a request for `name`; returns how many came before it."""
        with self.lock:
            before = self.hits.get(name, 0)
            self.hits[name] = before + 1
            return before

    def sleep(self, seconds: float) -> None:
        self.stop.wait(max(0.0, min(seconds, MAX_SLEEP)))


PLACEHOLDER = Article(
    id=999_999,
    slug="placeholder-article",
    title="Smartphone shipments rose 8% in the third quarter",
    author="Staff Writer",
    published=FAULTS_DATE,
    modified=FAULTS_DATE,
    categories=("Smartphones",),
    tags=("shipments",),
    format="post",
    body="Global smartphone shipments rose 8% year on year to 310 million units in the third quarter.\n",
    duplicate_of=None,
    url_path=url_path_for("placeholder-article", FAULTS_DATE, "post"),
)


def fault_posts(site: DemoSite) -> list[Article]:
    posts = sorted(
        (a for a in site.articles if a.format == "post" and a.duplicate_of is None),
        key=lambda a: a.id,
    )
    return posts or [PLACEHOLDER]


def fault_article(site: DemoSite, name: str, params: dict[str, str]) -> Article:
    wanted = params.get("id", "")
    if wanted.isdigit() and int(wanted) in site.by_id:
        return site.by_id[int(wanted)]
    posts = fault_posts(site)
    return posts[ARTICLE_FOR.get(name, 0) % len(posts)]


def error_page(status: int, title: str, text: str, base: str, path: str) -> Response:
    page = page_head(f"{title} | {SITE_NAME}", base, path) + site_header()
    page += (
        f'<main id="main"><h1>{escape(title)}</h1><p>{escape(text)}</p></main>\n' + site_footer()
    )
    return html(page, status)


LATIN1_PARAGRAPHS = (
    "Zürich-based fintech Qupé has raised £4.5 million in a Series A round led by Société Générale's venture arm, the company said on Tuesday.",
    "The start-up, founded in 2021 by Hervé Müller and Inês Gonçalves, sells a payments terminal to cafés and brasseries across Europe. It says 12,000 merchants now use it, up from 3,500 a year ago.",
    "Revenue reached £1.8 million in the year to March, while the average café processed £24,000 a month through the terminal. The naïve view that small merchants will not pay for software is wrong, Müller said.",
    "Qupé plans to open offices in Málaga and São Paulo and to hire 40 engineers by the end of next year.",
)
CP1252_PARAGRAPHS = (
    "Frankfurt-based chipmaker Kessler Halbleiter said on Thursday that its “record quarter” brought in €2.3 billion in revenue, up 14% on the year – its best result since 2018.",
    "Chief executive Anna Kowalski said the company had shipped 1.2 million units of its ‘Pro’ line of power chips in the three months to June… and now expects €400 million in operating profit for the full year, up from an earlier forecast of €350 million.",
    "Demand from carmakers remained the main driver. Sales to the automotive industry rose 22% to €1.1 billion, while the industrial division grew 6% to €780 million. Consumer electronics, the smallest unit, shrank 9% to €420 million.",
    "“We are seeing the recovery we expected – but not everywhere,” Kowalski told analysts on a call. The company’s order backlog stood at €5.6 billion at the end of June, enough for roughly two and a half quarters of production.",
    "Analysts called the result “solid but not spectacular”; the shares rose 3.1% in Frankfurt trading. Kessler employs about 9,500 people and plans to open a €1.8 billion plant in Dresden in 2026.",
)
GBK_PARAGRAPHS = (
    "小米集团周五公布，第二季度智能手机出货量达到2316万部，环比增长70%，创下季度新高。",
    "董事长兼首席执行官雷军表示，公司上半年在印度的收入同比增长328%。",
    "截至7月7日，小米之家门店数量达到123家。",
)


def charset_page(title: str, paragraphs: tuple[str, ...], meta: str, lang: str) -> str:
    body = "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
{meta}<title>{escape(title)}</title>
<meta property="article:published_time" content="2024-05-01T08:00:00+00:00">
</head>
<body>
<header><a href="/">{SITE_NAME}</a> <nav><a href="/category/startups/">Startups</a> <a href="/category/policy/">Policy</a></nav></header>
<main><article>
<h1>{escape(title)}</h1>
<p class="byline">By Staff Writer, <time datetime="2024-05-01T08:00:00+00:00">1 May 2024</time></p>
{body}
</article></main>
<footer><a href="/about-us/">About us</a> <a href="/contact/">Contact</a></footer>
</body>
</html>
"""


def latin1_page() -> Response:
    text = charset_page(
        "Zürich café-payments start-up Qupé raises £4.5m",
        LATIN1_PARAGRAPHS,
        '<meta charset="iso-8859-1">\n',
        "en",
    )
    return Response(200, text.encode("iso-8859-1"), "text/html; charset=iso-8859-1")


def cp1252_page() -> Response:
    text = charset_page(
        "Kessler’s record quarter: revenue hits €2.3 billion", CP1252_PARAGRAPHS, "", "en"
    )
    return Response(200, text.encode("cp1252"), "text/html")


def gbk_page() -> Response:
    meta = '<meta charset="gbk">\n'
    text = charset_page("小米第二季度手机出货量创新高", GBK_PARAGRAPHS, meta, "zh-CN")
    return Response(200, text.encode("gbk"), "text/html")


def huge_page() -> Response:
    """A 12 MB article page, sent in pieces with an exact Content-Length."""
    head = charset_page(
        "An extremely long report",
        ("This report goes on and on.",),
        '<meta charset="utf-8">\n',
        "en",
    )
    head, tail = head.split("</article>")
    head_bytes, tail_bytes = head.encode(), ("</article>" + tail).encode()
    chunk = (
        b"<p>Paragraph after paragraph of filler: shipments rose 5% to 1,000 units, then fell 5% to 950 units, "
        b"and the cycle repeated until the page was far larger than any real article should be.</p>\n"
    )
    count = -(-(HUGE_BYTES - len(head_bytes) - len(tail_bytes)) // len(chunk))
    length = len(head_bytes) + count * len(chunk) + len(tail_bytes)

    def pieces() -> Iterator[bytes]:
        yield head_bytes
        batch = 512
        for start in range(0, count, batch):
            yield chunk * min(batch, count - start)
        yield tail_bytes

    return Response(200, b"", HTML, stream=pieces, length=length)


def cloudflare_challenge() -> Response:
    text = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta http-equiv="X-UA-Compatible" content="IE=Edge">
<meta name="robots" content="noindex,nofollow"><meta name="viewport" content="width=device-width,initial-scale=1">
<style>*{box-sizing:border-box;margin:0;padding:0}html{line-height:1.15}</style></head>
<body><div class="main-wrapper" role="main"><div class="main-content"><noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript></div></div>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: "127.0.0.1",cType: 'managed',cRay: '8c1f2e3d4a5b6c7d',cH: 'x1y2z3',cUPMDTk: "\\/faults\\/challenge?__cf_chl_tk=abc",cFPWv: 'b',cITimeS: '1714550400'};var cpo = document.createElement('script');cpo.src = '/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1?ray=8c1f2e3d4a5b6c7d';window._cf_chl_opt.cOgUHash = location.hash;document.getElementsByTagName('head')[0].appendChild(cpo);}());</script>
</body></html>
"""
    headers = [
        ("cf-mitigated", "challenge"),
        ("Server", "cloudflare"),
        ("CF-RAY", "8c1f2e3d4a5b6c7d-HKG"),
        ("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate"),
    ]
    return Response(403, text.encode(), HTML, headers)


def aws_waf_challenge() -> Response:
    text = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Human Verification</title>
<style>body{font-family:Arial,sans-serif}#challenge-container{margin:40px auto;width:320px}</style>
<script>
window.awsWafCookieDomainList = [];
window.gokuProps = {"key":"AQIDAHjcYu/GjX+QlghicBgQ/7bFaQZ+m5FKCMDnO+vTbNg96AE=","iv":"D549dwCcTAAABvcg","context":"q3V1n0Vv1Lw3Z2Fm7k9yVw=="};
</script>
<script src="/challenge.js"></script>
</head>
<body>
<div id="challenge-container"></div>
<noscript><h1>JavaScript is disabled</h1>In order to continue, we need to verify that you're not a robot. This requires JavaScript. Enable JavaScript and then reload the page.</noscript>
<script>window.addEventListener("load", function(){ AwsWafIntegration.checkForceRefresh().then(function(){ ChallengeScript.renderChallenge("#challenge-container"); }); });</script>
</body>
</html>
"""
    # No x-amzn-waf-action header: only the body tells that this 200 is a bot check.
    return Response(200, text.encode(), HTML)


def login_page(base: str) -> Response:
    page = (
        page_head(f"Log In ‹ {SITE_NAME}", base, "/faults/not-article")
        + """<body class="login">
<div id="login"><h1><a href="/">Powered by WordPress</a></h1>
<form name="loginform" id="loginform" action="/wp-login.php" method="post">
<p><label for="user_login">Username or Email Address</label><input type="text" name="log" id="user_login"></p>
<p><label for="user_pass">Password</label><input type="password" name="pwd" id="user_pass"></p>
<p class="forgetmenot"><input name="rememberme" type="checkbox" id="rememberme"> <label for="rememberme">Remember Me</label></p>
<p class="submit"><input type="submit" name="wp-submit" id="wp-submit" value="Log In"></p>
</form>
<p id="nav"><a href="/wp-login.php?action=lostpassword">Lost your password?</a></p>
<p id="backtoblog"><a href="/">&larr; Go to Demo Tech Daily</a></p>
</div>
<div class="tagcloud"><a href="/tag/5g/">5G</a> <a href="/tag/ai/">AI</a> <a href="/tag/chips/">chips</a> <a href="/tag/ev/">EV</a></div>
</body>
</html>
"""
    )
    return html(page)


def truncated_posts_json(
    site: DemoSite, base: str, posts: list[Article], *, cut: float = 0.55
) -> bytes:
    """A posts response cut off in the middle of a string, as a dropped connection leaves it."""
    urls = ApiUrls(base, False)
    full = wp_json([post_json(site, a, base, urls, False) for a in posts]).encode()
    position = int(len(full) * cut)
    while full[position - 1 : position] in (b'"', b",", b":", b"{", b"}", b"[", b"]"):
        position += 1  # stop inside a value, not on a boundary a lenient parser could close
    return full[:position]


def truncated_json(site: DemoSite, base: str) -> Response:
    posts = fault_posts(site)[:5]
    headers = [("X-WP-Total", str(len(posts))), ("X-WP-TotalPages", "1")]
    return Response(200, truncated_posts_json(site, base, posts), JSON, headers)


def faulty_wp_posts(site: DemoSite, base: str, params: dict[str, str]) -> Response:
    """Two pages of posts: page 1 is well formed, page 2 is cut off mid-JSON."""
    posts = fault_posts(site)[:6]
    if len(posts) < 2:
        posts = posts * 2
    per_page = -(-len(posts) // 2)
    page = int(params["page"]) if params.get("page", "").isdigit() else 1
    if page not in (1, 2):
        return json_response(
            {
                "code": "rest_post_invalid_page_number",
                "message": "The page number requested is larger than the number of pages available.",
                "data": {"status": 400},
            },
            400,
        )
    urls = _FaultUrls(base)
    headers = paging_headers(urls, "/wp/v2/posts", params, page, len(posts), 2)
    if page == 1:
        return json_response(
            [post_json(site, a, base, ApiUrls(base, False), False) for a in posts[:per_page]],
            headers=headers,
        )
    return Response(200, truncated_posts_json(site, base, posts[per_page:], cut=0.6), JSON, headers)


class _FaultUrls(ApiUrls):
    def __init__(self, base: str) -> None:
        super().__init__(base, False)

    def url(self, route: str, params: dict[str, str] | None = None) -> str:
        return super().url(route, params).replace("/wp-json/", "/faults/wp-json/", 1)


def faults_sitemap(base: str) -> Response:
    entries = "\n".join(
        f"<url>\n<loc>{xml_escape(f'{base}/faults/{name}')}</loc>\n<lastmod>{FAULTS_DATE:%Y-%m-%dT%H:%M:%S+00:00}</lastmod>\n</url>"
        for name in SITEMAP_FAULTS
    )
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}\n</urlset>\n'
    return Response(200, text.encode(), XML)


def too_many_requests(base: str) -> Response:
    response = error_page(
        429,
        "Too Many Requests",
        "You have sent too many requests. Please slow down.",
        base,
        "/faults/429",
    )
    response.headers.append(("Retry-After", "1"))
    return response


def _seconds(params: dict[str, str], default: float) -> float:
    try:
        return float(params.get("seconds", default))
    except ValueError:
        return default


def stateful_fault(name: str, count: int, base: str) -> Response | None:
    """The failure of a fault that fails on some requests only; None when this one succeeds."""
    if name == "500":
        return error_page(500, "Internal Server Error", "The server failed.", base, "/faults/500")
    if name == "flaky" and count == 0:
        return error_page(500, "Internal Server Error", "A temporary error.", base, "/faults/flaky")
    if name == "always-429" or (name == "429" and count == 0):
        return too_many_requests(base)
    if name == "404":
        return error_page(404, "Page not found", "Nothing is here.", base, "/faults/404")
    return None


def handle(
    name: str, params: dict[str, str], site: DemoSite, base: str, state: FaultState
) -> Response:
    """The response of fault `name` (the path after `/faults/`)."""
    count = state.hit(name)
    if name in ("slow", "timeout"):
        state.sleep(_seconds(params, 3.0) if name == "slow" else 60.0)
    if name in ("slow", "timeout", "500", "flaky", "429", "always-429", "404"):
        failure = stateful_fault(name, count, base)
        return failure or html(article_page(site, fault_article(site, name, params), base))
    simple = {
        "truncated.json": lambda: truncated_json(site, base),
        "wp-json/wp/v2/posts": lambda: faulty_wp_posts(site, base, params),
        "latin1": latin1_page,
        "cp1252-undeclared": cp1252_page,
        "gbk": gbk_page,
        "huge": huge_page,
        "challenge": cloudflare_challenge,
        "challenge-200": aws_waf_challenge,
        "not-article": lambda: login_page(base),
        "empty": lambda: Response(200, b"", HTML),
        "sitemap.xml": lambda: faults_sitemap(base),
    }
    if name in simple:
        return simple[name]()
    return error_page(
        404, "Page not found", f"There is no fault {name!r}.", base, f"/faults/{name}"
    )
