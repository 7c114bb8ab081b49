"""Reading the files people hand the hub (plans, scenarios, calendars), with limits.

A care plan or scenario is small. A file that is huge, endless (`/dev/zero`), nested a
thousand deep or built from YAML aliases (the "billion laughs") is refused with one
line, before it can hang the hub or exhaust the Pi's memory.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import yaml

MAX_PLAN_BYTES = 256 * 1024
MAX_SCENARIO_BYTES = 256 * 1024
MAX_CALENDAR_BYTES = 2 * 1024 * 1024
MAX_NESTING = 32


class InputRefused(ValueError):
    """What is wrong with a file, in words for the one-line error (the caller names the file)."""


def read_capped(path: str | Path, max_bytes: int) -> str:
    """Return the UTF-8 text of `path`, refusing anything but a regular file of at most `max_bytes`.

    Raises FileNotFoundError, OSError or UnicodeDecodeError as reading does, and
    `InputRefused` for a device, a pipe or an oversized file.
    """
    return read_capped_bytes(path, max_bytes).decode("utf-8")


def read_capped_bytes(path: str | Path, max_bytes: int) -> bytes:
    """Return the bytes of `path` under the same limits as `read_capped`."""
    with open(path, "rb") as handle:
        if not stat.S_ISREG(Path(path).stat().st_mode):
            raise InputRefused("is not a regular file")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputRefused(f"is larger than {max_bytes // 1024} KiB")
    return data


class _StrictLoader(yaml.SafeLoader):
    """A safe YAML loader without aliases: scenario files have no use for them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.YAMLError(f"aliases (*{event.anchor}) are not allowed")
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_NESTING:
                raise yaml.YAMLError(f"nested more than {MAX_NESTING} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str) -> Any:
    """Return parsed YAML with no aliases and limited nesting; raises `yaml.YAMLError`."""
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass


def check_nesting(value: Any, limit: int = MAX_NESTING) -> None:
    """Raise `InputRefused` when parsed data (e.g. TOML) nests deeper than `limit`."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise InputRefused(f"is nested more than {limit} levels deep")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
