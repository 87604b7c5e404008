"""`gazette serve`: the citizens' portal, a Starlette application that only reads the archive.

- every URL of the static edition (`gazette/web/urls.py`) answers with the same page,
  rendered on request from the same page data and templates (`Edition`), or the same file
  (a page image the site makes from an original is made on request: `derived_response`);
- ``/search/`` (and its twin ``/search/index.json``, its Atom feed ``/search/feed.xml``, all
  with the same parameters: `gazette.web.searching`), ``/api/search``, ``/api/documents/{id}``,
  ``/api/issues/{id}``, ``/api/openapi.json``, ``/healthz``.

Why render on request and not serve a built site from a cache folder: a page of this archive
exists at a URL only when the edition's tables name it, so no request path is ever joined onto
a folder (no traversal to defend against), nothing is written anywhere (the server needs no
writable folder at all), and a change to the archive shows on the next request without a
rebuild of every page. A document page renders in about a millisecond.

Safety: every value is escaped by the templates (autoescape); responses carry a
Content-Security-Policy without inline scripts; only GET and HEAD (and OPTIONS for CORS) are
answered, a request with a body is refused, query parameters are bounded; 不予公开,
依申请公开 and withdrawn documents are absent everywhere (a 404, as for an id never used);
errors are friendly pages (JSON under ``/api/``), and a bug's traceback goes to the log only.

Concurrency: the handlers that read the archive or search are plain functions, which Starlette
runs in its thread pool, so a search (tantivy lets go of the GIL while it searches) or a new
edition being read after an ingest never holds up the event loop. They share one search reader
and one `EditionHolder`, both safe for threads: a search's narrowing to public documents travels
with the call (`searching.run_search`), tantivy swaps its searcher whole on a new commit, Whoosh
takes its own lock, and the holder replaces its edition whole.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from gazette.archive import Archive
from gazette.doctypes import DOC_TYPES
from gazette.exceptions import BadInputError, GazetteError, NotFoundError
from gazette.search.backend import IndexDamagedError, SearchBackend, SearchResult
from gazette.search.service import chosen_backend, open_backend
from gazette.web import urls
from gazette.web.derived import DerivedImage, derive_cached
from gazette.web.edition import Edition, EditionHolder, Reader, file_inside
from gazette.web.feeds import feed_bytes
from gazette.web.pages import Page, SiteData
from gazette.web.render import environment
from gazette.web.searching import (
    LIMIT,
    MAX_QUERY,
    SORT_LABELS,
    SearchRequest,
    closest_issuers,
    gazette_names,
    public_backend,
    public_issuers,
    result_json,
    run_search,
)

log = logging.getLogger("gazette.serve")

SEARCH = "search/index.html"
SEARCH_TWIN = "search/index.json"
SEARCH_FEED = "search/feed.xml"
MAX_QUERY_STRING = 4096  # bytes of a request's query string
MAX_PATH = 1024  # bytes of a request's path
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
_FACET_LABELS = (("year", "成文年份"), ("issuer", "发布机构"), ("doc_type", "文种"))


@dataclass
class Portal:
    """What the application serves: the archive's edition and its search index, both only read."""

    holder: EditionHolder
    index: SearchBackend  # shared by the threads that answer requests (see `run_search`)
    backend: str

    @property
    def archive(self) -> Archive:
        return self.holder.archive


def portal_environment() -> jinja2.Environment:
    """The edition's environment, with the portal's search box in the header (`base.html`)."""
    base = environment()
    env = base.overlay()
    env.globals = dict(base.globals)
    return env


_ENV: jinja2.Environment | None = None


def _env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = portal_environment()
    return _ENV


def render(
    template: str, here: str, data: SiteData, context: Mapping[str, Any], *, q: str = "", header_search: bool = True
) -> bytes:
    portal = {"search": SEARCH, "max_query": MAX_QUERY, "q": q, "header_search": header_search}
    full = {"here": here, "data": data, "site_name": data.site_name, "portal": portal, **context}
    return _env().get_template(template).render(full).encode("utf-8")


def render_page(page: Page, data: SiteData) -> bytes:
    return render(page.template, page.path, data, page.context)


