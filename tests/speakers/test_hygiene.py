"""The rule for stored speaker names and roles (saidwho.speakers.hygiene)."""

from __future__ import annotations

import pytest

from saidwho.speakers.hygiene import clean_name, clean_role, suspicious_reason


@pytest.mark.parametrize(
    "raw, type_, clean",
    [
        ("Caribbean\nTourism Council", "organization", "Caribbean Tourism Council"),
        ("Obama administration’s", "organization", "Obama administration"),
        ("the Obama administration's", "organization", "Obama administration"),
        ("Chris Jones'", "person", "Chris Jones"),
        ("elect Rodrigo Chaves", "person", "Rodrigo Chaves"),
        ("Supt Audley Peters", "person", "Audley Peters"),
        ("Ursula von der Leyen", "person", "Ursula von der Leyen"),
        ("  Ana   Ruiz ", "person", "Ana Ruiz"),
    ],
)
def test_clean_name(raw, type_, clean):
    assert clean_name(raw, type_) == clean
    assert suspicious_reason(clean, type_) is None


def test_clean_role():
    assert clean_role("police\nchief") == "police chief"
    assert clean_role("whose daughter") is None
    assert clean_role(None) is None


@pytest.mark.parametrize(
    "name, type_",
    [
        ("Read", "person"),
        ("Gallery", "person"),
        ("Gallery", "unknown"),
        ("Host", "person"),
        ("'s", "person"),
        ("Trump avoids", "person"),
        ("Caribbean\nTourism Council", "organization"),
        ("Biden’s", "person"),
        ("a person familiar with the talks who asked not to be named because", "person"),
    ],
)
def test_suspicious_names(name, type_):
    assert suspicious_reason(name, type_)


@pytest.mark.parametrize(
    "name, type_",
    [("Kamala Harris", "person"), ("Roscosmos", "organization"), ("officials", "anonymous"), ("Ursula von der Leyen", "person"), ("Read Consulting", "organization")],
)
def test_plain_names_are_not_suspicious(name, type_):
    assert suspicious_reason(name, type_) is None
