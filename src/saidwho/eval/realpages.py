"""Scoring the whole HTML path on real saved news pages against hand-written gold.

Each gold file (``realpages_set/gold/<stem>.json``, format in ``realpages_set/README.md``)
names a saved page; the page is read exactly as ``saidwho ingest`` reads an HTML file
(:func:`saidwho.ingest.html.read_html_file`) and the engine analyses the extracted text. The
gold has no offsets (the extracted text is not the page), so everything is compared on
normalised text:

* **normalised text**: Unicode NFKC, lower case, apostrophes dropped inside words, every other
  punctuation mark (Unicode ``P*``, quotation marks included) and symbol made a space,
  whitespace collapsed; **tokens** are the words of that;
* **content match**: the token-multiset F1 between the system's content (its fragments joined)
  and the gold's is at least 0.5; pairs are taken one-to-one, greedily by best F1 (ties: gold
  order, then system order);
* attribution **precision** = matched system / system attributions, **recall** = matched gold
  / gold attributions (nested attributions count on both sides);
* over matched pairs: **speaker** right when the system's speaker name (its source words when
  it names no speaker) equals the gold speaker or one of its aliases, normalised; a gold
  speaker ``null`` needs no system speaker; a leading "the" does not count ("The White House" =
  "White House"); for gold ``anonymous``/``group`` speakers a token F1 of at least 0.5 with one
  of the gold names is enough. **Cue** right when the cue words reach
  a token F1 of 0.5 ("told" for "told reporters"). **Kind** right when equal.

Pages whose gold says ``"news": false`` (non-English or non-news pages) have no attributions;
the engine's attributions on them are counted on their own line. The ``test`` pages of
``splits.json`` are held out: their figures are summed, never listed per page, and their
errors are never shown.
"""

from __future__ import annotations

import json
import os
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, SaidwhoError
from .scorer import greedy_match

if TYPE_CHECKING:  # pragma: no cover
    from ..engine import Engine
    from ..types import Attribution

TAU = 0.5
SPLITS = ("dev", "test", "all")
HELD_OUT = "test"
#: Gold speaker types whose names need only a token F1 of 0.5 ("officials" ~ "US officials").
LENIENT_SPEAKER_TYPES = ("anonymous", "group")


class RealPagesError(SaidwhoError):
    """The pages or gold directory, a gold file or the split manifest is missing or bad."""


# ---------------------------------------------------------------- text


_APOSTROPHES = re.compile(r"(?<=\w)['’ʼ](?=\w)")


