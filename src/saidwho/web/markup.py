"""Highlight markup for an article's text, built from character offsets.

The text is untrusted: every character of it goes through :func:`html.escape`, and the only
markup in the result is the ``<span>`` elements written here, whose attribute values are
escaped too. Spans may nest (a nested attribution inside its parent's content) or cross (two
attributions sharing words): the result is always well-formed, a crossing span being closed
and reopened as a continuation fragment.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from markupsafe import Markup

#: Roles of highlighted ranges, outer before inner when two ranges are the same.
ROLES = ("unattributed", "content", "source", "medium", "cue")
_PRIORITY = {r: i for i, r in enumerate(ROLES)}
LABELS = {
    "source": "source",
    "cue": "cue",
    "content": "quote",
    "medium": "medium",
    "unattributed": "unsourced claim",
}


@dataclass
class Mark:
    start: int
    end: int
    role: str
    att: str | None = None  # attribution id (None for unattributed claims)
    classes: tuple[str, ...] = ()
    title: str = ""
    label: str = ""
    depth: int = 0  # nesting depth of the attribution (0: top level)
    index: int = 0  # order of creation, the last tie-breaker
    ident: str = ""  # the element id of the first fragment (default hl-ATT-ROLE)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.att or 'u'}-{self.role}-{self.index}"


def _attrs(d: dict[str, str]) -> str:
    return "".join(f' {k}="{html.escape(str(v), quote=True)}"' for k, v in d.items() if v is not None and v != "")


def render(text: str, marks: list[Mark]) -> Markup:
    """The text as escaped HTML with each mark as a ``<span class="hl hl-ROLE">``."""
    n = len(text)
    ok: list[Mark] = []
    for i, m in enumerate(marks):
        s, e = max(0, int(m.start)), min(n, int(m.end))
        if e > s:
            m.start, m.end, m.index = s, e, i
            ok.append(m)
    if not ok:
        return Markup(html.escape(text, quote=False))
    starts: dict[int, list[Mark]] = {}
    ends: dict[int, list[Mark]] = {}
    for m in ok:
        starts.setdefault(m.start, []).append(m)
        ends.setdefault(m.end, []).append(m)
    points = sorted({0, n, *starts, *ends})

    def order(m: Mark) -> tuple:
        return (m.start, -m.end, m.depth, _PRIORITY.get(m.role, 9), m.index)

    out: list[str] = []
    stack: list[Mark] = []
    active: set[int] = set()
    by_id = {id(m): m for m in ok}
    opened: set[int] = set()
    used: set[str] = set()
    for k in range(len(points) - 1):
        p, q = points[k], points[k + 1]
        for m in ends.get(p, ()):
            active.discard(id(m))
        for m in starts.get(p, ()):
            active.add(id(m))
        want = sorted((by_id[i] for i in active), key=order)
        common = 0
        while common < len(stack) and common < len(want) and stack[common] is want[common]:
            common += 1
        for _ in range(len(stack) - common):
            stack.pop()
            out.append("</span>")
        labelled: set[str] = set()
        for m in want[common:]:
            first = id(m) not in opened
            opened.add(id(m))
            # two ranges of the same part starting here (one source for two cues): one label
            quiet = first and _label(m) in labelled
            if first:
                labelled.add(_label(m))
            out.append(_open(m, first, used, quiet))
            stack.append(m)
        out.append(html.escape(text[p:q], quote=False))
    out.extend("</span>" for _ in stack)
    return Markup("".join(out))


def _label(m: Mark) -> str:
    return m.label or LABELS.get(m.role, m.role)


def _open(m: Mark, first: bool, used: set[str], quiet: bool = False) -> str:
    cls = ["hl", f"hl-{m.role}", *m.classes]
    if m.depth:
        cls.append(f"depth-{min(m.depth, 3)}")
    cls.append("first" if first else "cont")
    if quiet:
        cls.append("same")
    attrs = {
        "class": " ".join(cls),
        "data-a": m.att or "",
        "data-role": m.role,
        "data-label": _label(m),
        "title": m.title,
        **m.extra,
    }
    if first:
        ident = m.ident or (f"hl-{m.att}-{m.role}" if m.att else f"hl-{m.role}-{m.index}")
        if ident in used:
            ident = f"{ident}-{m.index}"
        used.add(ident)
        attrs["id"] = ident
        attrs["tabindex"] = "0"
    return "<span" + _attrs(attrs) + ">"


def excerpt(text: str, limit: int = 240) -> str:
    """``text`` cut at a word boundary near ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + "…"


def highlight_words(text: str, words: list[str]) -> Markup:
    """``text`` escaped, with whole-word, case-insensitive matches of ``words`` in ``<mark>``."""
    import re

    words = [w for w in words if w]
    if not words:
        return Markup(html.escape(text, quote=False))
    rx = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + r")\w*",
                    re.IGNORECASE)
    out, pos = [], 0
    for m in rx.finditer(text):
        out.append(html.escape(text[pos : m.start()], quote=False))
        out.append("<mark>" + html.escape(m.group(0), quote=False) + "</mark>")
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return Markup("".join(out))
