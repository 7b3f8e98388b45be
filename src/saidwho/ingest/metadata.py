"""An HTML page's metadata: the article's own headline, the outlet, clean bylines and its URLs.

trafilatura reads metadata well on most pages, but takes site chrome for the title on some
("Yahoo News - Latest News & Headlines", "Sections"), keeps " | Site" suffixes, falls back to
the host name for the outlet ("Timesofisrael") and passes bylines on as written ("GILLIAN
MOHNEY March", "Username"). This module reads the page's head itself (og:title, twitter:title,
<title>, the h1s, og:site_name, the app names, the canonical link and og:url) and combines it
with trafilatura's answer:

- title: og:title or twitter:title, else an h1 that starts the <title>, else the <title>, else
  trafilatura's; a " | Site" / " - Site" suffix naming the outlet is removed, and a title that
  is only the outlet's name or slogan ("Site - Latest News") is not taken;
- outlet: og:site_name (its first part when it carries a slogan: "The Tico Times | Costa Rica
  News"), else trafilatura's site name unless it is the host name spelled out or the title,
  else what follows the headline in the <title>, else the app name, else the host name;
- author: each name of the byline without "By", dates, months, times, placeholders
  ("Username", "Admin") or the outlet's own name; names in capitals are title-cased.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..store.records import normalise_date

#: Separators between a headline and the site's name in a <title>.
_SEP = re.compile(r"\s+(?:\||-|–|—|::|·|•|»)\s+")
_SPACE = re.compile(r"\s+")

#: Bylines that are not names.
PLACEHOLDERS = frozenset({
    "username", "user", "admin", "administrator", "author", "editor", "editors", "guest", "unknown",
    "anonymous", "staff", "staff writer", "staff reporter", "staff report", "web desk", "news desk",
    "newsroom", "desk", "contributor", "webmaster", "none", "null",
})

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun".split()
#: Words of a byline that are never part of a name ("Updated March 3, 2020 10:45 AM").
_NOT_NAME = frozenset(_MONTHS + _WEEKDAYS + "am pm a.m. p.m. et est edt gmt utc bst pst pdt cst cdt updated published posted last".split())
_BY = re.compile(r"^\s*(?:written\s+|reported\s+|story\s+|words\s+)?by[:\s]+", re.I)


def _clean(s: Any) -> str:
    return _SPACE.sub(" ", str(s or "")).strip()


def _norm(s: str) -> str:
    """A name compared loosely: case, spaces and punctuation ignored."""
    return re.sub(r"[\W_]+", "", s.casefold())


def _meta(tree, *keys: str) -> str | None:
    """The first non-empty ``<meta>`` content among ``keys`` (property, name or itemprop)."""
    if tree is None:
        return None
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            for el in tree.xpath(f"//meta[@{attr}=$k]", k=key):
                value = _clean(el.get("content"))
                if value:
                    return value
    return None


def _head(tree) -> dict[str, Any]:
    """What the page says about itself in its head, and its h1s."""
    if tree is None:
        return {}
    titles = [_clean(t.text_content()) for t in tree.xpath("//head/title|//title")[:1]]
    canonical = next((_clean(el.get("href")) for el in tree.xpath("//link[@rel='canonical'][@href]")
                      if _clean(el.get("href"))), None)
    return {
        "og_title": _meta(tree, "og:title"),
        "twitter_title": _meta(tree, "twitter:title"),
        "html_title": titles[0] if titles and titles[0] else None,
        "h1": [h for h in (_clean(el.text_content()) for el in tree.xpath("//h1")[:8]) if h],
        "og_site": _meta(tree, "og:site_name"),
        "app_names": [v for v in (_meta(tree, k) for k in ("application-name", "apple-mobile-web-app-title",
                                                          "msapplication-tooltip")) if v],
        "canonical": canonical,
        "og_url": _meta(tree, "og:url"),
    }


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _host_like(name: str, host: str | None) -> bool:
    """True for a site name that is only the host name spelled out ("Timesofisrael")."""
    if not host:
        return False
    n = _norm(name)
    labels = host.split(".")
    return n in {_norm(host), _norm(labels[0])} or n == _norm("".join(labels[:-1]))


def _first_part(site: str) -> str:
    """"The Tico Times | Costa Rica News | Travel" -> "The Tico Times" (a slogan after a bar)."""
    parts = [p for p in re.split(r"\s+\|\s+", site) if p.strip()]
    return parts[0].strip() if parts else site


def _strip_site(title: str, sites: set[str]) -> str:
    """``title`` without a trailing " | Site" / " - Site" whose site is one of ``sites``."""
    for _ in range(2):
        for m in _SEP.finditer(title):
            if m.start() and _norm(title[m.end():]) in sites:
                title = title[: m.start()].rstrip()
                break
        else:
            break
    return title


def _is_chrome(title: str, sites: set[str]) -> bool:
    """A title that is only the site's name, or its name and slogan ("Yahoo News - Latest News")."""
    if _norm(title) in sites:
        return True
    m = _SEP.search(title)
    return bool(m and _norm(title[: m.start()]) in sites)


