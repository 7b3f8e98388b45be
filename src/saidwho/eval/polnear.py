"""Reading the PolNeAR corpus (brat standoff + ``metadata.tsv``) into gold attributions.

Layout (``/work/shared/polnear/README.md``)::

    ROOT/metadata.tsv                              split, file name, annotators "a|b|c", ...
    ROOT/<split>/text/<name>.txt                   the article
    ROOT/<split>/attributions/<name>_<annotator>.ann

Rules applied here:

* the gold annotation of an article is the file of the first annotator listed for it (if that
  file is missing, the next listed annotator whose file exists);
* only ``E`` lines of type ``Attribution`` or ``Attribution-no-source`` make attributions;
  their ``Source``/``Cue``/``Content`` arguments give the roles, a trailing number is dropped
  (``Content2`` adds fragments to the content), other arguments are ignored;
* a ``T`` span may be discontinuous (``start end;start end``): all fragments are kept;
* events with neither a cue nor a content are dropped.

Fragments are kept exactly as annotated; normalisation is the scorer's job.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SaidwhoError

Fragment = tuple[int, int]

EVENT_TYPES = ("Attribution", "Attribution-no-source")
ROLES = ("source", "cue", "content")
_ROLE_NUMBER = re.compile(r"\d+$")


HELD_OUT = "test"


class CorpusError(SaidwhoError):
    """The corpus directory, its metadata or a requested split is missing or unreadable."""


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: fragments per role (``source`` may be empty)."""

    source: tuple[Fragment, ...]
    cue: tuple[Fragment, ...]
    content: tuple[Fragment, ...]

    def to_dict(self) -> dict[str, Any]:
        return {role: [list(f) for f in getattr(self, role)] for role in ROLES}


@dataclass(frozen=True)
class GoldArticle:
    id: str
    text: str
    annotator: str | None
    attributions: tuple[GoldAttribution, ...] = field(default=())


@dataclass(frozen=True)
class MetaRow:
    split: str
    name: str
    annotators: tuple[str, ...]


# ---------------------------------------------------------------- brat


def parse_fragments(spec: str) -> tuple[Fragment, ...]:
    """``"315 448;463 553"`` -> ``((315, 448), (463, 553))``."""
    out = []
    for part in spec.split(";"):
        bits = part.split()
        if len(bits) != 2:
            raise ValueError(f"bad fragment {part!r}")
        out.append((int(bits[0]), int(bits[1])))
    return tuple(out)


def parse_ann(ann: str) -> list[GoldAttribution]:
    """Gold attributions of one ``.ann`` file's text, in the order of its ``E`` lines."""
    spans: dict[str, tuple[Fragment, ...]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in ann.splitlines():
        if not line.strip():
            continue
        cols = line.split("\t")
        ident = cols[0].strip()
        if ident.startswith("T") and len(cols) >= 2:
            label, _, frags = cols[1].strip().partition(" ")
            if label in ("Discard", "Discuss"):
                continue  # annotator bookkeeping: an event pointing at one loses that role
            try:
                spans[ident] = parse_fragments(frags)
            except ValueError:
                continue  # a malformed span cannot be used; its events lose that role
        elif ident.startswith("E") and len(cols) >= 2:
            args = [a.partition(":") for a in cols[1].split()]
            if not args or args[0][0] not in EVENT_TYPES:
                continue
            events.append([(name, ref) for name, _, ref in args[1:] if ref])
    out = []
    for args in events:
        roles: dict[str, list[Fragment]] = {r: [] for r in ROLES}
        for name, ref in args:
            role = _ROLE_NUMBER.sub("", name).lower()
            if role in roles and ref in spans:
                roles[role].extend(spans[ref])
        if not roles["cue"] and not roles["content"]:
            continue
        out.append(GoldAttribution(**{r: tuple(sorted(set(v))) for r, v in roles.items()}))
    return out


# ---------------------------------------------------------------- corpus


def default_root() -> Path | None:
    """Where the corpus is expected: ``$SAIDWHO_POLNEAR``, else ``../shared/polnear`` next to
    the repository (CI clones it at ``X/main`` with the data at ``X/shared``) or next to the
    working directory. ``None`` when none of these is a directory."""
    env = os.environ.get("SAIDWHO_POLNEAR")
    if env:
        return Path(env) if Path(env).is_dir() else None
    repo = Path(__file__).resolve().parents[3]
    for cand in (repo.parent / "shared" / "polnear", Path.cwd().parent / "shared" / "polnear"):
        if (cand / "metadata.tsv").is_file():
            return cand
    return None


def read_metadata(root: str | os.PathLike[str]) -> list[MetaRow]:
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"PolNeAR directory not found: {root}")
    path = root / "metadata.tsv"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise CorpusError(f"{root} is not a PolNeAR directory (no metadata.tsv)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read {path}: {exc}") from None
    if not lines:
        raise CorpusError(f"{path} is empty")
    header = lines[0].split("\t")
    try:
        i_split, i_name, i_ann = (header.index(c) for c in ("compartment", "filename", "annotators"))
    except ValueError:
        raise CorpusError(f"{path}: expected columns compartment, filename, annotators") from None
    rows = []
    for line in lines[1:]:
        cols = line.split("\t")
        if len(cols) <= max(i_split, i_name, i_ann):
            continue
        annotators = tuple(a.strip() for a in cols[i_ann].split("|") if a.strip())
        rows.append(MetaRow(cols[i_split].strip(), cols[i_name].strip(), annotators))
    return rows


def available_splits(root: str | os.PathLike[str]) -> list[str]:
    """Splits named in the metadata whose text directory exists."""
    root = Path(root)
    names = {r.split for r in read_metadata(root)}
    return sorted(s for s in names if (root / s / "text").is_dir())


def load_split(
    root: str | os.PathLike[str], split: str = "dev", limit: int | None = None
) -> list[GoldArticle]:
    """The articles of one split, sorted by id (the file name without ``.txt``); with
    ``limit``, the first ``limit`` of them."""
    if split == HELD_OUT:
        raise CorpusError(f"the {HELD_OUT!r} split is the project's held-out benchmark: saidwho reads only train and dev")
    root = Path(root)
    rows = sorted((r for r in read_metadata(root) if r.split == split), key=lambda r: r.name)
    if not rows or not (root / split / "text").is_dir():
        avail = ", ".join(available_splits(root)) or "none"
        raise CorpusError(f"split {split!r} not found in {root} (available: {avail})")
    if limit is not None:
        rows = rows[: max(0, limit)]
    return [_load_article(root / split, r) for r in rows]


def _load_article(split_dir: Path, row: MetaRow) -> GoldArticle:
    text_path = split_dir / "text" / f"{row.name}.txt"
    try:
        with open(text_path, encoding="utf-8", newline="") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read article text {text_path}: {exc}") from None
    for annotator in row.annotators:
        ann_path = split_dir / "attributions" / f"{row.name}_{annotator}.ann"
        if ann_path.is_file():
            try:
                ann = ann_path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CorpusError(f"cannot read annotation {ann_path}: {exc}") from None
            return GoldArticle(row.name, text, annotator, tuple(parse_ann(ann)))
    raise CorpusError(
        f"no annotation file for {row.name} in {split_dir / 'attributions'} "
        f"(annotators listed: {', '.join(row.annotators) or 'none'})"
    )


def gold_dicts(articles: Iterable[GoldArticle]) -> Iterable[dict[str, Any]]:
    """The gold as JSON-ready dicts (``id``, ``text``, ``attributions``)."""
    for a in articles:
        yield {"id": a.id, "text": a.text, "attributions": [g.to_dict() for g in a.attributions]}
