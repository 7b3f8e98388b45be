"""Blocks of plain text: headings, bylines, datelines, captions, teasers, boilerplate, lists."""

from __future__ import annotations

import pytest

from saidwho.structure import infer_blocks, sentence_starts


def kinds(text: str) -> list[tuple[str, str]]:
    return [(b.kind, text[b.start : b.end]) for b in infer_blocks(text)]


def test_offsets_are_exact_and_blocks_ordered():
    text = "Nurses warn of staff shortage\r\n\r\n  By Ann Lee  \n\nLONDON — Maria Reyes said the ward is short.\n"
    blocks = infer_blocks(text)
    for b in blocks:
        piece = text[b.start : b.end]
        assert piece and piece == piece.strip()
    assert all(a.end <= b.start for a, b in zip(blocks, blocks[1:]))
    assert [b.kind for b in blocks] == ["headline", "byline", "dateline", "body"]


def test_headline_before_a_speaker_is_its_own_block():
    text = "Nurses warn of staff shortage\n\nMaria Reyes, a nurse at St. Anne's Hospital, said the ward is short of staff."
    assert kinds(text) == [
        ("headline", "Nurses warn of staff shortage"),
        ("body", "Maria Reyes, a nurse at St. Anne's Hospital, said the ward is short of staff."),
    ]


def test_caption_name_line_is_not_body():
    text = "The council met on Monday.\nVanessa Hicks\nHicks said the plan was a mistake."
    assert kinds(text)[1] == ("subhead", "Vanessa Hicks")
    assert kinds(text)[2] == ("body", "Hicks said the plan was a mistake.")


def test_polnear_shaped_text_is_headline_and_paragraphs():
    text = (
        "Pence: Gennifer Flowers Won’t Be at Debate, Trump Was ‘Mocking’ Clinton Camp.\n\n"
        "On this weekend’s broadcast, Gov. Mike Pence said the tweet was only “to mock” Clinton.\n\n"
        "The New York Times reports:\n\n"
        "“Just 24 percent of the contributors have given $200 or less.”\n"
    )
    assert [k for k, _ in kinds(text)] == ["headline", "body", "body", "body"]


def test_headline_with_a_deck_line():
    text = "Lawmaker urges retaliation on Russia; \nMember of House panel says U.S. has to act.\n\nRep. Adam Schiff said so.\n"
    assert [k for k, _ in kinds(text)] == ["headline", "subhead", "body"]


@pytest.mark.parametrize(
    "line, kind",
    [
        ("By Nada Tawfik, BBC News, New York", "byline"),
        ("BY EARYEL BOWLEG", "byline"),
        ("Updated 3:14 PM ET, Tue May 5, 2020", "byline"),
        ("Published May 06, 2022", "byline"),
        ("Alex Isenstadt contributed to this report.", "byline"),
        ("President Biden speaks in the Rose Garden. (AP Photo/Evan Vucci)", "caption"),
        ("Photograph: Jane Doe/Reuters", "caption"),
        ("Protesters in Paris on Monday. Getty Images", "caption"),
        ("Image caption The mayor said the park would be built", "caption"),
        ("Read more: Mayor says park will be built", "teaser"),
        ("Related: Council votes on budget", "teaser"),
        ("[Read: The mayor’s plan for the harbour]", "teaser"),
        ("Gallery: The storm in pictures 14 Photos", "teaser"),
        ("WATCH: Officials say the bridge is safe", "teaser"),
        ("Analysis: Jon Sopel, BBC News", "teaser"),
        ("- A SIMPLE GUIDE: How do I protect myself?", "teaser"),
        ("Share this article", "boilerplate"),
        ("Sign up for our daily newsletter", "boilerplate"),
        ("© 2024 The Daily Planet. All rights reserved.", "boilerplate"),
        ("We use cookies to improve your experience.", "boilerplate"),
    ],
)
def test_clutter_lines(line, kind):
    text = f"The council met on Monday and voted on the plan.\n\n{line}\n\nThe mayor said the vote was close."
    assert kinds(text)[1] == (kind, line)


@pytest.mark.parametrize(
    "line",
    [
        "By Monday, officials said the bridge would reopen.",
        "UPDATE: Police said the suspect was arrested on Friday.",
        "He added: “He was doing service on behalf of his company.”",
        "Smith said all members of the panel contributed.",
        "According to reporting by the Times, officials said the deal was off.",
        "The company said it would ask users to accept cookies from advertisers.",
        "Trump: “I will win.”",
        "Q: Do you think Glass-Steagall should be reinstated?",
        "Hannity interjected: “So you’re saying there will be some flexibility?”",
    ],
)
def test_body_paragraphs_are_never_clutter(line):
    text = f"The council met on Monday and voted on the plan.\n\n{line}\n\nThe mayor said the vote was close."
    assert kinds(text)[1] == ("body", line)


