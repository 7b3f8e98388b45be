"""Only English is analysed: other languages are stored with their language, a note and no
attributions; short or unsure texts count as English."""

from __future__ import annotations

import json
import os
import sys

from click.testing import CliRunner

sys.path.insert(0, os.path.dirname(__file__))  # the helpers beside this file (importlib mode)
from ingest_inputs import html_page, write_jsonl  # noqa: E402
import saidwho.engine as engine_mod  # noqa: E402
from saidwho.cli import cli  # noqa: E402
from saidwho.ingest.language import detect, not_english_note  # noqa: E402
from saidwho.ingest.runner import ingest  # noqa: E402
from saidwho.store import open_store  # noqa: E402
from saidwho.store.synth import FakeEngine  # noqa: E402

GERMAN = ("Der Bürgermeister sagte am Montag, dass die Brücke über den Fluss im kommenden Jahr "
          "erneuert werde. Die Arbeiten sollen im Frühling beginnen und bis zum Herbst dauern, "
          "erklärte ein Sprecher der Stadtverwaltung.")
FRENCH = ("Le ministre a déclaré mardi que le gouvernement ne reculerait pas sur la réforme, "
          "malgré les grèves qui paralysent les transports depuis une semaine.")
SPANISH = ("El alcalde dijo el lunes que el puente sobre el río será renovado el próximo año, "
           "según explicó un portavoz del ayuntamiento a los periodistas.")
ENGLISH = ("\u201cWe will rebuild the bridge next year,\u201d Mayor Jane Smith said on Monday, "
           "speaking to reporters outside the town hall after a long meeting.")


def test_detects_languages_of_articles():
    assert (detect(GERMAN).code, detect(FRENCH).code, detect(SPANISH).code) == ("de", "fr", "es")
    assert detect(ENGLISH).code == "en" and detect(ENGLISH).english
    assert not detect(GERMAN).english and detect(GERMAN).stored == "de"
    assert not_english_note("de") == "not analysed: the text is in German (de); saidwho reads English only"


def test_short_or_unsure_texts_count_as_english():
    # a headline a character model takes for French: too short to tell, so analysed
    for headline in ("Super PAC haul surges past $1B; ", "Flight attendants' union endorses Clinton."):
        found = detect(headline)
        assert found.english and found.code is None and found.stored is None


def test_long_texts_are_sampled_at_a_bounded_cost():
    from saidwho.ingest.language import SAMPLE_CHARS, sample

    long = GERMAN * 2000
    assert len(sample(long)) <= SAMPLE_CHARS + 1 and detect(long).code == "de"


def test_ingest_stores_other_languages_without_analysing_them(tmp_path):
    (tmp_path / "de.html").write_text(
        html_page("Brücke wird erneuert", [GERMAN, GERMAN.replace("Montag", "Dienstag")], site="Stadtblatt",
                  url="https://stadtblatt.example/bruecke"), encoding="utf-8")
    write_jsonl(tmp_path / "feed.jsonl", [{"id": "fr1", "text": FRENCH}, {"id": "en1", "text": ENGLISH}])
    eng, said = FakeEngine(), []
    with open_store(str(tmp_path / "c.db")) as store:
        s = ingest(store, [str(tmp_path)], engine=eng, report=said.append, progress=False)
        assert (s.read, s.stored, s.n_failed, s.not_english) == (3, 3, 0, 2)
        assert set(eng.ids) == {"en1"}  # only English reaches the engine
        notes = [x for x in said if "not analysed" in x]
        assert notes == [f"saidwho: note: {tmp_path / 'de.html'}: {not_english_note('de')}",
                         f"saidwho: note: {tmp_path / 'feed.jsonl'}:1: {not_english_note('fr')}"]
        de = store.article("https://stadtblatt.example/bruecke")
        assert (de["language"], de["note"], de["attributions"], de["outlet"]) == (
            "de", not_english_note("de"), [], "Stadtblatt")
        fr, en = store.article("fr1"), store.article("en1")
        assert (fr["language"], fr["attributions"]) == ("fr", [])
        assert (en["language"], en["note"]) == ("en", None) and en["attributions"]
        assert "2 not in English (stored, not analysed)" in s.line()
        # stored: a second run skips them as duplicates, without a second note
        said.clear()
        again = ingest(store, [str(tmp_path)], engine=eng, report=said.append, progress=False)
        assert (again.stored, again.duplicates, again.not_english, said) == (0, 3, 0, [])


def test_show_prints_the_language_and_the_note(tmp_path):
    write_jsonl(tmp_path / "feed.jsonl", [{"id": "fr1", "text": FRENCH}])
    db = str(tmp_path / "c.db")
    with open_store(db) as store:
        ingest(store, [str(tmp_path / "feed.jsonl")], engine=FakeEngine(), report=lambda _: None, progress=False)
    res = CliRunner(mix_stderr=False).invoke(cli, ["show", "fr1", "--db", db, "--no-text"])
    assert res.exit_code == 0, res.output
    assert "  language: fr\n" in res.stdout and f"  note: {not_english_note('fr')}\n" in res.stdout


def test_analyze_notes_other_languages_and_gives_no_attributions(tmp_path, monkeypatch):
    eng = FakeEngine()
    monkeypatch.setattr(engine_mod, "_shared", eng)
    for name, text in (("a", ENGLISH), ("b", GERMAN), ("c", FRENCH), ("d", ENGLISH.replace("Jane", "Ann"))):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    res = CliRunner(mix_stderr=False).invoke(cli, ["analyze", "-f", "jsonl", str(tmp_path)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c", "d"]  # one line per input, in order
    assert [r.get("language") for r in rows] == [None, "de", "fr", None]
    assert rows[1]["attributions"] == [] and rows[1]["note"] == not_english_note("de")
    assert eng.ids == ["a", "d"]
    assert res.stderr.splitlines() == [f"saidwho: note: {tmp_path / 'b.txt'}: {not_english_note('de')}",
                                       f"saidwho: note: {tmp_path / 'c.txt'}: {not_english_note('fr')}"]


def test_short_texts_in_other_scripts_are_not_english():
    for text, code in (("Где находится Москва?", "ru"), ("東京は日本の首都です。", "ja"), ("Η Αθήνα είναι πόλη.", "el")):
        found = detect(text)
        assert not found.english and found.code == code, (text, found)
    assert detect("Putin (Путин) said so.").english  # a name in another script inside English
