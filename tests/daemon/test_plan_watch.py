"""Plan reload: a changed plan file is taken in, a broken one refused, the file looked at sparingly."""

from __future__ import annotations

import os
from pathlib import Path

from hub.core.plan import load_plan
from hub.daemon.plan_watch import PlanWatch


def _write(path: Path, text: str, mtime_ns: int) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_a_changed_plan_is_taken_in_and_a_broken_one_refused_keeping_the_old(tmp_path: Path, caplog) -> None:
    path = tmp_path / "plan.toml"
    _write(path, 'name = "Sam"\n', 1_000_000_000)
    plan = load_plan(path)
    watch = PlanWatch(path, check_every_s=5.0)
    assert watch.poll(0.0, plan) is None  # unchanged
    _write(path, 'name = "Alex"\n', 2_000_000_000)
    assert watch.poll(1.0, plan) is None  # not looked at again before check_every_s
    reloaded = watch.poll(5.0, plan)
    assert reloaded is not None and reloaded.name == "Alex"
    _write(path, "[limits]\nhumidity_max_pct = 300\n", 3_000_000_000)
    assert watch.poll(10.0, reloaded) is None
    assert "Refused the changed care plan" in caplog.text and "limits.humidity_max_pct" in caplog.text
    assert watch.poll(20.0, reloaded) is None  # the same broken file is not reported again


def test_no_plan_file_means_nothing_to_watch(tmp_path: Path) -> None:
    from hub.core.plan import CarePlan

    assert PlanWatch(None, check_every_s=1.0).poll(100.0, CarePlan()) is None


def test_a_plan_saved_from_the_console_is_looked_at_at_once(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    _write(path, 'name = "Sam"\n', 1_000_000_000)
    plan = load_plan(path)
    watch = PlanWatch(path, check_every_s=3600.0)
    assert watch.poll(0.0, plan) is None
    _write(path, 'name = "Alex"\n', 2_000_000_000)
    assert watch.poll(1.0, plan) is None  # an hour between looks...
    watch.look_now()  # ...unless the console has just saved it
    reloaded = watch.poll(2.0, plan)
    assert reloaded is not None and reloaded.name == "Alex"
