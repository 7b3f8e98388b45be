"""The web app: ``create_app(db)`` gives a FastAPI application over a corpus.

Every HTML page has a JSON twin under ``/api/`` (same function, same figures); the OpenAPI
schema is at ``/api/openapi.json`` and a page listing the endpoints at ``/api/docs``. Nothing
is fetched from the internet: every script and style sheet is served from ``/static``.

Read-only unless ``allow_write``: then the analyse form may store a text. Without it, any
statement other than a read sent to the database is refused (a guard on the connection).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import logging
import secrets
import threading
from collections import OrderedDict
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from sqlalchemy import event
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError, SaidwhoError
from ..store import ArticleMeta, Store, open_store
from ..store.errors import DatabaseUnreachableError, NotFoundError, StoreError
from ..types import KINDS, Article
from . import data as D
from .forms import MAX_TEXT_BYTES, FormError, Upload, parse_form, read_body, too_large, upload_text
from .markup import excerpt, highlight_words, render
from .svg import timeline_svg

log = logging.getLogger("saidwho.web")
HERE = Path(__file__).parent
KIND_RX = r"^(?:|\s*(?:" + "|".join(KINDS) + r")\s*(?:,\s*(?:" + "|".join(KINDS) + r")\s*)*)$"
DATE_RX = r"^\d{4}-\d{2}-\d{2}$"
#: Host names the app answers to by default (``saidwho serve`` adds the address it listens on).
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
SITE = "saidwho"
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
     b"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    # nothing to other sites; this site's own forms keep their Origin header (checked on writes)
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class ReadOnlyError(StoreError):
    """A write reached the database of a read-only server."""


class HTTPError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _SecurityHeaders:
    """Pure ASGI middleware adding the security headers to every response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def foreign_origin(request: Request) -> None:
    """403 for a request a browser sent from another site: its Origin is not this server's, or
    Sec-Fetch-Site says so. (``Origin: null``, from a page that sends no referrer, is left to
    Sec-Fetch-Site and the form token.)"""
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
    if origin is not None and origin != "null" and origin.lower() != own:
        raise HTTPError(403, f"Refused: the request came from another site ({origin[:100]}).")
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise HTTPError(403, "Refused: the request came from another site.")


def host_name(host: str) -> str:
    """The name in a Host header, without the port: ``[::1]:8000`` -> ``::1``."""
    h = (host or "").strip().lower()
    if h.startswith("["):
        return h[1:].split("]", 1)[0]
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


class _HostCheck:
    """Answer only to the names the server is reached by (no DNS rebinding): 403 otherwise."""

    def __init__(self, app, allowed: set[str] | None) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and self.allowed is not None:
            host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
            if host_name(host) not in self.allowed:
                resp = PlainTextResponse(f"403 Forbidden: this server does not answer to the host {host[:100]!r}.\n",
                                         status_code=403)
                return await resp(scope, receive, send)
        return await self.app(scope, receive, send)


class _ETag:
    """A weak ETag on every complete GET answer (pages, JSON), and 304 when the browser has it."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        inm = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"if-none-match"), None)
        held: dict | None = None

        async def wrapped(message):
            nonlocal held
            if message["type"] == "http.response.start":
                held = message
                return
            if message["type"] == "http.response.body" and held is not None:
                start, held = held, None
                headers = list(start.get("headers", []))
                if start["status"] == 200 and not message.get("more_body") and not any(
                        k.lower() == b"etag" for k, _ in headers):
                    tag = 'W/"' + hashlib.blake2b(message.get("body", b""), digest_size=12).hexdigest() + '"'
                    headers += [(b"etag", tag.encode()), (b"cache-control", b"no-cache")]
                    if inm and tag[2:] in {t.strip().removeprefix("W/") for t in inm.split(",")}:
                        keep = [(k, v) for k, v in headers if k.lower() not in (b"content-length", b"content-type")]
                        await send({"type": "http.response.start", "status": 304, "headers": keep})
                        await send({"type": "http.response.body", "body": b""})
                        return
                    start = {**start, "headers": headers}
                await send(start)
            await send(message)

        return await self.app(scope, receive, wrapped)


def read_only_guard(store: Store) -> None:
    """Refuse every statement but reads on this store's connections."""
    allowed = {"SELECT", "WITH", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SHOW", "SET",
               "EXPLAIN", "VALUES"}

    @event.listens_for(store.engine, "before_cursor_execute", retval=True)
    def _guard(conn, cursor, statement, parameters, context, executemany):
        words = statement.lstrip().split(None, 1)
        if words and words[0].upper().rstrip(";") not in allowed:
            raise ReadOnlyError("this server is read-only (start it with `saidwho serve --allow-write`)")
        return statement, parameters


