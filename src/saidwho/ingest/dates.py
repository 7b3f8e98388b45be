"""Publication dates as feeds write them: ISO 8601, RFC 2822, "March 18, 2015", "18 March 2015",
"2015/03/18", 20150318 (as a string or a number) and Unix time (seconds or milliseconds, as a number or a string).

Written dates are read with python-dateutil; a date must name its year, month and day (a bare
"March" or "12" is not a publication date). Numbers-only dates are read as month first when
ambiguous ("03/04/2015" is March 4), as dateutil does.
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime, timezone
from typing import Any

from ..store.records import normalise_date

#: Unix times outside these bounds (1973..2100) are not publication dates.
_EPOCH_MIN, _EPOCH_MAX = 100_000_000, 4_102_444_800
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_YMD = re.compile(r"^(1[89]|20|21)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")


def _from_epoch(x: float) -> str | None:
    if _EPOCH_MIN * 1000 <= abs(x) < _EPOCH_MAX * 1000:
        x /= 1000.0  # milliseconds, as JavaScript writes them
    if not _EPOCH_MIN <= x < _EPOCH_MAX:
        return None
    return normalise_date(datetime.fromtimestamp(x, tz=timezone.utc))


def _written(s: str) -> str | None:
    from dateutil import parser

    marks = (datetime(1904, 1, 1), datetime(1908, 12, 28))  # two defaults: a part left out shows
    got = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown time-zone names: read as local time
        for default in marks:
            try:
                got.append(parser.parse(s, default=default))
            except (ValueError, OverflowError, TypeError):
                return None
    a, b = got
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None  # no year, month or day in the text
    return normalise_date(a)


def parse_date(value: Any) -> str | None:
    """``value`` as :func:`saidwho.store.records.normalise_date` writes dates, or None if it is
    not a date (see the module's note for what is read)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int) and _YMD.match(str(value)):
        # 20150318 as a JSON number: the same date as the string (Unix times this small are
        # before 1973 and never read as dates, so nothing is taken from them)
        return f"{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}"
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    s = str(value).strip()
    if not s or len(s) > 100:
        return None
    if _YMD.match(s):
        return f"{s[:4]}-{s[4:6]}-{s[6:]}"
    if _NUMBER.match(s):
        return _from_epoch(float(s))
    return normalise_date(s) or _written(s)
