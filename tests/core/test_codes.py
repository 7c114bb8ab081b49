"""Finding codes and intents are enums, and every code that can alarm has its settings."""

from hub.core.alarms import CONDITION_DELAYS_S, OK_CODES, AlarmPolicy
from hub.core.codes import Code, Intent
from hub.core.plan import Alarms
from hub.intents.templates import Templates


def test_every_code_that_can_alarm_has_a_condition_delay():
    missing = [code for code in Code if code not in OK_CODES and code not in CONDITION_DELAYS_S]
    assert not missing, f"add these codes to CONDITION_DELAYS_S (and docs/alarms.md): {missing}"


def test_the_delay_table_names_only_real_codes():
    assert all(isinstance(code, Code) for code in CONDITION_DELAYS_S)


def test_codes_compare_equal_to_their_text_in_files_and_json():
    assert Code.PUMP_BEEPING == "pump.beeping"
    assert Code("infusion.stopped_long") is Code.INFUSION_STOPPED_LONG
    assert Code.REPORTED_LEAKING.topic == "reported"


def test_the_intent_enum_and_the_templates_name_the_same_intents():
    assert {intent.value for intent in Intent} == set(Templates().names)


def test_alarm_defaults_come_from_the_care_plan_defaults():
    plan_defaults = Alarms()
    policy = AlarmPolicy()
    assert policy.urgent_repeat_s == plan_defaults.urgent_repeat_s
    assert policy.voice_rearm_s == plan_defaults.voice_rearm_s
    assert policy == AlarmPolicy.from_plan(plan_defaults)