def safe_url(url: Any) -> str | None:
    """An http(s) URL to link to, or None (``javascript:`` and the like are never links)."""
    if not url or not isinstance(url, str):
        return None
    u = url.strip()
    if u.lower().startswith(("http://", "https://")) and not any(c in u for c in "\x00\r\n\t\"'<> "):
        return u
    return None


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["pct"] = lambda x: f"{100 * float(x or 0):.1f}%"
    env.filters["excerpt"] = excerpt
    env.filters["safe_url"] = safe_url
    env.filters["urlencode"] = lambda v: quote(str(v), safe="")  # a path segment: "/" quoted too
    env.filters["thousands"] = lambda n: f"{int(n or 0):,}"
    env.globals["KINDS"] = KINDS
    return env


class App:
    """State behind the routes: the store, the engine, caches."""

    def __init__(self, store: Store, allow_write: bool, engine=None, enricher=None, options=None) -> None:
        self.store = store
        self.options = options  # the engine's EngineOptions (None: the environment's)
        self.allow_write = allow_write
        self.data = D.CorpusData(store)
        self._engine = engine
        self._enricher = enricher
        self._engine_lock = threading.RLock()
        self._enriched: OrderedDict[str, dict] = OrderedDict()
        self.env = _env()
        # the form token: pages of this server carry it, other sites cannot read it
        self.csrf = secrets.token_urlsafe(32)

    # analysis

    def engine(self):
        with self._engine_lock:
            if self._engine is None:
                from ..engine import get_engine

                self._engine = get_engine(self.options)
            return self._engine

    def enricher(self):
        if self._enricher is None:
            from ..analysis import enrich

            nlp = getattr(self.engine(), "nlp", None)

            def _enrich(article: Article, outlet: str | None = None) -> dict:
                return enrich(article, outlet=outlet, nlp=nlp)

            self._enricher = _enrich
        return self._enricher

    def analyse(self, text: str, positions: bool, outlet: str | None = None) -> tuple[Article, dict, str | None]:
        """The engine's article, its (enriched) document, and a note when positions failed."""
        eng = self.engine()
        with self._engine_lock:
            art = eng.analyze(text, id="pasted")
            doc = art.to_dict()
            note = None
            if positions:
                try:
                    doc = self.enricher()(art, outlet)
                except Exception as exc:  # the analysis is optional: show the attributions anyway
                    log.warning("positions failed: %s", exc)
                    note = f"positions and disagreements could not be found ({type(exc).__name__})"
        return art, doc, note

    def enriched_doc(self, view: dict) -> dict | None:
        """The stored article's document with the positions analysis, cached in memory."""
        sha = view["meta"].get("text_sha256") or ""
        key = f"{view['meta'].get('article_id')}:{sha}"
        with self._engine_lock:
            if key in self._enriched:
                self._enriched.move_to_end(key)
                return self._enriched[key]
            art = Article.from_dict(view["doc"], view["text"])
            doc = self.enricher()(art, view["meta"].get("outlet") or view["meta"].get("site"))
            self._enriched[key] = doc
            while len(self._enriched) > 128:
                self._enriched.popitem(last=False)
            return doc

    # rendering

    def page(self, request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        def page_url(page: int) -> str:
            params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
            params.append(("page", str(page)))
            return quote(request.url.path) + "?" + urlencode(params)

        def format_url(fmt: str) -> str:
            params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "per_page", "format")]
            params.append(("format", fmt))
            return quote(request.url.path) + "?" + urlencode(params)

        ctx.setdefault("title", None)
        body = self.env.get_template(template).render(
            request=request, allow_write=self.allow_write, page_url=page_url, format_url=format_url,
            path=request.url.path, csrf=self.csrf, site=SITE, **ctx
        )
        return HTMLResponse(body, status_code=status)

    def check_write(self, request: Request, fields: dict[str, Any], form_body: bool) -> None:
        """Refuse a write sent from another site: a foreign Origin or fetch site, or a form
        without this server's token (a JSON body cannot be sent across sites without CORS)."""
        foreign_origin(request)
        token = fields.get("csrf")
        if form_body and not (isinstance(token, str) and hmac.compare_digest(token, self.csrf)):
            raise HTTPError(403, "Refused: the form's token is missing or out of date (reload the page and "
                                 "send the form again).")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


# -- parameters --------------------------------------------------------------------------------


