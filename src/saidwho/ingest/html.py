"""HTML pages -> article text and metadata, with trafilatura (main text, title, author, date, site)."""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

from ..errors import InputError
from ..store.records import ArticleMeta
from ..structure.markup import markup_blocks
from ..types import Block
from .metadata import page_metadata

# trafilatura logs every page it finds nothing in; saidwho reports those itself, in one line
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


#: Less text than this is a menu or a footer, not an article.
MIN_WORDS = 8
MIN_CHARS = 40


class NoArticleText(InputError):
    """An HTML page in which no article text was found."""


class Page(NamedTuple):
    """What is read from an HTML page: its article text, metadata and blocks."""

    text: str
    meta: dict[str, Any]
    blocks: list[Block]


def extract(html: str | bytes, url: str | None = None, where: str = "page") -> tuple[str, dict[str, Any]]:
    """The main text of a page and its metadata (:func:`saidwho.ingest.metadata.page_metadata`)."""
    page = extract_page(html, url=url, where=where)
    return page.text, page.meta


def extract_page(html: str | bytes, url: str | None = None, where: str = "page") -> Page:
    """The main text of a page, its metadata (:func:`saidwho.ingest.metadata.page_metadata`) and
    its blocks (headline, paragraphs, list items … as the page's markup has them, see
    :mod:`saidwho.structure.markup`)."""
    import trafilatura
    from trafilatura.settings import set_date_params

    if isinstance(html, bytes) and not html.strip() or isinstance(html, str) and not html.strip():
        raise NoArticleText(f"{where}: empty HTML page")
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            # dates from the page's metadata and markup only, never guessed from its prose
            date_extraction_params=set_date_params(extensive=False),
        )
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        raise InputError(f"{where}: cannot parse HTML ({type(exc).__name__}: {exc})") from None
    text = _undouble((getattr(doc, "text", None) or "").strip() if doc is not None else "")
    if len(text) < MIN_CHARS or len(text.split()) < MIN_WORDS:
        # trafilatura's fallbacks return menus and footers of pages without an article
        raise NoArticleText(f"{where}: no article text found in the HTML page")
    return Page(text, page_metadata(_tree(html), doc, url), markup_blocks(text, getattr(doc, "body", None)))


def _tree(html: str | bytes):
    """The page parsed for its metadata (None when lxml cannot parse it)."""
    from trafilatura.utils import load_html

    try:
        return load_html(html)
    except Exception:  # noqa: BLE001 - the metadata then comes from trafilatura alone
        return None


def _undouble(text: str) -> str:
    """Drop a verbatim repetition of the whole text (after an optional title line).

    trafilatura 2.0 returns short ``<article>`` pages twice over (its fallback extraction is
    appended to the first); an article never repeats itself whole.
    """
    lines = text.split("\n")
    for start in (0, 1):
        body = lines[start:]
        half = len(body) // 2
        if half and len(body) % 2 == 0 and body[:half] == body[half:]:
            return "\n".join(lines[:start] + body[:half])
    return text


def article_from_html(
    html: str | bytes, where: str, url: str | None = None, outlet: str | None = None, ext_id: str | None = None
) -> tuple[str, ArticleMeta]:
    text, meta, _ = article_page_from_html(html, where, url=url, outlet=outlet, ext_id=ext_id)
    return text, meta


def article_page_from_html(
    html: str | bytes, where: str, url: str | None = None, outlet: str | None = None, ext_id: str | None = None
) -> tuple[str, ArticleMeta, list[Block]]:
    """The article text, its stored metadata and its blocks (see :func:`extract_page`)."""
    text, m, blocks = extract_page(html, url=url, where=where)
    meta = ArticleMeta(
        ext_id=ext_id,
        url=m["url"],
        title=m["title"],
        author=m["author"],
        outlet=outlet or m["site"],
        site=m["site"],
        published=m["published"],
        origin=where,
        canonical_url=m["canonical_url"],
        crawl_url=m["crawl_url"],
        # the language the page declares (<html lang>); the text's own is detected at ingest
        extra={k: v for k, v in (("declared_language", m["language"]),) if v},
    )
    return text, meta, blocks


def read_html_file(path: str, outlet: str | None = None) -> tuple[str, ArticleMeta]:
    text, meta, _ = read_html_page(path, outlet)
    return text, meta


def read_html_page(path: str, outlet: str | None = None) -> tuple[str, ArticleMeta, list[Block]]:
    """An HTML file's article text, metadata and blocks."""
    from .text import read_bytes  # bounded: a page over the cap is refused before it is parsed

    return article_page_from_html(read_bytes(path), where=path, outlet=outlet)
