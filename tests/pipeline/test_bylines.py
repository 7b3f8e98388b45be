"""Quote bylines: "“quote” ― Name" and a dash line under a quotation."""

from saidwho.pipeline.bylines import find_bylines


def _texts(text):
    return [(text[c[0] : c[1]], text[s[0] : s[1]], text[q[0] : q[1]]) for c, s, q in find_bylines(text)]


def test_inline_byline_after_closing_mark():
    text = "Readers wrote in.\n“The ferry is always late.” ― Dana Whitlock\n“Fix the road first.”― Omar Reyes.\n"
    assert _texts(text) == [
        ("―", "Dana Whitlock", "“The ferry is always late.”"),
        ("―", "Omar Reyes", "“Fix the road first.”"),
    ]


def test_dash_line_under_a_quoted_paragraph():
    text = '"Taxes are too high."\n\n- Mayor Ines Vale, speaking in Tulsa.\n\nShe left.'
    assert _texts(text) == [("-", "Mayor Ines Vale", '"Taxes are too high."')]


def test_not_a_byline():
    # a dash that goes on with a sentence, a hyphen inside a line, a dash after plain prose
    text = (
        "“We stay,” she said.\n\n– An immigrant himself –.\n\n"
        "The plan - Greenway - was dropped.\n\nIt rained. — Dana Whitlock\n"
    )
    assert _texts(text) == []


def test_engine_reports_bylines_as_direct_quotes(engine):
    text = "What voters told us.\n\n“The ferry is always late.” ― Dana Whitlock\n“Fix the road first.”― Omar Reyes\n"
    atts = [a for a in engine.analyze(text).attributions if a.parent is None and a.cue.text == "―"]
    assert [(a.cue.text, a.source.text, a.content_text.strip("“”"), a.kind) for a in atts] == [
        ("―", "Dana Whitlock", "The ferry is always late.", "direct"),
        ("―", "Omar Reyes", "Fix the road first.", "direct"),
    ]
    assert atts[0].speaker.name == "Dana Whitlock"
