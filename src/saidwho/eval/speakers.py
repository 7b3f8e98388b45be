"""Speaker-resolution evaluation on the project's own labelled articles.

``speaker_set/articles/*.txt`` are short invented news articles; ``speaker_set/labels.jsonl``
has one line per labelled attribution::

    {"article": <file stem>, "cue": <cue text>, "occurrence": <n-th occurrence, 1-based>,
     "name": <expected canonical speaker name>, "type": <expected speaker type>}

An attribution is *found* when the engine has one whose cue overlaps the labelled cue; it is
*correct* when its speaker's name (compared case-insensitively, ignoring a leading article and
the style of apostrophe) and type both match. ``accuracy`` is correct/found (how well found
sources are resolved); ``end_to_end`` is correct/labelled (also counts cues the engine missed).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

_LEADING = re.compile(r"^(the|a|an)\s+", re.I)


def default_path() -> Path:
    return Path(str(resources.files("saidwho").joinpath("eval", "speaker_set")))


def normalise_name(name: str | None) -> str:
    if not name:
        return ""
    s = name.replace("\u2019", "'").replace("\u2018", "'").casefold()
    s = " ".join(s.split()).strip(" ,.;:")
    return _LEADING.sub("", s)


def load_labels(path: Path) -> list[dict[str, Any]]:
    out = []
    with open(path / "labels.jsonl", encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            d = json.loads(line)
            for k in ("article", "cue", "occurrence", "name", "type"):
                if k not in d:
                    raise ValueError(f"labels.jsonl line {n}: missing {k!r}")
            out.append(d)
    return out


def cue_offsets(text: str, cue: str, occurrence: int) -> tuple[int, int] | None:
    """Character range of the ``occurrence``-th whole-word occurrence of ``cue``."""
    pat = re.compile(r"(?<!\w)" + re.escape(cue) + r"(?!\w)")
    for k, m in enumerate(pat.finditer(text), 1):
        if k == occurrence:
            return m.start(), m.end()
    return None


def run_speaker_eval(engine=None, path: str | Path | None = None) -> dict[str, Any]:
    """Score speaker resolution on the labelled set; see the module docstring."""
    base = Path(path) if path else default_path()
    labels = load_labels(base)
    if engine is None:
        from ..engine import get_engine

        engine = get_engine()
    articles: dict[str, Any] = {}
    found = correct = 0
    errors: list[dict[str, Any]] = []
    by_type: dict[str, dict[str, int]] = {}
    for lab in labels:
        art_id = lab["article"]
        if art_id not in articles:
            text = (base / "articles" / f"{art_id}.txt").read_text(encoding="utf-8")
            articles[art_id] = engine.analyze(text, id=art_id)
        art = articles[art_id]
        stats = by_type.setdefault(lab["type"], {"labelled": 0, "found": 0, "correct": 0})
        stats["labelled"] += 1
        where = cue_offsets(art.text, lab["cue"], int(lab["occurrence"]))
        base_err = {"article": art_id, "cue": lab["cue"], "occurrence": lab["occurrence"], "expected": {"name": lab["name"], "type": lab["type"]}}
        if where is None:
            errors.append({**base_err, "error": "label's cue not in article"})
            continue
        a, b = where
        hits = [x for x in art.attributions if x.cue.start < b and a < x.cue.end]
        if not hits:
            errors.append({**base_err, "error": "cue not found by the engine"})
            continue
        att = min(hits, key=lambda x: abs(x.cue.start - a) + abs(x.cue.end - b))
        found += 1
        stats["found"] += 1
        sp = att.speaker
        got = {"name": sp.name, "type": sp.type} if sp else None
        ok = sp is not None and sp.type == lab["type"] and normalise_name(sp.name) == normalise_name(lab["name"])
        if ok:
            correct += 1
            stats["correct"] += 1
        else:
            errors.append(
                {**base_err, "error": "wrong speaker" if sp else "no speaker", "got": got, "source": att.source.text if att.source else None}
            )
    n = len(labels)
    return {
        "labelled": n,
        "found": found,
        "correct": correct,
        "accuracy": round(correct / found, 4) if found else 0.0,
        "end_to_end": round(correct / n, 4) if n else 0.0,
        "articles": len(articles),
        "by_type": by_type,
        "errors": errors,
    }


def main() -> None:  # pragma: no cover - convenience: python -m saidwho.eval.speakers
    res = run_speaker_eval()
    print(json.dumps(res, indent=2, ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    main()
