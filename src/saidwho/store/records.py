"""Plain records going into and out of the store."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from ..errors import InputError


@dataclass
class ArticleMeta:
    """What is known about an article besides its text: identity and metadata."""

    ext_id: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    site: str | None = None
    published: str | None = None  # normalised by :func:`normalise_date`
    origin: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: where the page was fetched from (the URL given, a WARC-Target-URI) and the URL the page
    #: names as its own (link rel=canonical, og:url); ``url`` is the one the identity uses
    crawl_url: str | None = None
    canonical_url: str | None = None
    #: ISO 639-1 code of the text's language (:mod:`saidwho.ingest.language`); None: unknown
    language: str | None = None
    #: why the article is stored without attributions (e.g. not English); None: analysed
    note: str | None = None

    def key(self, sha256: str) -> str:
        """The article's identity: its id, else its own URL, else its content hash.

        Its own URL is the one it was fetched from or given with (``crawl_url``, else ``url``).
        A URL known only from the page itself (its canonical URL) is not identity: many sites
        name a section page as canonical for all its stories. Texts under one identity are
        versions of one article (see the store).
        """
        if self.ext_id:
            return identity_key("id", self.ext_id)
        own = (self.crawl_url or "").strip()
        if not own and self.url and self.url.strip() and self.url != self.canonical_url:
            own = self.url.strip()
        if own:
            return identity_key("url", own)
        return f"sha:{sha256}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.ext_id,
            "url": self.url,
            "title": self.title,
            "author": self.author,
            "outlet": self.outlet,
            "site": self.site,
            "published": self.published,
            "origin": self.origin,
            **({"crawl_url": self.crawl_url} if self.crawl_url else {}),
            **({"canonical_url": self.canonical_url} if self.canonical_url else {}),
            **({"language": self.language} if self.language else {}),
            **({"note": self.note} if self.note else {}),
            **({"extra": self.extra} if self.extra else {}),
        }


#: Identity keys up to this long are stored as they are; longer ones end in a hash of the whole.
MAX_KEY = 400


def identity_key(kind: str, value: str) -> str:
    """``kind:value``, collision-free and short enough for an index: a long value becomes
    ``kind-sha256:<SHA-256 of the whole value>:<its first characters>`` (a prefix no short
    key has, so the two forms never meet)."""
    key = f"{kind}:{value}"
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{kind}-sha256:{digest}:{value[:300]}"


def row_key(identity: str, sha256: str) -> str:
    """One stored text under one identity (``articles.key``): what a second insert skips."""
    return f"{identity}@{sha256}"


@dataclass(frozen=True)
class Saved:
    """What storing an article did."""

    article_id: int
    stored: bool  # False: this text under this identity was there already (e.g. stored by another run)
    version: int  # 1, 2, ...: which text under the identity (a changed text is a new version)
    previous: int | None = None  # with version > 1: the article number of the version before


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def normalise_date(value: Any) -> str | None:
    """An ISO 8601 string: ``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM:SS`` in UTC; None if unknown.

    Accepts ISO dates and datetimes (with ``Z`` or offsets), RFC 2822 dates (HTTP, RSS) and
    ``datetime``/``date`` objects; anything else is not a date and gives None.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        return value.isoformat()
    else:
        s = str(value).strip()
        if _DATE_ONLY.match(s):
            try:
                return date.fromisoformat(s).isoformat()
            except ValueError:
                return None
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            try:
                dt = parsedate_to_datetime(s)
            except (TypeError, ValueError, IndexError):
                return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    if (dt.hour, dt.minute, dt.second, dt.microsecond) == (0, 0, 0, 0):
        return dt.date().isoformat()
    return dt.replace(microsecond=0).isoformat()


def date_bound(value: str | None, upper: bool) -> str | None:
    """A ``--since``/``--until`` value as a string bound on normalised dates.

    ``--until 2024-03-05`` includes the whole day: the bound becomes ``< 2024-03-06``.
    """
    if not value:
        return None
    norm = normalise_date(value)
    if norm is None:
        raise InputError(f"not a date: {value!r} (use YYYY-MM-DD)")
    if upper and _DATE_ONLY.match(norm):
        return (date.fromisoformat(norm) + timedelta(days=1)).isoformat()
    return norm