class Paging:
    def __init__(
        self,
        page: int = Query(1, ge=1, le=1_000_000, description="Page number, from 1."),
        per_page: int = Query(20, ge=1, le=100, description="Items per page (1-100)."),
    ) -> None:
        self.page = page
        self.per_page = per_page


def _check_date(name: str, value: str | None) -> str | None:
    if value in (None, ""):
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        raise HTTPError(400, f"{name}: {value!r} is not a date (use YYYY-MM-DD)") from None
    return value


class SearchParams:
    def __init__(
        self,
        q: str | None = Query(None, max_length=500, description="Words in the quoted content (full text)."),
        speaker: str | None = Query(None, max_length=200, description="Speaker id or name (any name variant)."),
        outlet: str | None = Query(None, max_length=256, description="Outlet name."),
        since: str | None = Query(None, pattern=r"^$|" + DATE_RX, description="Published on or after (YYYY-MM-DD)."),
        until: str | None = Query(None, pattern=r"^$|" + DATE_RX, description="Published on or before (YYYY-MM-DD)."),
        kind: str | None = Query(None, pattern=KIND_RX, description="Kinds, comma-separated: "
                                 + ", ".join(KINDS)),
        vague: bool | None = Query(None, description="true: vague sources only (saidwho.analysis.is_vague); "
                                   "false: the others."),
        title: str | None = Query(None, max_length=200, description="Words in the article's title."),
        sort: str | None = Query(None, pattern=r"^$|^(?:" + "|".join(D.SORTS) + ")$",
                                 description="relevance (best match first), date (newest first, the default), "
                                 "oldest, or outlet (A-Z, then newest)."),
    ) -> None:
        import re

        if q is not None and q.strip() and not re.search(r"\w", q):
            raise HTTPError(400, "q: give at least one word to search for")
        self.q = (q or "").strip() or None
        self.speaker = (speaker or "").strip() or None
        if self.speaker and D.too_big(self.speaker):
            raise HTTPError(400, f"speaker: no speaker has the id {self.speaker}")
        self.title = (title or "").strip() or None
        self.sort = sort or None
        self.outlet = (outlet or "").strip() or None
        self.since = _check_date("since", since)
        self.until = _check_date("until", until)
        if self.since and self.until and self.since > self.until:
            raise HTTPError(400, f"since ({self.since}) is after until ({self.until})")
        self.kind = (kind or "").replace(" ", "") or None
        self.vague = vague

    def filters(self) -> dict[str, Any]:
        return {"about": self.q, "speaker": self.speaker, "outlet": self.outlet, "since": self.since,
                "until": self.until, "kind": self.kind, "vague": self.vague, "title": self.title}

    def as_dict(self) -> dict[str, Any]:
        return {"q": self.q, "speaker": self.speaker, "outlet": self.outlet, "since": self.since,
                "until": self.until, "kind": self.kind, "vague": self.vague, "title": self.title,
                "sort": self.sort}


class DisParams:
    def __init__(
        self,
        q: str | None = Query(None, max_length=500, description="Words in either statement."),
        speaker: str | None = Query(None, max_length=200, description="Either actor: a speaker id, or part of a name."),
        outlet: str | None = Query(None, max_length=256, description="Outlet name."),
        since: str | None = Query(None, pattern=r"^$|" + DATE_RX, description="Published on or after (YYYY-MM-DD)."),
        until: str | None = Query(None, pattern=r"^$|" + DATE_RX, description="Published on or before (YYYY-MM-DD)."),
        min_score: float | None = Query(None, ge=0, le=1, description="Only pairs scored at least this (0-1)."),
    ) -> None:
        self.q = (q or "").strip() or None
        self.speaker = (speaker or "").strip() or None
        self.outlet = (outlet or "").strip() or None
        self.since = _check_date("since", since)
        self.until = _check_date("until", until)
        if self.since and self.until and self.since > self.until:
            raise HTTPError(400, f"since ({self.since}) is after until ({self.until})")
        self.min_score = min_score

    def filters(self) -> dict[str, Any]:
        return {"speaker": self.speaker, "q": self.q, "outlet": self.outlet, "since": self.since,
                "until": self.until, "min_score": self.min_score}


class SpeakerListParams:
    def __init__(
        self,
        q: str | None = Query(None, max_length=200, description="Words of the name (any order)."),
        type: str | None = Query(None, pattern=r"^$|^\s*[a-z]+\s*(?:,\s*[a-z]+\s*)*$",
                                 description="Speaker types, comma-separated: person, organization, group, ..."),
    ) -> None:
        self.q = (q or "").strip() or None
        self.type = (type or "").replace(" ", "") or None


