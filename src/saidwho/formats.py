"""Renderers for :class:`saidwho.types.Article`: a terminal table, JSON, JSON lines and brat.

Every renderer takes an Article (plus, for JSON, optional extra keys such as those of
``saidwho.analysis.enrich``) and returns text; nothing here loads a model or writes files.

brat standoff (PolNeAR style) uses text-bound annotations ``Source``, ``Cue`` and ``Content``,
an ``Attribution`` trigger on the cue (``Attribution-no-source`` when there is no source) and
one event per attribution::

    T1	Source 15 24	the mayor
    T2	Cue 25 29	said
    T3	Content 1 12	We will win
    T4	Attribution 25 29	said
    E1	Attribution:T4 Content:T3 Cue:T2 Source:T1

Offsets are character offsets into the text exactly as analysed. A span that crosses a line
break is written as several fragments (``s e;s e``), as brat requires; fragments are trimmed of
surrounding white space.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .types import Article, Attribution, Span

FORMATS = ("text", "json", "jsonl", "brat")

# Characters at which str.splitlines() breaks a line; brat fragments must not contain any.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK_RE = re.compile(f"[{re.escape(_LINE_BREAKS)}]")
_WS_RE = re.compile(r"\s+")

#: The brat configuration matching :func:`to_brat` (written next to the files by ``--out``).
BRAT_ANNOTATION_CONF = """\
[entities]
Source
Cue
Content

[relations]

[events]
Attribution\tSource:Source, Cue:Cue, Content+:Content
Attribution-no-source\tCue:Cue, Content+:Content

[attributes]
"""


# ---------------------------------------------------------------------------------------------
# JSON


def article_dict(article: Article, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON contract (``Article.to_dict()``), with ``extra`` keys merged in when given."""
    d = article.to_dict()
    if extra:
        d.update(extra)
    return d


def to_json(article: Article, extra: Mapping[str, Any] | None = None, indent: int | None = 2) -> str:
    """One article as (pretty-printed) JSON."""
    return json.dumps(article_dict(article, extra), ensure_ascii=False, indent=indent)


def to_jsonl(article: Article, extra: Mapping[str, Any] | None = None) -> str:
    """One article as one compact JSON line (no trailing newline)."""
    return json.dumps(article_dict(article, extra), ensure_ascii=False, separators=(",", ":"))


def json_array(items: Iterable[str]) -> Iterator[str]:
    """Stream already-rendered JSON values as the chunks of one JSON array."""
    first = True
    for item in items:
        yield ("[\n" if first else ",\n") + _indent(item, 2)
        first = False
    yield "[]" if first else "\n]"


def _indent(text: str, n: int) -> str:
    pad = " " * n
    return "\n".join(pad + line for line in text.split("\n"))


# ---------------------------------------------------------------------------------------------
# brat standoff


def brat_fragments(text: str, spans: Iterable[Span]) -> list[tuple[int, int]]:
    """Fragments of ``spans`` that never cross a line break and carry no outer white space."""
    out: list[tuple[int, int]] = []
    for sp in spans:
        start, end = max(0, sp.start), min(len(text), sp.end)
        pos = start
        pieces: list[tuple[int, int]] = []
        for m in _LINE_BREAK_RE.finditer(text, start, end):
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, end))
        for a, b in pieces:
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                out.append((a, b))
    return sorted(set(out))


def _brat_offsets(frags: list[tuple[int, int]]) -> str:
    return ";".join(f"{a} {b}" for a, b in frags)


def _brat_text(text: str, frags: list[tuple[int, int]]) -> str:
    # Fragments hold no line breaks; brat joins the fragments' text with a space.
    return " ".join(text[a:b] for a, b in frags)


