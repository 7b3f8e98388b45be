"""Speaker names: which mentions get corpus-wide keys, what is shown, where the word lists come from."""

from __future__ import annotations

import pytest

from saidwho.store import ArticleMeta
from saidwho.store.names import analyse_name
from saidwho.store.synth import make_article


@pytest.mark.parametrize("name, type_", [
    ("He", "unknown"), ("She", "person"), ("Her deputy", "person"), ("his spokesman", "unknown"),
    ("the campaign", "organization"), ("The Company", "organization"), ("the minister", "person"),
    ("Tolvan aide", "person"), ("Some critics", "person"),
])
def test_pronouns_and_descriptions_stay_in_their_article(name, type_):
    assert analyse_name(name, None, type_).key.startswith("v:")


@pytest.mark.parametrize("name, type_, key", [
    ("Mayor Ana Kessler", "person", "p:ana kessler"), ("Kessler", "unknown", "s:kessler"),
    ("the Velport Harbour Board", "organization", "o:velport harbour board"),
    ("US Secretary of State Lia Morn", "unknown", "p:lia morn"),
    ("Councillor Piet Ramos", "unknown", "p:piet ramos"),  # "councillor" is a title in data/titles.txt
    ("Velport Airlines", "unknown", "o:velport airlines"),  # "airlines" is in data/org_words.txt
])
def test_proper_names_keep_corpus_keys(name, type_, key):
    assert analyse_name(name, None, type_).key == key


def test_possessive_kept_for_display_dropped_for_matching():
    info = analyse_name("Children's Hospital")
    assert info.clean == "Children's Hospital" and info.key == "o:children hospital"
    assert analyse_name("McDonald's").clean == "McDonald's"
    assert analyse_name("the mayor's office", None, "organization").clean == "the mayor's office"
    assert analyse_name("Councillor Piet Ramos").role == "councillor"


def test_he_in_two_articles_is_two_speakers(store):
    for ext, quote in (("n1", "the dam will hold"), ("n2", "the toll will rise")):
        art = make_article(ext, [("He", quote, "indirect"), ("the campaign", "we will win", "direct")],
                           types={"He": "unknown", "the campaign": "organization"})
        store.save_article(art, ArticleMeta(ext_id=ext, published="2024-05-01"))
    by = {}
    for q in store.quotes():
        by.setdefault(q["speaker"]["name"], set()).add(q["speaker"]["id"])
    assert len(by["He"]) == 2 and len(by["the campaign"]) == 2


def test_speakers_list_shows_the_name_as_written(store):
    art = make_article("n1", [("Children's Hospital", "beds are short", "indirect")])
    store.save_article(art, ArticleMeta(ext_id="n1"))
    assert [s["name"] for s in store.speakers()] == ["Children's Hospital"]