class Export:
    def __init__(
        self,
        format: str | None = Query(None, pattern=r"^$|^(?:html|json|csv)$",
                                   description="csv or json: download the whole list (every page) as a file."),
    ) -> None:
        self.format = format if format in ("csv", "json") else None


# -- the app -----------------------------------------------------------------------------------


def create_app(db: str | None = None, *, store: Store | None = None, allow_write: bool = False, engine=None,
               enricher=None, create: bool = False, hosts: Any = LOCAL_HOSTS, options: Any = None) -> FastAPI:
    """The web app over the corpus at ``db`` (a SQLite path or PostgreSQL URL) or ``store``.

    ``engine`` (with ``analyze(text, id)``) and ``enricher`` (``(article, outlet) -> dict``)
    default to saidwho's spaCy engine (built from ``options``, an
    :class:`~saidwho.options.EngineOptions`; None: the environment's) and
    :func:`saidwho.analysis.enrich`, loaded on first use.
    A missing SQLite file is refused (a one-line error) unless ``create``. ``hosts`` are the
    names the app answers to (the Host header; others get 403, which stops DNS rebinding);
    ``None`` answers to any.
    """
    store = store if store is not None else open_store(db, create=create)
    if not allow_write:
        read_only_guard(store)
    if engine is not None and options is not None:
        raise InputError("give an engine or engine options, not both")
    state = App(store, allow_write, engine=engine, enricher=enricher, options=options)
    app = FastAPI(
        title="saidwho",
        summary="Who said what in the news: the corpus as JSON.",
        description="Every page of the saidwho web app as JSON. Read-only unless the server runs with "
        "--allow-write.",
        version=_version(),
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.saidwho = state
    app.add_middleware(_ETag)
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)
    app.add_middleware(_HostCheck, allowed=None if hosts is None else {host_name(h) for h in hosts})
    app.add_middleware(_SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # -- errors ----------------------------------------------------------------------------

    def error_response(request: Request, status: int, message: str, details: list[str] | None = None) -> Response:
        if _wants_json(request):
            body: dict[str, Any] = {"error": _REASONS.get(status, "error"), "status": status, "message": message}
            if details:
                body["details"] = details
            return JSONResponse(body, status_code=status)
        form_page = _FORM_PAGES.get(request.url.path)
        if status == 400 and form_page:  # the form again, filled in, with what to fix
            raw = _Raw(request.query_params)
            ctx: dict[str, Any] = {"s": raw, "d": raw, "f": raw, "outlets": state.data.outlets(), "results": [],
                                   "speakers": [], "disagreements": [], "pagination": D.pages(0, 1, 20),
                                   "error": message, "error_details": details or []}
            return state.page(request, form_page[0], status=400, title=form_page[1], **ctx)
        return state.page(request, "error.html", status=status, title=f"{status} {_REASONS.get(status, '')}",
                          status_code=status, reason=_REASONS.get(status, "Error"), message=message,
                          details=details or [])

    @app.exception_handler(RequestValidationError)
    async def _bad_params(request: Request, exc: RequestValidationError):
        details = []
        for e in exc.errors():
            loc = ".".join(str(x) for x in e.get("loc", ())[1:]) or "request"
            msg = str(e.get("msg", "invalid"))
            if e.get("type") == "string_pattern_mismatch":
                msg = "not in the expected form" + (" (YYYY-MM-DD)" if loc in ("since", "until") else
                                                    f" ({', '.join(KINDS)})" if loc == "kind" else "")
            details.append(f"{loc}: {msg}")
        return error_response(request, 400, "Some parameters are malformed.", details)

    @app.exception_handler(HTTPError)
    async def _http_error(request: Request, exc: HTTPError):
        return error_response(request, exc.status, exc.message)

    @app.exception_handler(FormError)
    async def _form_error(request: Request, exc: FormError):
        return error_response(request, exc.status, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _starlette_error(request: Request, exc: StarletteHTTPException):
        msg = {404: f"Nothing at {request.url.path}.", 405: "This method is not allowed here."}.get(
            exc.status_code, str(exc.detail))
        resp = error_response(request, exc.status_code, msg)
        if exc.headers:
            resp.headers.update(exc.headers)
        return resp

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError):
        return error_response(request, 404, str(exc))

    @app.exception_handler(ReadOnlyError)
    async def _read_only(request: Request, exc: ReadOnlyError):
        return error_response(request, 403, str(exc))

    @app.exception_handler(DatabaseUnreachableError)
    async def _unreachable(request: Request, exc: DatabaseUnreachableError):
        log.error("%s", exc)
        return error_response(request, 503, "The corpus database cannot be reached right now.")

    @app.exception_handler(SaidwhoError)
    async def _user_error(request: Request, exc: SaidwhoError):
        return error_response(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("error on %s", request.url.path)
        return error_response(request, 500, "Something went wrong on the server; the error has been logged.")

    # -- overview --------------------------------------------------------------------------

    def overview(p: Paging) -> dict[str, Any]:
        return state.data.overview(p.page, p.per_page)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request, p: Paging = Depends()):
        return state.page(request, "index.html", title="Who said what", **overview(p))

    @app.get("/api/", tags=["corpus"], summary="Overview: counts, top speakers, outlets, recent articles")
    def api_index(p: Paging = Depends()) -> dict[str, Any]:
        return overview(p)

    @app.get("/api", include_in_schema=False)
    def api_root():
        return RedirectResponse("/api/", status_code=307)

    # -- search ----------------------------------------------------------------------------

    def search(s: SearchParams, p: Paging) -> dict[str, Any]:
        out = state.data.search(p.page, p.per_page, sort=s.sort, **s.filters())
        out["query"] = {k: v for k, v in s.as_dict().items() if v not in (None, "")}
        return out

    def search_export(s: SearchParams, fmt: str, name: str) -> Response:
        rows = state.data.iter_quotes(None, 0, s.sort or "date", **s.filters())
        return download(rows, fmt, name, QUOTE_COLUMNS)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, s: SearchParams = Depends(), p: Paging = Depends(), e: Export = Depends()):
        if e.format:
            return search_export(s, e.format, "search")
        res = search(s, p)
        words = D.highlight_terms(s.q or "")
        for r in res["results"]:
            r["content_html"] = highlight_words(excerpt(r["content"] or "", 400), words)
        return state.page(request, "search.html", title=f"Search: {s.q}" if s.q else "Search", s=s,
                          outlets=state.data.outlets(), **res)

    @app.get("/api/search", tags=["corpus"], summary="Attributions matching a full-text query and filters")
    def api_search(s: SearchParams = Depends(), p: Paging = Depends(), e: Export = Depends()):
        if e.format:
            return search_export(s, e.format, "search")
        return search(s, p)

    # -- articles --------------------------------------------------------------------------

    def article(ref: str, positions: bool) -> dict[str, Any]:
        if D.too_big(ref):
            raise NotFoundError(f"no article {ref!r}")
        view = state.data.article(ref)
        view["positions_note"] = None
        if positions and not view["analysed"]:
            try:
                doc = state.enriched_doc(view)
            except Exception as exc:
                log.warning("positions failed for article %s: %s", ref, exc)
                view["positions_note"] = f"positions could not be found ({type(exc).__name__})"
            else:
                meta = view["meta"]
                rec = state.store.article(meta["article_id"], text=False)
                fresh = D.article_view(view["text"], doc, meta, rec["attributions"], rec["speakers"])
                fresh.update(meta=meta, doc=doc, positions_note=None)
                view = fresh
        return view

    @app.get("/articles/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, ref: str, positions: bool = Query(False)):
        view = article(ref, positions)
        return state.page(request, "article.html", title=view["meta"].get("headline") or f"Article {ref}",
                          **_article_ctx(view))

    @app.get("/api/articles/{ref}", tags=["corpus"],
             summary="One article: text, attributions (with speaker, chain, vague), speakers, disagreements")
    def api_article(ref: str, positions: bool = Query(False, description="Run the positions analysis "
                                                                         "if the stored document lacks it.")):
        view = article(ref, positions)
        return _article_json(view)

    # -- speakers --------------------------------------------------------------------------

    def speaker(ref: str, p: Paging) -> dict[str, Any]:
        if D.too_big(ref):
            raise NotFoundError(f"no speaker with id {ref}")
        return state.data.speaker(ref, p.page, p.per_page)

    def speaker_export(ref: str, fmt: str) -> Response:
        if D.too_big(ref):
            raise NotFoundError(f"no speaker with id {ref}")
        sid = state.store.find_speaker(ref)
        return download(state.data.iter_quotes(None, 0, "date", speaker=str(sid)), fmt, f"speaker-{sid}",
                        QUOTE_COLUMNS)

    @app.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
    def speakers_page(request: Request, f: SpeakerListParams = Depends(), p: Paging = Depends(),
                      e: Export = Depends()):
        if e.format:
            return download(state.data.speaker_list(1, 10**9, q=f.q, type=f.type)["speakers"], e.format,
                            "speakers", SPEAKER_COLUMNS)
        res = state.data.speaker_list(p.page, p.per_page, q=f.q, type=f.type)
        return state.page(request, "speakers.html", title="Speakers", f=f, **res)

    @app.get("/api/speakers", tags=["corpus"], summary="Every speaker, most quoted first; filter by name and type")
    def api_speakers(f: SpeakerListParams = Depends(), p: Paging = Depends(), e: Export = Depends()):
        if e.format:
            return download(state.data.speaker_list(1, 10**9, q=f.q, type=f.type)["speakers"], e.format,
                            "speakers", SPEAKER_COLUMNS)
        return state.data.speaker_list(p.page, p.per_page, q=f.q, type=f.type)

    @app.get("/speakers/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def speaker_page(request: Request, ref: str, p: Paging = Depends(), e: Export = Depends()):
        if e.format:
            return speaker_export(ref, e.format)
        res = speaker(ref, p)
        return state.page(request, "speaker.html", title=res["speaker"]["name"],
                          chart=timeline_svg(res["timeline"]), **res)

    @app.get("/api/speakers/{ref}", tags=["corpus"],
             summary="One speaker: attributions, name variants, roles, outlets, timeline")
    def api_speaker(ref: str, p: Paging = Depends(), e: Export = Depends()):
        if e.format:
            return speaker_export(ref, e.format)
        return speaker(ref, p)

    # -- outlets ---------------------------------------------------------------------------

    def outlet_export(name: str, fmt: str) -> Response:
        res = state.data.outlet(name, 1, 10**9)
        return download(res["speakers"], fmt, "outlet-" + _slug(res["outlet"]["name"]), OUTLET_COLUMNS)

    @app.get("/outlets/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(request: Request, name: str, p: Paging = Depends(), e: Export = Depends()):
        if e.format:
            return outlet_export(name, e.format)
        res = state.data.outlet(name, p.page, p.per_page)
        return state.page(request, "outlet.html", title=res["outlet"]["name"], **res)

    @app.get("/api/outlets/{name:path}", tags=["corpus"], summary="One outlet: who it quotes, share of vague sources")
    def api_outlet(name: str, p: Paging = Depends(), e: Export = Depends()):
        if e.format:
            return outlet_export(name, e.format)
        return state.data.outlet(name, p.page, p.per_page)

    # -- disagreements ---------------------------------------------------------------------

    def disagreements_export(d: DisParams, fmt: str) -> Response:
        res = state.data.disagreements(1, 10**9, **d.filters())
        return download([_flat_pair(x) for x in res["disagreements"]], fmt, "disagreements", PAIR_COLUMNS)

    @app.get("/disagreements", response_class=HTMLResponse, include_in_schema=False)
    def disagreements_page(request: Request, d: DisParams = Depends(), p: Paging = Depends(), e: Export = Depends()):
        if e.format:
            return disagreements_export(d, e.format)
        res = state.data.disagreements(p.page, p.per_page, **d.filters())
        return state.page(request, "disagreements.html", title="Disagreements", d=d, **res)

    @app.get("/api/disagreements", tags=["corpus"], summary="Disagreements found in the stored articles")
    def api_disagreements(d: DisParams = Depends(), p: Paging = Depends(), e: Export = Depends()):
        if e.format:
            return disagreements_export(d, e.format)
        return state.data.disagreements(p.page, p.per_page, **d.filters())

    # -- analyse ---------------------------------------------------------------------------

    def limits() -> dict[str, Any]:
        return {"max_bytes": MAX_TEXT_BYTES, "store_allowed": state.allow_write,
                "accepts": ["text/plain (.txt)", "text/html (.html)"]}

    @app.get("/analyse", response_class=HTMLResponse, include_in_schema=False)
    def analyse_form(request: Request):
        return state.page(request, "analyse.html", title="Analyse a text", form={}, error=None, **limits())

    async def analyse(request: Request) -> dict[str, Any]:
        foreign_origin(request)
        fields = parse_form(request.headers.get("content-type", ""), await read_body(request))
        text = fields.get("text") if isinstance(fields.get("text"), str) else ""
        meta: dict[str, Any] = {}
        up = fields.get("file")
        if isinstance(up, Upload) and (up.data or up.filename):
            if not up.data:
                raise FormError(f"{up.filename}: the file is empty")
            text, meta = upload_text(up)
        text = (text or "").replace("\r\n", "\n")
        nbytes = len(text.encode("utf-8", "surrogatepass"))
        if nbytes > MAX_TEXT_BYTES:
            raise too_large(nbytes)
        if not text.strip():
            raise FormError("Paste a text or choose a .txt or .html file to analyse.")
        for k in ("title", "outlet", "published", "url"):
            v = fields.get(k)
            if isinstance(v, str) and v.strip():
                meta[k] = v.strip()[:1000]
        if meta.get("published"):
            _check_date("published", meta["published"][:10])
        want_store = str(fields.get("store", "")).lower() in ("1", "on", "true", "yes")
        if want_store and not state.allow_write:
            raise HTTPError(403, "Storing is switched off: this server is read-only "
                                 "(start it with `saidwho serve --allow-write`).")
        if want_store:
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            state.check_write(request, fields, form_body=ctype != "application/json")
        if "positions" in fields:
            positions = str(fields["positions"]).lower() in ("1", "on", "true", "yes")
        else:  # the HTML form sends form=1 and the checkbox only when ticked; the API defaults to on
            positions = "form" not in fields
        art, doc, note = await run_in_threadpool(state.analyse, text, positions, meta.get("outlet"))
        stored = None
        if want_store:
            stored = await run_in_threadpool(_store, art, meta)
        view = D.article_view(text, doc, meta)
        label = D.article_label(meta.get("title"), text[:300], meta.get("outlet"), meta.get("site"), None,
                                meta.get("published"), None)
        view.update(meta={**meta, "article_id": stored, "headline": label["headline"]}, doc=doc,
                    positions_note=note)
        return {"view": view, "stored": stored, "fields": fields}

    def _store(art: Article, meta: dict[str, Any]) -> int:
        m = ArticleMeta(title=meta.get("title"), outlet=meta.get("outlet"), published=meta.get("published"),
                        url=safe_url(meta.get("url")), origin="web")
        found = state.store.lookup(m.key(art.text_sha256), art.text_sha256)
        aid = found[0] if found else state.store.save_article(art, m, engine_name="web")
        state.data.invalidate()
        return aid

    @app.post("/analyse", response_class=HTMLResponse, include_in_schema=False)
    async def analyse_post(request: Request):
        try:
            res = await analyse(request)
        except FormError as exc:
            if exc.status == 413 or _wants_json(request):
                raise
            return state.page(request, "analyse.html", status=exc.status, title="Analyse a text", form={},
                              error=str(exc), **limits())
        except SaidwhoError as exc:
            return state.page(request, "analyse.html", status=400, title="Analyse a text", form={},
                              error=str(exc), **limits())
        except HTTPError as exc:
            if exc.status != 403:
                raise
            return state.page(request, "analyse.html", status=403, title="Analyse a text", form={},
                              error=exc.message, **limits())
        if res["stored"] is not None:
            return RedirectResponse(f"/articles/{res['stored']}", status_code=303)
        view = res["view"]
        return state.page(request, "article.html", title=view["meta"].get("title") or "Analysed text",
                          pasted=True, **_article_ctx(view))

    @app.get("/api/analyse", tags=["analyse"], summary="What the analyse endpoint accepts")
    def api_analyse_info() -> dict[str, Any]:
        return limits()

    @app.post("/api/analyse", tags=["analyse"],
              summary="Analyse a text (JSON {\"text\"}, a form, or a .txt/.html upload); store it with store=true",
              openapi_extra={"requestBody": {"content": {
                  "application/json": {"schema": {"type": "object", "required": ["text"], "properties": {
                      "text": {"type": "string"}, "title": {"type": "string"}, "outlet": {"type": "string"},
                      "published": {"type": "string"}, "store": {"type": "boolean"},
                      "positions": {"type": "boolean"}}}},
                  "multipart/form-data": {"schema": {"type": "object", "properties": {
                      "text": {"type": "string"}, "file": {"type": "string", "format": "binary"},
                      "store": {"type": "boolean"}}}}}, "required": True}})
    async def api_analyse(request: Request) -> dict[str, Any]:
        res = await analyse(request)
        out = _article_json(res["view"])
        out["stored"] = res["stored"]
        return out

    # -- API docs (no CDN: a plain page made from the schema) ------------------------------

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request):
        schema = app.openapi()
        ops = []
        for path, item in schema.get("paths", {}).items():
            for method, op in item.items():
                ops.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                            "params": [(p["name"], p.get("in"), (p.get("schema") or {}).get("type", ""),
                                        p.get("description", "")) for p in op.get("parameters", [])]})
        return state.page(request, "apidocs.html", title="API", ops=ops)

    return app


