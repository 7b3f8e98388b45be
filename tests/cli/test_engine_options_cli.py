"""The commands that run the engine build one EngineOptions from --model/--recall and pass it on."""

from __future__ import annotations

import pytest

from saidwho.options import PRESETS


@pytest.fixture
def text_file(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("“We will win,” the coach said.", encoding="utf-8")
    return f


def test_ingest_passes_the_options_to_the_runner(run_no_model, text_file, tmp_path, monkeypatch):
    import saidwho.ingest.runner as runner

    got = {}

    def fake_ingest(store, paths, **kw):
        got.update(kw)
        return runner.IngestSummary()

    monkeypatch.setattr(runner, "ingest", fake_ingest)
    r = run_no_model(["ingest", "--db", str(tmp_path / "c.db"), "--recall", "off", "--model", "m", str(text_file)])
    assert r.exit_code == 0, r.stderr
    assert got["options"] == PRESETS["off"].replace(model="m")


def test_ingest_with_workers_sends_the_options_in_the_spec(run_no_model, text_file, tmp_path, monkeypatch):
    import saidwho.batch as batch
    from saidwho.ingest.runner import IngestSummary

    got = {}

    def fake_workers(store, paths, workers=2, engine=None, **kw):
        got["spec"] = engine
        return IngestSummary()

    monkeypatch.setattr(batch, "ingest_workers", fake_workers)
    r = run_no_model(["ingest", "--db", str(tmp_path / "c.db"), "--workers", "2", "--candidates", str(text_file)])
    assert r.exit_code == 0, r.stderr
    assert dict(got["spec"].kwargs)["options"].recall == "sentence"


def test_ingest_default_options_use_the_default_engine(run_no_model, text_file, tmp_path, monkeypatch):
    import saidwho.ingest.runner as runner

    got = {}
    monkeypatch.delenv("SAIDWHO_RECALL", raising=False)
    monkeypatch.setattr(runner, "ingest", lambda store, paths, **kw: got.update(kw) or runner.IngestSummary())
    r = run_no_model(["ingest", "--db", str(tmp_path / "c.db"), str(text_file)])
    assert r.exit_code == 0, r.stderr
    assert got["options"] is None  # the shared engine, loaded once per process


def test_serve_passes_the_options_to_the_app(run_no_model, tmp_path, monkeypatch):
    import uvicorn

    import saidwho.web as web

    got = {}
    monkeypatch.setattr(web, "create_app", lambda db, **kw: got.update(kw) or object())
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
    r = run_no_model(["serve", "--db", str(tmp_path / "c.db"), "--recall", "off"])
    assert r.exit_code == 0, r.stderr
    assert got["options"].recall == "off"


def test_corpus_ingest_passes_the_options(tmp_path, monkeypatch):
    import saidwho.ingest.runner as runner
    from saidwho.corpus import open_corpus

    got = {}
    monkeypatch.setattr(runner, "ingest", lambda store, paths, **kw: got.update(kw) or runner.IngestSummary())
    with open_corpus(str(tmp_path / "c.db")) as corpus:
        corpus.ingest("nothing.txt", options=PRESETS["off"])
    assert got["options"] == PRESETS["off"]


def test_web_app_builds_its_engine_from_the_options(tmp_path, monkeypatch):
    import saidwho.engine as engine_mod
    from saidwho.web import create_app

    asked = []
    monkeypatch.setattr(engine_mod, "get_engine", lambda options=None: asked.append(options) or "engine")
    app = create_app(str(tmp_path / "c.db"), create=True, options=PRESETS["off"])
    assert app.state.saidwho.engine() == "engine" and asked == [PRESETS["off"]]
