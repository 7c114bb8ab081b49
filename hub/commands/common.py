"""Options shared by several subcommands: where the care plan and the scenario come from."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path

from hub.core.plan import CarePlan, load_plan
from hub.core.scenario import Scenario, load_scenario, parse_scenario


def add_plan_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", metavar="FILE", type=Path, default=None,
                        help="care plan (TOML); default: $HUB_PLAN, else built-in defaults")


def add_scenario_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", metavar="FILE", type=Path, default=None,
                        help="simulated home (YAML); without it nothing is known, so nothing is said to be okay")


def plan_from_args(args: argparse.Namespace) -> CarePlan:
    """Return the care plan named on the command line or in $HUB_PLAN, validated in full."""
    path = args.plan or (Path(os.environ["HUB_PLAN"]) if os.environ.get("HUB_PLAN") else None)
    return load_plan(path) if path else CarePlan()


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """Return the scenario named on the command line, or an empty home at the current time.

    An empty home means every reading is unknown: the hub will say what it could not check.
    """
    if args.scenario is not None:
        return load_scenario(args.scenario)
    return parse_scenario({}, source="<no scenario>", default_now=datetime.now().replace(microsecond=0))