def choose_site(head: dict[str, Any], doc_site: str | None, headline: str | None, host: str | None) -> str | None:
    """The outlet's name (see the module's note)."""
    og = head.get("og_site")
    if og:
        return _first_part(og)
    html_title = head.get("html_title") or ""
    if doc_site and not _host_like(doc_site, host) and _norm(doc_site) not in {_norm(html_title), _norm(headline or "")}:
        return _first_part(doc_site)
    # what follows the headline in the <title>: "Headline | The Times of Israel"
    for h in [headline, *head.get("h1", [])]:
        if h and html_title.startswith(h) and len(html_title) > len(h):
            m = _SEP.match(html_title[len(h):])
            rest = html_title[len(h):][m.end():].strip() if m else ""
            if rest:
                return _first_part(rest)
    for name in head.get("app_names", []):
        if _norm(name) not in {_norm(html_title), _norm(headline or "")}:
            m = _SEP.search(name)
            return name[: m.start()].strip() if m else name
    return host


def choose_title(head: dict[str, Any], doc_title: str | None, sites: set[str]) -> str | None:
    """The article's own headline (see the module's note)."""
    html_title = head.get("html_title")
    h1s = head.get("h1", [])
    candidates = [head.get("og_title"), head.get("twitter_title")]
    if html_title:
        candidates += [h for h in h1s if html_title.startswith(h) and len(h) > 3]
    candidates += [html_title, _clean(doc_title) or None, *h1s[:1]]
    stripped = [t for t in (_strip_site(c, sites) for c in candidates if c) if t]
    # a title that is only the site's name or slogan is taken only when there is nothing else
    return next((t for t in stripped if not _is_chrome(t, sites)), stripped[0] if stripped else None)


def _name_case(name: str) -> str:
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        return " ".join(w.capitalize() if w.isalpha() else w.title() for w in name.split())
    return name


def _dateish(word: str) -> bool:
    return any(ch.isdigit() for ch in word) or word.strip(",.:").casefold() in _NOT_NAME


def _cut_dateline(words: list[str]) -> list[str]:
    """The name before a date or time ("Jane Doe March 3, 2020 10:45 AM" -> "Jane Doe").

    A month or weekday is cut only where a date follows it, or at the end after a name of two
    words or more ("GILLIAN MOHNEY March"): "April Roach" and "Theresa May" keep theirs.
    """
    for i in range(1, len(words)):
        if not _dateish(words[i]):
            continue
        digits_follow = any(any(ch.isdigit() for ch in w) for w in words[i:])
        if digits_follow or (i == len(words) - 1 and i >= 2):
            return words[:i]
    return words


def clean_author(author: str | None, sites: set[str]) -> str | None:
    """The byline's names, ``"; "``-joined, without dates, placeholders or the outlet's name."""
    if not author:
        return None
    names: list[str] = []
    for part in re.split(r"\s*(?:;|\||\n|\band\b|&)\s*", author):
        part = _BY.sub("", _clean(part)).strip(" ,.-–—:")
        if not part or "@" in part or "://" in part:
            continue
        name = " ".join(_cut_dateline(part.split())).strip(" ,.-–—:")
        if not name or not any(c.isalpha() for c in name):
            continue
        if name.casefold() in PLACEHOLDERS or _norm(name) in sites:
            continue
        name = _name_case(name)
        if name not in names:
            names.append(name)
    return "; ".join(names) or None


def _absolute(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    if base and not urlsplit(url).scheme:
        try:
            return urljoin(base, url)
        except ValueError:
            return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def page_metadata(tree, doc: Any, url: str | None = None) -> dict[str, Any]:
    """Title, author, published, site, url, canonical_url, crawl_url and declared language of a
    page, from its parsed ``tree`` (lxml; None if unavailable) and trafilatura's ``doc``."""
    head = _head(tree)
    canonical = _absolute(head.get("canonical"), url) or _absolute(head.get("og_url"), url)
    page_url = getattr(doc, "url", None) or canonical or url
    host = _host(canonical or page_url or url)
    doc_site = _clean(getattr(doc, "sitename", None)) or None
    headline = head.get("og_title") or head.get("twitter_title")
    site = choose_site(head, doc_site, headline, host)
    # names of the site (an app name that repeats the page's title is not one)
    titles = {_norm(t) for t in (head.get("html_title"), headline) if t}
    apps = [a for a in head.get("app_names", []) if _norm(a) not in titles]
    sites = {n for n in (_norm(s) for s in (site, doc_site, head.get("og_site"), host, *apps) if s) if n}
    if head.get("og_site"):
        sites.add(_norm(_first_part(head["og_site"])))
    if host:
        sites.add(_norm(host.split(".")[0]))
    return {
        "title": choose_title(head, getattr(doc, "title", None), sites),
        "author": clean_author(getattr(doc, "author", None), sites),
        "published": normalise_date(getattr(doc, "date", None)),
        "site": site,
        "url": page_url or None,
        "canonical_url": canonical,
        "crawl_url": url,
        "language": getattr(doc, "language", None),
    }
