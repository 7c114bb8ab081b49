"""The hub's error types: one base, each also the built-in error it resembles."""

from __future__ import annotations


class HubError(Exception):
    """Base of every error the hub raises on purpose."""


class FieldError(HubError, ValueError):
    """A settings file with a field that cannot be used (the base of `PlanError` and `SettingsError`).

    The message names the file, the field and the problem, in one line, so whoever
    owns the file can fix it without reading code.
    """

    def __init__(self, source: str, field: str, problem: str) -> None:
        self.source = source
        self.field = field
        self.problem = problem
        super().__init__(f"{_one_line(source)}: {_one_line(field)}: {_one_line(problem)}")


class PlanError(FieldError):
    """A care plan (or calendar import) that cannot be used; the care team fixes it."""


class SettingsError(FieldError):
    """Device settings (settings.toml) that cannot be used; the family or installer fixes them."""


MAX_PART_CHARS = 200


def _one_line(text: str) -> str:
    """Keep an error on one short line even when a file name, key or value holds control
    characters or megabytes of text."""
    line = text if text.isprintable() else repr(text)[1:-1]
    return line if len(line) <= MAX_PART_CHARS else line[:MAX_PART_CHARS] + "..."


class ScenarioError(PlanError):
    """A simulated-home scenario file that cannot be used."""


class DeviceError(HubError, OSError):
    """A sensor, bridge or other device failed to answer or answered nonsense."""


class FrameError(HubError, ValueError):
    """A pump-bridge frame that is garbled, truncated or fails its checksum."""
