"""Shared fixtures: a default plan and one loaded set of templates."""

from __future__ import annotations

import pytest

from hub.intents.templates import Templates
from hub.core.plan import CarePlan


@pytest.fixture
def plan() -> CarePlan:
    return CarePlan()


@pytest.fixture(scope="session")
def templates() -> Templates:
    return Templates()