class SafeJSONResponse(JSONResponse):
    """JSON with ``<``, ``>`` and ``&`` written as escapes: a value typed by someone never reads as
    markup, even to a client that sniffs."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("utf-8")


def twin_response(value: Any, status: int = 200) -> JSONResponse:
    return SafeJSONResponse(value, status_code=status, headers={"access-control-allow-origin": "*"})


# -- errors --------------------------------------------------------------------------------

_HEADINGS = {
    400: "请求有误",
    404: "未找到",
    405: "不支持的请求方式",
    413: "请求过大",
    414: "地址过长",
    500: "服务出错",
    503: "暂时无法检索",
}
_MESSAGES = {
    404: "没有这个页面或文件。它可能从未存在，或已不再公开。",
    405: "本站只提供阅读：请用浏览器打开页面。",
    413: "本站不接收上传的内容。",
    500: "服务出现了问题，已记录，请稍后再试。",
}


def error_here(path: str) -> str:
    """A site path for an error page at request path ``path`` whose relative links still work."""
    path = path.lstrip("/")
    if not path or path.endswith("/"):
        return path + urls.INDEX
    return path.rsplit("/", 1)[0] + "/" + urls.INDEX if "/" in path else urls.INDEX


def error_response(request: Request, status: int, message: str | None = None) -> Response:
    message = message or _MESSAGES.get(status) or _HEADINGS.get(status, "请求有误")
    heading = _HEADINGS.get(status, "请求有误")
    if request.url.path.startswith("/api/") or request.url.path.endswith(".json"):
        return twin_response({"error": {"status": status, "message": message}}, status)
    portal: Portal | None = getattr(request.app.state, "portal", None)
    try:
        data = portal.holder.current().data if portal else None
        if data is None:
            raise RuntimeError("no archive")
        body = render("error.html", error_here(request.url.path), data, {"heading": heading, "message": message})
    except Exception:  # the error page itself must not fail: plain text then
        log.exception("the error page could not be rendered")
        return Response(f"{status} {heading}：{message}\n", status, media_type="text/plain; charset=utf-8")
    return Response(body, status, media_type="text/html; charset=utf-8")


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return error_response(request, error.status_code, error.detail if error.detail not in _HEADINGS.values() else None)


async def server_error(request: Request, error: Exception) -> Response:
    log.error("bug while answering %s", request.url.path, exc_info=error)
    return error_response(request, 500)


# -- the edition's pages and files ---------------------------------------------------------


def _portal(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal


def request_site_path(request: Request) -> str:
    """The site path of the request (its path already percent-decoded once by the server:
    ``%252e`` stays ``%2e``, which names nothing)."""
    path: str = request.scope["path"]
    if "\x00" in path or "\\" in path:
        raise HTTPException(404)
    path = path.lstrip("/")
    if path == "" or path.endswith("/"):
        return path + urls.INDEX
    return path


def edition_file(request: Request) -> Response:
    portal = _portal(request)
    edition = portal.holder.current()
    path = request_site_path(request)
    found = edition.find(path)
    if found is None:
        if edition.find(path + "/" + urls.INDEX) is not None:  # a page's folder without its slash
            return RedirectResponse(urls.url_path(path + "/" + urls.INDEX), 308)
        raise HTTPException(404)
    if found.kind == "page":
        assert found.page is not None
        return Response(render_page(found.page, edition.data), media_type=found.media_type)
    if found.kind == "twin":
        assert found.page is not None
        return twin_response(found.page.twin)
    if found.kind == "file":
        assert found.file is not None
        real = file_inside(found.file, portal.archive.data)
        if real is None:
            log.warning("refused %s: %s is not a file inside the archive", path, found.file)
            raise HTTPException(404)
        return FileResponse(real, media_type=found.media_type)
    if found.kind == "derived":
        assert found.derived is not None
        return derived_response(request, portal, found.derived, found.media_type)
    headers = {"access-control-allow-origin": "*"} if path.startswith(("feeds/", "data/", "catalogue/")) else {}
    return Response(found.content, media_type=found.media_type, headers=headers)


def derived_response(request: Request, portal: Portal, image: DerivedImage, media: str) -> Response:
    """A page image made from the original on request (in Starlette's thread pool: this handler is
    not a coroutine), kept in memory for the next reader (`derive_cached`); its ETag names what it
    is made of, so a browser's copy is revalidated without making the image again."""
    etag = f'"{image.key}"'
    headers = {"etag": etag, "cache-control": "no-cache"}
    inside = all(file_inside(path, portal.archive.data) is not None for path in (image.original, image.geometry))
    if not inside:
        log.warning("refused %s: its original or geometry is not a file inside the archive", image.path)
        raise HTTPException(404)
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    content = derive_cached(image)
    if content is None:
        raise HTTPException(404)
    return Response(content, media_type=media, headers=headers)


# -- search --------------------------------------------------------------------------------


