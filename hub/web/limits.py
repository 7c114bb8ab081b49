"""Login rate limits, per address and per account, said on the login page.

Why both: a limit per account stops guessing one family's password from many
addresses; a limit per address stops one machine trying every account. Failures are
counted in a sliding window on a monotonic clock passed in, so tests need no sleeping.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
WINDOW_S = 15 * 60.0
# Keys remembered at most; the oldest are forgotten first, so a flood of names cannot grow memory.
_MAX_KEYS = 4096


@dataclass(frozen=True)
class LoginLimit:
    account_failures: int = ACCOUNT_FAILURES
    address_failures: int = ADDRESS_FAILURES
    window_s: float = WINDOW_S

    def describe(self) -> str:
        minutes = int(self.window_s // 60)
        return (f"After {self.account_failures} wrong passwords for one account, or {self.address_failures} "
                f"from one address, within {minutes} minutes, logging in is refused until {minutes} minutes "
                "have passed since the oldest of them.")


@dataclass
class LoginLimiter:
    """Counts failed logins; `is_blocked` says whether another try may even be checked."""

    limit: LoginLimit
    monotonic: Callable[[], float]
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def is_blocked(self, address: str, account: str) -> bool:
        return (self._count("addr:" + address) >= self.limit.address_failures
                or self._count("user:" + account) >= self.limit.account_failures)

    def fail(self, address: str, account: str) -> None:
        for key in ("addr:" + address, "user:" + account):
            if key not in self._failures and len(self._failures) >= _MAX_KEYS:
                self._failures.pop(next(iter(self._failures)))
            self._failures.setdefault(key, deque(maxlen=max(self.limit.address_failures,
                                                            self.limit.account_failures))).append(self.monotonic())

    def succeed(self, account: str) -> None:
        self._failures.pop("user:" + account, None)

    def _count(self, key: str) -> int:
        times = self._failures.get(key)
        if not times:
            return 0
        horizon = self.monotonic() - self.limit.window_s
        while times and times[0] < horizon:
            times.popleft()
        return len(times)
