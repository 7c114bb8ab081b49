"""The console served for real (uvicorn on a free port, in a thread with its own event loop), over a real
SQLite log, and Debian's chromium driven by Playwright.

`ConsoleServer` runs the console, and optionally a real `HubService`, on one loop, as
`hub serve --web` does. Times of the hub are a `ManualClock` or an accelerated clock, so
pages show a fixed simulated "now"; only the browser's own waiting is in real time.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from hub.core.plan import CarePlan, load_plan
from hub.store.accounts import Accounts, Role
from hub.store.connection import connect
from hub.web.context import Console
from hub.web.passwords import hash_password
from hub.web.server import WebSettings, serve_console

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NURSE, NURSE_PASSWORD = "nurse", "correct horse battery"
PARENT, PARENT_PASSWORD = "mum", "family password 1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def add_accounts(db_path: Path) -> None:
    db = connect(db_path)
    accounts = Accounts(db)
    at = datetime(2026, 11, 20, 8, 0)
    if accounts.get(NURSE) is None:
        accounts.add(NURSE, Role.CARE_TEAM, hash_password(NURSE_PASSWORD), at)
        accounts.add(PARENT, Role.FAMILY, hash_password(PARENT_PASSWORD), at)
    db.close()


@dataclass
class ConsoleServer:
    """A console on a free port. `make` builds the Console (and anything else) on the server's loop."""

    db_path: Path
    make: Callable[[Any], Console]
    port: int = field(default_factory=free_port)
    extra: dict[str, Any] = field(default_factory=dict)
    cert: Path | None = None
    key: Path | None = None

    def __post_init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"{'https' if self.cert else 'http'}://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self.stop = asyncio.Event()
        self.console = self.make(self)
        settings = WebSettings("127.0.0.1", self.port, self.cert, self.key)
        tasks = [asyncio.create_task(serve_console(self.console, settings, self.stop))]
        tasks += [asyncio.create_task(coro) for coro in self.extra.get("tasks", [])]
        await asyncio.sleep(0.3)
        self._ready.set()
        await asyncio.gather(*tasks)

    def call(self, func: Callable[[], Any]) -> Any:
        """Run `func` on the server's loop (where the SQLite connection lives) and return its result."""
        async def run() -> Any:
            return func()
        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(10)

    def __enter__(self) -> ConsoleServer:
        self._thread.start()
        assert self._ready.wait(15), "the console did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self._thread.join(15)


def fixed_console(db_path: Path, now: datetime, plan: CarePlan | None = None, plan_path: Path | None = None,
                  **options: Any) -> Callable[[Any], Console]:
    """Return a `make` for a console over `db_path` at a fixed `now`, with no daemon (the plan from its file)."""
    def make(server: Any) -> Console:
        return Console(db=connect(db_path), now=lambda: now,
                       plan=lambda: load_plan(plan_path) if plan_path else (plan or CarePlan()),
                       plan_path=plan_path, **options)
    return make


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module. Not for the session: Playwright's sync API keeps an event loop
    running on the main thread while it is open, and later tests call asyncio.run()."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page: Any, url: str, name: str = NURSE, password: str = NURSE_PASSWORD) -> Any:
    page.goto(url + "/login")
    page.fill("#username", name)
    page.fill("#password", password)
    page.click("button[type=submit]")
    return page


SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "console"


def screenshot(page: Any, name: str) -> None:
    """Save the page for the README (docs/console/NAME.png) when HUB_SCREENSHOTS=1, so that an ordinary
    test run leaves the committed pictures alone."""
    if os.environ.get("HUB_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
