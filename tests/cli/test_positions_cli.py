"""``saidwho analyze --positions`` in text, ``saidwho positions`` (the backfill) and
``saidwho disagreements`` on a small corpus of our own sentences."""

from __future__ import annotations

import json

import pytest

from saidwho.cli import cli
from saidwho.cli.positions import COMMANDS

STORM = (
    "The storm destroyed more than 300 homes in Velport on Tuesday, the worst damage in a decade.\n"
    "Mayor Ana Kessler said that the harbour will reopen next week and that no families will be moved "
    "out of the old town.\n"
    "Some residents say the warning came too late.\n"
    "Councillor Piet Ramos told the Velport Courier that several families will have to be moved out of "
    "the old town.\n"
)

# (id, outlet, published, [(speaker, content, kind)])
CORPUS = [
    ("h1", "Velport Daily", "2024-03-01", [
        ("Mara Velden", "the harbour tax on cargo ships must be abolished this year", "indirect"),
        ("Tomas Orrin", "the harbour tax on cargo ships must stay in place", "indirect"),
    ]),
    ("h2", "Coast Herald", "2024-03-02", [
        ("Tomas Orrin", "there will be no cuts to the fishing quota for the northern fleet", "indirect"),
    ]),
    ("h3", "Velport Daily", "2024-03-03", [
        ("Mara Velden", "the fishing quota for the northern fleet should be cut by half", "indirect"),
        ("Ilse Brandt", "the new ferry terminal will open in spring", "indirect"),
    ]),
]


@pytest.fixture(autouse=True)
def _registered():
    """The lead registers cli/positions.py in cli/__init__.py; until then, add it here."""
    added = [c for c in COMMANDS if c.name not in cli.commands]
    for c in added:
        cli.add_command(c)
    yield
    for c in added:
        cli.commands.pop(c.name, None)


@pytest.fixture
def storm_file(tmp_path):
    p = tmp_path / "storm.txt"
    p.write_text(STORM, encoding="utf-8")
    return p


def test_text_positions_show_chains_vague_unattributed_positions_and_relations(run, storm_file):
    r = run(["analyze", "--positions", "--outlet", "Coast Herald", str(storm_file)])
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    table, _, rest = out.partition("\nSOURCE CHAINS\n")
    assert rest, out
    assert "SPEAKER" in table and "Ana Kessler" in table  # the table first, as without --positions
    chains = rest.split("\n\n")[0]
    # the chain starts at the outlet given and runs through the cited medium
    assert "Coast Herald ← Velport Courier ← Piet Ramos" in chains
    assert "Coast Herald ← Ana Kessler" in chains
    vague = [ln for ln in chains.splitlines() if "[vague source]" in ln]
    assert len(vague) == 1 and "Some residents" in vague[0]
    unatt = out.split("UNATTRIBUTED CLAIMS")[1].split("\n\n")[0]
    assert "300 homes" in unatt and "number" in unatt
    assert "Ana Kessler" not in unatt and "warning came too late" not in unatt
    positions = out.split("POSITIONS")[1].split("\n\n")[0]
    assert "Piet Ramos (s" in positions and "several families will have to be moved" in positions
    rels = out.split("DISAGREEMENTS AND AGREEMENTS")[1]
    assert "disagree" in rels and "Ana Kessler:" in rels and "Piet Ramos:" in rels
    assert "several families will have to be moved out of the old town" in rels


def test_text_without_positions_is_the_table_alone(run, storm_file, engine):
    from saidwho import formats

    r = run(["analyze", str(storm_file)])
    assert r.exit_code == 0
    assert "SOURCE CHAINS" not in r.stdout and "UNATTRIBUTED" not in r.stdout
    assert r.stdout == formats.to_text(engine.analyze(STORM, id="storm"))


def test_outlet_in_json_chain(run, storm_file):
    r = run(["analyze", "-f", "jsonl", "--positions", "--outlet", "Coast Herald", str(storm_file)])
    d = json.loads(r.stdout)
    assert all(a["chain"][0] == "Coast Herald" for a in d["attributions"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["--outlet", "X", "A"], "--outlet is only used with --positions"),
        (["-f", "brat", "--positions", "A"], "--positions applies to --format text, json or jsonl"),
    ],
)
def test_usage_errors(run_no_model, args, message):
    r = run_no_model(["analyze", *args])
    assert r.exit_code == 2 and message in r.stderr


# -- the corpus --------------------------------------------------------------------------------


@pytest.fixture
def corpus_db(tmp_path):
    from saidwho.corpus import open_corpus
    from saidwho.store.synth import make_article

    db = str(tmp_path / "c.db")
    with open_corpus(db) as c:
        for ext, outlet, day, quotes in CORPUS:
            c.add(make_article(ext, quotes, lead="The council met on Monday."), id=ext, outlet=outlet, published=day)
    return db


def _counts(db):
    from sqlalchemy import func, select

    from saidwho.store import open_store
    from saidwho.store.schema import proposition_relations, propositions

    with open_store(db) as s, s.engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar() for t in (propositions, proposition_relations))


