"""Page metadata: the article's own headline (not site chrome), the outlet, clean bylines, URLs."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))  # the helpers beside this file (importlib mode)
from ingest_inputs import quote_paragraphs  # noqa: E402
from saidwho.ingest.html import article_from_html  # noqa: E402
from saidwho.ingest.metadata import clean_author  # noqa: E402

BODY = "".join(f"<p>{p}</p>" for p in quote_paragraphs("Mayor Jane Smith", "The ferry is back"))


def page(head: str, h1: str = "Ferry service returns to the harbour", author: str | None = None) -> str:
    byline = f'<meta name="author" content="{author}">' if author else ""
    return (f"<!DOCTYPE html><html><head>{head}{byline}</head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{h1}</h1>{BODY}</article></body></html>")


def meta_of(html: str, url: str | None = None):
    return article_from_html(html, where="p.html", url=url)[1]


def test_headline_over_site_chrome_title():
    # og:title is the site's name and slogan on every page: the h1 is the headline
    m = meta_of(page('<title>Yahoo News - Latest News &amp; Headlines</title>'
                     '<meta property="og:site_name" content="Yahoo News">'
                     '<meta property="og:title" content="Yahoo News - Latest News &amp; Headlines">'))
    assert (m.title, m.outlet) == ("Ferry service returns to the harbour", "Yahoo News")


def test_menu_heading_is_not_the_title():
    html = ("<html><head><title>Harbour Weekly</title></head><body><nav><h1>Sections</h1><a href='/'>Home</a>"
            f"</nav><article>{BODY}</article></body></html>")
    assert meta_of(html).title == "Harbour Weekly"


@pytest.mark.parametrize("sep", [" | ", " - ", " – ", " — "])
def test_site_suffix_removed_when_it_names_the_site(sep):
    m = meta_of(page(f'<title>Ferry service returns to the harbour{sep}Daily Planet</title>'
                     f'<meta property="og:title" content="Ferry service returns to the harbour{sep}Daily Planet">'
                     '<meta property="og:site_name" content="Daily Planet">'))
    assert (m.title, m.outlet) == ("Ferry service returns to the harbour", "Daily Planet")
    # a dash inside the headline, and a suffix that is not the site, stay
    m = meta_of(page('<title>Ferry returns - and fares fall - Daily Planet</title>'
                     '<meta property="og:site_name" content="Daily Planet">', h1="Ferry returns - and fares fall"))
    assert m.title == "Ferry returns - and fares fall"


def test_outlet_from_title_suffix_or_slogan_free_site_name():
    m = meta_of(page('<title>Ferry service returns to the harbour | The Times of Elsewhere</title>'
                     '<meta property="og:title" content="Ferry service returns to the harbour">'),
                url="https://www.timesofelsewhere.example/ferry")
    assert (m.title, m.outlet) == ("Ferry service returns to the harbour", "The Times of Elsewhere")
    m = meta_of(page('<meta property="og:site_name" content="The Coast Times | Island News | Travel">'
                     '<title>Ferry service returns to the harbour - The Coast Times | Island News | Travel</title>'))
    assert (m.title, m.outlet) == ("Ferry service returns to the harbour", "The Coast Times")
    m = meta_of(page("<title>Ferry service returns to the harbour</title>"), url="https://www.coast.example/a/1")
    assert m.outlet == "coast.example"  # nothing names the site: its host


def test_canonical_and_crawl_urls_are_both_kept():
    m = meta_of(page('<title>Ferry</title><link rel="canonical" href="/news/ferry">'),
                url="https://planet.example/news/ferry?utm_source=feed")
    assert m.canonical_url == "https://planet.example/news/ferry"
    assert m.crawl_url == "https://planet.example/news/ferry?utm_source=feed"
    m = meta_of(page('<title>Ferry</title><meta property="og:url" content="https://planet.example/f">'))
    assert (m.canonical_url, m.url, m.crawl_url) == ("https://planet.example/f", "https://planet.example/f", None)
    assert m.as_dict()["canonical_url"] == "https://planet.example/f"


def test_byline_cleaned_from_the_page():
    m = meta_of(page('<title>Ferry</title><meta property="og:site_name" content="CBS News">',
                     author="By GILLIAN MOHNEY March"))
    assert m.author == "Gillian Mohney"
    assert meta_of(page("<title>Ferry</title>", author="Username")).author is None


@pytest.mark.parametrize("byline, sites, expected", [
    ("By GILLIAN MOHNEY March", set(), "Gillian Mohney"),
    ("CBS News February", {"cbsnews"}, None),
    ("Username", set(), None),
    ("admin; Staff Writer", set(), None),
    ("Rob Picheta; CNN", {"cnn"}, "Rob Picheta"),
    ("April Roach; Daniel O'Mahony", set(), "April Roach; Daniel O'Mahony"),
    ("Theresa May", set(), "Theresa May"),
    ("Jane Doe Updated March 3, 2020 10:45 AM", set(), "Jane Doe"),
    ("by Jane Doe and John Roe", set(), "Jane Doe; John Roe"),
    ("jane@planet.example", set(), None),
    ("Perry Bacon Jr", set(), "Perry Bacon Jr"),
])
def test_clean_author(byline, sites, expected):
    assert clean_author(byline, sites) == expected
