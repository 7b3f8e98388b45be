"""Blocks of an HTML page from the extractor's XML tree."""

from __future__ import annotations

from lxml import etree

from saidwho.structure.markup import markup_blocks


def test_lines_take_the_kind_of_their_element():
    body = etree.fromstring(
        "<body><head rend='h1'>Harbour to reopen</head><p>By Ann Lee</p>"
        "<p>The mayor said the harbour would reopen.</p><quote>“It is a great day.”</quote>"
        "<list><item>WATCH: Officials say the bridge is safe</item><item>The pier will reopen</item></list>"
        "<head rend='h2'>Next steps</head><p>Photograph: Jane Doe/Reuters</p></body>"
    )
    text = (
        "Harbour to reopen\nBy Ann Lee\nThe mayor said the harbour would reopen.\n“It is a great day.”\n"
        "- WATCH: Officials say the bridge is safe\n- The pier will reopen\nNext steps\nPhotograph: Jane Doe/Reuters"
    )
    got = [(b.kind, text[b.start : b.end]) for b in markup_blocks(text, body)]
    assert got == [
        ("headline", "Harbour to reopen"),
        ("byline", "By Ann Lee"),
        ("body", "The mayor said the harbour would reopen."),
        ("quote_block", "“It is a great day.”"),
        ("teaser", "- WATCH: Officials say the bridge is safe"),
        ("list_item", "- The pier will reopen"),
        ("subhead", "Next steps"),
        ("caption", "Photograph: Jane Doe/Reuters"),
    ]


def test_without_a_tree_the_text_rules_read_each_line():
    text = "The mayor said the harbour would reopen.\nShare this article"
    assert [b.kind for b in markup_blocks(text, None)] == ["body", "boilerplate"]
