"""Device settings (settings.toml): defaults, bad files refused with one line, old plans still read."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.errors import HubError, SettingsError
from hub.settings import DeviceSettings, load_settings, parse_settings, settings_from_plan_file

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "settings.toml"


def _write(tmp_path: Path, text: str, name: str = "settings.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_settings_mean_the_bundled_voice_no_broker_and_a_local_console():
    settings = parse_settings({})
    assert settings.voice.piper_voice == "" and settings.voice.wake_phrase == "hey pump helper"
    assert settings.mqtt.enabled is False and settings.web.bind == "127.0.0.1:8470"
    assert settings.web.host_port == ("127.0.0.1", 8470)


def test_shipped_example_settings_load_as_the_defaults():
    settings = load_settings(EXAMPLE)
    assert settings == DeviceSettings(source=str(EXAMPLE))


def test_the_mqtt_password_never_shows_in_a_log_line():
    settings = parse_settings({"mqtt": {"username": "hub", "password": "s3cret"}})
    assert settings.mqtt.password == "s3cret" and "s3cret" not in repr(settings)


@pytest.mark.parametrize("text, field", [
    ('[mqtt]\nannounce_sites = "bedroom"\n', "mqtt.announce_sites"),
    ('[mqtt]\nannounce_sites = ["bedroom", " bedroom "]\n', "mqtt.announce_sites"),
    ('[mqtt]\nannounce_sites = ["kitchen", ""]\n', "mqtt.announce_sites"),
    ('[mqtt]\nannounce_sites = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]\n', "mqtt.announce_sites"),
    ("[mqtt]\nport = 0\n", "mqtt.port"),
    ('[mqtt]\nport = "1883"\n', "mqtt.port"),
    ('[mqtt]\nenabled = "yes"\n', "mqtt.enabled"),
    ('[mqtt]\npasword = "x"\n', "mqtt.pasword"),
    ('[mqtt]\nca_file = "ca.pem"\n', "mqtt.ca_file"),
    ('[mqtt]\ntls = true\nca_file = "missing.pem"\n', "mqtt.ca_file"),
    ('[mqtt]\ntls = true\ncert_file = "hub.pem"\n', "mqtt.key_file"),
    ('[voice]\nasr_engine = "whisperer"\n', "voice.asr_engine"),
    ('[web]\nbind = "8470"\n', "web.bind"),
    ('[web]\nbind = "0.0.0.0:99999"\n', "web.bind"),
    ('[web]\nkey_file = "hub.key"\n', "web.cert_file"),
    ('[care_team]\nphone = "212-639-2000"\n', "care_team"),
    ("this is = not toml [\n", "file"),
    ("[mqtt]\nport = " + "9" * 400 + "\n", "mqtt.port"),
    ("[mqtt]\nport = 1883.5\n", "mqtt.port"),
])
def test_bad_settings_are_refused_naming_file_and_field(tmp_path, text, field):
    path = _write(tmp_path, text)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert caught.value.field == field
    assert "\n" not in str(caught.value) and str(caught.value).startswith(str(path))
    assert isinstance(caught.value, HubError) and isinstance(caught.value, ValueError)


def test_certificates_are_found_beside_the_settings_file(tmp_path):
    for name in ("ca.pem", "hub.pem", "hub.key"):
        (tmp_path / name).write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    path = _write(tmp_path, '[mqtt]\ntls = true\nca_file = "ca.pem"\ncert_file = "hub.pem"\nkey_file = "hub.key"\n'
                            '[web]\nbind = "0.0.0.0:8443"\ncert_file = "hub.pem"\nkey_file = "hub.key"\n')
    settings = load_settings(path)
    assert settings.mqtt.ca_file == str(tmp_path / "ca.pem"), "the MQTT client gets a path it can open anywhere"
    assert settings.mqtt.key_file == str(tmp_path / "hub.key")
    assert settings.web.cert_file == "hub.pem"
    assert settings.web.host_port == ("0.0.0.0", 8443)


def test_alarms_are_said_on_the_hubs_own_site_unless_the_settings_list_rooms(tmp_path):
    assert parse_settings({"mqtt": {"site_id": "livingroom"}}).mqtt.speaking_sites == ("livingroom",)
    path = _write(tmp_path, '[mqtt]\nsite_id = "livingroom"\nannounce_sites = ["livingroom", "bedroom"]\n')
    assert load_settings(path).mqtt.speaking_sites == ("livingroom", "bedroom")
    # The hub's own site always speaks: the daily check the daemon starts is answered there.
    assert parse_settings({"mqtt": {"announce_sites": ["bedroom"]}}).mqtt.speaking_sites == ("default", "bedroom")


@given(st.one_of(st.lists(st.text(max_size=6), max_size=10), st.lists(st.sampled_from(["a\n", "b", " b", "\t"])),
                 st.text(max_size=6), st.integers(),
                 st.lists(st.one_of(st.integers(), st.none(), st.text(max_size=3)), max_size=3)))
def test_any_announce_sites_value_gives_distinct_named_sites_or_one_settings_error_line(value):
    try:
        settings = parse_settings({"mqtt": {"announce_sites": value}})
    except SettingsError as exc:
        assert exc.field == "mqtt.announce_sites" and "\n" not in str(exc) and "\t" not in str(exc)
    else:
        sites = settings.mqtt.speaking_sites
        assert sites[0] == "default" and set(settings.mqtt.announce_sites) <= set(sites)
        assert all(site and site == site.strip() and site.isprintable() for site in sites)
        assert len(set(sites)) == len(sites) <= 9


@given(st.dictionaries(st.sampled_from(["voice", "mqtt", "web", "other"]),
                       st.dictionaries(st.sampled_from(["enabled", "port", "bind", "wake_phrase", "tls", "x"]),
                                       st.one_of(st.booleans(), st.integers(), st.floats(), st.text(max_size=8)),
                                       max_size=3),
                       max_size=3))
def test_any_settings_mapping_gives_settings_or_one_settings_error_line(raw):
    try:
        settings = parse_settings(raw)
    except SettingsError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(settings, DeviceSettings) and 1 <= settings.mqtt.port <= 65535


def test_an_old_plans_voice_and_mqtt_sections_become_the_device_settings(tmp_path):
    path = _write(tmp_path, 'name = "Sam"\n[voice]\nwake_phrase = "hey hub helper"\n'
                            '[mqtt]\nenabled = true\nsite_id = "nursery"\n', name="plan.toml")
    settings = settings_from_plan_file(path)
    assert settings.voice.wake_phrase == "hey hub helper"
    assert settings.mqtt.enabled and settings.mqtt.site_id == "nursery" and settings.source == str(path)
    assert settings_from_plan_file(_write(tmp_path, 'name = "Sam"\n', name="new.toml")).mqtt.enabled is False


@pytest.mark.parametrize("raw, where, problem", [
    ({"voice": {"wake_phrase": ""}}, "voice.wake_phrase", "is empty"),
    ({"voice": {"wake_phrase": "   "}}, "voice.wake_phrase", "is empty"),
    ({"mqtt": {"site_id": "+/#"}}, "mqtt.site_id", "MQTT topics cannot hold"),
    ({"mqtt": {"site_id": "kitchen/#"}}, "mqtt.site_id", "MQTT topics cannot hold"),
    ({"mqtt": {"site_id": "kit\x00chen"}}, "mqtt.site_id", "control character"),
    ({"mqtt": {"site_id": ""}}, "mqtt.site_id", "is empty"),
    ({"mqtt": {"announce_sites": ["bedroom", "+"]}}, "mqtt.announce_sites", "MQTT topics cannot hold"),
    ({"mqtt": {"port": 1883.5}}, "mqtt.port", "not a whole number"),
    ({"mqtt": {"port": 1883.0}}, "mqtt.port", "not a whole number"),
    ({"mqtt": {"port": "1883"}}, "mqtt.port", "not a number"),
    ({"mqtt": {"host": "broker\x1b[2J"}}, "mqtt.host", "control character"),
])
def test_unusable_device_settings_are_one_line_naming_the_field(raw, where, problem):
    with pytest.raises(SettingsError, match=f"{where}: .*{problem}") as caught:
        parse_settings(raw)
    assert "\n" not in str(caught.value)


def test_a_password_with_a_control_character_is_refused_without_echoing_it():
    with pytest.raises(SettingsError, match="mqtt.password: has a control character") as caught:
        parse_settings({"mqtt": {"password": "hunter2\x07"}})
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("name", ["settings.toml", "care-plan.toml"])
def test_a_password_file_readable_by_others_is_warned_about(tmp_path, caplog, name):
    path = _write(tmp_path, '[mqtt]\nenabled = true\npassword = "s3cret"\n', name)
    path.chmod(0o644)
    with caplog.at_level("WARNING"):
        (load_settings if name == "settings.toml" else settings_from_plan_file)(path)
    assert "other users can read it" in caplog.text and "chmod 600" in caplog.text and "s3cret" not in caplog.text
    caplog.clear()
    path.chmod(0o600)
    with caplog.at_level("WARNING"):
        load_settings(path) if name == "settings.toml" else settings_from_plan_file(path)
    assert "other users can read it" not in caplog.text


@pytest.mark.parametrize("name", ["", "x" * 41, "Sam\\u001b[2J"])
def test_the_device_name_on_the_broker_is_short_and_printable(tmp_path, name):
    path = _write(tmp_path, f'[mqtt]\ndevice_name = "{name}"\n')
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert caught.value.field == "mqtt.device_name"
