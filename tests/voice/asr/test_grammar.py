"""Grammars come from the templates, and narrow to what the dialogue expects."""

from __future__ import annotations

import pytest

from hub.voice.asr.grammar import GrammarBuilder
from hub.core.codes import ANSWER_INTENTS

DAILY_CHECK_ANSWERS = frozenset({"Yes", "No", "NotSure", "Repeat", "Stop"})


def test_full_grammar_holds_every_template_sentence(grammars: GrammarBuilder, templates) -> None:
    grammar = grammars.grammar()
    sampled = {s for values in templates.sample_sentences().values() for s in values}
    assert set(grammar.sentences) == sampled
    assert grammar.intents == frozenset(templates.names)


def test_daily_check_grammar_only_accepts_the_answers(grammars: GrammarBuilder, templates) -> None:
    grammar = grammars.grammar(DAILY_CHECK_ANSWERS)
    assert "yes" in grammar and "not sure" in grammar and "repeat that" in grammar
    assert "is the pump okay" not in grammar
    for sentence in grammar.sentences:
        found = templates.match(sentence, allowed=DAILY_CHECK_ANSWERS)
        assert found is not None and found.name in DAILY_CHECK_ANSWERS


def test_dialogue_answer_intents_all_have_templates(grammars: GrammarBuilder) -> None:
    assert grammars.grammar(frozenset(ANSWER_INTENTS)).sentences


def test_grammars_are_built_once_per_intent_set(grammars: GrammarBuilder) -> None:
    assert grammars.grammar(DAILY_CHECK_ANSWERS) is grammars.grammar(frozenset(DAILY_CHECK_ANSWERS))


def test_unknown_intent_is_refused(grammars: GrammarBuilder) -> None:
    with pytest.raises(ValueError, match="NoSuchIntent"):
        grammars.grammar(frozenset({"NoSuchIntent"}))


def test_jsgf_is_converted_from_the_expression_tree_not_enumerated(grammars: GrammarBuilder) -> None:
    jsgf = grammars.grammar().jsgf
    assert jsgf.startswith("#JSGF V1.0;")
    assert "public <command> = " in jsgf
    # Expansion rules and lists stay rules: far smaller than the ~4000 sentences.
    assert "<rule_pump> = (pump | machine | medicine pump | infusion pump | backpack);" in jsgf
    assert "<list_problem> = " in jsgf
    assert len(jsgf) < 20_000
