"""The demo news site over HTTP: HTML pages, WordPress REST API, feeds, sitemaps, faults.

    with serve(DemoSite()) as base:      # base == "http://127.0.0.1:NNNNN"
        urllib.request.urlopen(base + "/wp-json/wp/v2/posts")

or `python -m demo.server [--port 8765] [--extra-pages N]` in the foreground.

URL map (every article has an HTML page; `url_path` is what listings link to):
    /<yyyy>/<mm>/<slug>/            article page (query strings such as ?utm_source= ignored;
                                    without the final slash: 301 to it)
    /wire/<slug>.txt                format="text" articles as plain text
    /?p=<id>                        301 to the article page
    /, /page/<n>/                   home page, 20 newest articles per page
    /category/<slug>/, /tag/<slug>/, /author/<slug>/   listing pages (not articles)
    /private/...                    a staff page that robots.txt disallows
    /wp-json/wp/v2/posts[/<id>], /wp-json/wp/v2/{categories,tags,users}, /wp-json/
    /?rest_route=/wp/v2/...         the same API (the only form with pretty_permalinks=False,
                                    where /wp-json/... answers 301 to it)
    /feed/, /feed/full/, /feed/atom/           RSS 2.0, RSS with content:encoded, Atom (50 newest)
    /sitemap_index.xml              -> /sitemap-posts-<n>.xml and /news-sitemap.xml,
                                    /news-sitemap-<n>.xml (n >= 2), <= 1,000 URLs each;
                                    every sitemap also as .xml.gz
    /sitemap.txt, /robots.txt
    /faults/...                     see demo/faults.py

Every answer the site can regenerate carries a strong ETag and a Last-Modified and honours
If-None-Match / If-Modified-Since with 304; the faults under `/faults/` do not.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import re
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from demo import faults, feeds, pages, wp
from demo.response import ATOM, RSS, TEXT, XML, Response, html, redirect
from demo.site import SITE_EPOCH, DemoSite, slugify

HOME_PAGE_SIZE = 20
SITEMAP_RE = re.compile(r"/(sitemap-posts|news-sitemap)(?:-(\d+))?\.xml(\.gz)?")


class DemoServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its site, its base URL and its faults' state."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], site: DemoSite, *, quiet: bool = True) -> None:
        super().__init__(address, DemoHandler)
        self.site = site
        self.quiet = quiet
        self.faults = faults.FaultState()
        host, port = self.server_address[:2]
        host = "127.0.0.1" if host in ("0.0.0.0", "") else host
        self.base = f"http://{host}:{port}"


def _params(query: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}


def _xml(
    result: tuple[str, datetime] | None, content_type: str = XML, gz: bool = False
) -> Response | None:
    if result is None:
        return None
    text, newest = result
    body = text.encode("utf-8")
    if gz:
        return Response(
            200, gzip.compress(body, mtime=0), "application/x-gzip", last_modified=newest
        )
    return Response(200, body, content_type, last_modified=newest)


class Router:
    """Maps one request (path and query) to a Response."""

    def __init__(self, server: DemoServer) -> None:
        self.server, self.site, self.base = server, server.site, server.base

    def route(self, raw_path: str) -> Response:
        parts = urlsplit(raw_path)
        path, params = parts.path or "/", _params(parts.query)
        if path.startswith("/faults/"):
            return faults.handle(
                path[len("/faults/") :], params, self.site, self.base, self.server.faults
            )
        if path == "/wp-json" or path.startswith("/wp-json/"):
            return self.pretty_api(path, parts.query, params)
        if path == "/" and "rest_route" in params:
            route = params.pop("rest_route")
            return wp.handle(self.site, self.base, route, params, rest_route_form=True)
        if path == "/" and params.get("p", "").isdigit():
            return self.permalink(int(params["p"]))
        return self.page(path, params) or self.not_found(path)

    def pretty_api(self, path: str, query: str, params: dict[str, str]) -> Response:
        route = path[len("/wp-json") :] or "/"
        if not self.site.pretty_permalinks:
            # WordPress without pretty permalinks answers /wp-json/ with a redirect like this.
            return redirect(f"{self.base}/?rest_route={route}" + (f"&{query}" if query else ""))
        return wp.handle(self.site, self.base, route, params, rest_route_form=False)

    def permalink(self, article_id: int) -> Response:
        article = self.site.by_id.get(article_id)
        return (
            redirect(self.base + article.html_path)
            if article
            else self.not_found(f"/?p={article_id}")
        )

    def page(self, path: str, params: dict[str, str]) -> Response | None:
        site, base = self.site, self.base
        if path == "/robots.txt":
            return Response(
                200, feeds.robots_txt(site, base).encode(), TEXT, last_modified=SITE_EPOCH
            )
        if path in ("/feed", "/feed/"):
            return _xml(feeds.rss(site, base), RSS)
        if path == "/feed/full/":
            return _xml(feeds.rss(site, base, full=True), RSS)
        if path == "/feed/atom/":
            return _xml(feeds.atom(site, base), ATOM)
        if path == "/sitemap_index.xml":
            return _xml(feeds.sitemap_index(site, base))
        if path == "/sitemap.txt":
            return _xml(feeds.sitemap_txt(site, base), TEXT)
        if match := SITEMAP_RE.fullmatch(path):
            kind, number, gz = match.group(1), int(match.group(2) or 1), bool(match.group(3))
            if kind == "news-sitemap" and match.group(2) == "1":
                return None  # the first news sitemap is /news-sitemap.xml, not -1
            make = feeds.posts_sitemap if kind == "sitemap-posts" else feeds.news_sitemap
            return _xml(make(site, base, number), gz=gz)
        if path.startswith("/private"):
            return html(pages.private_page(path, base), last_modified=SITE_EPOCH)
        if path.startswith("/wire/"):
            article = site.by_path.get(path)
            if article and article.format == "text":
                return Response(
                    200, pages.wire_text(article).encode(), TEXT, last_modified=article.modified
                )
            return None
        return self.html_page(path)

    def html_page(self, path: str) -> Response | None:
        site, base = self.site, self.base
        if re.fullmatch(r"/\d{4}/\d\d/[^/]+/?", path):
            article = site.by_path.get(path if path.endswith("/") else path + "/")
            if article is None:
                return None
            if not path.endswith("/"):
                return redirect(base + path + "/")
            return html(pages.article_page(site, article, base), last_modified=article.modified)
        if path == "/" or (match := re.fullmatch(r"/page/(\d+)/?", path)):
            number = 1 if path == "/" else int(match.group(1))
            chosen = site.newest_first[(number - 1) * HOME_PAGE_SIZE : number * HOME_PAGE_SIZE]
            if not chosen and number > 1:
                return None
            title = "Latest news" if number == 1 else f"Latest news, page {number}"
            return self.listing(title, path, chosen)
        if match := re.fullmatch(r"/(category|tag|author)/([^/]+)/?", path):
            return self.taxonomy_page(match.group(1), match.group(2), path)
        return None

    def taxonomy_page(self, kind: str, slug: str, path: str) -> Response | None:
        chosen = self.site.listings.get((kind, slug), [])[:HOME_PAGE_SIZE]
        if not chosen:
            return None
        first = chosen[0]
        names = {"category": first.categories, "tag": first.tags, "author": (first.author,)}[kind]
        label = next(n for n in names if slugify(n) == slug)
        return self.listing(f"{kind.capitalize()}: {label}", path, chosen)

    def listing(self, title: str, path: str, chosen: list) -> Response:
        body = pages.listing_page(self.site, title, path, chosen, self.base)
        return html(body, last_modified=self.site.newest_modified(chosen))

    def not_found(self, path: str) -> Response:
        return html(pages.not_found_page(path, self.base), 404)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def is_not_modified(headers, etag: str, last_modified: datetime) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since when both are sent."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return last_modified.replace(microsecond=0) <= since
    return False


class DemoHandler(BaseHTTPRequestHandler):
    server: DemoServer
    protocol_version = "HTTP/1.1"
    server_version = "DemoTechDaily/1.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections are closed after this

    def do_GET(self) -> None:
        self.answer(send_body=True)

    def do_HEAD(self) -> None:
        self.answer(send_body=False)

    def answer(self, *, send_body: bool) -> None:
        try:
            response = Router(self.server).route(self.path)
        except Exception as exc:  # a bug in the demo site must still answer, and say what broke
            response = Response(500, f"demo server error: {exc!r}\n".encode(), TEXT)
            self.log_error("error answering %s: %r", self.path, exc)
        try:
            self.send(response, send_body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away; nothing to tell it

    def send(self, response: Response, send_body: bool) -> None:
        headers = list(response.headers)
        status = response.status
        body = response.body
        if response.last_modified is not None and status == 200:
            etag = etag_of(body)
            headers += [
                ("ETag", etag),
                ("Last-Modified", format_datetime(response.last_modified, usegmt=True)),
            ]
            if is_not_modified(self.headers, etag, response.last_modified):
                status, body = 304, b""
        self.server.site.log_request(self.command, self.path, status)
        self.send_response(status)
        if response.content_type and status != 304:
            self.send_header("Content-Type", response.content_type)
        for name, value in headers:
            self.send_header(name, value)
        if status != 304:
            length = response.length if response.stream else len(body)
            self.send_header("Content-Length", str(length))
        self.end_headers()
        if not send_body or status == 304:
            return
        if response.stream:
            for piece in response.stream():
                self.wfile.write(piece)
        else:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)


@contextlib.contextmanager
def serve(site: DemoSite | None = None, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Run the demo site in a daemon thread; yields its base URL, shuts it down on exit."""
    server = DemoServer((host, port), site if site is not None else DemoSite())
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server.base
    finally:
        server.faults.stop.set()  # wakes /faults/slow and /faults/timeout
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demo.server", description="Serve the demo news site."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--extra-pages", type=int, default=0, help="generated articles to add (benchmarks)"
    )
    parser.add_argument(
        "--crawl-delay", type=float, default=None, help="Crawl-delay for robots.txt"
    )
    parser.add_argument(
        "--no-pretty-permalinks", action="store_true", help="/wp-json/ redirects to ?rest_route="
    )
    parser.add_argument(
        "--content-dir", default=None, help="folder of article .md files (default demo/content)"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    site = DemoSite(
        args.content_dir, args.extra_pages, args.crawl_delay, not args.no_pretty_permalinks
    )
    server = DemoServer((args.host, args.port), site, quiet=not args.verbose)
    print(
        f"Demo Tech Daily: {len(site.articles)} articles at {server.base}/ (Ctrl-C stops)",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.faults.stop.set()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
