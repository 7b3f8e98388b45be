"""Reading text inputs: strict UTF-8, exact text, and one clear refusal per bad file."""

from __future__ import annotations

import io
import os

import pytest

from saidwho.errors import InputError
from saidwho.ingest import text as ingest_text
from saidwho.ingest.text import TextInput, iter_inputs, read_stream, read_text


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _refusal(path, **kw) -> str:
    with pytest.raises(InputError) as info:
        read_text(path, **kw)
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith(f"{path}: ")
    return msg


def test_bom_stripped_and_newlines_kept(tmp_path):
    p = _write(tmp_path / "a.txt", "\ufeffThe mayor said\r\nit rains.\rNo.\n".encode("utf-8"))
    assert read_text(p) == "The mayor said\r\nit rains.\rNo.\n"


def test_empty_and_whitespace_only(tmp_path):
    assert "empty" in _refusal(_write(tmp_path / "e.txt", b""))
    assert "empty" in _refusal(_write(tmp_path / "w.txt", b" \n\t\r\n"))
    assert "empty" in _refusal(_write(tmp_path / "bom.txt", b"\xef\xbb\xbf  "))


def test_binary(tmp_path):
    assert "binary" in _refusal(_write(tmp_path / "nul.txt", b"GIF89a\x00\x01\x02text"))
    # no NUL byte, but mostly control bytes and not UTF-8
    assert "binary" in _refusal(_write(tmp_path / "ctl.txt", bytes(range(1, 32)) * 20 + b"\xff\xfe"))
    # valid UTF-8 made of control characters
    assert "binary" in _refusal(_write(tmp_path / "esc.txt", b"\x1b\x02\x03\x04\x05 a" * 50))


def test_utf16_named(tmp_path):
    assert "UTF-16" in _refusal(_write(tmp_path / "u16.txt", "Hello".encode("utf-16")))


def test_invalid_utf8_gives_byte_offset(tmp_path):
    msg = _refusal(_write(tmp_path / "latin.txt", "The café owner said no.".encode("latin-1")))
    assert "UTF-8" in msg and "byte offset 7" in msg


def test_too_large_refused_from_size_without_reading(tmp_path, monkeypatch):
    p = tmp_path / "big.txt"
    with open(p, "wb") as fh:
        fh.truncate(20 * 1024 * 1024)

    def no_open(*a, **k):  # the byte size alone must be enough
        raise AssertionError("a 20 MB file was opened")

    monkeypatch.setattr(ingest_text, "open", no_open, raising=False)
    assert "too large" in _refusal(p)


def test_too_large_counts_characters(tmp_path, monkeypatch):
    monkeypatch.setenv("SAIDWHO_MAX_CHARS", "10")
    assert read_text(_write(tmp_path / "ok.txt", "ééééééééé.".encode())) == "ééééééééé."  # 10 chars, 19 bytes
    assert "too large" in _refusal(_write(tmp_path / "long.txt", b"eleven char"))


def test_unreadable(tmp_path, monkeypatch):
    assert "no such file" in _refusal(tmp_path / "missing.txt")
    (tmp_path / "link.txt").symlink_to(tmp_path / "nowhere.txt")
    assert "broken symbolic link" in _refusal(tmp_path / "link.txt")
    (tmp_path / "d.txt").mkdir()
    assert "directory" in _refusal(tmp_path / "d.txt")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "not a regular file" in _refusal(fifo, regular_only=True)

    p = _write(tmp_path / "locked.txt", b"The minister said so.")

    def denied(*a, **k):  # tests run as root, where chmod 000 does not stop reads
        raise PermissionError(13, "Permission denied", str(p))

    monkeypatch.setattr(ingest_text, "open", denied, raising=False)
    assert "permission denied" in _refusal(p)


def test_stream():
    assert read_stream(io.BytesIO("\ufeffShe said “yes”.\r\n".encode())) == "She said “yes”.\r\n"
    with pytest.raises(InputError, match=r"^<stdin>: file is empty"):
        read_stream(io.BytesIO(b""))


def test_iter_inputs_expands_directories_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zed said hello.")
    (tmp_path / "b" / "notes.md").write_text("not an input")
    (tmp_path / "a.txt").write_text("Ay said hello.")
    (tmp_path / "c.txt").write_text("")
    os.mkfifo(tmp_path / "fifo.txt")
    other = tmp_path.parent / f"{tmp_path.name}-other"
    other.mkdir()
    (other / "a.txt").write_text("Another ay.")

    got = list(iter_inputs([tmp_path, other / "a.txt"]))
    ok = [g for g in got if isinstance(g, TextInput)]
    bad = [str(g) for g in got if isinstance(g, InputError)]
    assert [tuple(i) for i in ok] == [("a", "Ay said hello."), ("z", "Zed said hello."), ("a-2", "Another ay.")]
    assert ok[1].path == os.path.join(str(tmp_path), "b", "z.txt")
    assert len(bad) == 2
    assert bad[0].startswith(f"{tmp_path / 'c.txt'}: ") and "empty" in bad[0]
    assert bad[1].startswith(f"{tmp_path / 'fifo.txt'}: ")


def test_iter_inputs_stdin_and_empty_dir(tmp_path):
    (tmp_path / "none").mkdir()
    got = list(iter_inputs(["-", tmp_path / "none"], stdin=io.BytesIO(b"He said it.")))
    assert tuple(got[0]) == ("stdin", "He said it.")
    assert isinstance(got[1], InputError) and "no *.txt files" in str(got[1])
