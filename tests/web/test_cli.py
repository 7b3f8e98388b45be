"""``saidwho serve``: options, defaults (127.0.0.1:8000, read-only), and a real start."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from click.testing import CliRunner

from saidwho.cli.serve import _is_loopback, serve_cmd


def _capture(monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    return calls


def test_defaults_are_local_and_read_only(monkeypatch, web_corpus):
    calls = _capture(monkeypatch)
    r = CliRunner().invoke(serve_cmd, ["--db", web_corpus[0]])
    assert r.exit_code == 0, r.output
    app, kw = calls[0]
    assert kw["host"] == "127.0.0.1" and kw["port"] == 8000
    assert app.state.saidwho.allow_write is False
    assert "read-only" in r.output and "http://127.0.0.1:8000/" in r.output
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/").status_code == 200
        assert c.get("/api/", headers={"host": "evil.example"}).status_code == 403


def test_options(monkeypatch, web_corpus, tmp_path):
    import shutil

    db = str(tmp_path / "c.db")
    shutil.copy(web_corpus[0], db)
    calls = _capture(monkeypatch)
    r = CliRunner().invoke(serve_cmd, ["--db", db, "--host", "0.0.0.0", "--port", "8123", "--allow-write"])
    assert r.exit_code == 0, r.output
    app, kw = calls[0]
    assert kw["host"] == "0.0.0.0" and kw["port"] == 8123 and app.state.saidwho.allow_write is True
    assert CliRunner().invoke(serve_cmd, ["--db", db, "--host", "192.0.2.7"]).exit_code == 0
    from fastapi.testclient import TestClient

    with TestClient(calls[-1][0], base_url="http://192.0.2.7:8000") as c:
        assert c.get("/api/").status_code == 200
        assert c.get("/api/", headers={"host": "evil.example"}).status_code == 403
    assert "warning" in r.output and "read-write" in r.output


def test_bad_options(monkeypatch, web_corpus):
    _capture(monkeypatch)
    r = CliRunner().invoke(serve_cmd, ["--db", web_corpus[0], "--port", "99999"])
    assert r.exit_code == 2 and "99999" in r.output
    assert "--allow-write" in CliRunner().invoke(serve_cmd, ["--help"]).output


def test_loopback():
    assert _is_loopback("127.0.0.1") and _is_loopback("localhost") and _is_loopback("::1")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.0.2.1") and not _is_loopback("example.org")


def test_serve_starts_and_answers(web_corpus):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = "import sys; from saidwho.cli.serve import serve_cmd; serve_cmd(sys.argv[1:])"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "--db", web_corpus[0], "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/", timeout=5) as resp:
                    assert resp.status == 200 and b'"stats"' in resp.read()
                    break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "saidwho serve did not answer"
                time.sleep(0.2)
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/articles/999999", timeout=5)
        except urllib.error.HTTPError as e:
            assert e.code == 404
    finally:
        proc.terminate()
        proc.wait(10)
