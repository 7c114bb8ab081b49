"""`hub users`: accounts for the care-team console, made and changed from the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from hub.cli import main
from hub.store.accounts import Accounts, Role
from hub.store.connection import connect
from hub.web.passwords import verify_password


def run(monkeypatch: pytest.MonkeyPatch, stdin: str, *argv: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(list(argv))


def test_add_list_passwd_remove(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "hub.db")
    assert run(monkeypatch, "a long password\n", "users", "add", "nurse", "--role", "care-team", "--db", db,
               "--password-stdin") == 0
    assert run(monkeypatch, "", "users", "list", "--db", db) == 0
    assert "nurse\tcare-team" in capsys.readouterr().out
    assert run(monkeypatch, "another password\n", "users", "passwd", "nurse", "--db", db, "--password-stdin") == 0
    user = Accounts(connect(db)).get("nurse")
    assert user is not None and user.role is Role.CARE_TEAM
    assert verify_password(user.password_hash, "another password")
    assert not verify_password(user.password_hash, "a long password")
    assert "argon2id" in user.password_hash
    assert run(monkeypatch, "", "users", "remove", "nurse", "--db", db) == 0
    assert Accounts(connect(db)).get("nurse") is None


@pytest.mark.parametrize("argv, stdin, says", [
    (["add", "nurse", "--role", "care-team"], "short\n", "at least 10 characters"),
    (["add", "no spaces", "--role", "family"], "a long password\n", "account name"),
    (["remove", "ghost"], "", "no account named 'ghost'"),
    (["passwd", "ghost"], "a long password\n", "no account named 'ghost'"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str], argv: list[str], stdin: str,
                                          says: str) -> None:
    code = run(monkeypatch, stdin, "users", *argv, "--db", str(tmp_path / "hub.db"), *(
        ["--password-stdin"] if argv[0] in ("add", "passwd") else []))
    err = capsys.readouterr().err
    assert code == 2 and says in err and err.count("\n") == 1


def test_adding_an_existing_account_keeps_its_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "hub.db")
    run(monkeypatch, "first password\n", "users", "add", "mum", "--role", "family", "--db", db, "--password-stdin")
    assert run(monkeypatch, "second password\n", "users", "add", "mum", "--role", "care-team", "--db", db,
               "--password-stdin") == 2
    assert "already exists" in capsys.readouterr().err
    user = Accounts(connect(db)).get("mum")
    assert user is not None and user.role is Role.FAMILY and verify_password(user.password_hash, "first password")
