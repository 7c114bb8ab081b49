"""Device settings: how this hub speaks, listens and connects (settings.toml), apart from the care plan.

The care plan (hub.core.plan) is clinical and belongs to the care team. These settings
belong to the family or whoever installs the hub: the piper voice, the wake phrase, the
recognizer, the Rhasspy broker (with its password) and the web console's address. They
are read like the plan: loaded once, validated in full, an unknown field refused, and
every problem reported on one line naming the file, the field and the fix
(`SettingsError`).

Before settings.toml existed, `[voice]` and `[mqtt]` sat in the care plan. Such a plan
still loads: when no settings file is given, those sections are read from it, with a
warning to move them.
"""

from __future__ import annotations

import logging
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hub.core.fields import bounded, parse_section, read_toml, refuse_unknown
from hub.core.plan import DEVICE_SECTIONS
from hub.errors import SettingsError

_LOGGER = logging.getLogger(__name__)

ASR_ENGINES = ("auto", "combined", "whisper", "vosk", "pocketsphinx")
# Each say waits for every site's confirmation; a home has a few rooms, not dozens.
MAX_ANNOUNCE_SITES = 8
DEFAULT_WEB_BIND = "127.0.0.1:8470"


@dataclass(frozen=True)
class Voice:
    """Speech settings. An empty `piper_voice` means the bundled en_US-joe-medium voice."""

    piper_voice: str = ""
    wake_phrase: str = "hey pump helper"
    asr_engine: str = "auto"


@dataclass(frozen=True)
class Mqtt:
    """Broker settings for running as a Rhasspy (Hermes) skill. Off unless enabled.

    `ca_file`, `cert_file` and `key_file` are paths (empty: none), checked to exist when
    the settings load, and made absolute (relative ones are from the settings file's folder).
    """

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = bounded(1883, 1, 65535)
    username: str = ""
    password: str = field(default="", repr=False)  # never in a log line or a traceback
    tls: bool = False
    site_id: str = "default"
    # Other Rhasspy sites that say the hub's announcements and alarms too (a satellite in
    # the child's bedroom, say). The hub's own `site_id` always does.
    announce_sites: tuple[str, ...] = ()
    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""
    # What Home Assistant and anyone on the broker see the hub as. Never the child's name:
    # retained discovery topics are readable by every client of the broker.
    device_name: str = "Hub"

    @property
    def speaking_sites(self) -> tuple[str, ...]:
        """The sites that say announcements: the hub's own site first (the daily check the
        daemon starts is answered there), then `announce_sites`."""
        return (self.site_id, *(site for site in self.announce_sites if site != self.site_id))


@dataclass(frozen=True)
class Web:
    """Where the web console listens, and its TLS certificate (paths; empty: plain HTTP)."""

    bind: str = DEFAULT_WEB_BIND
    cert_file: str = ""
    key_file: str = ""

    @property
    def host_port(self) -> tuple[str, int]:
        """The `bind` address split into host and port."""
        host, _, port = self.bind.rpartition(":")
        return host.strip("[]"), int(port)


@dataclass(frozen=True)
class DeviceSettings:
    """This hub's device settings, validated. Pass this object (or one section) around."""

    voice: Voice = field(default_factory=Voice)
    mqtt: Mqtt = field(default_factory=Mqtt)
    web: Web = field(default_factory=Web)
    source: str = "<defaults>"


_SECTIONS: dict[str, type] = {"voice": Voice, "mqtt": Mqtt, "web": Web}


def load_settings(path: str | Path) -> DeviceSettings:
    """Return the validated settings in `path`, or raise `SettingsError` naming what is wrong."""
    path = Path(path)
    settings = parse_settings(read_toml(path, SettingsError), source=str(path), base_dir=path.parent)
    _LOGGER.info("Loaded device settings %s", settings.source)
    warn_if_readable_by_others(path, settings)
    return settings


def warn_if_readable_by_others(path: Path, settings: DeviceSettings) -> bool:
    """Warn (and return True) when the file holding the MQTT password can be read by other users."""
    if not settings.mqtt.password:
        return False
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return False
    if not mode & 0o077:
        return False
    _LOGGER.warning("%s holds the MQTT password but other users can read it (mode %o); "
                    "run: chmod 600 %s", path, mode, path)
    return True


def settings_from_plan_file(path: str | Path) -> DeviceSettings:
    """Return the device settings an old single-file care plan holds in `[voice]` and `[mqtt]`.

    Other plan fields are ignored here (hub.core.plan reads them). A plan without those
    sections gives the defaults.
    """
    path = Path(path)
    raw = read_toml(path, SettingsError)
    found = {key: raw[key] for key in DEVICE_SECTIONS if key in raw}
    if found:  # loading the plan has already warned (hub.core.plan.device_sections_note)
        _LOGGER.info("%s: reading %s from the care plan", path, " and ".join(f"[{key}]" for key in found))
    settings = parse_settings(found, source=str(path), base_dir=path.parent)
    warn_if_readable_by_others(path, settings)
    return settings


