"""A text the pipeline chokes on costs only its own result, never a traceback."""

from __future__ import annotations

import json

import saidwho.engine as engine_mod
from saidwho.cli.analyze import _analysed
from saidwho.ingest.text import TextInput
from saidwho.types import Article


class FlakyEngine:
    """Fails on any text containing BOOM, in batch and one at a time."""

    def analyze(self, text, id="doc"):
        if "BOOM" in text:
            raise RuntimeError("parser exploded")
        return Article(id=id, text=text)

    def pipe(self, items, batch_size=16):
        for i, t in items:
            yield self.analyze(t, id=i)


def test_fallback_after_pipe_failure():
    items = [TextInput(f"d{k}", "BOOM" if k == 2 else f"text {k}", f"d{k}.txt") for k in range(5)]
    got = list(_analysed(FlakyEngine(), iter(items)))
    assert [it.id for it, _ in got] == ["d0", "d1", "d2", "d3", "d4"]
    assert isinstance(got[2][1], RuntimeError)
    assert all(isinstance(res, Article) for k, (_, res) in enumerate(got) if k != 2)


def test_cli_reports_failed_text_and_goes_on(run_fresh, tmp_path, monkeypatch):
    monkeypatch.setattr(engine_mod, "_shared", FlakyEngine())
    (tmp_path / "a.txt").write_text("fine")
    (tmp_path / "b.txt").write_text("BOOM")
    (tmp_path / "c.txt").write_text("also fine")
    r = run_fresh(["analyze", "-f", "jsonl", str(tmp_path)])
    assert r.exit_code == 1  # as for ingest: one input failed, the others were done
    assert [json.loads(ln)["id"] for ln in r.stdout.splitlines()] == ["a", "c"]
    assert r.stderr == f"saidwho: error: {tmp_path / 'b.txt'}: analysis failed (RuntimeError: parser exploded)\n"