def to_brat(article: Article) -> str:
    """The brat ``.ann`` standoff for ``article`` (its ``.txt`` is ``article.text`` as is)."""
    text = article.text
    lines: list[str] = []
    tids: dict[tuple[str, tuple[tuple[int, int], ...]], str] = {}

    def tline(kind: str, spans: Iterable[Span]) -> str | None:
        frags = brat_fragments(text, spans)
        if not frags:
            return None
        key = (kind, tuple(frags))
        if key not in tids:
            tid = f"T{len(tids) + 1}"
            tids[key] = tid
            lines.append(f"{tid}\t{kind} {_brat_offsets(frags)}\t{_brat_text(text, frags)}")
        return tids[key]

    n_events = 0
    for att in article.attributions:
        source = tline("Source", [att.source]) if att.source else None
        cue = tline("Cue", [att.cue])
        content = tline("Content", att.content)
        if cue is None or content is None:
            continue  # nothing brat could show (an empty cue or content)
        etype = "Attribution" if source else "Attribution-no-source"
        trigger = tline(etype, [att.cue])
        args = [f"Content:{content}", f"Cue:{cue}"]
        if source:
            args.append(f"Source:{source}")
        n_events += 1
        lines.append(f"E{n_events}\t{etype}:{trigger} " + " ".join(args))
    return "".join(line + "\n" for line in lines)


def parse_brat(ann: str) -> dict[str, Any]:
    """Read back ``.ann`` text: ``{"T": {id: (type, [(s, e), ...], text)}, "E": {id: (type,
    trigger, {role: tid})}}``. Used by tests and to diff against gold files."""
    ts: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    es: dict[str, tuple[str, str, dict[str, str]]] = {}
    for line in ann.splitlines():
        if not line.strip():
            continue
        ident, rest = line.split("\t", 1)
        if ident.startswith("T"):
            head, span_text = rest.split("\t", 1)
            kind, offsets = head.split(" ", 1)
            frags = [(int(a), int(b)) for a, b in (f.split() for f in offsets.split(";"))]
            ts[ident] = (kind, frags, span_text)
        elif ident.startswith("E"):
            parts = rest.split()
            etype, trigger = parts[0].split(":", 1)
            es[ident] = (etype, trigger, dict(p.split(":", 1) for p in parts[1:]))
    return {"T": ts, "E": es}


# ---------------------------------------------------------------------------------------------
# terminal table


def _one_line(s: str) -> str:
    return _WS_RE.sub(" ", s).strip()


def _cut(s: str, width: int) -> str:
    if width <= 0:
        return ""
    if len(s) <= width:
        return s
    return s[: max(0, width - 1)].rstrip() + "…"


def _speaker_label(att: Attribution) -> str:
    sp = att.speaker
    if sp is None:
        if att.source is None:
            return "(no source)"
        return f"{_one_line(att.source.text)} (unresolved)"
    name = _one_line(sp.name)
    role = _one_line(sp.role) if sp.role else None
    if role and role.lower() in name.lower():
        role = None  # "the engineer (engineer)" says nothing more
    details = [d for d in (role, sp.type) if d]
    if sp.type == "anonymous":
        details[-1] = "anonymous/vague"
    return f"{name} ({', '.join(details)})" if details else name


def _tree(article: Article) -> list[tuple[int, Attribution]]:
    """Attributions in reading order, each nested one right after its parent, with its depth."""
    by_id = {a.id: a for a in article.attributions}
    children: dict[str | None, list[Attribution]] = {}
    for a in article.attributions:
        parent = a.parent if a.parent in by_id and a.parent != a.id else None
        children.setdefault(parent, []).append(a)
    out: list[tuple[int, Attribution]] = []
    done: set[str] = set()

    def visit(a: Attribution, depth: int) -> None:
        if a.id in done:
            return
        done.add(a.id)
        out.append((depth, a))
        for c in children.get(a.id, ()):
            visit(c, depth + 1)

    for a in children.get(None, ()):
        visit(a, 0)
    for a in article.attributions:  # parent cycles: show what is left flat
        visit(a, 0)
    return out


def to_text(article: Article, width: int | None = None, positions: Mapping[str, Any] | None = None) -> str:
    """A readable table: one row per attribution (speaker, cue, content, kind), nested
    attributions indented under their parent; anonymous/vague sources are marked.

    ``positions`` (the document of ``saidwho.analysis.enrich``) adds, after the table, each
    attribution's source chain with a vague-source flag, the unattributed claims, the
    propositions grouped by actor and the disagreements/agreements (see :func:`positions_text`).
    """
    if width is None:
        width = shutil.get_terminal_size((120, 24)).columns
    width = max(width, 60)
    table = _table_text(article, width)
    if positions is None:
        return table
    return table + "\n" + positions_text(article, positions, width)


