"""The Plan page in chromium, with a real daemon (HubService) running on the console's loop:
inline errors, a save the daemon takes, an .ics import, two editors at once, and the family's view."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from hub.core.plan import load_plan
from hub.daemon.clock import AcceleratedClock
from hub.daemon.recorded import RecordedHome
from hub.daemon.service import FamilyInput, HubService, ServiceSettings
from hub.sim.week import ScriptedHome, SilentSpeaker, World
from hub.store.connection import connect
from hub.store.record import EventStore
from hub.web.context import Console, LiveHome
from tests.web.conftest import PARENT, PARENT_PASSWORD, ConsoleServer, add_accounts, log_in, screenshot

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
START = datetime(2026, 11, 24, 8, 0)
ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Clinic//EN
BEGIN:VEVENT
UID:a@clinic
DTSTART;TZID=America/New_York:20261207T093000
SUMMARY:Bag change
END:VEVENT
BEGIN:VEVENT
UID:b@clinic
DTSTART:20261210T150000Z
SUMMARY:Bag change
END:VEVENT
END:VCALENDAR
"""


def wait_until(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    """Poll for something the daemon does on its own loop; True once it happened."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


@pytest.fixture
def hub(tmp_path: Path) -> Any:
    """A daemon and its console over one log, with the example plan copied to a file they share."""
    plan_path = tmp_path / "care-plan.toml"
    shutil.copy(EXAMPLES / "care-plan.toml", plan_path)
    shutil.copy(EXAMPLES / "appointments.ics", tmp_path / "appointments.ics")
    db_path = tmp_path / "hub.db"
    add_accounts(db_path)

    def make(server: ConsoleServer) -> Console:
        clock = AcceleratedClock(START, 1.0)
        store = EventStore(db_path)
        home = RecordedHome(ScriptedHome(World()), store, clock.now)
        service = HubService(load_plan(plan_path), clock=clock, source=home, speaker=SilentSpeaker(), store=store,
                             plan_path=plan_path,
                             # the file is looked at once an hour: a save must be taken at once all the same
                             settings=ServiceSettings(tick_s=1.0, plan_check_s=3600.0))
        server.extra.update(service=service, tasks=[service.run(server.stop)])
        server.extra["world"] = home.source.world  # type: ignore[attr-defined]
        return Console(db=connect(db_path), plan=lambda: service.plan, now=clock.now, plan_path=plan_path,
                       live_home=lambda: LiveHome(home.last, home.last_at) if home.last and home.last_at else None,
                       acknowledge=lambda: service.hear(FamilyInput(is_button=True)),
                       plan_saved=service.look_at_plan_now)

    with ConsoleServer(db_path, make) as server:
        server.extra["plan_path"] = plan_path
        yield server


def field(page: Any, key: str) -> Any:
    return page.locator(f"[id='f-{key}']")


def error_of(page: Any, key: str) -> Any:
    return page.locator(f"[id='err-{key}']")


def test_plan_edit_shows_errors_beside_fields_then_the_daemon_uses_the_good_save(hub: Any, page: Any) -> None:
    service = hub.extra["service"]
    log_in(page, hub.url)
    page.goto(hub.url + "/plan")
    assert field(page, "care_team.phone").input_value() == "212-639-2000"
    field(page, "name").fill("Robin")
    field(page, "limits.humidity_max_pct").fill("steamy")
    field(page, "limits.temperature_min_c").fill("45")
    page.click("button[value=save]")
    assert error_of(page, "limits.humidity_max_pct").inner_text() == "'steamy' is not a number"
    # the range rule comes from hub.core.plan, as in `hub plan check`; both bad fields are shown at once
    assert "below temperature_max_c" in error_of(page, "limits.temperature_min_c").inner_text()
    assert page.locator(".field-error").count() == 2
    assert field(page, "name").input_value() == "Robin"  # what was typed is kept
    screenshot(page, "plan-error")
    field(page, "limits.humidity_max_pct").fill("90")
    assert service.plan.name == "Sam"  # nothing invalid reached the daemon
    field(page, "limits.temperature_min_c").fill("3")
    page.click("button[value=save]")
    assert "Saved as version" in page.locator("p.ok").inner_text()
    assert wait_until(lambda: hub.call(lambda: (service.plan.name, service.plan.limits.humidity_max_pct))
                      == ("Robin", 90.0))
    assert load_plan(hub.extra["plan_path"]).limits.temperature_min_c == 3.0
    page.goto(hub.url + "/plan/versions")
    assert "+name = \"Robin\"" in page.locator("pre.diff").first.inner_text()
    assert "plan saved" in page.locator("table.audit").inner_text()
    page.goto(hub.url + "/plan")
    screenshot(page, "plan")


def test_preview_shows_the_sentences_with_the_new_number_without_saving(hub: Any, page: Any) -> None:
    log_in(page, hub.url)
    page.goto(hub.url + "/plan")
    field(page, "care_team.phone").fill("212-555-0199")
    page.click("button[value=preview]")
    assert "212-555-0199" in page.locator("ul.preview").inner_text()
    assert load_plan(hub.extra["plan_path"]).care_team.phone == "212-639-2000"


def test_ics_upload_lists_the_appointments_before_saving_them(hub: Any, page: Any, tmp_path: Path) -> None:
    service = hub.extra["service"]
    upload = tmp_path / "clinic.ics"
    upload.write_bytes(ICS)
    log_in(page, hub.url)
    page.goto(hub.url + "/plan")
    page.set_input_files("#calendar", str(upload))
    page.click("form.ics button")
    events = page.locator("table.ics-events").inner_text()
    assert "Mon 07 Dec 2026 09:30" in events and "Thu 10 Dec 2026 10:00" in events  # 15:00 UTC is 10:00 in New York
    assert datetime(2026, 12, 7, 9, 30) not in load_plan(hub.extra["plan_path"]).bag_changes  # listed, not saved
    screenshot(page, "plan-ics")
    page.click("button.primary")
    assert "Saved as version" in page.locator("p.ok").inner_text()
    assert wait_until(lambda: datetime(2026, 12, 10, 10, 0) in hub.call(lambda: service.plan.bag_changes))
    assert datetime(2026, 11, 25, 10, 0) in service.plan.bag_changes  # the appointments it had are kept


def test_malformed_ics_gets_one_line_beside_the_upload(hub: Any, page: Any, tmp_path: Path) -> None:
    upload = tmp_path / "broken.ics"
    upload.write_bytes(b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261207\nEND:VEVENT\nEND:VCALENDAR\n")
    log_in(page, hub.url)
    page.goto(hub.url + "/plan")
    page.set_input_files("#calendar", str(upload))
    page.click("form.ics button")
    message = page.locator("#err-calendar").inner_text()
    assert "whole day" in message and "\n" not in message


def test_second_of_two_editors_is_told_of_the_conflict(hub: Any, browser: Any) -> None:
    first, second = browser.new_page(), browser.new_page()
    try:
        for page in (first, second):
            log_in(page, hub.url)
            page.goto(hub.url + "/plan")
        field(first, "care_team.ask_for").fill("the nurse on call")
        first.click("button[value=save]")
        assert "Saved" in first.locator("p.ok").inner_text()
        field(second, "travel_time_min").fill("30")
        second.click("button[value=save]")
        assert "Someone else saved the plan" in second.locator(".conflict").inner_text()
        assert "the nurse on call" in second.locator(".conflict pre.diff").inner_text()
        plan = load_plan(hub.extra["plan_path"])
        assert plan.care_team.ask_for == "the nurse on call" and plan.travel_time_min == 75.0
        second.click("button[value=save]")  # saved knowingly, over the first
        assert "Saved" in second.locator("p.ok").inner_text()
    finally:
        first.close()
        second.close()


def test_family_sees_the_plan_but_cannot_edit_it(hub: Any, page: Any) -> None:
    log_in(page, hub.url, PARENT, PARENT_PASSWORD)
    page.goto(hub.url + "/plan")
    assert page.locator("button[value=save]").count() == 0
    assert field(page, "care_team.phone").get_attribute("readonly") is not None
    csrf = page.locator("input[name=csrf]").first.input_value()
    before = hub.extra["plan_path"].read_text()
    answer = page.request.post(hub.url + "/plan", form={"csrf": csrf, "name": "Hacked", "action": "save"})
    assert answer.status == 403
    assert hub.extra["plan_path"].read_text() == before


def test_now_page_shows_live_readings_with_ages_and_acknowledges(hub: Any, page: Any) -> None:
    log_in(page, hub.url)
    assert wait_until(lambda: hub.call(lambda: hub.console.live_home()) is not None)
    page.goto(hub.url + "/")
    temperature = page.locator("tr[data-quantity='Room temperature']")
    assert temperature.locator(".value").inner_text() == "22.0 °C"
    assert "s ago" in temperature.locator(".age").inner_text()
    assert page.locator("tr[data-quantity='Pump light'] .value").inner_text() == "green blinking"
    screenshot(page, "now-live")


def test_acknowledging_from_the_now_page_is_a_press_of_the_button(hub: Any, page: Any) -> None:
    hub.extra["world"].is_beeping = True
    assert wait_until(lambda: any(a.code.startswith("pump") for a in hub.call(hub.console.history.open_alarms)))
    log_in(page, hub.url, PARENT, PARENT_PASSWORD)  # the family may acknowledge
    page.goto(hub.url + "/")
    assert "beeping" in page.locator("tr[data-quantity='Pump beeping'] .value").inner_text()
    assert "The pump is beeping" in page.locator("section").nth(2).inner_text()
    screenshot(page, "now-alarm")
    page.click("form[action='/acknowledge'] button")
    assert "Acknowledged" in page.locator("p.ok").inner_text()
    assert wait_until(lambda: all(a.acknowledged_at is not None for a in hub.call(hub.console.history.open_alarms)))
    entry = hub.call(lambda: hub.console.audit.recent()[0])
    assert (entry.who, entry.action) == (PARENT, "acknowledged")
