"""Every fixed sentence the hub can say with one plan, for the phrase cache and the wording tests."""

from __future__ import annotations

from hub.core import dialogue, phrases
from hub.core.plan import CarePlan


def fixed_phrases(plan: CarePlan) -> list[str]:
    """Return every reply that does not depend on live readings, urgent instructions first.

    These are the sentences that must start playing at once, so they are synthesized
    when the hub starts.
    """
    seen: dict[str, None] = {}
    for text in [*phrases.fixed_replies(plan), *dialogue.fixed_phrases(plan)]:
        seen.setdefault(text, None)
    return list(seen)
