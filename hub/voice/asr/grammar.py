"""Recognition grammars, generated from the hassil templates and narrowed per dialogue step.

The templates are the only list of sentences. Vosk takes the enumerated sentences;
PocketSphinx takes JSGF converted straight from hassil's expression tree, so both
recognizers accept exactly what the text path matches, and no more.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from hassil.expression import (
    Alternative,
    Expression,
    ListReference,
    Permutation,
    RuleReference,
    Sequence,
    TextChunk,
)
from hassil.intents import TextSlotList

from hub.intents.templates import Templates, normalize

_LOGGER = logging.getLogger(__name__)

_RULE_NAME = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True)
class Grammar:
    """What a recognizer may hear at one moment: `sentences` for Vosk, `jsgf` for PocketSphinx."""

    name: str
    intents: frozenset[str]
    sentences: tuple[str, ...]
    words: frozenset[str]
    jsgf: str

    def __contains__(self, text: str) -> bool:
        return normalize(text) in self._sentence_set

    @property
    def _sentence_set(self) -> frozenset[str]:
        return frozenset(self.sentences)


class GrammarBuilder:
    """Builds and keeps one `Grammar` per set of expected intents. Build once per process."""

    def __init__(self, templates: Templates) -> None:
        self.templates = templates
        self._cache: dict[frozenset[str], Grammar] = {}

    def grammar(self, intents: frozenset[str] | None = None) -> Grammar:
        """Return the grammar for `intents` (None: every intent), built on first use."""
        key = frozenset(self.templates.names) if intents is None else frozenset(intents)
        unknown = key - set(self.templates.names)
        if unknown:
            raise ValueError(f"no templates for intents {sorted(unknown)}")
        cached = self._cache.get(key)
        if cached is None:
            cached = self._build(key, "all" if intents is None else "_".join(sorted(key)))
            self._cache[key] = cached
        return cached

    def _build(self, intents: frozenset[str], name: str) -> Grammar:
        by_intent = self.templates.sample_sentences(intents)
        sentences = tuple(sorted({s for values in by_intent.values() for s in values}))
        words = frozenset(w for s in sentences for w in s.split())
        jsgf = JsgfWriter(self.templates).write(sorted(intents))
        _LOGGER.info("Built grammar %s: %d intents, %d sentences, %d words",
                     name[:60], len(intents), len(sentences), len(words))
        return Grammar(name=name, intents=intents, sentences=sentences, words=words, jsgf=jsgf)


class JsgfWriter:
    """Converts hassil expressions to JSGF rules, one rule per intent, expansion rule and list."""

    def __init__(self, templates: Templates) -> None:
        self.intents = templates.intents
        self._rules: dict[str, str] = {}

    def write(self, intent_names: list[str]) -> str:
        """Return a JSGF grammar whose public rule <command> is any sentence of the intents."""
        self._rules = {}
        alternatives = []
        for name in intent_names:
            rule = "intent_" + _RULE_NAME.sub("_", name)
            bodies = [self._convert(sentence.expression)
                      for data in self.intents.intents[name].data for sentence in data.sentences]
            self._rules[rule] = " | ".join(b for b in bodies if b) or "<VOID>"
            alternatives.append(f"<{rule}>")
        lines = ["#JSGF V1.0;", "grammar hub;", f"public <command> = {' | '.join(alternatives)};"]
        lines += [f"<{rule}> = {body};" for rule, body in self._rules.items()]
        return "\n".join(lines) + "\n"

    def _convert(self, expr: Expression) -> str:
        if isinstance(expr, TextChunk):
            return normalize(expr.text)
        if isinstance(expr, Permutation):
            raise TypeError("permutations are not used in the templates; expand them first")
        if isinstance(expr, Alternative):
            parts = [self._convert(item) for item in expr.items]
            filled = [p for p in parts if p]
            if not filled:
                return ""
            body = " | ".join(dict.fromkeys(filled))
            return f"[{body}]" if expr.is_optional or len(filled) < len(parts) else f"({body})"
        if isinstance(expr, Sequence):
            return " ".join(p for p in (self._convert(item) for item in expr.items) if p)
        if isinstance(expr, RuleReference):
            return self._reference(expr.rule_name)
        if isinstance(expr, ListReference):
            return self._list(expr.list_name)
        raise TypeError(f"cannot convert {type(expr).__name__} to JSGF")

    def _reference(self, rule_name: str) -> str:
        rule = "rule_" + _RULE_NAME.sub("_", rule_name)
        if rule not in self._rules:
            self._rules[rule] = "<VOID>"  # placeholder against recursion
            self._rules[rule] = self._convert(self.intents.expansion_rules[rule_name].expression)
        return f"<{rule}>"

    def _list(self, list_name: str) -> str:
        rule = "list_" + _RULE_NAME.sub("_", list_name)
        if rule not in self._rules:
            slot_list = self.intents.slot_lists.get(list_name)
            if not isinstance(slot_list, TextSlotList):
                raise ValueError(f"list {{{list_name}}} is not a text list; ASR grammars need text")
            self._rules[rule] = "<VOID>"
            bodies = [self._convert(value.text_in) for value in slot_list.values]
            self._rules[rule] = " | ".join(f"({b})" for b in dict.fromkeys(bodies) if b)
        return f"<{rule}>"