def _search(portal: Portal, edition: Edition, request: SearchRequest, **options: Any) -> SearchResult:
    return run_search(portal.index, edition, request, **options)


def _search_request(request: Request) -> SearchRequest:
    params = request.query_params
    for name in params:
        if len(params.getlist(name)) > 1:
            raise BadInputError(f"参数 {name} 只能给一次")
    return SearchRequest.from_params(params)


def _page_numbers(page: int, pages: int) -> list[int]:
    return sorted({1, pages, *range(max(1, page - 3), min(pages, page + 3) + 1)})


def _hints(portal: Portal, edition: Edition, search: SearchRequest) -> list[dict[str, str | None]]:
    """What to try when nothing matches: each filter left out (with how many it then finds),
    the closest issuers, the phrase without quotes."""
    hints: list[dict[str, str | None]] = []
    for name, label, value in (
        ("issuer", "发布机构", search.issuer),
        ("type", "文种", search.type),
        ("gazette", "公报", search.gazette),
    ):
        if not value:
            continue
        wider = SearchRequest(**{**vars(search), name: "", "page": 1})
        try:
            total = _search(portal, edition, wider, limit=1, page=1).total
        except GazetteError:
            continue
        if total:
            hints.append({"text": f"去掉{label}“{value}”，可找到 {total} 件", "url": _search_url(wider.params())})
    if search.date_from or search.date_to:
        wider = SearchRequest(**{**vars(search), "date_from": "", "date_to": "", "page": 1})
        hints.append({"text": "不限成文年份再检索", "url": _search_url(wider.params())})
    if search.issuer:
        for name in closest_issuers(edition, search.issuer):
            if name != search.issuer:
                hints.append(
                    {
                        "text": f"发布机构是否为“{name}”？",
                        "url": _search_url({**search.params(page=None), "issuer": name}),
                    }
                )
    if '"' in search.q or "“" in search.q:
        plain = search.q.replace('"', " ").replace("“", " ").replace("”", " ").strip()
        if plain:
            hints.append(
                {"text": f"不加引号检索：{plain}", "url": _search_url({**search.params(page=None), "q": plain})}
            )
    if not hints:
        hints.append({"text": "换一个词，或少用几个词再试", "url": None})
    return hints


def _search_url(params: Mapping[str, str], path: str = SEARCH) -> str:
    return urls.url_path(path) + ("?" + urlencode(params) if params else "")


def search_page(request: Request) -> Response:
    portal = _portal(request)
    edition = portal.holder.current()
    data = edition.data
    here = request_site_path(request)
    if here != SEARCH:
        here = SEARCH
    status = 200
    problem = None
    result: SearchResult | None = None
    search = SearchRequest()
    try:
        search = _search_request(request)
        if portal.index.exists():
            result = _search(portal, edition, search)
        else:
            status, problem = (
                503,
                f"检索索引尚未建立：请管理员运行 `gazette index --archive {portal.archive.root.name}`。",
            )
        if result is not None and search.page > 1 and not result.hits and result.total:
            status = 404
            problem = f"第 {search.page} 页超出范围：共 {result.total} 件，{result.pages(LIMIT)} 页。"
            result = None
    except NotFoundError as error:  # an issuer or type nobody has: nothing matches, with the closest names
        result = SearchResult(0, (), {})
        log.info("search: %s", error)
    except IndexDamagedError:
        status, problem = 503, "检索索引已损坏：请管理员运行 `gazette index --rebuild`。"
    except BadInputError as error:
        status, problem = 400, _friendly(error)
        search = _safe_request(request)
    link = _linker(search)
    facets = []
    if result is not None:
        for name, label in _FACET_LABELS:
            param = {"issuer": "issuer", "doc_type": "type", "year": "year"}[name]
            counts = []
            for value, count in result.facets.get(name, {}).items():
                chosen = (param == "year" and search.date_from == value == search.date_to) or (
                    param != "year" and getattr(search, param) == value
                )
                url = (
                    link(from_=value, to=value, page=None) if param == "year" else link(**{param: value, "page": None})
                )
                counts.append((value, count, url, chosen))
            if name == "year":
                counts.sort(key=lambda item: item[0], reverse=True)
            facets.append((name, label, counts))
    pages = result.pages(LIMIT) if result is not None else 0
    context = {
        "search": search,
        "result": result,
        "problem": problem,
        "facets": facets,
        "pages": pages,
        "first": (search.page - 1) * LIMIT + 1,
        "page_numbers": _page_numbers(search.page, pages) if pages else [],
        "snippets": [Markup(hit.snippet.html()) for hit in result.hits] if result else [],
        "hints": _hints(portal, edition, search) if result is not None and not result.total else [],
        "link": link,
        "search_url": urls.url_path(SEARCH),
        "max_query": MAX_QUERY,
        "feed_url": _search_url(search.params(page=None), SEARCH_FEED),
        "json_url": _search_url(search.params(), SEARCH_TWIN),
        "issuers": public_issuers(edition),
        "doc_types": list(DOC_TYPES),
        "gazettes": gazette_names(edition),
        "sort_labels": SORT_LABELS,
    }
    body = render("search.html", here, data, context, q=search.q, header_search=False)
    return Response(body, status, media_type="text/html; charset=utf-8")


