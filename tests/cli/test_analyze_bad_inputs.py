"""Bad inputs: one line each on stderr, the rest still processed, exit 1 only if nothing read."""

from __future__ import annotations

import json
import os
import subprocess
import sys

GOOD = "“We will win,” the mayor said.\n"


def _bad_files(d):
    d.mkdir(parents=True, exist_ok=True)
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (d / "latin1.txt").write_bytes("Le maire a dit: «Non.»".encode("latin-1"))
    with open(d / "huge.txt", "wb") as fh:  # 20 MB (sparse)
        fh.truncate(20 * 1024 * 1024)
    (d / "gone.txt").symlink_to(d / "deleted.txt")  # unreadable: dangling symlink
    os.mkfifo(d / "pipe.txt")  # unreadable: not a regular file (must not block)
    return {
        d / "empty.txt": "file is empty",
        d / "binary.txt": "binary",
        d / "latin1.txt": "not valid UTF-8 (byte 0xAB at byte offset 16)",
        d / "huge.txt": "too large",
        d / "gone.txt": "broken symbolic link",
        d / "pipe.txt": "not a regular file",
    }


def _check_stderr(stderr: str, expected: dict) -> None:
    lines = stderr.splitlines()
    assert len(lines) == len(expected), stderr
    for path, reason in expected.items():
        line = next(ln for ln in lines if ln.startswith(f"saidwho: error: {path}: "))
        assert reason in line
    assert "Traceback" not in stderr


def test_bad_files_reported_good_one_processed(run, tmp_path):
    d = tmp_path / "in"
    expected = _bad_files(d)
    (d / "ok.txt").write_text(GOOD)
    r = run(["analyze", "-f", "jsonl", str(d)])
    _check_stderr(r.stderr, expected)
    assert [json.loads(ln)["id"] for ln in r.stdout.splitlines()] == ["ok"]
    assert r.exit_code == 1  # as for ingest: some inputs failed, the others were done


def test_nothing_readable_exits_1_without_loading_model(run_no_model, tmp_path):
    d = tmp_path / "in"
    expected = _bad_files(d)
    r = run_no_model(["analyze", str(d), str(tmp_path / "missing.txt")])
    _check_stderr(r.stderr, {**expected, tmp_path / "missing.txt": "no such file"})
    assert r.stdout == ""
    assert r.exit_code == 1


def test_directory_where_a_file_is_named(run_no_model, tmp_path):
    (tmp_path / "empty").mkdir()
    r = run_no_model(["analyze", str(tmp_path / "empty")])
    assert r.exit_code == 1
    assert r.stderr == f"saidwho: error: {tmp_path / 'empty'}: directory holds no *.txt files\n"


def test_real_process_exit_codes_and_no_traceback(tmp_path):
    d = tmp_path / "in"
    expected = _bad_files(d)
    cmd = [sys.executable, "-m", "saidwho.cli", "analyze", "-f", "jsonl", str(d)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    _check_stderr(p.stderr, expected)
    assert p.returncode == 1 and p.stdout == ""