def _article_ctx(view: dict[str, Any]) -> dict[str, Any]:
    view = dict(view)
    view["body"] = render(view["text"], D.marks_for(view))
    view["tips"] = Markup(D.json_island(D.tooltip_data(view)))
    view["tree"] = [a for a in view["attributions"] if not a["parent"]]
    view["by_id"] = {a["id"]: a for a in view["attributions"]}
    view["source_url"] = safe_url(view["meta"].get("url"))
    return view


def _article_json(view: dict[str, Any]) -> dict[str, Any]:
    keys = ("meta", "text", "attributions", "speakers", "disagreements", "agreements", "unattributed", "analysed",
            "vague_count", "positions_note", "doc")
    out = {k: view.get(k) for k in keys}
    for a in out["attributions"] or ():
        a.pop("medium_span", None)
    return out


# -- downloads ---------------------------------------------------------------------------------

QUOTE_COLUMNS = ["id", "article_id", "article_ext_id", "attribution_id", "speaker_id", "speaker_name",
                 "speaker_role", "speaker_type", "source", "cue", "content", "kind", "vague", "confidence", "parent",
                 "title", "headline", "outlet", "published", "added", "url"]
SPEAKER_COLUMNS = ["id", "name", "type", "role", "quotes", "vague", "first_seen", "last_seen"]
OUTLET_COLUMNS = ["id", "name", "role", "type", "quotes", "vague", "share"]
PAIR_COLUMNS = ["score", "article_id", "title", "outlet", "published", "a_speaker_id", "a_actor", "a_attribution",
                "a_text", "a_polarity", "a_link", "b_speaker_id", "b_actor", "b_attribution", "b_text", "b_polarity",
                "b_link", "topic", "others"]


