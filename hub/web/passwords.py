"""Password hashing for console accounts: argon2id through argon2-cffi.

Why these parameters: OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane). The
library's default takes 64 MiB per hash, which on a Pi running the hub would more than
double the console's memory during a login; 19 MiB keeps it inside the console's budget.
"""

from __future__ import annotations

import ctypes
import ctypes.util

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

def _map_large_blocks() -> None:
    """Make glibc give each hash's 19 MiB straight back to the system when it is freed.

    Why: after the first large free, glibc raises its mmap threshold and serves later
    large blocks from a thread's arena, which it keeps: each login in a worker thread left
    the daemon ~20 MB bigger for good (measured in bench/console.py). Setting the
    threshold fixes it at 1 MiB. Not glibc (musl, macOS): nothing to do.
    """
    name = ctypes.util.find_library("c")
    if not name or "libc" not in name:
        return
    try:
        ctypes.CDLL(name).mallopt(-3, 1024 * 1024)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


_map_large_blocks()


MIN_PASSWORD_LENGTH = 10
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified against when the account does not exist, so a wrong name takes as long as a wrong password.
_DUMMY = _HASHER.hash("not a real password")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Return True only when `password` matches; an unknown account (None) is checked against a dummy."""
    try:
        return bool(_HASHER.verify(password_hash or _DUMMY, password)) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """Return why `password` cannot be used, or None when it can."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if not password.isprintable():
        return "the password must not contain control characters"
    return None