def normalise(text: str | None) -> str:
    """NFKC, lower case, apostrophes inside words dropped, other punctuation and symbols made
    spaces, whitespace collapsed."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text).lower()
    t = _APOSTROPHES.sub("", t)
    t = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in t)
    return " ".join(t.split())


def tokens(text: str | None) -> list[str]:
    return normalise(text).split()


def token_f1(a: Sequence[str], b: Sequence[str]) -> float:
    """F1 of the token multisets (0 when either side is empty)."""
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    p, r = common / len(b), common / len(a)
    return 2 * p * r / (p + r)


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class GoldItem:
    id: str
    speaker: str | None
    aliases: tuple[str, ...]
    speaker_type: str
    cue: str
    content: tuple[str, ...]
    kind: str
    block: str = "body"
    parent: str | None = None

    @property
    def content_text(self) -> str:
        return " ".join(self.content)


@dataclass(frozen=True)
class GoldPage:
    stem: str
    page: str
    language: str
    news: bool
    title: str
    items: tuple[GoldItem, ...] = field(default=())
    path: str = ""


@dataclass(frozen=True)
class SysItem:
    speaker: str | None
    speaker_type: str | None
    cue: str
    content: str
    kind: str
    sentence: str
    parent: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "cue": self.cue,
            "content": self.content,
            "speaker": self.speaker,
            "kind": self.kind,
        }


# ---------------------------------------------------------------- locations


def default_pages_dir() -> Path:
    """``$SAIDWHO_REALPAGES``, else ``../shared/realpages`` beside the repository or the
    working directory (the first that exists; else the latter, for the error message)."""
    env = os.environ.get("SAIDWHO_REALPAGES")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[3]
    cands = (repo.parent / "shared" / "realpages", Path.cwd().parent / "shared" / "realpages")
    for cand in cands:
        if cand.is_dir():
            return cand
    return cands[-1]


def default_gold_dir() -> Path:
    return Path(str(files("saidwho.eval").joinpath("realpages_set", "gold")))


def load_splits() -> dict[str, list[str]]:
    """``splits.json``: the page stems of ``dev`` and ``test``."""
    try:
        data = json.loads(files("saidwho.eval").joinpath("realpages_set", "splits.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RealPagesError(f"cannot read the real pages' split manifest: {exc}") from None
    return {k: list(data[k]) for k in ("dev", "test")}


# ---------------------------------------------------------------- gold


def _str(obj: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    v = obj.get(key, default)
    if not isinstance(v, str):
        raise RealPagesError(f"{where}: {key!r} must be a string")
    return v


def parse_gold(data: Any, where: str) -> GoldPage:
    """One gold file's JSON as a :class:`GoldPage` (errors name the file and the field)."""
    if not isinstance(data, dict):
        raise RealPagesError(f"{where}: a gold file must hold one JSON object")
    page = _str(data, "page", where)
    news = data.get("news", True)
    if not isinstance(news, bool):
        raise RealPagesError(f"{where}: 'news' must be true or false")
    atts = data.get("attributions", [])
    if not isinstance(atts, list):
        raise RealPagesError(f"{where}: 'attributions' must be a list")
    items = []
    for k, a in enumerate(atts):
        at = f"{where}: attribution {k + 1}"
        if not isinstance(a, dict):
            raise RealPagesError(f"{at} is not an object")
        content = a.get("content", [])
        if isinstance(content, str):
            content = [content]
        if not isinstance(content, list) or not all(isinstance(c, str) for c in content):
            raise RealPagesError(f"{at}: 'content' must be a list of strings")
        speaker = a.get("speaker")
        if speaker is not None and not isinstance(speaker, str):
            raise RealPagesError(f"{at}: 'speaker' must be a string or null")
        aliases = a.get("speaker_aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(x, str) for x in aliases):
            raise RealPagesError(f"{at}: 'speaker_aliases' must be a list of strings")
        items.append(
            GoldItem(
                id=str(a.get("id", f"g{k + 1}")),
                speaker=speaker,
                aliases=tuple(aliases),
                speaker_type=str(a.get("speaker_type") or "person"),
                cue=_str(a, "cue", at, ""),
                content=tuple(content),
                kind=str(a.get("kind") or ""),
                block=str(a.get("block") or "body"),
                parent=a.get("parent"),
            )
        )
    stem = Path(page).stem
    return GoldPage(
        stem=stem,
        page=page,
        language=str(data.get("language") or "en"),
        news=news,
        title=str(data.get("title") or ""),
        items=tuple(items),
        path=where,
    )


def load_gold(gold_dir: str | os.PathLike[str]) -> list[GoldPage]:
    """Every ``*.json`` of the gold directory, by file name."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise RealPagesError(f"gold directory not found: {gold_dir}")
    out = []
    for path in sorted(gold_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise RealPagesError(f"{path}: not UTF-8") from None
        except ValueError as exc:
            raise RealPagesError(f"{path}: not valid JSON ({exc})") from None
        except OSError as exc:
            raise RealPagesError(f"{path}: cannot read: {exc.strerror or exc}") from None
        out.append(parse_gold(data, str(path)))
    return out


def group_of(page: GoldPage, splits: Mapping[str, Sequence[str]]) -> str:
    """``other`` (not English news), ``dev``, ``test`` or ``extra`` (gold outside both lists)."""
    if not page.news:
        return "other"
    for name in ("dev", "test"):
        if page.stem in splits[name]:
            return name
    return "extra"


def select(pages: Sequence[GoldPage], split: str, splits: Mapping[str, Sequence[str]]) -> tuple[list[GoldPage], list[str]]:
    """The pages a split scores (its news pages and every non-news page) and the stems of its
    list that have no gold file yet."""
    if split not in SPLITS:
        raise RealPagesError(f"unknown split {split!r} (use dev, test or all)")
    chosen = [p for p in pages if split == "all" or group_of(p, splits) in (split, "other")]
    have = {p.stem for p in pages}
    wanted = [s for name in (("dev", "test") if split == "all" else (split,)) for s in splits[name]]
    return chosen, [s for s in wanted if s not in have]


# ---------------------------------------------------------------- system


_SENT_END = re.compile(r"[.!?][\"”’')\]]*\s+|\n+")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around ``[start, end)``, roughly: from the last sentence end before it to
    the next one after it (a line break always ends one)."""
    s = 0
    for m in _SENT_END.finditer(text, 0, start):
        s = m.end()
    m = _SENT_END.search(text, end)
    e = m.start() + (1 if m.group(0)[0] in ".!?" else 0) if m else len(text)
    return " ".join(text[s:e].split())


def system_items(text: str, attributions: Iterable["Attribution"]) -> list[SysItem]:
    out = []
    for a in attributions:
        if a.speaker is not None:
            speaker, stype = " ".join(a.speaker.name.split()), a.speaker.type
        elif a.source is not None:
            speaker, stype = " ".join(a.source.text.split()), None
        else:
            speaker, stype = None, None
        start = min([a.cue.start] + [c.start for c in a.content])
        end = max([a.cue.end] + [c.end for c in a.content])
        out.append(
            SysItem(
                speaker=speaker,
                speaker_type=stype,
                cue=" ".join(a.cue.text.split()),
                content=" … ".join(" ".join(c.text.split()) for c in a.content),
                kind=a.kind,
                sentence=_sentence(text, a.cue.start, a.cue.start) if end - start > 600 else _sentence(text, start, end),
                parent=a.parent is not None,
            )
        )
    return out


# ---------------------------------------------------------------- scoring


def name_key(name: str | None) -> str:
    """A speaker name normalised, without a leading "the" ("The White House" = "White House")."""
    n = normalise(name)
    return n[4:] if n.startswith("the ") else n


def speaker_right(gold: GoldItem, system: str | None) -> bool:
    """The speaker rule of the module docstring."""
    if gold.speaker is None:
        return not normalise(system)
    sys_n = name_key(system)
    if not sys_n:
        return False
    names = [gold.speaker, *gold.aliases]
    if any(name_key(n) == sys_n for n in names):
        return True
    if gold.speaker_type in LENIENT_SPEAKER_TYPES:
        return any(token_f1(name_key(n).split(), sys_n.split()) >= TAU for n in names)
    return False


def cue_right(gold: GoldItem, system: str) -> bool:
    return token_f1(tokens(gold.cue), tokens(system)) >= TAU


@dataclass
class Tally:
    pages: int = 0
    gold: int = 0
    system: int = 0
    matched: int = 0
    speaker: int = 0
    cue: int = 0
    kind: int = 0

    def add(self, other: "Tally") -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def to_dict(self) -> dict[str, Any]:
        p = self.matched / self.system if self.system else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0

        def acc(n: int) -> float:
            return round(n / self.matched, 6) if self.matched else 0.0

        return {
            "pages": self.pages,
            "gold": self.gold,
            "system": self.system,
            "matched": self.matched,
            "precision": round(p, 6),
            "recall": round(r, 6),
            "f1": round(f1, 6),
            "speaker_accuracy": acc(self.speaker),
            "cue_accuracy": acc(self.cue),
            "kind_accuracy": acc(self.kind),
        }


def score_page(gold: Sequence[GoldItem], system: Sequence[SysItem]) -> tuple[Tally, dict[str, Any]]:
    """The tally of one page and its details: matched pairs, junk and misses."""
    g_tok = [tokens(g.content_text) for g in gold]
    s_tok = [tokens(s.content) for s in system]
    pairs = greedy_match(g_tok, s_tok, token_f1, TAU)
    t = Tally(pages=1, gold=len(gold), system=len(system), matched=len(pairs))
    matched = []
    for gi, si in sorted(pairs):
        g, s = gold[gi], system[si]
        ok = {"speaker": speaker_right(g, s.speaker), "cue": cue_right(g, s.cue), "kind": g.kind == s.kind}
        t.speaker += ok["speaker"]
        t.cue += ok["cue"]
        t.kind += ok["kind"]
        matched.append({"gold": g.id, "system": s.to_dict(), "gold_speaker": g.speaker, "gold_cue": g.cue, "gold_kind": g.kind, **ok})
    g_hit, s_hit = {gi for gi, _ in pairs}, {si for _, si in pairs}
    detail = {
        "matched": matched,
        "wrong_speaker": [
            {"gold_speaker": m["gold_speaker"], **m["system"]} for m in matched if not m["speaker"]
        ],
        "unmatched_system": [s.to_dict() for si, s in enumerate(system) if si not in s_hit],
        "missed_gold": [
            {"id": g.id, "block": g.block, "cue": g.cue, "content": g.content_text, "speaker": g.speaker}
            for gi, g in enumerate(gold)
            if gi not in g_hit
        ],
    }
    return t, detail


# ---------------------------------------------------------------- run


def evaluate_realpages(
    pages_dir: str | os.PathLike[str] | None = None,
    gold_dir: str | os.PathLike[str] | None = None,
    split: str = "dev",
    *,
    engine: "Engine | None" = None,
    errors: bool = False,
) -> dict[str, Any]:
    """Read every gold page of ``split`` through the HTML path, analyse it and score it.

    Returns ``groups`` (a summary per group of pages: ``dev``, ``test``, ``extra``, and
    ``news``, all news pages together), ``pages`` (one row per news page outside ``test``),
    ``other`` (attributions on non-news pages), ``missing_gold`` and ``seconds``. With
    ``errors`` each non-test page row also lists its unmatched system attributions, missed
    gold and matched pairs with the wrong speaker."""
    from ..ingest.html import read_html_file

    pages_dir = Path(pages_dir) if pages_dir is not None else default_pages_dir()
    if not pages_dir.is_dir():
        raise RealPagesError(f"real pages directory not found: {pages_dir} (set SAIDWHO_REALPAGES or use --pages)")
    gold_dir = Path(gold_dir) if gold_dir is not None else default_gold_dir()
    splits = load_splits()
    chosen, missing = select(load_gold(gold_dir), split, splits)
    if not any(p.news for p in chosen):
        raise RealPagesError(f"no gold news page of split {split!r} in {gold_dir}")
    for p in chosen:
        if not (pages_dir / p.page).is_file():
            raise RealPagesError(f"{p.path}: page {p.page} not found in {pages_dir}")
    if engine is None:
        from ..engine import Engine

        engine = Engine()
    groups: dict[str, Tally] = {}
    rows: list[dict[str, Any]] = []
    other: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for p in chosen:
        group = group_of(p, splits)
        try:
            text, _meta = read_html_file(str(pages_dir / p.page))
        except InputError as exc:
            text, note = "", str(exc).rsplit(": ", 1)[-1]
        else:
            note = ""
        art = engine.analyze(text, id=p.stem) if text else None
        sys_items = system_items(text, art.attributions) if art is not None else []
        if group == "other":
            other.append({"page": p.page, "language": p.language, "system": len(sys_items), "note": note})
            if errors:
                other[-1]["attributions"] = [s.to_dict() for s in sys_items]
            continue
        tally, detail = score_page(p.items, sys_items)
        for g in (group, "news"):
            groups.setdefault(g, Tally()).add(tally)
        if group == HELD_OUT:
            continue  # held out: summed, never shown page by page
        row = {"page": p.page, "group": group, "words": len(text.split()), **tally.to_dict(), "note": note}
        del row["pages"]
        if errors:
            row["unmatched_system"] = detail["unmatched_system"]
            row["missed_gold"] = detail["missed_gold"]
            row["wrong_speaker"] = detail["wrong_speaker"]
        rows.append(row)
    order = ("dev", "test", "extra", "news")
    return {
        "split": split,
        "groups": {g: groups[g].to_dict() for g in order if g in groups},
        "pages": rows,
        "other": {"pages": len(other), "system": sum(o["system"] for o in other), "rows": other},
        "missing_gold": missing,
        "seconds": round(time.perf_counter() - t0, 3),
    }


def format_realpages(result: Mapping[str, Any], errors: bool = False) -> str:
    """The result as terminal tables (percentages)."""
    head = f"  {'':<38}{'gold':>5} {'sys':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6} {'spk':>6} {'cue':>6} {'kind':>6}"

    def line(label: str, d: Mapping[str, Any]) -> str:
        return (
            f"  {label[:38]:<38}{d['gold']:>5} {d['system']:>5} {d['matched']:>5} "
            f"{100 * d['precision']:6.1f} {100 * d['recall']:6.1f} {100 * d['f1']:6.1f} "
            f"{100 * d['speaker_accuracy']:6.1f} {100 * d['cue_accuracy']:6.1f} {100 * d['kind_accuracy']:6.1f}"
        )

    out = [f"Real pages, split {result['split']}: {result.get('seconds', 0):.1f} s", "", "SUMMARY (spk/cue/kind: accuracy over matched pairs)", head]
    for g, d in result["groups"].items():
        if g == "news" and len(result["groups"]) == 2:
            continue  # the same pages as the one group above
        out.append(line(f"{g} ({d['pages']} pages)", d))
    if result["pages"]:
        out += ["", "PAGES", head]
        for r in result["pages"]:
            out.append(line(r["page"].split("/", 1)[-1] + (" *" if r["note"] else ""), r))
        notes = [f"  * {r['page']}: {r['note']}" for r in result["pages"] if r["note"]]
        out += notes
    o = result["other"]
    out += ["", f"NOT ENGLISH NEWS: {o['system']} attributions on {o['pages']} pages (should be 0)"]
    for r in o["rows"]:
        out.append(f"  {r['page']:<40}{r['language']:>4} {r['system']:>5}" + (f"  ({r['note']})" if r["note"] else ""))
    if result["missing_gold"]:
        out += ["", f"No gold yet for {len(result['missing_gold'])} pages of the split: {', '.join(result['missing_gold'])}"]
    if errors:
        out += ["", "ERRORS (test pages are never listed)"]
        for r in result["pages"]:
            out += ["", f"== {r['page']}"]
            for s in r.get("unmatched_system", []):
                out.append(f"  JUNK   [{s['speaker']}] {s['cue']!r}: {s['content']}")
                out.append(f"         in: {s['sentence']}")
            for w in r.get("wrong_speaker", []):
                out.append(f"  WHO    [{w['speaker']}] for [{w['gold_speaker']}] {w['cue']!r}: {w['content']}")
            for g in r.get("missed_gold", []):
                out.append(f"  MISSED [{g['speaker']}] {g['cue']!r} ({g['block']}): {g['content']}")
        for r in o["rows"]:
            for s in r.get("attributions", []):
                out.append(f"  OTHER  {r['page']} [{s['speaker']}] {s['cue']!r}: {s['content']}")
    return "\n".join(out)
