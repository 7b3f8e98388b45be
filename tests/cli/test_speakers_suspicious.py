"""``saidwho speakers --suspicious``: stored speaker names that are unlikely speakers."""

from __future__ import annotations

import csv
import io
import json

import pytest

from saidwho.corpus import open_corpus
from saidwho.store.synth import make_article


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "c.db")
    with open_corpus(path) as corpus:
        # speakers as an older engine stored them from real pages
        corpus.add(make_article("a", [("Jane Smith", "the harbour reopens", "direct"), ("Gallery", "the show is sold out", "indirect"),
                                      ("Trump avoids", "the deal is done", "indirect")], types={"Gallery": "person", "Trump avoids": "person"}),
                   id="a", outlet="Planet")
        corpus.add(make_article("b", [("Biden’s", "rents must fall", "indirect"), ("Jane Smith", "music heals", "direct")],
                                types={"Biden’s": "person"}), id="b", outlet="Globe")
    return path


def test_lists_only_suspicious_names_with_a_reason(run_fresh, db):
    res = run_fresh(["speakers", "--db", db, "--suspicious", "--format", "json"])
    assert res.exit_code == 0, res.stderr
    rows = json.loads(res.stdout)
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {"Gallery", "Trump avoids", "Biden’s"}
    assert all(r["reason"] for r in rows)
    assert by_name["Biden’s"]["reason"] == "possessive ending"


def test_csv_and_table(run_fresh, db):
    res = run_fresh(["speakers", "--db", db, "--suspicious", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {r["name"] for r in rows} == {"Gallery", "Trump avoids", "Biden’s"} and "reason" in rows[0]
    table = run_fresh(["speakers", "--db", db, "--suspicious"]).stdout
    assert "Trump avoids" in table and "Jane Smith" not in table
