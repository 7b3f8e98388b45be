"""HTML pages -> article text and metadata, with trafilatura (main text, title, author, date, site)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from ..errors import InputError
from ..store.records import ArticleMeta, normalise_date

# trafilatura logs every page it finds nothing in; saidwho reports those itself, in one line
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


#: Less text than this is a menu or a footer, not an article.
MIN_WORDS = 8
MIN_CHARS = 40


class NoArticleText(InputError):
    """An HTML page in which no article text was found."""


def extract(html: str | bytes, url: str | None = None, where: str = "page") -> tuple[str, dict[str, Any]]:
    """The main text of a page and its metadata (title, author, published, site, url)."""
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
    page_url = getattr(doc, "url", None) or url
    site = getattr(doc, "sitename", None) or getattr(doc, "hostname", None)
    if not site and page_url:
        site = urlsplit(page_url).hostname
    meta = {
        "title": getattr(doc, "title", None) or None,
        "author": getattr(doc, "author", None) or None,
        "published": normalise_date(getattr(doc, "date", None)),
        "site": site or None,
        "url": page_url or None,
        "language": getattr(doc, "language", None),
    }
    return text, meta


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
    text, m = extract(html, url=url, where=where)
    meta = ArticleMeta(
        ext_id=ext_id,
        url=m["url"],
        title=m["title"],
        author=m["author"],
        outlet=outlet or m["site"],
        site=m["site"],
        published=m["published"],
        origin=where,
        extra={k: v for k, v in (("language", m["language"]),) if v},
        # both kept: the URL given (a WARC-Target-URI) is identity; the page's own (canonical)
        # URL is not, as a section page's canonical is shared by many stories
        canonical_url=m["url"] if m["url"] and m["url"] != url else None,
        crawl_url=url or None,
    )
    return text, meta


def read_html_file(path: str, outlet: str | None = None) -> tuple[str, ArticleMeta]:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return article_from_html(data, where=path, outlet=outlet)
