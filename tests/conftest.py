"""Shared fixtures: a default plan and one loaded set of templates."""

from __future__ import annotations

import os

import pytest

from hub.intents.templates import Templates
from hub.intents.understand import Understanding
from hub.core.plan import CarePlan


# Every short `hub serve` in the suite would otherwise fill the whole phrase cache in the
# background (a minute of CPU on a fresh machine); the tests of that filling set it back.
os.environ.setdefault("HUB_PHRASE_WARMUP", "0")


@pytest.fixture
def plan() -> CarePlan:
    return CarePlan()


@pytest.fixture(scope="session")
def templates() -> Templates:
    return Templates()


@pytest.fixture(scope="session")
def understanding(templates: Templates) -> Understanding:
    """One loaded understanding for tests that make many skills or assistants."""
    return Understanding(templates)
