"""Shared fixtures: one engine per test session (loading the model costs about a second)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def engine():
    from saidwho import Engine

    return Engine()
