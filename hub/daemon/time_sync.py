"""Whether the wall clock can be believed yet: the Pi has no real-time clock.

It boots with the time it last saved (or 1970) and learns the real time from the
network, maybe minutes later, maybe never. Until then the daemon says that times and
schedules are unknown (`hub.clock_unset`), and gives no reminder and declares no bag
change missed from a clock that may be hours or years wrong (hub.daemon.service).

systemd-timesyncd (or chrony) reports it as `NTPSynchronized`, read with `timedatectl`.
Once synchronised in this boot the clock stays believed: the kernel keeps time from
then on, even if the network goes away and NTPSynchronized turns false again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence

_LOGGER = logging.getLogger(__name__)

TIMEDATECTL = ("timedatectl", "show", "--property=NTPSynchronized", "--value")


class TimedatectlSync:
    """A `TimeSync` asking `timedatectl` at most every `check_every_s`, until it says yes.

    Anything but a clear "yes" (no timedatectl, no systemd, a hang, an error) is not
    synchronised: an unknown clock is never taken as right.
    """

    def __init__(self, *, command: Sequence[str] = TIMEDATECTL, check_every_s: float = 30.0,
                 timeout_s: float = 5.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.command = tuple(command)
        self.check_every_s = check_every_s
        self.timeout_s = timeout_s
        self._monotonic = monotonic
        self._is_synchronized = False
        self._checked_s: float | None = None
        self._last_problem = ""

    async def is_synchronized(self) -> bool:
        """Return True once the system clock has been synchronised in this boot."""
        if self._is_synchronized:
            return True
        now_s = self._monotonic()
        if self._checked_s is not None and now_s - self._checked_s < self.check_every_s:
            return False
        self._checked_s = now_s
        answer = await self._ask()
        if answer == "yes":
            self._is_synchronized = True
            _LOGGER.info("The system clock is synchronised; times and schedules are known")
            return True
        self._note(f"The system clock is not synchronised yet ({self.command[0]} says {answer or 'nothing'!r})")
        return False

    async def _ask(self) -> str:
        try:
            proc = await asyncio.create_subprocess_exec(*self.command, stdin=asyncio.subprocess.DEVNULL,
                                                        stdout=asyncio.subprocess.PIPE,
                                                        stderr=asyncio.subprocess.DEVNULL)
        except OSError as exc:
            self._note(f"Cannot ask whether the clock is synchronised ({self.command[0]}: {exc.strerror})")
            return ""
        try:
            out, _ = await asyncio.wait_for(proc.communicate(), self.timeout_s)
        except asyncio.TimeoutError:
            proc.kill()
            await proc.wait()
            self._note(f"{self.command[0]} did not answer within {self.timeout_s:g} s")
            return ""
        return out.decode("utf-8", errors="replace").strip().lower()[:20]

    def _note(self, problem: str) -> None:
        if problem != self._last_problem:
            self._last_problem = problem
            _LOGGER.warning("%s; reminders wait for the real time", problem)
