"""Ingest runs: every input kind, nothing doubled, re-analysis in place, failures reported and
skipped, kill -9 and resume. A stand-in engine keeps these fast; the real one runs in the CLI
tests at the end."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

sys.path.insert(0, os.path.dirname(__file__))  # the helpers beside this file (importlib mode)
from ingest_inputs import html_page, quote_paragraphs, quote_text, read_parquet, write_jsonl, write_warc  # noqa: E402
from saidwho.cli import cli  # noqa: E402
from saidwho.ingest.runner import ingest  # noqa: E402
from saidwho.store import StoreError, open_store  # noqa: E402
from saidwho.store.synth import FakeEngine  # noqa: E402


def make_inputs(root):
    (root / "news" / "more").mkdir(parents=True)
    (root / "news" / "a.txt").write_text(quote_text("Jane Smith", "The harbour reopens in May"), encoding="utf-8")
    (root / "news" / "copy-of-a.txt").write_text(quote_text("Jane Smith", "The harbour reopens in May"),
                                                 encoding="utf-8")
    (root / "news" / "latin1.txt").write_bytes("\u201cCaf\u00e9s close early,\u201d Ana Ruiz said.".encode("latin-1",
                                                                                                    "replace"))
    (root / "news" / "page.html").write_text(
        html_page("Ferry", quote_paragraphs("Mayor John Doe", "The ferry is back"), url="https://planet.example/f"),
        encoding="utf-8")
    write_jsonl(root / "news" / "more" / "feed.jsonl", [
        {"id": "j1", "outlet": "Globe", "published": "2024-02-01", "text": quote_text("Jane Smith", "Rents must fall")},
        "{broken",
        {"id": "j2", "outlet": "Globe", "published": "2024-02-02",
         "text": quote_text("Omar Haddad", "ENGINE-FAILS-HERE in this one")},
        {"id": "j3", "outlet": "Globe", "published": "2024-02-03", "text": quote_text("Smith", "Buses will be free")},
    ])
    write_warc(root / "news" / "more" / "crawl.warc.gz", [
        ("https://star.example/w1", "text/html",
         html_page("W1", quote_paragraphs("Lena Novak", "The bridge is safe"), site="Evening Star")),
        ("https://star.example/img.jpg", "image/jpeg", "JPEG"),
    ])
    (root / "news" / "bad.warc").write_bytes(b"this is not a warc file\n" * 20)


def test_ingest_everything_once_then_nothing_twice(tmp_path):
    make_inputs(tmp_path)
    db = str(tmp_path / "c.db")
    problems = []
    eng = FakeEngine()
    with open_store(db) as store:
        s = ingest(store, [str(tmp_path / "news")], engine=eng, report=problems.append, progress=False)
        # read: a.txt, copy-of-a.txt (same text), latin1.txt, page.html, bad.warc, 4 JSON lines, 1 WARC
        # page; stored: a.txt, page.html, j1, j3, the WARC page
        assert (s.read, s.stored, s.duplicates, s.n_failed, s.notes) == (10, 5, 1, 4, 1)
        failed = dict(s.failed)
        assert any(k.endswith("latin1.txt") and "not valid UTF-8" in v for k, v in failed.items())
        assert any(k.endswith("feed.jsonl:2") and "not valid JSON" in v for k, v in failed.items())
        assert any(k.endswith("feed.jsonl:3") and "analysis failed" in v for k, v in failed.items())
        assert any(k.endswith("bad.warc") and "not a WARC file" in v for k, v in failed.items())
        assert len(problems) == 4 and all("\n" not in p for p in problems)
        assert store.stats()["articles"] == 5 and store.check() == []

        page = store.article("https://planet.example/f")
        assert (page["title"], page["outlet"], page["author"], page["published"]) == (
            "Ferry", "Daily Planet", "Lois Lane", "2024-03-05")
        assert page["attributions"][0]["speaker"]["name"] == "John Doe"
        warc = store.article("https://star.example/w1")
        assert warc["outlet"] == "Evening Star"
        # "Smith" in j3 is Jane Smith: the only Smith in the corpus, same period
        smiths = {q["speaker"]["id"] for q in store.quotes(speaker="Jane Smith")}
        assert len(smiths) == 1 and len(store.quotes(speaker="Jane Smith")) == 3

        eng.ids.clear()
        again = ingest(store, [str(tmp_path / "news")], engine=eng, report=problems.append, progress=False)
        assert (again.stored, again.updated, again.duplicates, again.n_failed) == (0, 0, 6, 4)
        assert set(eng.ids) == {"j2"}  # only the article that failed is tried again
        assert store.stats()["articles"] == 5


def test_reanalyse_in_place(tmp_path):
    (tmp_path / "a.txt").write_text(quote_text("Jane Smith", "The harbour reopens"), encoding="utf-8")
    db = str(tmp_path / "c.db")
    with open_store(db) as store:
        ingest(store, [str(tmp_path / "a.txt")], engine=FakeEngine(), progress=False)
        before = store.article("1")
        time.sleep(1.1)
        s = ingest(store, [str(tmp_path / "a.txt")], engine=FakeEngine(), reanalyse=True, progress=False)
        assert (s.stored, s.updated, s.duplicates) == (0, 1, 0)
        after = store.article("1")
        assert after["article_id"] == before["article_id"] and after["ingested_at"] == before["ingested_at"]
        assert after["analysed_at"] > before["analysed_at"]
        assert store.stats() == {"articles": 1, "attributions": 1, "speakers": 1, "mentions": 1}


def test_changed_text_under_the_same_id_is_a_new_version_beside_the_old(tmp_path):
    p = tmp_path / "feed.jsonl"
    write_jsonl(p, [{"id": "x", "text": quote_text("Jane Smith", "First version")}])
    problems = []
    with open_store(str(tmp_path / "c.db")) as store:
        ingest(store, [str(p)], engine=FakeEngine(), progress=False, report=problems.append)
        write_jsonl(p, [{"id": "x", "text": quote_text("Jane Smith", "Second version")}])
        s = ingest(store, [str(p)], engine=FakeEngine(), progress=False, report=problems.append)
        assert (s.stored, s.versions, s.updated, s.duplicates) == (1, 1, 0, 0) and store.stats()["articles"] == 2
        assert "stored 1 (1 as new versions of changed texts)" in s.line()
        assert sorted(q["content"] for q in store.quotes()) == ["First version", "Second version"]
        [line] = problems
        assert "feed.jsonl:1" in line and "id x" in line and "version 2" in line
        latest = store.article("x")
        assert latest["version"] == 2 and [v["version"] for v in latest["versions"]] == [1, 2]
        # and again: both texts are known, nothing is stored or said
        write_jsonl(p, [{"id": "x", "text": quote_text("Jane Smith", "First version")}])
        s = ingest(store, [str(p)], engine=FakeEngine(), progress=False, report=problems.append)
        assert (s.stored, s.duplicates) == (0, 1) and len(problems) == 1


def test_changed_text_under_the_same_id_in_one_run_is_kept_and_said(tmp_path):
    p = tmp_path / "feed.jsonl"
    write_jsonl(p, [{"id": "x", "text": quote_text("Jane Smith", "First version")},
                    {"id": "x", "text": quote_text("Jane Smith", "Second version")},
                    {"id": "x", "text": quote_text("Jane Smith", "First version")}])
    problems = []
    with open_store(str(tmp_path / "c.db")) as store:
        s = ingest(store, [str(p)], engine=FakeEngine(), progress=False, report=problems.append)
        assert (s.stored, s.duplicates) == (2, 1)
        assert sorted(q["content"] for q in store.quotes()) == ["First version", "Second version"]
        assert len(problems) == 1 and "feed.jsonl:2" in problems[0]


@pytest.mark.parametrize("field", ["id", "url"])
def test_long_ids_and_urls_sharing_their_start_are_different_articles(tmp_path, field):
    stem = ("https://news.example/" if field == "url" else "") + "x" * 1100
    p = tmp_path / "feed.jsonl"
    write_jsonl(p, [{field: stem + "-one", "text": quote_text("Jane Smith", "One")},
                    {field: stem + "-two", "text": quote_text("John Doe", "Two")}])
    with open_store(str(tmp_path / "c.db")) as store:
        s = ingest(store, [str(p)], engine=FakeEngine(), progress=False)
        assert (s.stored, s.duplicates) == (2, 0)
        assert sorted(q["content"] for q in store.quotes()) == ["One", "Two"]
        assert store.article(stem + "-two")["attributions"][0]["content"] == "Two"
        again = ingest(store, [str(p)], engine=FakeEngine(), progress=False)
        assert (again.stored, again.duplicates) == (0, 2)


def test_stories_sharing_a_canonical_url_are_not_merged(tmp_path):
    """A crawl of two stories whose pages both name their section page as canonical."""
    section = "https://star.example/news"
    pages = [(f"https://star.example/news/{slug}", "text/html",
              html_page(title, quote_paragraphs(who, words), url=section, site="Evening Star"))
             for slug, title, who, words in (("a", "Bridge", "Lena Novak", "The bridge is safe"),
                                             ("b", "Ferry", "Omar Haddad", "The ferry is late"))]
    write_warc(tmp_path / "crawl.warc.gz", pages)
    (tmp_path / "pages").mkdir()
    for i, (_, _, body) in enumerate(pages):
        (tmp_path / "pages" / f"{i}.html").write_text(body, encoding="utf-8")
    with open_store(str(tmp_path / "c.db")) as store:
        for src in ("crawl.warc.gz", "pages"):
            s = ingest(store, [str(tmp_path / src)], engine=FakeEngine(), progress=False)
            assert s.stored == 2, src
        # and again, across runs: nothing new
        for src in ("crawl.warc.gz", "pages"):
            assert ingest(store, [str(tmp_path / src)], engine=FakeEngine(), progress=False).stored == 0
        said = sorted(q["content"] for q in store.quotes())
        assert said.count("The bridge is safe") == 2 and said.count("The ferry is late") == 2
        a = store.article("https://star.example/news/a")
        assert a["crawl_url"] == "https://star.example/news/a" and a["canonical_url"] == section
        assert "bridge" in a["text"]
        # the section page names several articles: asked for, it says so
        with pytest.raises(StoreError, match="names 4 articles"):
            store.article(section)


KILL_SCRIPT = """
import sys
from saidwho.corpus import open_corpus
from saidwho.store.synth import FakeEngine
corpus = open_corpus(sys.argv[1])
s = corpus.ingest([sys.argv[2]], engine=FakeEngine(delay=0.006), batch_size=4)
print(s["stored"], s["duplicates"], flush=True)
"""


def test_kill_9_mid_run_leaves_a_consistent_db_and_resumes(tmp_path, count_articles):
    n = 240
    feed = tmp_path / "feed.jsonl"
    write_jsonl(feed, [{"id": f"k{i}", "outlet": "Globe", "published": "2024-01-%02d" % (1 + i % 28),
                        "text": quote_text(f"Speaker{i % 17} Person", f"Point {i} matters") +
                        f"Officials said that item {i} is fine. Jane Smith said that {i} counts."}
                       for i in range(n)])
    db = str(tmp_path / "c.db")
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, db, str(feed)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while count_articles(db) < 40 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with open_store(db) as store:
        first = store.stats()["articles"]
        assert 40 <= first < n
        assert store.check() == []
        con = sqlite3.connect(db)
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
        con.close()
    out = subprocess.run([sys.executable, "-c", KILL_SCRIPT, db, str(feed)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    stored, dups = map(int, out.stdout.split())
    assert stored == n - first and dups == first
    with open_store(db) as store:
        assert store.stats()["articles"] == n
        assert store.stats()["attributions"] == 3 * n
        assert store.check() == []


# -- the real engine, through the CLI ------------------------------------------------------

def test_cli_ingest_and_ask_with_the_real_engine(tmp_path, engine, monkeypatch):
    monkeypatch.setattr("saidwho.engine._shared", engine)  # the CLI's engine: the one already loaded
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "\u201cWe will rebuild the harbour,\u201d Mayor Jane Smith said on Monday. "
        "Critics say the plan is too expensive.\n", encoding="utf-8")
    write_jsonl(tmp_path / "in" / "b.jsonl", [
        {"id": "b1", "url": "https://globe.example/b1", "title": "Rents", "outlet": "Globe",
         "published": "2024-02-01", "text": "Jane Smith said that rents would fall next year."},
        "{oops",
    ])
    (tmp_path / "in" / "bad.txt").write_bytes(b"caf\xe9 au lait\n")
    db = str(tmp_path / "c.db")
    runner = CliRunner(mix_stderr=False)
    res = runner.invoke(cli, ["ingest", str(tmp_path / "in"), "--db", db, "--outlet", "Planet", "--summary-json"])
    assert res.exit_code == 1, res.output  # some inputs failed; the rest is stored
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert (summary["read"], summary["stored"], summary["failed"]) == (4, 2, 2)
    assert "Traceback" not in res.output
    assert "bad.txt: not valid UTF-8" in res.stderr and "b.jsonl:2: not valid JSON" in res.stderr
    assert "read 4; stored 2; skipped 0 as duplicates; failed 2" in res.stderr

    res = runner.invoke(cli, ["quotes", "--db", db, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert lines and all({"article_id", "speaker", "cue", "content", "kind", "outlet", "published"} <= set(x)
                         for x in lines)
    smith = [x for x in lines if x["speaker"] and x["speaker"]["name"] == "Jane Smith"]
    assert len(smith) == 2 and len({x["speaker"]["id"] for x in smith}) == 1
    assert {x["outlet"] for x in lines} == {"Planet"}  # --outlet overrides the input's
    assert set(smith[0]["speaker"]) >= {"id", "name", "role", "type"}

    res = runner.invoke(cli, ["ingest", str(tmp_path / "in"), "--db", db])
    assert "stored 0; skipped 2 as duplicates" in res.stderr

    res = runner.invoke(cli, ["quotes", "--db", db, "--about", "harbour", "--format", "json"])
    [q] = json.loads(res.stdout)
    assert "We will rebuild the harbour" in q["content"] and q["speaker"]["name"] == "Jane Smith"
    res = runner.invoke(cli, ["speakers", "--db", db])
    assert res.exit_code == 0 and "Jane Smith" in res.stdout
    res = runner.invoke(cli, ["show", "b1", "--db", db])
    assert res.exit_code == 0 and "rents would fall" in res.stdout and "Rents" in res.stdout
    res = runner.invoke(cli, ["show", "nope", "--db", db])
    assert res.exit_code == 2 and res.stderr.startswith("saidwho: error: no article")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export(tmp_path, fmt):
    from saidwho.corpus import open_corpus
    from saidwho.store.synth import make_article

    db = str(tmp_path / "c.db")
    with open_corpus(db) as corpus:
        corpus.add(make_article("e1", [("Jane Smith", "one, \"two\"", "direct"), ("officials", "three", "indirect")]),
                   id="e1", outlet="Globe", published="2024-01-02")
    out = tmp_path / f"x.{fmt}"
    res = CliRunner().invoke(cli, ["export", "--db", db, "--format", fmt, "--out", str(out)])
    assert res.exit_code == 0, res.output
    if fmt == "jsonl":
        rows = [json.loads(x) for x in out.read_text().splitlines()]
        assert [r["content"] for r in rows] == ['one, "two"', "three"]
        assert rows[0]["speaker"]["name"] == "Jane Smith"
    elif fmt == "csv":
        import csv

        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        assert [r["content"] for r in rows] == ['one, "two"', "three"]
        assert rows[0]["speaker_name"] == "Jane Smith" and rows[1]["vague"] == "True"
    else:
        cols = read_parquet(str(out))
        assert cols["content"] == ['one, "two"', "three"]
        assert cols["speaker_name"] == ["Jane Smith", "officials"]
        assert cols["vague"] == [False, True]
        assert cols["published"] == ["2024-01-02", "2024-01-02"]


def test_a_date_that_is_not_one_is_a_warning_and_the_article_is_stored(tmp_path):
    p = tmp_path / "feed.jsonl"
    write_jsonl(p, [{"id": "d1", "published": "sometime in spring", "text": quote_text("Jane Smith", "Rents fall")},
                    {"id": "d2", "published": "March 18, 2015", "text": quote_text("Jane Smith", "Rents rise")}])
    said = []
    with open_store(str(tmp_path / "c.db")) as store:
        s = ingest(store, [str(p)], engine=FakeEngine(), report=said.append, progress=False)
        assert (s.stored, s.n_failed, s.warnings) == (2, 0, 1)
        assert said == [f"saidwho: warning: {p}:1: 'published' is not a date: 'sometime in spring'; "
                        "the article is kept without a date"]
        assert store.article("d1")["published"] is None and store.article("d2")["published"] == "2015-03-18"