def test_backfill_is_idempotent_and_disagreements_span_the_corpus(run, corpus_db):
    r = run(["positions", "--db", corpus_db, "--summary-json"])
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["analysed"] == 3
    first = _counts(corpus_db)
    assert first[0] == 5 and first[1] >= 1
    again = run(["positions", "--db", corpus_db, "--summary-json"])
    assert json.loads(again.stdout) == {"pending": 0, "analysed": 0, "skipped": 0, "failed": 0, "failures": []}
    assert _counts(corpus_db) == first
    redo = run(["positions", "--db", corpus_db, "--reanalyse", "--summary-json"])
    assert json.loads(redo.stdout)["analysed"] == 3 and _counts(corpus_db) == first  # replaced, not added

    r = run(["disagreements", "--db", corpus_db, "--format", "json"])
    assert r.exit_code == 0, r.stderr
    recs = json.loads(r.stdout)
    assert [x["score"] for x in recs] == sorted((x["score"] for x in recs), reverse=True)
    quota = [x for x in recs if "quota" in x["a"]["text"]]
    assert len(quota) == 1 and quota[0]["scope"] == "corpus"
    sides = {quota[0]["a"]["speaker"]["name"]: quota[0]["a"], quota[0]["b"]["speaker"]["name"]: quota[0]["b"]}
    assert set(sides) == {"Tomas Orrin", "Mara Velden"}
    assert sides["Tomas Orrin"]["article_ext_id"] == "h2" and sides["Mara Velden"]["article_ext_id"] == "h3"
    assert sides["Mara Velden"]["text"] == "the fishing quota for the northern fleet should be cut by half"
    tax = [x for x in recs if "harbour tax" in x["a"]["text"]]
    assert len(tax) == 1 and tax[0]["scope"] == "article" and tax[0]["a"]["article_id"] == tax[0]["b"]["article_id"]
    assert not any("ferry" in x[k]["text"] for x in recs for k in "ab")

    # two speakers: the first is side a; --about narrows to the topic
    r = run(["disagreements", "--db", corpus_db, "--speaker", "Orrin", "--speaker", "Mara Velden",
             "--about", "quota", "--format", "jsonl"])
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == 1 and lines[0]["a"]["speaker"]["name"] == "Tomas Orrin"
    r = run(["disagreements", "--db", corpus_db, "--speaker", "Ilse Brandt"])
    assert r.exit_code == 0 and "(0 disagreements)" in r.stderr
    r = run(["disagreements", "--db", corpus_db, "--limit", "1"])
    assert r.stdout.count("disagree ") == 1 and "↔ " in r.stdout and "across articles" in r.stdout


def test_backfill_resumes_after_an_interruption(corpus_db):
    from saidwho.corpus import open_corpus

    def stop_after_first(_aid, status):
        assert status == "analysed"
        raise KeyboardInterrupt

    with open_corpus(corpus_db) as c:
        with pytest.raises(KeyboardInterrupt):
            c.analyse_positions(on_article=stop_after_first)
        assert len(c.store.pending_positions()) == 2  # the first article's transaction was kept
        assert c.analyse_positions()["analysed"] == 2
        assert c.store.pending_positions() == []
        # re-ingesting an article in place drops its positions: the next run redoes it
        from saidwho.store.synth import make_article

        ext, outlet, day, quotes = CORPUS[1]
        c.add(make_article(ext, quotes, lead="The council met on Monday."), replace=True, id=ext, outlet=outlet,
              published=day)
        assert len(c.store.pending_positions()) == 1
        assert c.positions(ext)["propositions"] == []


def test_disagreements_hint_when_nothing_is_analysed(run, corpus_db):
    r = run(["disagreements", "--db", corpus_db])
    assert r.exit_code == 0 and "3 stored articles have no positions yet" in r.stderr


def test_disagreements_filters_self_and_basis(run, corpus_db):
    assert run(["positions", "--db", corpus_db]).exit_code == 0
    r = run(["disagreements", "--db", corpus_db, "--format", "json"])
    recs = json.loads(r.stdout)
    assert all(x["basis"] for x in recs if x["scope"] == "corpus")  # each pair across articles says why
    # both articles must be of the outlet / in the dates: the quota pair spans h2 (Coast Herald) and h3
    r = run(["disagreements", "--db", corpus_db, "--outlet", "Velport Daily", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    assert all(x["a"]["outlet"] == x["b"]["outlet"] == "Velport Daily" for x in json.loads(r.stdout))
    assert not any(x["scope"] == "corpus" for x in json.loads(r.stdout))
    r = run(["disagreements", "--db", corpus_db, "--since", "2024-03-02", "--format", "json"])
    assert {x["a"]["article_ext_id"] for x in json.loads(r.stdout)} <= {"h2", "h3"}
    r = run(["disagreements", "--db", corpus_db, "--until", "2024-03-01", "--format", "json"])
    assert all(x["scope"] == "article" for x in json.loads(r.stdout))
    # no speaker here contradicts themselves across articles (Velden speaks of two topics)
    r = run(["disagreements", "--db", corpus_db, "--self"])
    assert r.exit_code == 0 and "(0 disagreements)" in r.stderr
    r = run(["disagreements", "--db", corpus_db, "--self", "--speaker", "A", "--speaker", "B"])
    assert r.exit_code == 2 and "--self takes --speaker at most once" in r.stderr
    r = run(["disagreements", "--db", corpus_db, "--since", "soon"])
    assert r.exit_code != 0 and "not a date" in r.stderr and "Traceback" not in r.stderr
