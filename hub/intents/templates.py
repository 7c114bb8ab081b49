"""The hassil templates: loading them, matching text, and listing their sentences.

These YAML files are the single source of sentences. The text path matches against
them here; speech recognizers build their grammars from `sample_sentences`, and the
Rhasspy export writes them out; nothing else keeps a list of phrasings.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from hassil import Intents, recognize_best, sample_intents

_LOGGER = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).parent
_PUNCTUATION = re.compile(r"[^\w\s']+")


@dataclass(frozen=True)
class IntentMatch:
    """A recognised intent with its slot values (e.g. problem=line_disconnected)."""

    name: str
    slots: dict[str, str] = field(default_factory=dict)
    text: str = ""


class Templates:
    """The loaded templates. Load once and keep: parsing the YAML takes a moment."""

    def __init__(self, template_dir: Path = TEMPLATE_DIR) -> None:
        files = sorted(template_dir.glob("*.yaml"))
        self.intents = Intents.from_files(files)
        _LOGGER.debug("Loaded %d intents from %d files", len(self.intents.intents), len(files))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self.intents.intents))

    def match(self, text: str, allowed: frozenset[str] | None = None) -> IntentMatch | None:
        """Return the intent `text` asks for, or None when no template matches it.

        No template means no guess: a near miss is not an answer about a child's pump.
        `allowed` narrows matching to the intents a dialogue expects.
        """
        clean = normalize(text)
        if not clean:
            return None
        intents = self.intents if allowed is None else self._subset(allowed)
        result = recognize_best(clean, intents)
        if result is None or result.intent is None:
            return None
        slots = {name: str(entity.value) for name, entity in result.entities.items()}
        return IntentMatch(name=result.intent.name, slots=slots, text=clean)

    def sample_sentences(self, intent_names: frozenset[str] | None = None) -> dict[str, list[str]]:
        """Return every sentence the templates accept, by intent, for grammars and exports.

        Kept per set of intents: expanding the templates takes a good part of a second, and
        the understanding, the grammars and every assistant ask for the same lists."""
        key = frozenset(intent_names) if intent_names else None
        cached = self._samples.get(key)
        if cached is None:
            cached = self._sample(intent_names)
            self._samples[key] = cached
        return {name: list(sentences) for name, sentences in cached.items()}

    @cached_property
    def _samples(self) -> dict[frozenset[str] | None, dict[str, list[str]]]:
        return {}

    def _sample(self, intent_names: frozenset[str] | None) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, sentence in sample_intents(self.intents, intent_names=set(intent_names) if intent_names else None):
            words = normalize(sentence)
            if words and words not in out.setdefault(name, []):
                out[name].append(words)
        return out

    @cached_property
    def _subsets(self) -> dict[frozenset[str], Intents]:
        return {}

    def _subset(self, allowed: frozenset[str]) -> Intents:
        cached = self._subsets.get(allowed)
        if cached is None:
            cached = Intents(
                language=self.intents.language,
                intents={k: v for k, v in self.intents.intents.items() if k in allowed},
                slot_lists=self.intents.slot_lists,
                expansion_rules=self.intents.expansion_rules,
                skip_words=self.intents.skip_words,
                settings=self.intents.settings,
            )
            self._subsets[allowed] = cached
        return cached


def normalize(text: str) -> str:
    """Return `text` lower-cased, without punctuation, with single spaces.

    Apostrophes stay ("what's"), since the templates spell contractions that way.
    """
    text = text.lower().replace("’", "'")
    return " ".join(_PUNCTUATION.sub(" ", text).split())
