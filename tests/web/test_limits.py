"""Login rate limits: counted per account and per address, over a sliding window on an injected clock."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hub.web.limits import LoginLimit, LoginLimiter


class Clock:
    def __init__(self) -> None:
        self.now_s = 0.0

    def __call__(self) -> float:
        return self.now_s


def test_fifth_wrong_password_blocks_the_account_from_every_address() -> None:
    clock = Clock()
    limiter = LoginLimiter(LoginLimit(), clock)
    for number in range(5):
        assert not limiter.is_blocked(f"10.0.0.{number}", "nurse")
        limiter.fail(f"10.0.0.{number}", "nurse")
    assert limiter.is_blocked("10.0.0.99", "nurse")
    assert not limiter.is_blocked("10.0.0.99", "mum")
    clock.now_s += 15 * 60 + 1
    assert not limiter.is_blocked("10.0.0.99", "nurse")


def test_one_address_trying_many_accounts_is_blocked() -> None:
    clock = Clock()
    limiter = LoginLimiter(LoginLimit(), clock)
    for number in range(20):
        limiter.fail("10.0.0.1", f"guess{number}")
    assert limiter.is_blocked("10.0.0.1", "somebody-new")
    assert not limiter.is_blocked("10.0.0.2", "somebody-new")


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["x", "y"]),
                          st.floats(min_value=0, max_value=2000)), max_size=60))
def test_never_blocked_below_the_limits_within_the_window(tries: list[tuple[str, str, float]]) -> None:
    """Whatever the pattern of failures, an account is blocked only after at least 5 of its own, or its
    address after at least 20, within the last 15 minutes."""
    clock = Clock()
    limiter = LoginLimiter(LoginLimit(), clock)
    done: list[tuple[str, str, float]] = []
    for address, account, step_s in tries:
        clock.now_s += step_s
        recent = [t for t in done if t[2] >= clock.now_s - 15 * 60]
        by_account = sum(1 for t in recent if t[1] == account)
        by_address = sum(1 for t in recent if t[0] == address)
        assert limiter.is_blocked(address, account) == (by_account >= 5 or by_address >= 20)
        limiter.fail(address, account)
        done.append((address, account, clock.now_s))