def parse_settings(raw: dict[str, Any], *, source: str = "<settings>", base_dir: Path | None = None) -> DeviceSettings:
    """Return validated `DeviceSettings` from an already-parsed TOML mapping.

    Relative certificate paths are taken from `base_dir` (the settings file's folder).
    """
    refuse_unknown(raw, set(_SECTIONS), source, SettingsError)
    sections = {key: parse_section(raw.get(key, {}), cls, source, key, SettingsError)
                for key, cls in _SECTIONS.items()}
    settings = DeviceSettings(source=source, **sections)
    _check(settings, base_dir)
    mqtt = settings.mqtt

    def absolute(value: str) -> str:
        return str(_path(value, base_dir)) if value else ""

    return replace(settings, mqtt=replace(mqtt, ca_file=absolute(mqtt.ca_file), cert_file=absolute(mqtt.cert_file),
                                          key_file=absolute(mqtt.key_file)))


def _check(settings: DeviceSettings, base_dir: Path | None) -> None:
    src = settings.source
    if not settings.voice.wake_phrase:
        raise SettingsError(src, "voice.wake_phrase", "is empty; give the words that wake the hub, "
                                                      "e.g. \"hey pump helper\"")
    if settings.voice.asr_engine not in ASR_ENGINES:
        raise SettingsError(src, "voice.asr_engine", "must be auto, combined, whisper, vosk or pocketsphinx")
    mqtt = settings.mqtt
    for where, site in (("mqtt.site_id", mqtt.site_id), *(("mqtt.announce_sites", a) for a in mqtt.announce_sites)):
        _check_site(src, where, site)
    if len(mqtt.announce_sites) > MAX_ANNOUNCE_SITES:
        raise SettingsError(src, "mqtt.announce_sites",
                            f"lists {len(mqtt.announce_sites)} sites; at most {MAX_ANNOUNCE_SITES}")
    for name in ("ca_file", "cert_file", "key_file"):
        if getattr(mqtt, name) and not mqtt.tls:
            raise SettingsError(src, f"mqtt.{name}", "needs mqtt.tls = true (or leave it empty)")
    _check_pair(src, "mqtt", mqtt.cert_file, mqtt.key_file)
    for name in ("ca_file", "cert_file", "key_file"):
        _check_file(src, f"mqtt.{name}", getattr(mqtt, name), base_dir)
    if not mqtt.device_name or len(mqtt.device_name) > 40 or not mqtt.device_name.isprintable():
        raise SettingsError(src, "mqtt.device_name", "must be a short printable name (e.g. \"Hub\"), "
                            "not the child's name: the broker shows it to every client")
    host, _, port = settings.web.bind.rpartition(":")
    if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise SettingsError(src, "web.bind", f"{settings.web.bind!r} is not host:port (e.g. {DEFAULT_WEB_BIND})")
    _check_pair(src, "web", settings.web.cert_file, settings.web.key_file)
    for name in ("cert_file", "key_file"):
        _check_file(src, f"web.{name}", getattr(settings.web, name), base_dir)


# A Rhasspy siteId is part of MQTT topics (hermes/audioServer/<siteId>/...): a wildcard or
# a slash in it would subscribe to, or speak on, other sites' topics.
_SITE_FORBIDDEN = "+#/"


def _check_site(src: str, where: str, site: str) -> None:
    if not site:
        raise SettingsError(src, where, "is empty; name the Rhasspy site, e.g. \"default\"")
    bad = sorted({ch for ch in site if ch in _SITE_FORBIDDEN or not ch.isprintable()})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad)
        raise SettingsError(src, where, f"{site!r} has {shown}, which MQTT topics cannot hold; "
                                        "use letters, digits, - or _")


def _check_pair(src: str, section: str, cert_file: str, key_file: str) -> None:
    if bool(cert_file) != bool(key_file):
        raise SettingsError(src, f"{section}.{'key_file' if cert_file else 'cert_file'}",
                            "missing: a certificate and its key go together; give both or neither")


def _check_file(src: str, where: str, value: str, base_dir: Path | None) -> None:
    if not value:
        return
    path = _path(value, base_dir)
    if not path.is_file():
        raise SettingsError(src, where, f"{path} not found; give the path of an existing PEM file")


def _path(value: str, base_dir: Path | None) -> Path:
    path = Path(value).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    return path


def resolve(settings: DeviceSettings, value: str) -> Path:
    """Return a path named in `settings` as a path, relative ones taken from the settings file's folder."""
    path = Path(value).expanduser()
    if not path.is_absolute() and settings.source not in ("", "<defaults>", "<settings>"):
        path = Path(settings.source).parent / path
    return path