def _slug(s: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9]+", "-", s or "").strip("-").lower()[:60] or "list"


def _cell(v: Any) -> Any:
    """A CSV cell; text that a spreadsheet would run as a formula is prefixed with '."""
    if isinstance(v, (dict, list)):
        v = json.dumps(v, ensure_ascii=False)
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in rec.items():
        if k == "speaker" and (v is None or isinstance(v, dict)):
            for sk in ("id", "name", "role", "type"):
                out[f"speaker_{sk}"] = (v or {}).get(sk)
        else:
            out[k] = v
    return out


def _flat_pair(d: dict[str, Any]) -> dict[str, Any]:
    out = {"score": d["score"], "article_id": d["article_id"], "title": d.get("title"), "outlet": d.get("outlet"),
           "published": d.get("published"), "topic": d["a"].get("topic") or [], "others": len(d.get("others") or ())}
    for side in ("a", "b"):
        x = d[side]
        out.update({f"{side}_speaker_id": x.get("speaker_id"), f"{side}_actor": x.get("actor"),
                    f"{side}_attribution": x.get("attribution"), f"{side}_text": x.get("text"),
                    f"{side}_polarity": x.get("polarity"), f"{side}_link": x.get("link")})
    return out


def download(rows: Any, fmt: str, name: str, columns: list[str]) -> Response:
    """The whole list as a file: CSV (flat columns) or JSON (an array of the records), streamed."""
    if fmt == "json":
        def chunks():
            yield "["
            for k, r in enumerate(rows):
                yield ("," if k else "") + "\n" + json.dumps(r, ensure_ascii=False, default=str)
            yield "\n]\n"

        media = "application/json"
    else:
        def chunks():
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\r\n")
            w.writerow(columns)
            for r in rows:
                flat = _flat(r)
                w.writerow([_cell(flat.get(c)) for c in columns])
                if buf.tell() > 64 * 1024:
                    yield buf.getvalue()
                    buf.seek(0)
                    buf.truncate()
            yield buf.getvalue()

        media = "text/csv; charset=utf-8"
    return StreamingResponse(chunks(), media_type=media,
                             headers={"content-disposition": f'attachment; filename="{name}.{fmt}"'})


class _Raw:
    """The query parameters as given, to fill a form in again after an error."""

    def __init__(self, params) -> None:
        self._p = params

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._p.get(name) or None


#: Pages whose 400 answer is the page's form again, with the message.
_FORM_PAGES = {"/search": ("search.html", "Search"), "/disagreements": ("disagreements.html", "Disagreements"),
               "/speakers": ("speakers.html", "Speakers")}

_REASONS = {400: "Bad request", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
            413: "Too large", 415: "Unsupported media type", 500: "Server error", 503: "Unavailable"}


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("saidwho")
    except Exception:  # pragma: no cover
        return "0"


__all__ = ["create_app", "safe_url", "ReadOnlyError"]
