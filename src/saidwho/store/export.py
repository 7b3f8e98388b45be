"""Writing query results: table, JSON, JSON Lines, CSV, Parquet."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from .errors import StoreError

QUOTE_COLUMNS = (
    "id", "article_id", "article_ext_id", "attribution_id", "speaker_id", "speaker_name",
    "speaker_role", "speaker_type", "source", "cue", "content", "kind", "vague", "confidence",
    "parent", "outlet", "published", "title", "url",
)


def flat(rec: dict[str, Any]) -> dict[str, Any]:
    """A record with nested dicts spread into ``parent_child`` columns (for CSV, Parquet)."""
    out: dict[str, Any] = {}
    for k, v in rec.items():
        if k == "speaker":
            sp = v or {}
            for sk in ("id", "name", "role", "type"):
                out[f"speaker_{sk}"] = sp.get(sk)
        elif isinstance(v, (dict, list)):
            out[k] = json.dumps(v, ensure_ascii=False, sort_keys=True)
        else:
            out[k] = v
    return out


def write_jsonl(records: Iterable[dict[str, Any]], fh: TextIO) -> int:
    n = 0
    for r in records:
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_json(records: Iterable[dict[str, Any]], fh: TextIO) -> int:
    data = list(records)
    json.dump(data, fh, ensure_ascii=False, indent=2)
    fh.write("\n")
    return len(data)


def write_csv(records: Iterable[dict[str, Any]], fh: TextIO, columns: Iterable[str] | None = None) -> int:
    it = iter(records)
    first = next(it, None)
    cols = list(columns) if columns else (list(flat(first)) if first else [])
    w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    n = 0
    for r in ([first] if first is not None else []):
        w.writerow(flat(r))
        n += 1
    for r in it:
        w.writerow(flat(r))
        n += 1
    return n


def cannot_write(path: str, exc: OSError) -> StoreError:
    """The one-line error for an output file that cannot be written."""
    text = str(exc).strip()
    why = exc.strerror or (text.splitlines()[0] if text else type(exc).__name__)
    return StoreError(f"cannot write {path}: {why}")


def write_parquet(records: Iterable[dict[str, Any]], path: str, columns: Iterable[str] | None = None) -> int:
    rows = [flat(r) for r in records]
    cols = list(columns) if columns else (list(rows[0]) if rows else [])
    try:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except Exception:  # ImportError, or pyarrow refusing this numpy: saidwho's own writer
            from .parquet import write_table

            write_table(path, cols, rows)
            return len(rows)
        table = pa.table({c: [r.get(c) for r in rows] for c in cols})
        pq.write_table(table, path)
    except OSError as exc:  # pyarrow's errors opening a file are OSErrors too
        raise cannot_write(path, exc) from None
    return len(rows)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else ""
    if isinstance(v, float):
        return f"{v:.2f}"
    if isinstance(v, dict):
        return ", ".join(f"{k} {n}" for k, n in v.items())
    return " ".join(str(v).split())


def table(rows: list[dict[str, Any]], columns: list[tuple[str, str]], wide: str | None = None) -> str:
    """A plain-text table; the ``wide`` column takes the width left by the others."""
    if not rows:
        return "(none)"
    width = shutil.get_terminal_size((120, 24)).columns
    cells = [[_cell(r.get(k)) for k, _ in columns] for r in rows]
    heads = [h for _, h in columns]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    caps = {k: 28 for k, _ in columns}
    for i, (k, _) in enumerate(columns):
        if k != wide:
            widths[i] = min(widths[i], caps[k])
    if wide is not None:
        wi = [k for k, _ in columns].index(wide)
        rest = sum(w + 2 for j, w in enumerate(widths) if j != wi)
        widths[wi] = max(20, min(widths[wi], width - rest))

    def fit(s: str, w: int) -> str:
        return s if len(s) <= w else s[: max(0, w - 1)] + "…"

    out = io.StringIO()
    out.write("  ".join(fit(h, w).ljust(w) for h, w in zip(heads, widths)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for c in cells:
        out.write("  ".join(fit(s, w).ljust(w) for s, w in zip(c, widths)).rstrip() + "\n")
    return out.getvalue().rstrip("\n")


def guard(records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Re-raise driver errors met while streaming as one-line store errors."""
    from sqlalchemy import exc as sa_exc

    try:
        yield from records
    except sa_exc.SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None) or exc
        raise StoreError(f"database error while reading: {str(orig).splitlines()[0]}") from None
