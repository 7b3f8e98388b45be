"""Size caps hold while reading: nothing over the cap is read whole, decompressed whole or parsed;
folder links never make a walk loop; saidwho's length limit is spaCy's."""

from __future__ import annotations

import gzip
import json
import os
import tracemalloc

import pytest

from saidwho import settings
from saidwho.errors import InputError
from saidwho.ingest import Problem, RawArticle
from saidwho.ingest import text as ingest_text
from saidwho.ingest.html import read_html_file
from saidwho.ingest.jsonl import count_jsonl, read_jsonl
from saidwho.ingest.runner import read_inputs
from saidwho.ingest.sources import expand


def test_html_page_over_the_cap_is_refused_from_its_size(tmp_path, monkeypatch):
    monkeypatch.setenv("SAIDWHO_MAX_CHARS", "1000")  # 4,000 bytes
    p = tmp_path / "huge.html"
    with open(p, "wb") as fh:
        fh.truncate(268 * 1024 * 1024)

    def no_open(*a, **k):
        raise AssertionError("a 268 MB page was opened")

    monkeypatch.setattr(ingest_text, "open", no_open, raising=False)
    with pytest.raises(InputError, match=r"too large \(281,018,368 bytes; the limit is 4,000 bytes"):
        read_html_file(str(p))


def test_html_page_from_a_pipe_is_read_one_byte_past_the_cap(tmp_path, monkeypatch):
    import threading

    monkeypatch.setenv("SAIDWHO_MAX_CHARS", "1000")
    fifo = tmp_path / "page.html"
    os.mkfifo(fifo)
    written = []

    def feed():
        try:
            with open(fifo, "wb") as fh:
                for _ in range(1000):  # 10 MB on offer
                    fh.write(b"<p>" + b"x" * 10_000 + b"</p>")
                    written.append(1)
        except BrokenPipeError:
            pass

    t = threading.Thread(target=feed)
    t.start()
    with pytest.raises(InputError, match="too large"):
        read_html_file(str(fifo))
    t.join(10)
    assert len(written) < 100  # the reader stopped early; the writer got a broken pipe


def test_huge_gzipped_json_line_is_passed_over_in_pieces(tmp_path, monkeypatch):
    monkeypatch.setenv("SAIDWHO_MAX_CHARS", "1000")
    p = tmp_path / "feed.jsonl.gz"
    with gzip.open(p, "wb") as fh:  # a few hundred KB on disk, 50 MB once unpacked
        fh.write(b'{"id": "big", "text": "' + b"a" * 50_000_000 + b'"}\n')
        fh.write(json.dumps({"id": "ok", "text": "Jane Smith said that it works."}).encode() + b"\n")
    assert os.path.getsize(p) < 1_000_000
    tracemalloc.start()
    try:
        items = list(read_jsonl(str(p)))
        n = count_jsonl(str(p))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000, f"peak {peak:,} bytes"
    assert isinstance(items[0], Problem) and items[0].origin.endswith(":1")
    assert "line too large" in items[0].reason and "4,000 bytes" in items[0].reason
    assert isinstance(items[1], RawArticle) and items[1].meta.ext_id == "ok"
    assert n == 2


@pytest.mark.timeout(60)
def test_glob_with_parent_links_neither_hangs_nor_repeats(tmp_path):
    d = tmp_path / "news"
    (d / "sub").mkdir(parents=True)
    (d / "a.html").write_text("<html></html>")
    (d / "sub" / "b.txt").write_text("x")
    (d / "sub" / "up").symlink_to("..")
    (d / "sub" / "top").symlink_to("../..")
    (d / "again.html").symlink_to("a.html")  # another name for the same file
    got = list(expand([str(d / "**" / "*.html"), str(d / "**" / "*.txt"), str(d)]))
    assert [os.path.relpath(f, d) for f, _ in got] == ["a.html", "sub/b.txt"]


def test_glob_with_a_loop_reads_each_file_once(tmp_path, monkeypatch):
    d = tmp_path / "news"
    d.mkdir()
    (d / "a.txt").write_text("Jane Smith said that it works.")
    (d / "loop").symlink_to(".")
    monkeypatch.chdir(tmp_path)
    got = list(read_inputs(["news/**/*.txt"]))
    assert [i.meta.origin for i in got] == ["news/a.txt"]


def test_double_star_keeps_glob_semantics(tmp_path, monkeypatch):
    for name in ("a.txt", "x/b.txt", "x/y/c.txt", ".hidden/d.txt", "x/.e.txt", "x/y/f.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    monkeypatch.chdir(tmp_path)
    got = [f for f, _ in expand(["**/*.txt"])]
    assert got == ["a.txt", "x/b.txt", "x/y/c.txt"]
    assert [f for f, _ in expand(["x/**/c.*"])] == ["x/y/c.txt"]
    assert [f for f, _ in expand([str(tmp_path / "x" / "**")])] == [
        str(tmp_path / p) for p in ("x/b.txt", "x/y/c.txt", "x/y/f.html")]


def test_spacy_accepts_what_saidwho_accepts(monkeypatch):
    import spacy

    from saidwho.engine import Engine

    engine = Engine(nlp=spacy.blank("en"))
    text = "word " * 240_000  # 1,200,000 characters: over spaCy's default 1,000,000 (E088)
    assert len(engine.analyze(text).text) == len(text)
    assert engine.nlp.max_length == settings.max_chars()
    monkeypatch.setenv("SAIDWHO_MAX_CHARS", "1000000")
    with pytest.raises(InputError, match=r"^input is too large \(1,200,000 characters; the limit is 1,000,000, "
                                         r"set by SAIDWHO_MAX_CHARS\)$"):
        engine.analyze(text)
