"""The History, Now and Report pages in chromium, over the log of a simulated week (hub.sim.week)."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from hub.sim.week import WEEK_PLAN, WEEK_START, run_week
from tests.web.conftest import ConsoleServer, add_accounts, fixed_console, log_in, screenshot

WEEK_END = datetime(2026, 11, 30, 6, 0)


@pytest.fixture(scope="module")
def week_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("week") / "week.db"
    # on its own thread: Playwright's sync API keeps an event loop running on this one
    worker = threading.Thread(target=run_week, args=(7,), kwargs={"db_path": path, "quiet_step_s": 60.0})
    worker.start()
    worker.join()
    add_accounts(path)
    return path


@pytest.fixture(scope="module")
def week_console(week_db: Path) -> Any:
    with ConsoleServer(week_db, fixed_console(week_db, WEEK_END, WEEK_PLAN)) as server:
        yield server


def test_history_plots_draw_the_simulated_week_with_the_plan_limits(week_console: Any, page: Any) -> None:
    log_in(page, week_console.url)
    page.goto(week_console.url + "/history?range=7d")
    page.wait_for_selector("body[data-charts='4']")
    for quantity in ("temperature_c", "humidity_pct", "light_lux"):
        plot = page.locator(f"#plot-{quantity}")
        assert plot.locator("canvas").count() == 1
        # a week in 17-minute buckets is about 590 points; the 10 minutes of a lost sensor may leave a gap
        assert int(plot.get_attribute("data-drawn")) > 580
    assert "too hot above 40" in page.locator("#plot-temperature_c").inner_text()
    assert "steam above 85" in page.locator("#plot-humidity_pct").inner_text()
    assert int(page.locator("#plot-pump").get_attribute("data-drawn")) >= 9  # every change of the week
    alarms = page.locator("table.alarms").inner_text()
    assert "beeping" in alarms.lower() and "cleared" in alarms
    # Tuesday's check was never answered; the others were
    assert page.locator("table.calendar td.check-missed").count() >= 1
    assert page.locator("table.calendar td.check-done").count() >= 5
    assert "missed" in page.locator("ul.bags").inner_text()
    screenshot(page, "history")


def test_whole_infusion_starts_at_the_first_reading(week_console: Any, page: Any) -> None:
    log_in(page, week_console.url)
    page.goto(week_console.url + "/history?range=all")
    page.wait_for_selector("body[data-charts='4']")
    assert "whole infusion" in page.locator("h1").inner_text()
    assert int(page.locator("#plot-temperature_c").get_attribute("data-drawn")) > 500


def test_now_page_shows_unknown_when_the_log_is_old(week_console: Any, page: Any) -> None:
    """The console at the week's end runs without a daemon: the last logged readings are a minute old
    at most, the pump is not known at all, so nothing about the pump is shown as fine."""
    log_in(page, week_console.url)
    page.goto(week_console.url + "/")
    pump = page.locator("tr[data-quantity='Pump light']")
    assert pump.locator(".value").text_content() == "unknown"
    assert pump.get_attribute("class") == "unknown"
    assert "212-639-2000" in page.locator(".callout").inner_text()
    screenshot(page, "now")


def test_report_prints_the_chosen_days_with_plots(week_console: Any, page: Any) -> None:
    log_in(page, week_console.url)
    page.goto(week_console.url + f"/report?from={WEEK_START:%Y-%m-%d}&to=2026-11-29")
    page.wait_for_selector("body[data-charts='4']")
    summary = page.locator("ul.summary").inner_text()
    assert "missed" in summary and "alarms" in summary
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()  # the print stylesheet leaves the menu off paper
    assert page.locator("#plot-temperature_c canvas").is_visible()
    page.emulate_media(media="screen")
    screenshot(page, "report")


def test_report_says_which_date_is_wrong(week_console: Any, page: Any) -> None:
    log_in(page, week_console.url)
    page.goto(week_console.url + "/report?from=yesterday&to=2026-11-29")
    assert "not a date" in page.locator("form.period").inner_text()
