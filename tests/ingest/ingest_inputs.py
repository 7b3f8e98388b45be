"""Input files for the ingest tests: HTML pages, JSON Lines and WARC files written on the fly."""

from __future__ import annotations

import io
import json
from pathlib import Path

OPEN, CLOSE = "\u201c", "\u201d"


def html_page(title: str, paragraphs: list[str], author: str = "Lois Lane", site: str = "Daily Planet",
              date: str = "2024-03-05", url: str | None = None) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    canonical = f'<link rel="canonical" href="{url}">' if url else ""
    return (
        f"<!DOCTYPE html><html><head><title>{title} | {site}</title>"
        f'<meta name="author" content="{author}"><meta property="og:site_name" content="{site}">'
        f'<meta property="article:published_time" content="{date}T08:00:00Z">{canonical}</head>'
        f"<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Copyright {site}</footer></body></html>"
    )


def quote_paragraphs(speaker: str, words: str) -> list[str]:
    return [
        f"{OPEN}{words},{CLOSE} {speaker} said on Monday, speaking to reporters outside the town hall "
        f"after a long meeting with residents about the plans for the coming year.",
        "Officials said that the council would publish the full budget later this month, "
        "once the committee had approved every line of it.",
    ]


def write_warc(path: Path, pages: list[tuple[str, str, str]]) -> None:
    """``pages``: (url, content type, body) as HTTP responses, preceded by a warcinfo and a request."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=str(path).endswith(".gz"))
        w.write_record(w.create_warcinfo_record(path.name, {"software": "saidwho-tests"}))
        for url, ctype, body in pages:
            req = w.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                       http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [], is_http_request=True))
            w.write_record(req)
            status = "404 Not Found" if "missing" in url else "200 OK"
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = w.create_warc_record(url, "response", payload=io.BytesIO(body.encode("utf-8")),
                                       http_headers=headers)
            w.write_record(rec)


def write_jsonl(path: Path, records: list[dict | str]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n")


def quote_text(speaker: str, words: str, extra: str = "") -> str:
    return f"{OPEN}{words},{CLOSE} {speaker} said. {extra}".strip() + "\n"


def read_parquet(path: str) -> dict[str, list]:
    """Columns of a Parquet file: with pyarrow when it imports, else a small reader for flat,
    PLAIN-encoded, uncompressed files (what saidwho writes without pyarrow)."""
    try:
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pydict()
    except Exception:  # noqa: BLE001 - pyarrow missing or refusing this numpy
        pass
    import struct

    data = open(path, "rb").read()
    assert data[:4] == b"PAR1" and data[-4:] == b"PAR1"
    flen = struct.unpack("<I", data[-8:-4])[0]
    pos = [len(data) - 8 - flen]

    def varint():
        n = shift = 0
        while True:
            b = data[pos[0]]
            pos[0] += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return n

    def zz():
        n = varint()
        return (n >> 1) ^ -(n & 1)

    def value(t):
        if t in (1, 2):
            return t == 1
        if t in (3, 4, 5, 6):
            return zz()
        if t == 8:
            n = varint()
            pos[0] += n
            return data[pos[0] - n : pos[0]]
        if t in (9, 10):
            h = data[pos[0]]
            pos[0] += 1
            n = h >> 4 if h >> 4 != 15 else varint()
            return [value(h & 15) for _ in range(n)]
        if t == 12:
            return struct_()
        raise ValueError(t)

    def struct_():
        out, last = {}, 0
        while True:
            h = data[pos[0]]
            pos[0] += 1
            if h == 0:
                return out
            delta, t = h >> 4, h & 15
            fid = last + delta if delta else zz()
            out[fid] = value(t)
            last = fid

    meta = struct_()
    schema = meta[2][1:]
    cols = {}
    for el, chunk in zip(schema, meta[4][0][1]):
        name, kind = el[4].decode(), el[1]
        cm = chunk[3]
        pos[0] = cm[9]
        header = struct_()
        n = header[5][1]
        page_start = pos[0]
        llen = struct.unpack("<I", data[page_start : page_start + 4])[0]
        run = page_start + 4
        pos[0] = run
        varint()  # bit-packed run header
        bits = data[pos[0] : run + llen]
        present = [(bits[i >> 3] >> (i & 7)) & 1 for i in range(n)]
        p = run + llen
        vals = []
        k = sum(present)
        if kind == 0:
            raw = data[p : p + (k + 7) // 8]
            vals = [bool((raw[i >> 3] >> (i & 7)) & 1) for i in range(k)]
        elif kind == 2:
            vals = list(struct.unpack(f"<{k}q", data[p : p + 8 * k]))
        elif kind == 5:
            vals = list(struct.unpack(f"<{k}d", data[p : p + 8 * k]))
        else:
            for _ in range(k):
                ln = struct.unpack("<I", data[p : p + 4])[0]
                vals.append(data[p + 4 : p + 4 + ln].decode())
                p += 4 + ln
        it = iter(vals)
        cols[name] = [next(it) if f else None for f in present]
    return cols
