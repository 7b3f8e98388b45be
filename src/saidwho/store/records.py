"""Plain records going into and out of the store."""

from __future__ import annotations

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
        """The article's identity: its id, else its URL, else its content hash."""
        if self.ext_id:
            return f"id:{self.ext_id}"[:1024]
        if self.url:
            return f"url:{self.url.strip()}"[:1024]
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
