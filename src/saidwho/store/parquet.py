"""A small Parquet writer in pure Python, used when pyarrow cannot be imported.

Writes one row group of flat, nullable columns (INT64, DOUBLE, BOOLEAN, UTF-8 strings), PLAIN
encoded and uncompressed: the subset of the format every reader (pandas, DuckDB, pyarrow,
polars) reads. The footer is Thrift compact protocol, written by hand below.
"""

from __future__ import annotations

import struct
from typing import Any

# Parquet enums
BOOLEAN, INT64, DOUBLE, BYTE_ARRAY = 0, 2, 5, 6
OPTIONAL = 1
UTF8 = 0
PLAIN, RLE = 0, 3
UNCOMPRESSED = 0
DATA_PAGE = 0

# Thrift compact protocol types
_T_I32, _T_I64, _T_BINARY, _T_LIST, _T_STRUCT = 5, 6, 8, 9, 12


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _zigzag(n: int) -> int:
    return (n << 1) ^ (n >> 63)


class _Struct:
    """Builds one Thrift compact struct: fields must be added in increasing id order."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.last = 0

    def _head(self, fid: int, ttype: int) -> None:
        delta = fid - self.last
        if 0 < delta <= 15:
            self.buf.append((delta << 4) | ttype)
        else:
            self.buf.append(ttype)
            self.buf += _varint(_zigzag(fid))
        self.last = fid

    def i32(self, fid: int, v: int) -> "_Struct":
        self._head(fid, _T_I32)
        self.buf += _varint(_zigzag(v))
        return self

    def i64(self, fid: int, v: int) -> "_Struct":
        self._head(fid, _T_I64)
        self.buf += _varint(_zigzag(v))
        return self

    def string(self, fid: int, v: str) -> "_Struct":
        data = v.encode("utf-8")
        self._head(fid, _T_BINARY)
        self.buf += _varint(len(data)) + data
        return self

    def struct(self, fid: int, s: "_Struct") -> "_Struct":
        self._head(fid, _T_STRUCT)
        self.buf += s.end()
        return self

    def _list_head(self, fid: int, n: int, etype: int) -> None:
        self._head(fid, _T_LIST)
        if n < 15:
            self.buf.append((n << 4) | etype)
        else:
            self.buf.append(0xF0 | etype)
            self.buf += _varint(n)

    def list_i32(self, fid: int, vs: list[int]) -> "_Struct":
        self._list_head(fid, len(vs), _T_I32)
        for v in vs:
            self.buf += _varint(_zigzag(v))
        return self

    def list_string(self, fid: int, vs: list[str]) -> "_Struct":
        self._list_head(fid, len(vs), _T_BINARY)
        for v in vs:
            data = v.encode("utf-8")
            self.buf += _varint(len(data)) + data
        return self

    def list_struct(self, fid: int, vs: list["_Struct"]) -> "_Struct":
        self._list_head(fid, len(vs), _T_STRUCT)
        for v in vs:
            self.buf += v.end()
        return self

    def end(self) -> bytes:
        return bytes(self.buf) + b"\x00"


def _kind(values: list[Any]) -> int:
    seen = {type(v) for v in values if v is not None}
    if seen == {bool}:
        return BOOLEAN
    if seen and seen <= {int}:
        return INT64
    if seen and seen <= {int, float}:
        return DOUBLE
    return BYTE_ARRAY


def _bitpack(bits: list[int]) -> bytes:
    out = bytearray((len(bits) + 7) // 8)
    for i, b in enumerate(bits):
        if b:
            out[i >> 3] |= 1 << (i & 7)
    return bytes(out)


def _levels(values: list[Any]) -> bytes:
    """Definition levels (0 null, 1 present) as one bit-packed run, length-prefixed."""
    bits = [0 if v is None else 1 for v in values]
    groups = (len(bits) + 7) // 8
    run = _varint((groups << 1) | 1) + _bitpack(bits)
    return struct.pack("<I", len(run)) + run


def _plain(kind: int, values: list[Any]) -> bytes:
    present = [v for v in values if v is not None]
    if kind == BOOLEAN:
        return _bitpack([1 if v else 0 for v in present])
    if kind == INT64:
        return struct.pack(f"<{len(present)}q", *present)
    if kind == DOUBLE:
        return struct.pack(f"<{len(present)}d", *(float(v) for v in present))
    out = bytearray()
    for v in present:
        data = (v if isinstance(v, str) else str(v)).encode("utf-8", "surrogatepass")
        out += struct.pack("<I", len(data)) + data
    return bytes(out)


def write_table(path: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    """Write ``rows`` (dicts) as a Parquet file with the given columns."""
    n = len(rows)
    body = bytearray(b"PAR1")
    chunks: list[_Struct] = []
    schema = [_Struct().string(4, "schema").i32(5, len(columns))]
    total = 0
    for name in columns:
        values = [r.get(name) for r in rows]
        kind = _kind(values)
        page = _levels(values) + _plain(kind, values)
        header = (
            _Struct()
            .i32(1, DATA_PAGE)
            .i32(2, len(page))
            .i32(3, len(page))
            .struct(5, _Struct().i32(1, n).i32(2, PLAIN).i32(3, RLE).i32(4, RLE))
            .end()
        )
        offset = len(body)
        body += header + page
        size = len(header) + len(page)
        total += size
        meta = (
            _Struct()
            .i32(1, kind)
            .list_i32(2, [PLAIN, RLE])
            .list_string(3, [name])
            .i32(4, UNCOMPRESSED)
            .i64(5, n)
            .i64(6, size)
            .i64(7, size)
            .i64(9, offset)
        )
        chunks.append(_Struct().i64(2, offset).struct(3, meta))
        el = _Struct().i32(1, kind).i32(3, OPTIONAL).string(4, name)
        if kind == BYTE_ARRAY:
            el.i32(6, UTF8)
        schema.append(el)
    row_group = _Struct().list_struct(1, chunks).i64(2, total).i64(3, n)
    footer = (
        _Struct()
        .i32(1, 1)
        .list_struct(2, schema)
        .i64(3, n)
        .list_struct(4, [row_group])
        .string(6, "saidwho")
        .end()
    )
    body += footer + struct.pack("<I", len(footer)) + b"PAR1"
    with open(path, "wb") as fh:
        fh.write(body)
