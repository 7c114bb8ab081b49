"""The hub's own alarms: a lost source, a failing speaker, record or microphone, an unset clock.

The words are in hub.core.phrases; here each becomes an alarm `Condition` with its
priority, and the stopped infusion's announcement gains its running clock.
"""

from __future__ import annotations

from datetime import datetime

from hub.core import phrases
from hub.core.alarms import Condition, Priority
from hub.core.codes import Code, Intent
from hub.core.home import HomeState

SOURCE_LOST = Condition(Code.HUB_SOURCE_LOST, Priority.MEDIUM, phrases.SOURCE_LOST)
AUDIO_FAILING = Condition(Code.HUB_AUDIO_FAILING, Priority.HIGH, phrases.AUDIO_FAILING)
STORE_FAILING = Condition(Code.HUB_STORE_FAILING, Priority.LOW, phrases.STORE_FAILING)
ASSESSMENT_FAILED = Condition(Code.HUB_ASSESSMENT_FAILED, Priority.HIGH, phrases.ASSESSMENT_FAILED)
MICROPHONE_FAILING = Condition(Code.HUB_MICROPHONE_FAILING, Priority.LOW, phrases.MICROPHONE_FAILING)
ACKNOWLEDGEMENT_REFUSED = Condition(Code.HUB_ACKNOWLEDGEMENT_REFUSED, Priority.MEDIUM,
                                    phrases.ACKNOWLEDGEMENT_REFUSED)
CLOCK_UNSET = Condition(Code.HUB_CLOCK_UNSET, Priority.MEDIUM, phrases.CLOCK_UNSET)
SITE_SILENT = Code.HUB_SITE_SILENT
_STOPPED_CODES = frozenset({Code.INFUSION_STOPPED, Code.INFUSION_STOPPED_LONG})
ALARM_ANSWERS = frozenset({Intent.ACKNOWLEDGE.value})  # what a sounding alarm asks the family to say


def site_silent(sites: tuple[str, ...]) -> Condition:
    """A warning that announcement sites (Rhasspy satellites) did not say the last announcement.

    Medium, not high: the announcement was heard on another site. But a satellite
    unplugged in the child's bedroom means alarms go unheard there, so it is said, not
    just logged."""
    return Condition(SITE_SILENT, Priority.MEDIUM, phrases.site_silent(sites))


def with_stop_time(condition: Condition, home: HomeState, wall: datetime) -> Condition:
    """Add how long the infusion has been stopped, so each re-announcement shows the clock running."""
    since = home.infusion.stopped_since
    if condition.code not in _STOPPED_CODES or since is None or since > wall:
        return condition
    minutes = int((wall - since).total_seconds() // 60)
    return Condition(condition.code, condition.priority, f"{condition.speech} {phrases.stopped_for(minutes)}")
