"""The WordPress REST API (`/wp-json/wp/v2/...` or `/?rest_route=/wp/v2/...`) of the demo site.

Shapes, headers and error bodies follow WordPress 6: `date` is site-local time (the demo site
sits at UTC+8, like a Beijing newsroom), `date_gmt`/`modified_gmt` are UTC without an offset.
Plain-text wire copy is not a post and is not listed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlencode

from demo.markup import body_html, excerpt_html
from demo.response import Response, json_response
from demo.site import SITE_NAME, Article, DemoSite, Term, parse_datetime

SITE_OFFSET = timedelta(hours=8)
MAX_PER_PAGE = 100
ORDERBY = {
    "date": lambda a: (a.published, a.id),
    "modified": lambda a: (a.modified, a.id),
    "id": lambda a: a.id,
    "title": lambda a: (a.title.lower(), a.id),
    "slug": lambda a: (a.slug, a.id),
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, data: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.data = {"status": status, **(data or {})}

    def response(self) -> Response:
        return json_response(
            {"code": self.code, "message": self.message, "data": self.data}, self.status
        )


def invalid_param(name: str, message: str, code: str = "rest_invalid_param") -> ApiError:
    return ApiError(
        400,
        "rest_invalid_param",
        f"Invalid parameter(s): {name}",
        {
            "params": {name: message},
            "details": {name: {"code": code, "message": message, "data": None}},
        },
    )


def local_time(moment: datetime) -> str:
    return (moment + SITE_OFFSET).strftime("%Y-%m-%dT%H:%M:%S")


def gmt_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


@functools.lru_cache(maxsize=4096)
def cached_body_html(body: str) -> str:
    return body_html(body)


class ApiUrls:
    """Absolute API URLs in the form the request used (pretty `/wp-json` or `?rest_route=`)."""

    def __init__(self, base: str, rest_route_form: bool) -> None:
        self.base, self.rest_route_form = base, rest_route_form

    def url(self, route: str, params: dict[str, str] | None = None) -> str:
        query = urlencode(params or {})
        if self.rest_route_form:
            return f"{self.base}/?rest_route={route}" + (f"&{query}" if query else "")
        return f"{self.base}/wp-json{route}" + (f"?{query}" if query else "")


def _int_param(params: dict[str, str], name: str, default: int, low: int, high: int | None) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    bounds = (
        f"between {low} (inclusive) and {high} (inclusive)"
        if high
        else f"greater than or equal to {low}"
    )
    try:
        value = int(raw)
    except ValueError:
        raise invalid_param(name, f"{name} is not of type integer.", "rest_invalid_type") from None
    if value < low or (high is not None and value > high):
        raise invalid_param(name, f"{name} must be {bounds}", "rest_out_of_bounds")
    return value


def _date_param(params: dict[str, str], name: str) -> datetime | None:
    raw = params.get(name)
    if not raw:
        return None
    try:
        return parse_datetime(raw.replace(" ", "+"), field=name)
    except ValueError:
        raise invalid_param(name, "Invalid date.", "rest_invalid_date") from None


def _id_list(params: dict[str, str], name: str) -> set[int] | None:
    raw = params.get(name)
    if not raw:
        return None
    try:
        return {int(x) for x in raw.split(",") if x.strip()}
    except ValueError:
        raise invalid_param(
            name, f"{name}[0] is not of type integer.", "rest_invalid_type"
        ) from None


def term_json(term: Term, base: str, embedded: bool = False) -> dict:
    path = "category" if term.taxonomy == "category" else "tag"
    data = {
        "id": term.id,
        "link": f"{base}/{path}/{term.slug}/",
        "name": term.name,
        "slug": term.slug,
        "taxonomy": term.taxonomy,
    }
    return data if embedded else {**data, "description": "", "parent": 0, "meta": []}


def user_json(term: Term, base: str, urls: ApiUrls) -> dict:
    return {
        "id": term.id,
        "name": term.name,
        "url": "",
        "description": "",
        "link": f"{base}/author/{term.slug}/",
        "slug": term.slug,
        "avatar_urls": {
            "24": f"{base}/avatar/{term.slug}?s=24",
            "48": f"{base}/avatar/{term.slug}?s=48",
        },
        "_links": {
            "self": [{"href": urls.url(f"/wp/v2/users/{term.id}")}],
            "collection": [{"href": urls.url("/wp/v2/users")}],
        },
    }


def post_json(site: DemoSite, article: Article, base: str, urls: ApiUrls, embed: bool) -> dict:
    categories = site.article_categories(article)
    tags = site.article_tags(article)
    author = site.author(article)
    data = {
        "id": article.id,
        "date": local_time(article.published),
        "date_gmt": gmt_time(article.published),
        "guid": {"rendered": f"{base}/?p={article.id}"},
        "modified": local_time(article.modified),
        "modified_gmt": gmt_time(article.modified),
        "slug": article.slug,
        "status": "publish",
        "type": "post",
        "link": base + article.html_path,
        "title": {"rendered": _rendered_title(article.title)},
        "content": {"rendered": cached_body_html(article.body), "protected": False},
        "excerpt": {"rendered": excerpt_html(article.body), "protected": False},
        "author": author.id,
        "featured_media": 0,
        "comment_status": "open",
        "ping_status": "open",
        "sticky": False,
        "template": "",
        "format": "standard",
        "meta": {"footnotes": ""},
        "categories": [t.id for t in categories],
        "tags": [t.id for t in tags],
        "_links": {
            "self": [{"href": urls.url(f"/wp/v2/posts/{article.id}")}],
            "collection": [{"href": urls.url("/wp/v2/posts")}],
            "about": [{"href": urls.url("/wp/v2/types/post")}],
            "author": [{"embeddable": True, "href": urls.url(f"/wp/v2/users/{author.id}")}],
            "replies": [
                {"embeddable": True, "href": urls.url("/wp/v2/comments", {"post": str(article.id)})}
            ],
            "wp:term": [
                {
                    "taxonomy": "category",
                    "embeddable": True,
                    "href": urls.url("/wp/v2/categories", {"post": str(article.id)}),
                },
                {
                    "taxonomy": "post_tag",
                    "embeddable": True,
                    "href": urls.url("/wp/v2/tags", {"post": str(article.id)}),
                },
            ],
            "curies": [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}],
        },
    }
    if embed:
        data["_embedded"] = {
            "author": [
                {
                    "id": author.id,
                    "name": author.name,
                    "url": "",
                    "description": "",
                    "link": f"{base}/author/{author.slug}/",
                    "slug": author.slug,
                }
            ],
            "wp:term": [
                [term_json(t, base, True) for t in categories],
                [term_json(t, base, True) for t in tags],
            ],
        }
    return data


def _rendered_title(title: str) -> str:
    """WordPress's texturize: HTML-escaped, with typographic apostrophes as entities."""
    escaped = title.replace("&", "&#038;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"(?<=\w)'(?=\w)", "&#8217;", escaped)


def paginate(items: list, page: int, per_page: int) -> tuple[list, int, int]:
    total = len(items)
    pages = -(-total // per_page)
    if page > max(pages, 1):
        raise ApiError(
            400,
            "rest_post_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
        )
    return items[(page - 1) * per_page : page * per_page], total, pages


def paging_headers(
    urls: ApiUrls, route: str, params: dict[str, str], page: int, total: int, pages: int
) -> list[tuple[str, str]]:
    links = []
    base_params = {k: v for k, v in params.items() if k not in ("page", "rest_route")}
    if page > 1:
        links.append(f'<{urls.url(route, {**base_params, "page": str(page - 1)})}>; rel="prev"')
    if page < pages:
        links.append(f'<{urls.url(route, {**base_params, "page": str(page + 1)})}>; rel="next"')
    headers = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]
    if links:
        headers.append(("Link", ", ".join(links)))
    return headers


def filtered_posts(site: DemoSite, params: dict[str, str]) -> list[Article]:
    after, before = _date_param(params, "after"), _date_param(params, "before")
    modified_after = _date_param(params, "modified_after")
    modified_before = _date_param(params, "modified_before")
    categories, tags = _id_list(params, "categories"), _id_list(params, "tags")
    authors = _id_list(params, "author")
    search = (params.get("search") or "").lower()
    checks: list[Callable[[Article], bool]] = []
    if after:
        checks.append(lambda a: a.published > after)
    if before:
        checks.append(lambda a: a.published < before)
    if modified_after:
        checks.append(lambda a: a.modified > modified_after)
    if modified_before:
        checks.append(lambda a: a.modified < modified_before)
    if categories:
        checks.append(lambda a: bool(categories & {t.id for t in site.article_categories(a)}))
    if tags:
        checks.append(lambda a: bool(tags & {t.id for t in site.article_tags(a)}))
    if authors:
        checks.append(lambda a: site.author(a).id in authors)
    if search:
        checks.append(lambda a: search in a.title.lower() or search in a.body.lower())
    posts = [a for a in site.articles if a.format == "post" and all(c(a) for c in checks)]
    order = params.get("order", "desc")
    if order not in ("asc", "desc"):
        raise invalid_param("order", "order is not one of asc and desc.", "rest_not_in_enum")
    orderby = params.get("orderby", "date")
    if orderby not in ORDERBY:
        raise invalid_param(
            "orderby", f"orderby is not one of {', '.join(ORDERBY)}.", "rest_not_in_enum"
        )
    posts.sort(key=ORDERBY[orderby], reverse=order == "desc")
    return posts


def list_posts(site: DemoSite, base: str, urls: ApiUrls, params: dict[str, str]) -> Response:
    page = _int_param(params, "page", 1, 1, None)
    per_page = _int_param(params, "per_page", 10, 1, MAX_PER_PAGE)
    posts = filtered_posts(site, params)
    chosen, total, pages = paginate(posts, page, per_page)
    embed = "_embed" in params
    data = [post_json(site, a, base, urls, embed) for a in chosen]
    headers = paging_headers(urls, "/wp/v2/posts", params, page, total, pages)
    newest = site.newest_modified(chosen or site.posts)
    return json_response(data, headers=headers, last_modified=newest)


def one_post(
    site: DemoSite, base: str, urls: ApiUrls, params: dict[str, str], post_id: int
) -> Response:
    article = site.by_id.get(post_id)
    if article is None or article.format != "post":
        raise ApiError(404, "rest_post_invalid_id", "Invalid post ID.")
    return json_response(
        post_json(site, article, base, urls, "_embed" in params), last_modified=article.modified
    )


def list_terms(
    site: DemoSite, base: str, urls: ApiUrls, params: dict[str, str], taxonomy: str
) -> Response:
    page = _int_param(params, "page", 1, 1, None)
    per_page = _int_param(params, "per_page", 10, 1, MAX_PER_PAGE)
    posts = site.posts
    if taxonomy == "users":
        terms = sorted(site.authors.values(), key=lambda t: t.name)
        items = [user_json(t, base, urls) for t in terms]
    else:
        pool = site.categories if taxonomy == "categories" else site.tags
        terms = sorted(pool.values(), key=lambda t: t.name.lower())
        counts: dict[str, int] = {}
        for article in posts:
            names = (
                (article.categories or ("Uncategorized",))
                if taxonomy == "categories"
                else article.tags
            )
            for name in names:
                counts[name] = counts.get(name, 0) + 1
        items = [{**term_json(t, base), "count": counts.get(t.name, 0)} for t in terms]
    chosen, total, pages = paginate(items, page, per_page)
    headers = paging_headers(urls, f"/wp/v2/{taxonomy}", params, page, total, pages)
    return json_response(chosen, headers=headers, last_modified=site.newest_modified(posts))


def api_index(base: str, urls: ApiUrls) -> Response:
    return json_response(
        {
            "name": SITE_NAME,
            "description": "Technology news, numbers and analysis",
            "url": base,
            "home": base,
            "gmt_offset": 8,
            "timezone_string": "Asia/Shanghai",
            "namespaces": ["oembed/1.0", "wp/v2"],
            "routes": {
                r: {"namespace": "wp/v2", "methods": ["GET"]}
                for r in ("/wp/v2/posts", "/wp/v2/categories", "/wp/v2/tags", "/wp/v2/users")
            },
            "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
        }
    )


def handle(
    site: DemoSite, base: str, route: str, params: dict[str, str], rest_route_form: bool
) -> Response:
    """Answer one API request for `route` (e.g. `/wp/v2/posts`), errors as WordPress words them."""
    urls = ApiUrls(base, rest_route_form)
    route = "/" + route.strip("/")
    try:
        if route == "/":
            return api_index(base, urls)
        if route == "/wp/v2/posts":
            return list_posts(site, base, urls, params)
        if match := re.fullmatch(r"/wp/v2/posts/(\d+)", route):
            return one_post(site, base, urls, params, int(match.group(1)))
        if route in ("/wp/v2/categories", "/wp/v2/tags", "/wp/v2/users"):
            return list_terms(site, base, urls, params, route.rsplit("/", 1)[1])
        raise ApiError(
            404, "rest_no_route", "No route was found matching the URL and request method."
        )
    except ApiError as error:
        return error.response()
