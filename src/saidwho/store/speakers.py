"""Speakers across the corpus: which corpus speaker each article's speaker is.

Rules, in order, for one mention (see :mod:`saidwho.store.names` for keys):

1. a user's correction wins: a pinned ``n:<name variant>`` key (from ``split``) or a pinned
   mention key (from ``merge``);
2. a full name ("Joe Biden", "President Joe Biden") is the speaker with that person key;
   organisations by their name; vague sources ("officials") stay within their article;
3. a surname alone ("Biden", "President Biden"):
   a. a full-name person with that surname in the same article (news style: full name first);
   b. otherwise corpus persons with that surname whose time span is near the article's date
      (:data:`WINDOW_DAYS`), whose known roles fit the mention's role; several left: the one
      most often co-mentioned with this article's other speakers, if it is a clear winner;
   c. still unsure: a surname-only speaker ``s:<surname>`` of its own, kept apart, which
      :func:`consolidate` revisits at the end of an ingest run once more of the corpus is known.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, bindparam, case, delete, distinct, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from .names import NameInfo, analyse_name, fold, roles_compatible
from .schema import attributions, mentions, speaker_keys, speakers

# aliases for co-mention counts, built once (building them costs more than the query)
_M1, _M2 = mentions.alias("m1"), mentions.alias("m2")

#: A surname-only mention joins a corpus person seen within this many days of the article.
WINDOW_DAYS = 730


def _day(s: str | None) -> date | None:
    if not s:
        return None
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        return None


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Mention:
    """One of an article's speakers, on its way into the ``mentions`` table."""

    local_id: str
    name: str
    info: NameInfo
    key: str  # the corpus key (vague keys carry the article id)

    @property
    def norm(self) -> str:
        return fold(self.info.clean)[:512]


def mention_key(info: NameInfo, article_id: int) -> str:
    if info.key.startswith("v:"):
        return f"v:{article_id}:{info.key[2:]}"[:1024]
    return info.key[:1024]


def name_key(info: NameInfo) -> str:
    """The pinned-variant key a ``split`` writes: the exact name without titles."""
    return ("n:" + fold(info.clean))[:1024]


@functools.cache
def _touch_statement():
    """Built once: building (and cache-keying) this statement costs more than running it."""
    p = bindparam("p", type_=speakers.c.first_seen.type)
    role = bindparam("r", type_=speakers.c.role.type)
    latest = or_(speakers.c.last_seen.is_(None), speakers.c.last_seen <= p)
    return (
        update(speakers)
        .where(speakers.c.id == bindparam("sid"))
        .values(
            first_seen=case(
                (and_(p.is_not(None), or_(speakers.c.first_seen.is_(None), speakers.c.first_seen > p)), p),
                else_=speakers.c.first_seen,
            ),
            last_seen=case((and_(p.is_not(None), latest), p), else_=speakers.c.last_seen),
            role=case(
                (and_(role.is_not(None), or_(speakers.c.role.is_(None), p.is_(None), latest)), role),
                else_=speakers.c.role,
            ),
        )
    )


