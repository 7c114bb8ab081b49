"""The `--web` options of `hub serve`, and the console's wiring to the running daemon.

Kept out of hub/commands/serve.py so the daemon's entry point only gains a few lines:
the options, a wrapped home source, and one more task on its loop.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from hub.daemon.clock import Clock
from hub.daemon.recorded import RecordedHome
from hub.daemon.service import FamilyInput, HubService
from hub.settings import DeviceSettings, resolve
from hub.store.connection import connect
from hub.store.record import StoreError
from hub.web.context import Console, LiveHome
from hub.web.server import DEFAULT_ADDRESS, WebSettings, parse_address, serve_console

_LOGGER = logging.getLogger(__name__)


def add_web_options(parser: argparse.ArgumentParser) -> None:
    web = parser.add_argument_group("care-team console")
    web.add_argument("--web", metavar="HOST:PORT", nargs="?", const="", default=None,
                     help="serve the care-team console; alone, at the device settings' [web] bind (default "
                          f"{DEFAULT_ADDRESS}: this machine only); give the Pi's LAN address, e.g. "
                          "192.168.1.20:8470, to reach it from other devices")
    web.add_argument("--web-cert", metavar="FILE", type=Path, default=None,
                     help="TLS certificate (PEM) for the console, with --web-key (default: settings' [web] cert_file)")
    web.add_argument("--web-key", metavar="FILE", type=Path, default=None,
                     help="the TLS certificate's private key (default: settings' [web] key_file)")


def web_settings(args: argparse.Namespace, device: DeviceSettings) -> WebSettings | None:
    """Return where the console listens, None without --web; raises WebError.

    The command line wins; what it leaves out comes from the device settings' `[web]`.
    """
    if args.web is None:
        return None
    cert, key = args.web_cert, args.web_key
    if cert is None and key is None and device.web.cert_file:
        cert, key = resolve(device, device.web.cert_file), resolve(device, device.web.key_file)
    return parse_address(args.web or device.web.bind, cert=cert, key=key)


def console_task(settings: WebSettings | None, service: HubService, home: RecordedHome, clock: Clock,
                 db_path: Path, plan_path: Path | None) -> Callable[[asyncio.Event], Awaitable[None]] | None:
    """Return the coroutine function serving the console until the daemon stops, or None if there is none."""
    if settings is None:
        return None
    try:
        db = connect(db_path)
    except StoreError as exc:
        _LOGGER.error("No care-team console: %s", exc)
        return None

    def live() -> LiveHome | None:
        return None if home.last is None or home.last_at is None else LiveHome(home.last, home.last_at)

    console = Console(db=db, plan=lambda: service.plan, now=clock.now, plan_path=plan_path, live_home=live,
                      acknowledge=lambda: service.hear(FamilyInput(is_button=True)),
                      plan_saved=service.look_at_plan_now, is_tls=settings.is_tls)

    async def run(stop: asyncio.Event) -> None:
        try:
            await serve_console(console, settings, stop)
        finally:
            db.close()

    return run
