"""Running the console inside the daemon's event loop with uvicorn, on an address the installer chose.

Why uvicorn's `Server.serve()` and not `uvicorn.run()`: the hub owns the loop and its
signals (SIGTERM stops the daemon, which then stops the console), so the server runs as
one more task and never installs signal handlers of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from hub.errors import HubError
from hub.web.app import build_app
from hub.web.context import Console

_LOGGER = logging.getLogger(__name__)

DEFAULT_ADDRESS = "127.0.0.1:8470"


class WebError(HubError, ValueError):
    """A console address or TLS file that cannot be used."""


@dataclass(frozen=True)
class WebSettings:
    """Where the console listens, and its TLS certificate and key (both or neither)."""

    host: str = "127.0.0.1"
    port: int = 8470
    cert: Path | None = None
    key: Path | None = None

    @property
    def is_tls(self) -> bool:
        return self.cert is not None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.is_tls else 'http'}://{host}:{self.port}/"


def parse_address(text: str, *, cert: Path | None = None, key: Path | None = None) -> WebSettings:
    """Return settings for `HOST:PORT` (an IP address, or localhost), or raise WebError saying what is wrong."""
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise WebError(f"--web {text}: give HOST:PORT, e.g. {DEFAULT_ADDRESS}")
    if host != "localhost":
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise WebError(f"--web {text}: {host!r} is not an IP address (e.g. 127.0.0.1, or the Pi's LAN "
                           "address such as 192.168.1.20)") from None
    if (cert is None) != (key is None):
        raise WebError("--web-cert and --web-key go together: TLS needs the certificate and its key")
    for option, path in (("--web-cert", cert), ("--web-key", key)):
        if path is not None and not path.is_file():
            raise WebError(f"{option} {path}: no such file")
    return WebSettings(host, int(port), cert, key)


async def _run(server: uvicorn.Server) -> None:
    try:
        await server.serve()
    except SystemExit:  # uvicorn exits when it cannot bind; the hub must go on watching the pump
        _LOGGER.error("The care-team console could not start; the hub runs on without it")


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield  # the daemon handles SIGTERM and SIGINT


async def serve_console(console: Console, settings: WebSettings, stop: asyncio.Event) -> None:
    """Serve the console until `stop` is set."""
    config = uvicorn.Config(build_app(console), host=settings.host, port=settings.port, log_level="warning",
                            access_log=False, lifespan="off", server_header=False, proxy_headers=False,
                            ssl_certfile=str(settings.cert) if settings.cert else None,
                            ssl_keyfile=str(settings.key) if settings.key else None)
    server = _Server(config)
    task = asyncio.create_task(_run(server))
    _LOGGER.warning("Care-team console at %s", settings.url)
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait((task, stopped), return_when=asyncio.FIRST_COMPLETED)
    finally:
        server.should_exit = True
        stopped.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    if server.started is False:
        raise WebError(f"the console could not listen on {settings.host}:{settings.port} (in use, or not this "
                       "machine's address)")