class Resolver:
    """Resolves an article's mentions to corpus speakers, inside the caller's transaction."""

    def __init__(self, window_days: int = WINDOW_DAYS) -> None:
        self.window = timedelta(days=window_days)
        #: surnames of persons seen since the last consolidation: only their surname-only
        #: speakers can have gained a candidate, so only they are revisited
        self.dirty: set[str] = set()

    # -- creating and touching speakers ---------------------------------------------------

    def create_speaker(self, conn: Connection, info: NameInfo, key: str | None, published: str | None) -> int:
        sid = conn.execute(
            insert(speakers)
            .values(
                name=info.clean or info.raw,
                type=info.type,
                role=info.role,
                first=info.first[:128] if info.first else None,
                surname=info.surname[:256] if info.surname else None,
                first_seen=published,
                last_seen=published,
                created_at=_now(),
            )
            .returning(speakers.c.id)
        ).scalar_one()
        if key is not None:
            conn.execute(insert(speaker_keys).values(key=key, speaker_id=sid, pinned=False))
        return sid

    def touch(self, conn: Connection, roles: dict[int, str | None], published: str | None) -> None:
        """Widen speakers' time spans to ``published``; remember their latest roles.

        One UPDATE for all of an article's speakers, the comparisons done by the database.
        """
        if not roles or (published is None and not any(roles.values())):
            return
        stmt = _touch_statement()
        conn.execute(stmt, [{"sid": sid, "r": r, "p": published} for sid, r in sorted(roles.items())])

    # -- resolution -----------------------------------------------------------------------

    def resolve_article(
        self, conn: Connection, article_id: int, published: str | None, items: list[Mention]
    ) -> dict[str, int]:
        """``{local_id: corpus speaker id}`` for an article's mentions."""
        out: dict[str, int] = {}
        self.dirty.update(m.info.surname for m in items if m.info.type == "person" and m.info.surname)
        wanted = {m.key for m in items} | {name_key(m.info) for m in items}
        known = {
            r.key: (r.speaker_id, r.pinned)
            for r in conn.execute(
                select(speaker_keys.c.key, speaker_keys.c.speaker_id, speaker_keys.c.pinned).where(
                    speaker_keys.c.key.in_(sorted(wanted))
                )
            )
        }
        later: list[Mention] = []
        for m in items:
            nk = known.get(name_key(m.info))
            mk = known.get(m.key)
            if nk and nk[1]:
                out[m.local_id] = nk[0]
            elif mk and mk[1]:
                out[m.local_id] = mk[0]
            elif m.info.surname_only:
                later.append(m)
            elif mk:
                out[m.local_id] = mk[0]
            else:
                sid = self.create_speaker(conn, m.info, m.key, published)
                known[m.key] = (sid, False)
                out[m.local_id] = sid
        for m in later:
            sid = self._surname(conn, m, items, out, published)
            if sid is None:
                fallback = known.get(m.key)
                if fallback:
                    sid = fallback[0]
                else:
                    sid = self.create_speaker(conn, m.info, m.key, published)
                    known[m.key] = (sid, False)
            out[m.local_id] = sid
        return out

    def _surname(
        self,
        conn: Connection,
        m: Mention,
        items: list[Mention],
        resolved: dict[str, int],
        published: str | None,
    ) -> int | None:
        """A full-name person for a surname-only mention, or None when unsure."""
        surname = m.info.surname
        # a. the same article
        siblings = [
            (resolved[o.local_id], o.info.role)
            for o in items
            if o.local_id in resolved and o.info.full_person and o.info.surname == surname
        ]
        ids = {s for s, _ in siblings}
        if len(ids) == 1:
            return ids.pop()
        if len(ids) > 1:
            fit = {s for s, r in siblings if m.info.role and r and roles_compatible(m.info.role, r)}
            return fit.pop() if len(fit) == 1 else None
        # b. the corpus
        others = {sid for lid, sid in resolved.items() if lid != m.local_id}
        return self.candidate(conn, surname, published, m.info.role, others)

    def candidate(
        self,
        conn: Connection,
        surname: str | None,
        published: str | None,
        role: str | None,
        others: Iterable[int],
        exclude: int | None = None,
    ) -> int | None:
        if not surname:
            return None
        rows = conn.execute(
            select(speakers.c.id, speakers.c.first_seen, speakers.c.last_seen, speakers.c.role).where(
                speakers.c.surname == surname,
                speakers.c.type == "person",
                speakers.c.first.is_not(None),
            )
        ).all()
        day = _day(published)
        cands = []
        for r in rows:
            if r.id == exclude:
                continue
            lo, hi = _day(r.first_seen), _day(r.last_seen)
            if day and lo and hi and not (lo - self.window <= day <= hi + self.window):
                continue
            cands.append(r)
        if not cands:
            return None
        if role:
            roles = self.roles_of(conn, [c.id for c in cands])
            # a candidate whose known roles all differ from the mention's is dropped
            fitting = [c for c in cands if not roles[c.id] or any(roles_compatible(role, r) for r in roles[c.id])]
            with_role = [c for c in fitting if roles[c.id]]
            cands = with_role if len(with_role) == 1 else fitting
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0].id
        others = sorted(set(others) - {c.id for c in cands})
        if not others:
            return None
        m1, m2 = _M1, _M2
        scores = dict(
            conn.execute(
                select(m1.c.speaker_id, func.count(distinct(m1.c.article_id)))
                .select_from(m1.join(m2, m1.c.article_id == m2.c.article_id))
                .where(m1.c.speaker_id.in_([c.id for c in cands]), m2.c.speaker_id.in_(others))
                .group_by(m1.c.speaker_id)
            ).all()
        )
        ranked = sorted(((scores.get(c.id, 0), c.id) for c in cands), reverse=True)
        if ranked[0][0] > 0 and (len(ranked) == 1 or ranked[0][0] >= 2 * ranked[1][0]):
            return ranked[0][1]
        return None

    def roles_of(self, conn: Connection, ids: list[int]) -> dict[int, set[str]]:
        out: dict[int, set[str]] = {i: set() for i in ids}
        for sid, role in conn.execute(
            select(mentions.c.speaker_id, mentions.c.role)
            .where(mentions.c.speaker_id.in_(ids), mentions.c.role.is_not(None))
            .group_by(mentions.c.speaker_id, mentions.c.role)
        ):
            out[sid].add(role)
        return out


# -- maintenance used by the store ---------------------------------------------------------


def refresh_speaker(conn: Connection, sid: int) -> None:
    """Recompute a speaker's display name and time span from its mentions."""
    rows = conn.execute(
        select(mentions.c.clean, func.count(), func.min(mentions.c.published), func.max(mentions.c.published))
        .where(mentions.c.speaker_id == sid)
        .group_by(mentions.c.clean)
    ).all()
    if not rows:
        return
    counts: Counter = Counter()
    for clean, n, _, _ in rows:
        counts[clean] += n
    best = max(counts, key=lambda c: (analyse_name(c).first is not None, counts[c], len(c)))
    info = analyse_name(best)
    firsts = [r[2] for r in rows if r[2]]
    lasts = [r[3] for r in rows if r[3]]
    values = {"name": best, "first_seen": min(firsts) if firsts else None, "last_seen": max(lasts) if lasts else None}
    if info.type == "person":
        values.update(first=info.first, surname=info.surname)
    conn.execute(update(speakers).where(speakers.c.id == sid).values(**values))