def _table_text(article: Article, width: int) -> str:
    n_att, n_sp = len(article.attributions), len(article.speakers)
    head = (
        f"{article.id}: {n_att} attribution{'s' if n_att != 1 else ''}, "
        f"{n_sp} speaker{'s' if n_sp != 1 else ''}"
    )
    lines = [head]
    if not article.attributions:
        lines.append("  (no attributions found)")
        return "\n".join(lines) + "\n"

    rows = []
    for depth, a in _tree(article):
        prefix = "  " * (depth - 1) + "└ " if depth else ""
        rows.append(
            (
                a.id,
                prefix + _speaker_label(a),
                _one_line(a.cue.text),
                _one_line(a.content_text),
                a.kind,
            )
        )
    header = ("#", "SPEAKER", "CUE", "CONTENT", "KIND")
    w_id = max(len(header[0]), *(len(r[0]) for r in rows))
    w_kind = max(len(header[4]), *(len(r[4]) for r in rows))
    w_sp = min(30, max(len(header[1]), *(len(r[1]) for r in rows)))
    w_cue = min(14, max(len(header[2]), *(len(r[2]) for r in rows)))
    gaps = 2 + 2 * 4
    w_content = max(20, width - gaps - w_id - w_sp - w_cue - w_kind)
    w_content = min(w_content, max(len(header[3]), *(len(r[3]) for r in rows)))

    def fmt(r: tuple[str, str, str, str, str]) -> str:
        cells = (
            _cut(r[0], w_id).ljust(w_id),
            _cut(r[1], w_sp).ljust(w_sp),
            _cut(r[2], w_cue).ljust(w_cue),
            _cut(r[3], w_content).ljust(w_content),
            r[4],
        )
        return ("  " + "  ".join(cells)).rstrip()

    lines.append(fmt(header))
    lines.extend(fmt(r) for r in rows)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# positions (saidwho analyze --positions, text format)

CHAIN_ARROW = " \u2190 "  # " ← ": outermost first, as the JSON "chain"


def chain_line(chain: Iterable[str]) -> str:
    """``outlet ← Haaretz ← Alon Pinkas ← Netanyahu`` from a chain, outermost first."""
    return CHAIN_ARROW.join(_one_line(str(c)) for c in chain if str(c).strip())


def _actor_names(article: Article, doc: Mapping[str, Any]) -> dict[str, str]:
    """Speaker id -> the name to show: the chain's name for that speaker (the analysis's display
    name, "Alon Pinkas" for "Pinkas") when there is one, else the engine's speaker name."""
    names = {s.id: _one_line(s.name) for s in article.speakers}
    for a in article.attributions:
        if a.speaker is not None:
            names.setdefault(a.speaker.id, _one_line(a.speaker.name))
    chained: dict[str, str] = {}
    for a in doc.get("attributions") or ():
        sp = a.get("speaker") or {}
        chain = [c for c in (a.get("chain") or ()) if str(c).strip()]
        if sp.get("id") and chain and sp["id"] not in chained:
            chained[sp["id"]] = _one_line(str(chain[-1]))
    names.update(chained)
    return names


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        _one_line(text), width=width, initial_indent=first, subsequent_indent=rest,
        break_long_words=True, break_on_hyphens=False,
    ) or [first.rstrip()]