def _linker(search: SearchRequest) -> Callable[..., str]:
    def link(**changes: Any) -> str:
        return _search_url(search.params(**changes))

    return link


def _safe_request(request: Request) -> SearchRequest:
    """What a bad request's form still shows: the query cut to the limit, nothing else."""
    return SearchRequest(q=request.query_params.get("q", "")[:MAX_QUERY])


def _friendly(error: GazetteError) -> str:
    message = str(error)
    return message if any("\u4e00" <= ch <= "\u9fff" for ch in message[:12]) else f"检索式有误：{message}"


def search_json(request: Request) -> Response:
    portal = _portal(request)
    edition = portal.holder.current()
    try:
        search = _search_request(request)
        if not portal.index.exists():
            return error_response(request, 503, "the search index is missing: run `gazette index`")
        result = _search(portal, edition, search)
    except NotFoundError as error:
        return twin_response({"total": 0, "hits": [], "facets": {}, "message": str(error)})
    except IndexDamagedError:
        return error_response(request, 503, "the search index is damaged: run `gazette index --rebuild`")
    except BadInputError as error:
        return error_response(request, 400, str(error))
    if search.page > 1 and not result.hits and result.total:
        return error_response(
            request, 404, f"page {search.page} is past the end: {result.total} documents, {result.pages(LIMIT)} pages"
        )
    return twin_response(result_json(result, search, edition, str(request.base_url)))


def search_feed(request: Request) -> Response:
    """The search as an Atom feed: its 50 newest matches (by 成文日期), with absolute links."""
    portal = _portal(request)
    edition = portal.holder.current()
    try:
        search = _search_request(request)
        if not portal.index.exists():
            return error_response(request, 503, "检索索引尚未建立：请管理员运行 `gazette index`。")
        result = _search(portal, edition, search, sort="date_desc", page=1, limit=50)
    except NotFoundError:
        result = SearchResult(0, (), {})
    except IndexDamagedError:
        return error_response(request, 503, "检索索引已损坏：请管理员运行 `gazette index --rebuild`。")
    except BadInputError as error:
        return error_response(request, 400, _friendly(error))
    from dataclasses import replace

    base = str(request.base_url)
    data = replace(edition.data, base_url=base) if not edition.data.base_url else edition.data
    docs = [data.documents[hit.id] for hit in result.hits if hit.id in data.documents]
    title = f"{data.site_name}检索：{search.q or '全部文件'}" + "".join(
        f" {label}:{value}"
        for label, value in (
            ("机关", search.issuer),
            ("类型", search.type),
            ("自", search.date_from),
            ("至", search.date_to),
            ("公报", search.gazette),
        )
        if value
    )
    atom = feed_bytes(SEARCH_FEED, title, SEARCH, docs, data)
    params = search.params(page=None)
    atom = _feed_links(atom, data.base_url or base, params)
    return Response(
        atom, media_type="application/atom+xml; charset=utf-8", headers={"access-control-allow-origin": "*"}
    )


