"""Whether the hub can act on free text a recognizer heard: the one place voice asks the language layer.

Whisper hears any words; before its text replaces what PocketSphinx's grammar heard
(hub.voice.asr.combined), the understanding layer must be able to act on it. Today that
is an exact template match (hub.intents.templates); the free-text matcher with worry
detection replaces this one function when it lands.
"""

from __future__ import annotations

from collections.abc import Callable

from hub.intents.templates import Templates


def understands_with(templates: Templates) -> Callable[[str, frozenset[str] | None], bool]:
    """Return a test of whether `text` names an intent (among `expects`, when given)."""

    def understands(text: str, expects: frozenset[str] | None) -> bool:
        return templates.match(text, allowed=expects) is not None

    return understands