@pytest.mark.parametrize(
    "opening, dateline",
    [
        ("LONDON — ", "LONDON —"),
        ("HOUSTON, Texas (KTRK) -- ", "HOUSTON, Texas (KTRK) --"),
        ("HEMPSTEAD, N.Y., Sept. 26 (UPI) — ", "HEMPSTEAD, N.Y., Sept. 26 (UPI) —"),
        ("WASHINGTON (Reuters) - ", "WASHINGTON (Reuters) -"),
        ("KHAN YOUNIS, GAZA — ", "KHAN YOUNIS, GAZA —"),
    ],
)
def test_dateline_is_a_block_at_the_start_of_a_paragraph(opening, dateline):
    text = f"Flood hits the coast\n\n{opening}Police said the river rose overnight."
    assert kinds(text)[1:] == [("dateline", dateline), ("body", "Police said the river rose overnight.")]


def test_no_dateline_inside_or_without_a_dash():
    assert [k for k, _ in kinds("Flood hits the coast\n\nNATO — the alliance — said it would help.")] == ["headline", "body"]
    assert [k for k, _ in kinds("Flood hits the coast\n\nTWO men were killed on Monday, police said.")] == ["headline", "body"]


def test_bullets_are_list_items_and_a_list_after_a_colon():
    text = "Obama also said:\n• We will rebuild the pier\n• Taxes will not rise\n\nClinton has these tasks:\n\nSell her plan\nStop the leaks\n"
    assert [k for k, _ in kinds(text)] == ["body", "list_item", "list_item", "body", "list_item", "list_item"]


def test_wrapped_lines_stay_one_paragraph():
    text = "Flood hits the coast\n\nThe mayor of the town said on Monday that the\nriver would be dredged before the\nwinter, and that the pier would reopen.\n"
    assert kinds(text)[1] == ("body", text[22:].rstrip())


def test_quote_byline_dash_line_stays_body():
    text = "Flood hits the coast\n\n“We will rebuild the pier.”\n― Dana Whitlock\n\nThe mayor agreed."
    assert ("body", "― Dana Whitlock") in kinds(text)


def test_sentence_starts_where_the_kind_of_block_changes():
    text = "Nurses warn of staff shortage\n\nThe Times reports:\n\n“We are short,” a nurse said.\nVanessa Hicks\nHicks agreed."
    starts = sentence_starts(text, infer_blocks(text))
    assert starts == [text.index("The Times"), text.index("Vanessa"), text.index("Hicks agreed")]
    quote = "“We will win,” she said.\n\nThe crowd cheered."
    assert [k for k, _ in kinds(quote)] == ["body", "body"]  # a quotation's paragraph is no headline


def test_links_under_a_teaser_label_are_teasers():
    text = "The vote is on Monday.\n\nMore on the election:\nJoe Biden says the campaign will fight on\nOfficials say turnout is up\n\nThe mayor agreed."
    assert [k for k, _ in kinds(text)] == ["headline", "teaser", "teaser", "teaser", "body"]


def test_name_line_above_an_email_is_a_byline():
    text = "Flood hits the coast\n\nEMILY BRENNAN\nemily.brennan@example.com\n\nThe river rose overnight, police said."
    assert [k for k, _ in kinds(text)] == ["headline", "byline", "byline", "body"]


@pytest.mark.parametrize(
    "line",
    [
        "Jane Nguyen listens during a meeting in Des Moines, Iowa, Sunday, Sept. 12, 2016. (AP/Luis Chen)",
        "Megan Lee listens during a meeting in Columbus, Ohio, Friday, Oct. 13, 2016. (AFP/Getty Images/Laura Harper)",
        "Supporters cheer as Hillary Clinton speaks in Las Vegas on Saturday. David Murphy/Reuters",
        "Supporters cheer as Tom Lee speaks in Raleigh, North Carolina on Tuesday. Tom Alvarez/Bloomberg via Getty Images",
    ],
)
def test_captions_with_a_credit_at_the_end(line):
    text = f"The council met on Monday and voted on the plan.\n\n{line}\n\nThe mayor said the vote was close."
    assert kinds(text)[1] == ("caption", line)


def test_newsletter_line():
    text = "The council met on Monday.\n\nGet the latest headlines delivered to your inbox. Sign up here.\n\nThe mayor agreed."
    assert kinds(text)[1][0] == "boilerplate"
