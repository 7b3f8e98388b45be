"""Reading the analyse form: urlencoded, multipart (with a file) or JSON, with a size cap.

Parsed with the standard library (no python-multipart): the body is read up to a hard limit
and refused beyond it before anything is parsed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from urllib.parse import parse_qs

#: Largest text (UTF-8 bytes) the analyse form takes.
MAX_TEXT_BYTES = 2 * 1024 * 1024
#: Largest request body read at all: the text, encoded (urlencoded or JSON escapes may triple
#: it), plus the form's framing.
MAX_BODY_BYTES = 3 * MAX_TEXT_BYTES + 64 * 1024


class FormError(Exception):
    """A form the user can fix; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def too_large(nbytes: int) -> FormError:
    return FormError(
        f"The text is too large: {nbytes / 1_048_576:.1f} MB. The limit is "
        f"{MAX_TEXT_BYTES // 1_048_576} MB; paste or upload a shorter text.",
        413,
    )


@dataclass
class Upload:
    filename: str
    content_type: str
    data: bytes


async def read_body(request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, refused (413) as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(int(declared))
    chunks: list[bytes] = []
    n = 0
    async for chunk in request.stream():
        n += len(chunk)
        if n > limit:
            raise too_large(n)
        chunks.append(chunk)
    return b"".join(chunks)


def parse_form(content_type: str, body: bytes) -> dict[str, str | Upload]:
    """Fields of a form body; a file field gives an :class:`Upload`."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype == "application/json":
        try:
            data = json.loads(body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            raise FormError("the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise FormError("the JSON body must be an object, e.g. {\"text\": \"...\"}")
        return {str(k): ("1" if v is True else "" if v in (False, None) else str(v)) for k, v in data.items()}
    if ctype == "application/x-www-form-urlencoded" or (not ctype and body[:1] != b"-"):
        try:
            fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            raise FormError("the form is not valid UTF-8") from None
        return {k: v[0] for k, v in fields.items()}
    if ctype == "multipart/form-data":
        if "boundary=" not in content_type:
            raise FormError("multipart form without a boundary")
        head = b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\nMIME-Version: 1.0\r\n\r\n"
        msg = BytesParser(policy=policy.HTTP).parsebytes(head + body)
        if not msg.is_multipart():
            raise FormError("malformed multipart form")
        out: dict[str, str | Upload] = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not name:
                continue
            payload = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            if filename is not None:
                if filename or payload:
                    out[str(name)] = Upload(str(filename), part.get_content_type(), payload)
                continue
            try:
                out[str(name)] = payload.decode("utf-8")
            except UnicodeDecodeError:
                raise FormError(f"form field {name!r} is not valid UTF-8") from None
        return out
    raise FormError(f"unsupported content type {ctype!r}: send a form or JSON", 415)


def upload_text(up: Upload) -> tuple[str, dict]:
    """The article text of an uploaded .txt or .html file, and metadata read from it."""
    from ..errors import InputError
    from ..ingest.text import decode_text

    if len(up.data) > MAX_TEXT_BYTES:
        raise too_large(len(up.data))
    name = up.filename.lower()
    is_html = name.endswith((".html", ".htm", ".xhtml")) or up.content_type in ("text/html", "application/xhtml+xml")
    if not is_html and not (name.endswith((".txt", ".text", ".md")) or up.content_type.startswith("text/")
                            or up.content_type == "application/octet-stream"):
        raise FormError(f"{up.filename}: upload a .txt or .html file", 415)
    try:
        if is_html:
            from ..ingest.html import extract

            text, meta = extract(up.data, where=up.filename or "upload")
            return text, {k: v for k, v in meta.items() if v and k in ("title", "author", "published", "site", "url")}
        return decode_text(up.data, up.filename or "upload"), {}
    except InputError as exc:
        raise FormError(str(exc), 400) from None
