"""Shared fixtures: a default plan and one loaded set of templates."""

from __future__ import annotations

import pytest

from hub.intents.templates import Templates
from hub.intents.understand import Understanding
from hub.core.plan import CarePlan


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