def positions_text(article: Article, doc: Mapping[str, Any], width: int | None = None) -> str:
    """The positions analysis as text, in four sections:

    - SOURCE CHAINS: each attribution's chain (``outlet ← Haaretz ← Alon Pinkas``), flagged
      ``[vague source]`` when its source is anonymous or a vague group;
    - UNATTRIBUTED CLAIMS: claims in the article's own voice, with the reason;
    - POSITIONS: the propositions grouped by actor (polarity, modality, topic);
    - DISAGREEMENTS AND AGREEMENTS: strongest first, with the score and both evidence spans.
    """
    if width is None:
        width = shutil.get_terminal_size((120, 24)).columns
    width = max(width, 60)
    lines: list[str] = []
    atts = list(doc.get("attributions") or ())
    props = list(doc.get("propositions") or ())
    rels = list(doc.get("relations") or ())
    unatt = list(doc.get("unattributed") or ())
    names = _actor_names(article, doc)

    lines.append("SOURCE CHAINS")
    if not atts:
        lines.append("  (none)")
    w_id = max([len(str(a.get("id", ""))) for a in atts] + [2])
    for a in atts:
        chain = chain_line(a.get("chain") or ())
        if not chain:
            sp = a.get("speaker") or {}
            src = a.get("source") or {}
            chain = _one_line(sp.get("name") or src.get("text") or "(no source)")
        flag = "  [vague source]" if a.get("vague") else ""
        head = f"  {str(a.get('id', '')).ljust(w_id)}  "
        lines.extend(_wrap(chain + flag, width, head, " " * len(head)))

    lines.append("")
    lines.append(f"UNATTRIBUTED CLAIMS ({len(unatt)})")
    if not unatt:
        lines.append("  (none)")
    for u in unatt:
        span = u.get("span") or {}
        text = span.get("text", "") if isinstance(span, Mapping) else str(span)
        reason = u.get("reason") or ""
        lines.extend(_wrap(f"\u201c{_one_line(text)}\u201d" + (f" \u2014 {reason}" if reason else ""),
                           width, "  - ", "    "))

    lines.append("")
    lines.append(f"POSITIONS ({len(props)})")
    if not props:
        lines.append("  (none)")
    by_actor: dict[str, list[Mapping[str, Any]]] = {}
    for p in props:
        by_actor.setdefault(p.get("actor") or "", []).append(p)
    w_pid = max([len(str(p.get("id", ""))) for p in props] + [2])
    for actor, group in by_actor.items():
        label = names.get(actor, actor) if actor else "(no actor)"
        lines.append(f"  {label}" + (f" ({actor})" if actor else ""))
        for p in group:
            span = p.get("span") or {}
            tags = f"{p.get('polarity', '?')}, {p.get('modality', '?')}"
            head = f"    {str(p.get('id', '')).ljust(w_pid)}  "
            body = f"{_one_line(span.get('text', ''))}  [{tags}]"
            topic = [t for t in (p.get("topic") or ()) if t]
            if topic:
                body += "  topic: " + "; ".join(topic)
            lines.extend(_wrap(body, width, head, " " * len(head)))

    lines.append("")
    lines.append(f"DISAGREEMENTS AND AGREEMENTS ({len(rels)}, strongest first)")
    if not rels:
        lines.append("  (none)")
    by_id = {p.get("id"): p for p in props}

    def side(pid: str) -> str:
        p = by_id.get(pid) or {}
        actor = p.get("actor") or ""
        who = names.get(actor, actor) if actor else "(no actor)"
        text = (p.get("span") or {}).get("text", "")
        return f"{who}: \u201c{_one_line(text)}\u201d ({pid})"

    for r in sorted(rels, key=lambda r: -float(r.get("score") or 0.0)):
        kind = str(r.get("kind", "?"))
        head = f"  {kind:<8}  {float(r.get('score') or 0.0):.2f}  "
        pad = " " * len(head)
        lines.extend(_wrap(side(str(r.get("a"))), width, head, pad + "  "))
        lines.extend(_wrap(side(str(r.get("b"))), width, pad[:-2] + "\u2194 ", pad + "  "))
    return "\n".join(lines) + "\n"


def pairs_text(records: Iterable[Mapping[str, Any]], width: int | None = None) -> str:
    """Disagreements/agreements found in the corpus (``Corpus.disagreements``), one block each:
    kind, score and where found, then each side's speaker, article and evidence span."""
    if width is None:
        width = shutil.get_terminal_size((120, 24)).columns
    width = max(width, 60)
    lines: list[str] = []
    for n, r in enumerate(records, 1):
        where = {"article": "same article", "self": "same speaker, over time"}.get(str(r.get("scope")), "across articles")
        if r.get("basis"):
            where += f"; {r['basis']}"
        lines.append(f"{n}. {r.get('kind', '?')}  {float(r.get('score') or 0.0):.2f}  ({where})")
        for mark, key in (("  ", "a"), ("\u2194 ", "b")):
            s = r.get(key) or {}
            sp = s.get("speaker") or {}
            bits = [f"art {s.get('article_id')}"] + [str(s[k]) for k in ("outlet", "published") if s.get(k)]
            body = f"{_one_line(str(sp.get('name') or '?'))} ({', '.join(bits)}): \u201c{_one_line(str(s.get('text') or ''))}\u201d"
            lines.extend(_wrap(body, width, "   " + mark, "       "))
        lines.append("")
    if not lines:
        return "(none)\n"
    return "\n".join(lines)
