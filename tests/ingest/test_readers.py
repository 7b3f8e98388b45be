"""Readers: paths/globs/folders, HTML (trafilatura), JSON Lines, WARC."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))  # the helpers beside this file (importlib mode)
from ingest_inputs import html_page, quote_paragraphs, write_jsonl, write_warc
from saidwho.errors import InputError
from saidwho.ingest import Problem, RawArticle
from saidwho.ingest.html import NoArticleText, extract
from saidwho.ingest.jsonl import read_jsonl
from saidwho.ingest.sources import expand
from saidwho.ingest.warc import count_warc, read_warc


def test_expand_folders_globs_and_missing(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    for name in ("d/b.txt", "d/a.html", "d/sub/c.jsonl", "d/sub/e.warc.gz", "d/skip.png", "d/.hidden.txt"):
        (tmp_path / name).write_text("x")
    (tmp_path / "noext").write_text("WARC/1.0\r\n")
    got = list(expand([str(tmp_path / "d"), str(tmp_path / "d" / "*.txt"), str(tmp_path / "nothing*.txt"),
                       str(tmp_path / "missing.txt"), str(tmp_path / "noext")]))
    files = [(p.replace(str(tmp_path) + "/", ""), f) for p, f in (g for g in got if not isinstance(g, Problem))]
    # d/b.txt, met again through d/*.txt, is read once
    assert files == [("d/a.html", "html"), ("d/b.txt", "text"), ("d/sub/c.jsonl", "jsonl"),
                     ("d/sub/e.warc.gz", "warc"), ("noext", "warc")]
    problems = [g for g in got if isinstance(g, Problem)]
    assert [p.reason for p in problems] == ["no file matches this pattern", "no such file or folder"]


def test_html_extracts_text_and_metadata():
    page = html_page("Harbour to reopen", quote_paragraphs("Mayor Jane Smith", "We will reopen the harbour"),
                     url="https://planet.example/harbour")
    text, meta = extract(page)
    assert "We will reopen the harbour" in text and "Copyright" not in text and "Home" not in text.split("\n")[0]
    assert meta["title"] == "Harbour to reopen"
    assert meta["author"] == "Lois Lane"
    assert meta["published"] == "2024-03-05"
    assert meta["site"] == "Daily Planet"
    assert meta["url"] == "https://planet.example/harbour"


def test_html_without_article_text_is_refused():
    with pytest.raises(NoArticleText) as err:
        extract("<html><head><title>x</title></head><body><nav>Home</nav></body></html>", where="page.html")
    assert str(err.value) == "page.html: no article text found in the HTML page"
    with pytest.raises(InputError):
        extract("   ", where="blank.html")


def test_jsonl_reports_bad_lines_with_numbers_and_goes_on(tmp_path):
    p = tmp_path / "a.jsonl"
    write_jsonl(p, [
        {"id": 1, "url": "https://x.example/1", "title": "T", "outlet": "Planet", "published": "2024-03-05T10:00:00+02:00",
         "text": "Jane Smith said that it works.", "section": "local"},
        "{not json",
        "",
        {"id": "2", "outlet": "Globe"},
        ["a", "list"],
        {"id": "3", "published": "yesterday-ish", "text": "x"},
        {"id": "4", "html": html_page("Page", quote_paragraphs("John Doe", "It is fine"))},
    ])
    with open(p, "ab") as fh:
        fh.write(b'{"id": "5", "text": "caf\xe9"}\n')
    items = list(read_jsonl(str(p), outlet=None))
    good = [i for i in items if isinstance(i, RawArticle)]
    bad = [i for i in items if isinstance(i, Problem)]
    assert [g.meta.ext_id for g in good] == ["1", "3", "4"]
    first = good[0].meta
    assert (first.url, first.title, first.outlet, first.published) == ("https://x.example/1", "T", "Planet",
                                                                      "2024-03-05T08:00:00")
    assert first.extra == {"section": "local"} and first.origin.endswith("a.jsonl:1")
    assert "It is fine" in good[2].text and good[2].meta.title == "Page"
    # a date that is not one costs the date, not the article
    assert good[1].meta.published is None and good[1].warnings == [
        "'published' is not a date: 'yesterday-ish'; the article is kept without a date"]
    assert [b.origin.rsplit(":", 1)[1] for b in bad] == ["2", "4", "5", "8"]
    reasons = [b.reason for b in bad]
    assert reasons[0].startswith("not valid JSON") and "no 'text' or 'html'" in reasons[1]
    assert "expected a JSON object" in reasons[2] and "not UTF-8" in reasons[3]


def test_warc_reads_html_and_notes_the_rest(tmp_path):
    p = tmp_path / "crawl.warc.gz"
    write_warc(p, [
        ("https://planet.example/a", "text/html; charset=utf-8",
         html_page("A", quote_paragraphs("Jane Smith", "The ferry runs again"))),
        ("https://planet.example/logo.png", "image/png", "PNGDATA"),
        ("https://planet.example/empty", "text/html", "<html><body><nav>menu</nav></body></html>"),
        ("https://planet.example/missing", "text/html", "<html><body>gone</body></html>"),
    ])
    items = list(read_warc(str(p)))
    arts = [i for i in items if isinstance(i, RawArticle)]
    assert len(arts) == 1 and "The ferry runs again" in arts[0].text
    assert arts[0].meta.url == "https://planet.example/a" and arts[0].meta.outlet == "Daily Planet"
    notes = [i for i in items if isinstance(i, Problem) and i.note]
    fails = [i for i in items if isinstance(i, Problem) and not i.note]
    assert [n.reason for n in notes] == ["skipped: not HTML (image/png)", "skipped: HTTP status 404"]
    assert len(fails) == 1 and "no article text" in fails[0].reason and "/empty" in fails[0].origin
    assert count_warc(str(p)) == 3


def test_truncated_warc_keeps_what_was_read(tmp_path):
    p = tmp_path / "cut.warc.gz"
    write_warc(p, [("https://x.example/%d" % i, "text/html",
                    html_page(f"T{i}", quote_paragraphs("Jane Smith", f"Point number {i} stands"))) for i in range(3)])
    data = p.read_bytes()
    p.write_bytes(data[: len(data) - 200])
    items = list(read_warc(str(p)))
    assert sum(isinstance(i, RawArticle) for i in items) == 2
    assert isinstance(items[-1], Problem) and "malformed WARC" in items[-1].reason


def test_short_article_pages_are_not_doubled():
    # trafilatura 2.0 returns short <article> pages twice over; saidwho keeps one copy
    p1 = "Biden said that taxes would not rise for families earning less than the threshold."
    p2 = "Hunter Biden said he would testify before the committee next week, his lawyer said."
    text, _ = extract(f"<html><body><article><h1>Tax</h1><p>{p1}</p><p>{p2}</p></article></body></html>")
    assert text == f"Tax\n{p1}\n{p2}"


@pytest.mark.parametrize("published, expected", [
    ("March 18, 2015", "2015-03-18"),
    ("18 March 2015", "2015-03-18"),
    ("2015/03/18", "2015-03-18"),
    ("Wed, 18 Mar 2015 10:00:00 GMT", "2015-03-18T10:00:00"),
    (1426636800, "2015-03-18"),
    ("1426636800", "2015-03-18"),
    (1426636800000, "2015-03-18"),  # milliseconds
    ("20150318", "2015-03-18"),
    (20150318, "2015-03-18"),  # the same date as a JSON number
    ("March 18, 2015 10:30 AM", "2015-03-18T10:30:00"),
])
def test_jsonl_reads_common_date_forms(tmp_path, published, expected):
    p = tmp_path / "a.jsonl"
    write_jsonl(p, [{"id": "1", "published": published, "text": "Jane Smith said that it works."}])
    [item] = list(read_jsonl(str(p)))
    assert isinstance(item, RawArticle) and item.meta.published == expected and item.warnings == []


@pytest.mark.parametrize("published", ["yesterday-ish", "March", "12", "March 2015", 5, 3.5, 20151318, "2015"])
def test_jsonl_keeps_the_article_when_the_date_is_not_one(tmp_path, published):
    p = tmp_path / "a.jsonl"
    write_jsonl(p, [{"id": "1", "published": published, "text": "Jane Smith said that it works."}])
    [item] = list(read_jsonl(str(p)))
    assert isinstance(item, RawArticle) and item.meta.published is None
    assert len(item.warnings) == 1 and "'published' is not a date" in item.warnings[0]


@pytest.mark.parametrize("ext_id, kind", [(["a", "b"], "an array"), ({"n": 1}, "an object"), (True, "a boolean"),
                                          (3.5, "a number")])
def test_jsonl_skips_a_record_whose_id_is_not_a_string_or_an_integer(tmp_path, ext_id, kind):
    p = tmp_path / "a.jsonl"
    write_jsonl(p, [{"id": ext_id, "text": "Jane Smith said that it works."},
                    {"id": 7, "text": "John Doe said that it works."}])
    bad, good = list(read_jsonl(str(p)))
    assert isinstance(bad, Problem) and bad.origin.endswith("a.jsonl:1")
    assert bad.reason.startswith(f"'id' must be a string or an integer, not {kind} (")
    assert bad.reason.endswith("; the record is skipped") and "\n" not in bad.reason
    assert isinstance(good, RawArticle) and good.meta.ext_id == "7" and good.warnings == []


def test_jsonl_drops_a_wrong_typed_field_with_a_warning_and_keeps_the_article(tmp_path):
    p = tmp_path / "a.jsonl"
    write_jsonl(p, [
        {"id": "1", "url": False, "outlet": 3.5, "title": ["T"], "author": {"n": "J"}, "site": 0,
         "published": [2024, 1, 5], "text": "Jane Smith said that it works."},
        {"id": "2", "url": 17, "html": html_page("Page", quote_paragraphs("John Doe", "It is fine"))},
    ])
    first, second = list(read_jsonl(str(p)))
    m = first.meta
    assert (m.ext_id, m.url, m.outlet, m.title, m.author, m.site, m.published) == ("1", None, None, None, None,
                                                                                 None, None)
    assert first.warnings == [
        "'url' must be a string, not a boolean (false); dropped, the article is kept",
        "'title' must be a string, not an array ([\"T\"]); dropped, the article is kept",
        "'author' must be a string, not an object ({\"n\": \"J\"}); dropped, the article is kept",
        "'outlet' must be a string, not a number (3.5); dropped, the article is kept",
        "'site' must be a string, not a number (0); dropped, the article is kept",
        "'published' must be a string or a number, not an array ([2024, 1, 5]); the article is kept without a date",
    ]
    assert isinstance(second, RawArticle) and second.meta.url is None and "It is fine" in second.text
    assert second.warnings == ["'url' must be a string, not a number (17); dropped, the article is kept"]


@pytest.mark.parametrize("line, reason", [
    ('{"id": "1", "text": "abc', "not valid JSON (Unterminated string starting at column 21)"),
    ('{"id": "1" "text": "abc"}', "not valid JSON (Expecting ',' delimiter at column 12)"),
    ('{"id": "1", "text": "a\tb"}', "not valid JSON (Invalid control character at column 23)"),
])
def test_jsonl_reports_where_the_json_breaks(tmp_path, line, reason):
    p = tmp_path / "a.jsonl"
    p.write_text(line + "\n", encoding="utf-8")
    [bad] = list(read_jsonl(str(p)))
    assert isinstance(bad, Problem) and bad.reason == reason


def _pages(n: int = 3) -> list[tuple[str, str, str]]:
    return [(f"https://x.example/{i}", "text/html",
             html_page(f"T{i}", quote_paragraphs("Jane Smith", f"Point number {i} stands"))) for i in range(n)]


def _responses(data: bytes) -> list[int]:
    """Offsets of the response records in an uncompressed WARC."""
    import re

    return [m.start() for m in re.finditer(rb"WARC/1\.[01]\r\nWARC-Type: response", data)]


def _read(p) -> tuple[list[str], list[Problem]]:
    items = list(read_warc(str(p)))
    texts = [i.text.split("\n")[0] for i in items if isinstance(i, RawArticle)]
    return texts, [i for i in items if isinstance(i, Problem) and not i.note]


@pytest.mark.parametrize("damage", ["header", "garbage", "length-long", "length-short"])
def test_damaged_warc_record_costs_only_itself(tmp_path, damage):
    p = tmp_path / "crawl.warc"
    write_warc(p, _pages())
    data = p.read_bytes()
    second = _responses(data)[1]
    if damage == "header":  # the record's first line is not a WARC header
        data = data[:second] + b"WARX/9.9" + data[second + 8:]
    elif damage == "garbage":  # bytes between records
        data = data[:second] + b"\x00\x01 not a record \xff\r\n" * 3 + data[second:]
    else:  # a Content-Length that does not match the block
        head_end = data.index(b"\r\n\r\n", second)
        import re

        m = re.compile(rb"Content-Length: (\d+)").search(data, second, head_end)
        n = int(m.group(1)) + (150 if damage == "length-long" else -150)
        data = data[: m.start(1)] + str(n).encode() + data[m.end(1):]
    p.write_bytes(data)
    texts, problems = _read(p)
    if damage == "garbage":
        assert texts == ["T0", "T1", "T2"]
    elif damage == "length-short":  # the record reads short; the rest of its block is reported
        assert texts[0] == "T0" and texts[-1] == "T2"
    else:
        assert texts == ["T0", "T2"]
    assert len(problems) == 1 and "skipped to the next record" in problems[0].reason
    assert "\n" not in problems[0].reason


def test_damaged_record_in_a_per_record_gzip_warc(tmp_path):
    import gzip

    plain = tmp_path / "a.warc"
    write_warc(plain, _pages())
    data = plain.read_bytes()
    second = _responses(data)[1]
    data = data[:second] + b"WARX/9.9" + data[second + 8:]
    import re

    starts = [m.start() for m in re.finditer(rb"(?:WARC|WARX)/\d\.\d\r\n", data)]
    members = [data[a:b] for a, b in zip(starts, starts[1:] + [len(data)])]
    p = tmp_path / "a.warc.gz"
    p.write_bytes(b"".join(gzip.compress(m) for m in members))
    texts, problems = _read(p)
    assert texts == ["T0", "T2"] and len(problems) == 1 and "uncompressed" in problems[0].reason


def test_whole_file_gzipped_warc_is_read(tmp_path):
    import gzip

    plain = tmp_path / "a.warc"
    write_warc(plain, _pages())
    p = tmp_path / "whole.warc.gz"
    p.write_bytes(gzip.compress(plain.read_bytes()))
    texts, problems = _read(p)
    assert texts == ["T0", "T1", "T2"] and problems == []
    assert count_warc(str(p)) == 3


def test_warc_record_over_the_cap_is_skipped_without_holding_it(tmp_path, monkeypatch):
    monkeypatch.setenv("SAIDWHO_MAX_CHARS", "1000")  # 4,000 bytes per record
    pages = _pages(2)
    pages.insert(1, ("https://x.example/big", "text/html", html_page("Big", ["Jane Smith said so. " * 400])))
    pages.insert(2, ("https://x.example/video.mp4", "video/mp4", "V" * 20000))
    p = tmp_path / "crawl.warc.gz"
    write_warc(p, pages)
    items = list(read_warc(str(p)))
    texts = [i.text.split("\n")[0] for i in items if isinstance(i, RawArticle)]
    assert texts == ["T0", "T1"]
    [big] = [i for i in items if isinstance(i, Problem) and not i.note]
    assert "/big" in big.origin and "record too large" in big.reason and "limit is 4,000 bytes" in big.reason
    assert [i.reason for i in items if isinstance(i, Problem) and i.note] == ["skipped: not HTML (video/mp4)"]


def test_damaged_gzip_member_costs_only_its_record(tmp_path):
    import gzip
    import re

    plain = tmp_path / "a.warc"
    write_warc(plain, _pages())
    data = plain.read_bytes()
    starts = [m.start() for m in re.finditer(rb"WARC/1\.[01]\r\n", data)]
    members = [gzip.compress(data[a:b]) for a, b in zip(starts, starts[1:] + [len(data)])]
    second = 1 + 2 * 1 + 1  # warcinfo, request, response, request, *response*
    bad = bytearray(members[second])
    bad[len(bad) // 2: len(bad) // 2 + 40] = b"\x00" * 40  # damage inside the deflate data
    members[second] = bytes(bad)
    p = tmp_path / "a.warc.gz"
    p.write_bytes(b"".join(members))
    texts, problems = _read(p)
    assert texts == ["T0", "T2"]
    assert len(problems) == 1 and "damaged gzip data" in problems[0].reason
