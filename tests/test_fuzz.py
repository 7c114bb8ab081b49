"""Every parser of outside input, fuzzed at a modest size (100,000 cases each: python -m bench fuzz)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzzing import TARGETS


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_any_input_is_used_or_refused_with_its_own_error(name):
    target = TARGETS[name]

    @settings(max_examples=300, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
    @given(target.strategy)
    def run(case):
        target.check(case)

    run()
