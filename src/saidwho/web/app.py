"""The web app: ``create_app(db)`` gives a FastAPI application over a corpus.

Every HTML page has a JSON twin under ``/api/`` (same function, same figures); the OpenAPI
schema is at ``/api/openapi.json`` and a page listing the endpoints at ``/api/docs``. Nothing
is fetched from the internet: every script and style sheet is served from ``/static``.

Read-only unless ``allow_write``: then the analyse form may store a text. Without it, any
statement other than a read sent to the database is refused (a guard on the connection).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from sqlalchemy import event
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import SaidwhoError
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
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
     b"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
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

    def __init__(self, store: Store, allow_write: bool, engine=None, enricher=None) -> None:
        self.store = store
        self.allow_write = allow_write
        self.data = D.CorpusData(store)
        self._engine = engine
        self._enricher = enricher
        self._engine_lock = threading.RLock()
        self._enriched: OrderedDict[str, dict] = OrderedDict()
        self.env = _env()

    # analysis

    def engine(self):
        with self._engine_lock:
            if self._engine is None:
                from ..engine import get_engine

                self._engine = get_engine()
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

        ctx.setdefault("title", "saidwho")
        body = self.env.get_template(template).render(
            request=request, allow_write=self.allow_write, page_url=page_url, path=request.url.path, **ctx
        )
        return HTMLResponse(body, status_code=status)


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
    ) -> None:
        import re

        if q is not None and q.strip() and not re.search(r"\w", q):
            raise HTTPError(400, "q: give at least one word to search for")
        self.q = (q or "").strip() or None
        self.speaker = (speaker or "").strip() or None
        self.outlet = (outlet or "").strip() or None
        self.since = _check_date("since", since)
        self.until = _check_date("until", until)
        if self.since and self.until and self.since > self.until:
            raise HTTPError(400, f"since ({self.since}) is after until ({self.until})")
        self.kind = (kind or "").replace(" ", "") or None
        self.vague = vague

    def filters(self) -> dict[str, Any]:
        return {"about": self.q, "speaker": self.speaker, "outlet": self.outlet, "since": self.since,
                "until": self.until, "kind": self.kind, "vague": self.vague}

    def as_dict(self) -> dict[str, Any]:
        return {"q": self.q, "speaker": self.speaker, "outlet": self.outlet, "since": self.since,
                "until": self.until, "kind": self.kind, "vague": self.vague}


class DisParams:
    def __init__(
        self,
        q: str | None = Query(None, max_length=500, description="Words in either statement."),
        speaker: str | None = Query(None, max_length=200, description="Part of either actor's name."),
        outlet: str | None = Query(None, max_length=256),
    ) -> None:
        self.q = (q or "").strip() or None
        self.speaker = (speaker or "").strip() or None
        self.outlet = (outlet or "").strip() or None


# -- the app -----------------------------------------------------------------------------------


def create_app(db: str | None = None, *, store: Store | None = None, allow_write: bool = False, engine=None,
               enricher=None, create: bool = False) -> FastAPI:
    """The web app over the corpus at ``db`` (a SQLite path or PostgreSQL URL) or ``store``.

    ``engine`` (with ``analyze(text, id)``) and ``enricher`` (``(article, outlet) -> dict``)
    default to saidwho's spaCy engine and :func:`saidwho.analysis.enrich`, loaded on first use.
    A missing SQLite file is refused (a one-line error) unless ``create``.
    """
    store = store if store is not None else open_store(db, create=create)
    if not allow_write:
        read_only_guard(store)
    state = App(store, allow_write, engine=engine, enricher=enricher)
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
    app.add_middleware(_SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # -- errors ----------------------------------------------------------------------------

    def error_response(request: Request, status: int, message: str, details: list[str] | None = None) -> Response:
        if _wants_json(request):
            body: dict[str, Any] = {"error": _REASONS.get(status, "error"), "status": status, "message": message}
            if details:
                body["details"] = details
            return JSONResponse(body, status_code=status)
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
        return state.page(request, "index.html", title="saidwho: who said what", **overview(p))

    @app.get("/api/", tags=["corpus"], summary="Overview: counts, top speakers, outlets, recent articles")
    def api_index(p: Paging = Depends()) -> dict[str, Any]:
        return overview(p)

    @app.get("/api", include_in_schema=False)
    def api_root():
        return RedirectResponse("/api/", status_code=307)

    # -- search ----------------------------------------------------------------------------

    def search(s: SearchParams, p: Paging) -> dict[str, Any]:
        out = state.data.search(p.page, p.per_page, **s.filters())
        out["query"] = {k: v for k, v in s.as_dict().items() if v not in (None, "")}
        return out

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, s: SearchParams = Depends(), p: Paging = Depends()):
        import re

        res = search(s, p)
        words = re.findall(r"\w+", s.q or "")
        for r in res["results"]:
            r["content_html"] = highlight_words(excerpt(r["content"] or "", 400), words)
        return state.page(request, "search.html", title=f"Search: {s.q}" if s.q else "Search", s=s,
                          outlets=state.data.outlets(), **res)

    @app.get("/api/search", tags=["corpus"], summary="Attributions matching a full-text query and filters")
    def api_search(s: SearchParams = Depends(), p: Paging = Depends()) -> dict[str, Any]:
        return search(s, p)

    # -- articles --------------------------------------------------------------------------

    def article(ref: str, positions: bool) -> dict[str, Any]:
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
        return state.page(request, "article.html", title=view["meta"].get("title") or f"Article {ref}",
                          **_article_ctx(view))

    @app.get("/api/articles/{ref}", tags=["corpus"],
             summary="One article: text, attributions (with speaker, chain, vague), speakers, disagreements")
    def api_article(ref: str, positions: bool = Query(False, description="Run the positions analysis "
                                                                         "if the stored document lacks it.")):
        view = article(ref, positions)
        return _article_json(view)

    # -- speakers --------------------------------------------------------------------------

    @app.get("/speakers/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def speaker_page(request: Request, ref: str, p: Paging = Depends()):
        res = state.data.speaker(ref, p.page, p.per_page)
        return state.page(request, "speaker.html", title=res["speaker"]["name"],
                          chart=timeline_svg(res["timeline"]), **res)

    @app.get("/api/speakers/{ref}", tags=["corpus"],
             summary="One speaker: attributions, name variants, roles, outlets, timeline")
    def api_speaker(ref: str, p: Paging = Depends()) -> dict[str, Any]:
        return state.data.speaker(ref, p.page, p.per_page)

    # -- outlets ---------------------------------------------------------------------------

    @app.get("/outlets/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(request: Request, name: str, p: Paging = Depends()):
        res = state.data.outlet(name, p.page, p.per_page)
        return state.page(request, "outlet.html", title=res["outlet"]["name"], **res)

    @app.get("/api/outlets/{name:path}", tags=["corpus"], summary="One outlet: who it quotes, share of vague sources")
    def api_outlet(name: str, p: Paging = Depends()) -> dict[str, Any]:
        return state.data.outlet(name, p.page, p.per_page)

    # -- disagreements ---------------------------------------------------------------------

    @app.get("/disagreements", response_class=HTMLResponse, include_in_schema=False)
    def disagreements_page(request: Request, d: DisParams = Depends(), p: Paging = Depends()):
        res = state.data.disagreements(p.page, p.per_page, speaker=d.speaker, q=d.q, outlet=d.outlet)
        return state.page(request, "disagreements.html", title="Disagreements", d=d, **res)

    @app.get("/api/disagreements", tags=["corpus"], summary="Disagreements found in the stored articles")
    def api_disagreements(d: DisParams = Depends(), p: Paging = Depends()) -> dict[str, Any]:
        return state.data.disagreements(p.page, p.per_page, speaker=d.speaker, q=d.q, outlet=d.outlet)

    # -- analyse ---------------------------------------------------------------------------

    def limits() -> dict[str, Any]:
        return {"max_bytes": MAX_TEXT_BYTES, "store_allowed": state.allow_write,
                "accepts": ["text/plain (.txt)", "text/html (.html)"]}

    @app.get("/analyse", response_class=HTMLResponse, include_in_schema=False)
    def analyse_form(request: Request):
        return state.page(request, "analyse.html", title="Analyse a text", form={}, error=None, **limits())

    async def analyse(request: Request) -> dict[str, Any]:
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
        if "positions" in fields:
            positions = str(fields["positions"]).lower() in ("1", "on", "true", "yes")
        else:  # the HTML form sends form=1 and the checkbox only when ticked; the API defaults to on
            positions = "form" not in fields
        art, doc, note = await run_in_threadpool(state.analyse, text, positions, meta.get("outlet"))
        stored = None
        if want_store:
            stored = await run_in_threadpool(_store, art, meta)
        view = D.article_view(text, doc, meta)
        view.update(meta={**meta, "article_id": stored}, doc=doc, positions_note=note)
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


_REASONS = {400: "Bad request", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
            413: "Too large", 415: "Unsupported media type", 500: "Server error", 503: "Unavailable"}


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("saidwho")
    except Exception:  # pragma: no cover
        return "0"


__all__ = ["create_app", "safe_url", "ReadOnlyError"]