def drop_orphans(conn: Connection, ids: Iterable[int]) -> int:
    """Delete speakers among ``ids`` left with no mention and no pinned key."""
    ids = sorted(set(ids))
    if not ids:
        return 0
    used = {r[0] for r in conn.execute(select(distinct(mentions.c.speaker_id)).where(mentions.c.speaker_id.in_(ids)))}
    pinned = {
        r[0]
        for r in conn.execute(
            select(distinct(speaker_keys.c.speaker_id)).where(
                speaker_keys.c.speaker_id.in_(ids), speaker_keys.c.pinned.is_(True)
            )
        )
    }
    gone = [i for i in ids if i not in used and i not in pinned]
    if gone:
        conn.execute(update(attributions).where(attributions.c.speaker_id.in_(gone)).values(speaker_id=None))
        conn.execute(delete(speaker_keys).where(speaker_keys.c.speaker_id.in_(gone)))
        conn.execute(delete(speakers).where(speakers.c.id.in_(gone)))
    return len(gone)


def move_mentions(conn: Connection, mention_ids: list[int], to: int) -> None:
    if not mention_ids:
        return
    conn.execute(update(mentions).where(mentions.c.id.in_(mention_ids)).values(speaker_id=to))
    conn.execute(update(attributions).where(attributions.c.mention_id.in_(mention_ids)).values(speaker_id=to))


def consolidate(conn: Connection, resolver: Resolver, surnames: Iterable[str] | None = None) -> int:
    """Revisit surname-only speakers now that more of the corpus is known; returns mentions moved.

    ``surnames``: only speakers with these surnames (None: all).
    """
    sk_pinned = select(speaker_keys.c.speaker_id).where(speaker_keys.c.pinned.is_(True))
    cond = [
        speakers.c.type == "person",
        speakers.c.first.is_(None),
        speakers.c.surname.is_not(None),
        speakers.c.id.not_in(sk_pinned),
    ]
    loose = []
    if surnames is None:
        loose = conn.execute(select(speakers.c.id, speakers.c.surname).where(*cond)).all()
    else:
        names = sorted(set(surnames))
        for i in range(0, len(names), 500):
            loose += conn.execute(
                select(speakers.c.id, speakers.c.surname).where(*cond, speakers.c.surname.in_(names[i : i + 500]))
            ).all()
    moved = 0
    for sid, surname in loose:
        has_full = conn.execute(
            select(func.count()).select_from(speakers).where(
                speakers.c.surname == surname, speakers.c.type == "person", speakers.c.first.is_not(None)
            )
        ).scalar()
        if not has_full:
            continue
        ms = conn.execute(
            select(mentions.c.id, mentions.c.article_id, mentions.c.published, mentions.c.role).where(
                mentions.c.speaker_id == sid
            )
        ).all()
        if not ms:
            continue
        co = conn.execute(
            select(mentions.c.article_id, mentions.c.speaker_id).where(
                mentions.c.article_id.in_(sorted({m.article_id for m in ms})),
                mentions.c.speaker_id != sid,
                ~mentions.c.key.startswith("v:"),
            )
        ).all()
        by_article: dict[int, set[int]] = {}
        for aid, other in co:
            by_article.setdefault(aid, set()).add(other)
        info = {
            r.id: (r.surname, r.first)
            for r in conn.execute(
                select(speakers.c.id, speakers.c.surname, speakers.c.first).where(
                    speakers.c.id.in_(sorted({o for _, o in co}))
                )
            )
        }
        targets: dict[int, list[int]] = {}
        for m in ms:
            others = by_article.get(m.article_id, set())
            # a same-surname full name in the article itself decides, as at ingest
            same = [o for o in others if info.get(o, (None, None))[0] == surname and info[o][1] is not None]
            if len(same) == 1:
                target = same[0]
            elif len(same) > 1:
                continue
            else:
                target = resolver.candidate(conn, surname, m.published, m.role, others, exclude=sid)
            if target is not None:
                targets.setdefault(target, []).append(m.id)
        for target, mids in targets.items():
            move_mentions(conn, mids, target)
            refresh_speaker(conn, target)
            moved += len(mids)
        if targets:
            if drop_orphans(conn, [sid]) == 0:
                refresh_speaker(conn, sid)
    return moved


def speakers_touched(conn: Connection, article_id: int) -> list[int]:
    return [
        r[0]
        for r in conn.execute(select(distinct(mentions.c.speaker_id)).where(mentions.c.article_id == article_id))
    ]


__all__ = [
    "Mention",
    "Resolver",
    "consolidate",
    "drop_orphans",
    "mention_key",
    "move_mentions",
    "name_key",
    "refresh_speaker",
    "speakers_touched",
]