def _feed_links(atom: bytes, base: str, params: Mapping[str, str]) -> bytes:
    """The feed's id, self and alternate links with the search's parameters."""
    from lxml import etree

    ns = "{http://www.w3.org/2005/Atom}"
    root = etree.fromstring(atom)
    query = "?" + urlencode(params) if params else ""
    self_url = base.rstrip("/") + urls.url_path(SEARCH_FEED) + query
    for link in root.iterfind(f"{ns}link"):
        if link.get("rel") == "self":
            link.set("href", self_url)
        elif link.get("rel") == "alternate":
            link.set("href", base.rstrip("/") + urls.url_path(SEARCH) + query)
    feed_id = root.find(f"{ns}id")
    if feed_id is not None:
        feed_id.text = self_url
    return bytes(etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8"))


# -- the JSON API ------------------------------------------------------------------------------


def api_document(request: Request) -> Response:
    edition = _portal(request).holder.current()
    doc = edition.data.documents.get(request.path_params["doc_id"])
    if doc is None:
        return error_response(request, 404, "no public document has this id")
    page = edition.page(urls.document_page(doc.id))
    assert page is not None and page.twin is not None
    return twin_response(page.twin)


def api_issue(request: Request) -> Response:
    edition = _portal(request).holder.current()
    issue_id = request.path_params["issue_id"]
    page = edition.page(urls.issue_page(issue_id))
    issue = next((i for i in edition.data.issues if i.id == issue_id), None)
    if page is None or issue is None:
        return error_response(request, 404, "no issue has this id")
    return twin_response(page.twin)


def healthz(request: Request) -> Response:
    portal = _portal(request)
    edition = portal.holder.current()
    exists = portal.index.exists()
    record: dict[str, Any] = {
        "status": "ok" if exists else "degraded",
        "documents": len(edition.data.documents),
        "issues": len(edition.data.issues),
        "generation": edition.generation,
        "search": {"backend": portal.backend, "index": "ok" if exists else "missing"},
    }
    if not exists:
        record["search"]["fix"] = f"run `gazette index --archive {portal.archive.root}`"
    return JSONResponse(record, headers={"cache-control": "no-store"})


async def openapi(request: Request) -> Response:
    from gazette.web.openapi import openapi_document

    return twin_response(openapi_document(str(request.base_url)))


async def api_unknown(request: Request) -> Response:
    return error_response(request, 404, "no such endpoint; see /api/openapi.json")


# -- middleware ------------------------------------------------------------------------------


class Guard:
    """Read-only and bounded: GET/HEAD (OPTIONS for CORS preflight) without a body, a bounded path
    and query string; the security headers on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in SECURITY_HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        if refusal is not None:
            status, message = refusal
            response = error_response(Request(scope), status, message)
            await response(scope, receive, send_with_headers)
            return
        if scope["method"] == "OPTIONS":
            response = Response(
                status_code=204,
                headers={
                    "access-control-allow-origin": "*",
                    "access-control-allow-methods": "GET, HEAD, OPTIONS",
                    "access-control-allow-headers": "accept",
                    "access-control-max-age": "86400",
                    "allow": "GET, HEAD, OPTIONS",
                },
            )
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _refusal(scope: Scope) -> tuple[int, str] | None:
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            return 405, _MESSAGES[405]
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"0")
        if (length.strip() not in (b"", b"0")) or b"transfer-encoding" in headers:
            return 413, _MESSAGES[413]
        if len(scope.get("query_string", b"")) > MAX_QUERY_STRING:
            return 400, f"查询过长：地址中的参数最多 {MAX_QUERY_STRING} 字节。"
        if len(scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")) > MAX_PATH:
            return 414, "地址过长。"
        return None


# -- the application -------------------------------------------------------------------------


def create_app(
    archive_root: Path, *, backend: str | None = None, reader: Reader | None = None, base_url: str | None = None
) -> Starlette:
    """The portal over the archive at ``archive_root``, which it only reads (no index is built
    or repaired here: /healthz and the search page say to run `gazette index`)."""
    archive = Archive.open_existing(Path(archive_root))
    name = chosen_backend(archive, backend)
    index = public_backend(open_backend(archive, name))
    holder = EditionHolder(archive, reader=reader, base_url=base_url)
    holder.current()  # read the archive once before the first request
    portal = Portal(holder, index, name)
    routes = [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route(
            "/search",
            lambda request: RedirectResponse("/search/" + (f"?{request.url.query}" if request.url.query else ""), 308),
        ),
        Route("/search/", search_page, methods=["GET", "HEAD"]),
        Route("/search/index.html", search_page, methods=["GET", "HEAD"]),
        Route("/search/index.json", search_json, methods=["GET", "HEAD"]),
        Route("/search/feed.xml", search_feed, methods=["GET", "HEAD"]),
        Route("/api/search", search_json, methods=["GET", "HEAD"]),
        Route("/api/documents/{doc_id:path}", api_document, methods=["GET", "HEAD"]),
        Route("/api/issues/{issue_id:path}", api_issue, methods=["GET", "HEAD"]),
        Route("/api/openapi.json", openapi, methods=["GET", "HEAD"]),
        Route("/api/{rest:path}", api_unknown, methods=["GET", "HEAD"]),
        Route("/{path:path}", edition_file, methods=["GET", "HEAD"]),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        HTTPException: http_error,
        Exception: server_error,
    }
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.state.portal = portal
    app.add_middleware(Guard)
    return app
