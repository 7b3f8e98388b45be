"""The table-driven attribute ruler gives every token exactly what the stock one gives."""

from __future__ import annotations

import pytest
import spacy

from saidwho import settings
from saidwho.pipeline.attribute_rules import FastAttributeRuler, speed_up

# our own sentences, with the words the model's multi-token and set-based rules are about
TEXTS = [
    "We're gonna win this, and y'all know it, she said. Let's go.",
    "C'mon, it ain't over: there are two weeks left and there's hope, he told reporters.",
    "The mayor gets the blame; the council got the credit.  \n\n  “Nobody got hurt,” the chief said.",
    "Officials said on Monday that the plan, which was approved in 2019, isn't working.",
]


def _fields(doc):
    return [(t.text, t.pos_, t.tag_, t.dep_, t.lemma_, str(t.morph), t.head.i) for t in doc]


@pytest.fixture(scope="module")
def stock_and_fast():
    stock = spacy.load(settings.model_name())
    fast = spacy.load(settings.model_name())
    speed_up(fast)
    return stock, fast


def test_the_ruler_is_swapped_in_place(stock_and_fast):
    stock, fast = stock_and_fast
    assert type(fast.get_pipe("attribute_ruler")) is FastAttributeRuler
    assert fast.pipe_names == stock.pipe_names
    assert fast.get_pipe("attribute_ruler").patterns == stock.get_pipe("attribute_ruler").patterns


@pytest.mark.parametrize("text", TEXTS)
def test_same_annotations_as_the_stock_ruler(stock_and_fast, text):
    stock, fast = stock_and_fast
    assert _fields(fast(text)) == _fields(stock(text))


def test_multi_token_rules_apply(stock_and_fast):
    # "gonna" is split in two and the second rule gives "na" the lemma "to": the table must
    # run the two-token rules, not only the one-token ones
    _, fast = stock_and_fast
    doc = fast("They're gonna vote.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to"


def test_unsupported_rule_shapes_fall_back_to_the_stock_code(stock_and_fast):
    stock, _ = stock_and_fast
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"LEMMA": "VERY"})
    speed_up(nlp)
    doc = nlp("very very good")
    assert [t.lemma_ for t in doc[:2]] == ["VERY", "VERY"]


def test_rules_added_after_a_call_take_effect():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "pier"}]], {"LEMMA": "PIER"})
    speed_up(nlp)
    assert nlp("the pier")[1].lemma_ == "PIER"
    ruler.add([[{"LOWER": "the"}]], {"LEMMA": "THE"})
    assert [t.lemma_ for t in nlp("the pier")] == ["THE", "PIER"]
    ruler.clear()
    assert nlp("the pier")[1].lemma_ == ""
