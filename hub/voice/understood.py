"""Whether the hub can act on free text a recognizer heard: the one place voice asks the language layer.

Whisper hears any words; before its text replaces what PocketSphinx's grammar heard
(hub.voice.asr.combined), the understanding layer (hub.intents.understand) must be able
to act on it: an intent, or a worry that gets the care team's number.
"""

from __future__ import annotations

from collections.abc import Callable

from hub.intents.templates import Templates
from hub.intents.understand import Understanding


def understands_with(templates: Templates) -> Callable[[str, frozenset[str] | None], bool]:
    """Return a test of whether `text` names an intent (among `expects`, when given) or a worry."""
    understanding = Understanding(templates)

    def understands(text: str, expects: frozenset[str] | None) -> bool:
        understood = understanding.understand(text, expects)
        return understood.intent is not None or understood.is_worry

    return understands
