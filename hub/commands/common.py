"""Options shared by several subcommands: where the care plan, device settings and scenario come from."""

from __future__ import annotations

import argparse
import logging
import os
from datetime import datetime
from pathlib import Path

from hub.core.plan import CarePlan, load_plan
from hub.core.scenario import Scenario, load_scenario, parse_scenario
from hub.settings import DeviceSettings, load_settings, settings_from_plan_file

_LOGGER = logging.getLogger(__name__)


def add_plan_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", metavar="FILE", type=Path, default=None,
                        help="care plan (TOML); default: $HUB_PLAN, else built-in defaults")


def add_settings_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--settings", metavar="FILE", type=Path, default=None,
                        help="device settings (TOML: voice, MQTT, web); default: $HUB_SETTINGS, else the "
                             "care plan's old [voice]/[mqtt] sections, else built-in defaults")


def add_scenario_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", metavar="FILE", type=Path, default=None,
                        help="simulated home (YAML); without it nothing is known, so nothing is said to be okay")


def plan_from_args(args: argparse.Namespace) -> CarePlan:
    """Return the care plan named on the command line or in $HUB_PLAN, validated in full."""
    path = args.plan or (Path(os.environ["HUB_PLAN"]) if os.environ.get("HUB_PLAN") else None)
    return load_plan(path) if path else CarePlan()


def settings_from_args(args: argparse.Namespace, plan: CarePlan) -> DeviceSettings:
    """Return the device settings named on the command line or in $HUB_SETTINGS, validated in full.

    Without either, an old care plan that still holds `[voice]` or `[mqtt]` gives them
    (hub.core.plan has already warned to move them); otherwise the defaults.
    """
    path = args.settings or (Path(os.environ["HUB_SETTINGS"]) if os.environ.get("HUB_SETTINGS") else None)
    if path is not None:
        if plan.device_sections:
            _LOGGER.warning("%s: its %s are ignored; the device settings come from %s", plan.source,
                            " and ".join(f"[{name}]" for name in plan.device_sections), path)
        return load_settings(path)
    if plan.device_sections:
        return settings_from_plan_file(plan.source)
    return DeviceSettings()


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """Return the scenario named on the command line, or an empty home at the current time.

    An empty home means every reading is unknown: the hub will say what it could not check.
    """
    if args.scenario is not None:
        return load_scenario(args.scenario)
    return parse_scenario({}, source="<no scenario>", default_now=datetime.now().replace(microsecond=0))
