"""`hub users add|list|remove|passwd`: the console's accounts, kept in the hub's event log."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from pathlib import Path

from hub.store.accounts import AccountError, Accounts, Role, check_name
from hub.store.connection import connect
from hub.web.passwords import hash_password, password_problem


def register(subparsers: argparse._SubParsersAction) -> None:
    users = subparsers.add_parser("users", help="manage care-team console accounts",
                                  description="Add, list, remove console accounts and change their passwords. "
                                              "The care team edits the plan; the family sees and acknowledges.")
    sub = users.add_subparsers(title="users commands", metavar="ACTION")
    add = sub.add_parser("add", help="add an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    _password_options(add)
    add.set_defaults(func=run_add)
    listing = sub.add_parser("list", help="list the accounts")
    listing.set_defaults(func=run_list)
    remove = sub.add_parser("remove", help="remove an account and end its sessions")
    remove.add_argument("name")
    remove.set_defaults(func=run_remove)
    passwd = sub.add_parser("passwd", help="change an account's password (its sessions end)")
    passwd.add_argument("name")
    _password_options(passwd)
    passwd.set_defaults(func=run_passwd)
    for parser in (add, listing, remove, passwd):
        parser.add_argument("--db", type=Path, default=Path("var/hub.db"),
                            help="the hub's event log, as given to `hub serve --db` (default var/hub.db)")
    users.set_defaults(func=lambda args: (users.print_help(), 0)[1])


def _password_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input instead of asking")


def _password(args: argparse.Namespace) -> str | None:
    """Return the new password, or None after printing why it cannot be used."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("New password: ")
        if getpass.getpass("Again: ") != password:
            print("hub users: error: the two passwords differ; nothing changed", file=sys.stderr)
            return None
    problem = password_problem(password)
    if problem:
        print(f"hub users: error: {problem}; nothing changed", file=sys.stderr)
        return None
    return password


def _fail(exc: Exception) -> int:
    print(f"hub users: error: {exc}", file=sys.stderr)
    return 2


def run_add(args: argparse.Namespace) -> int:
    try:
        check_name(args.name)
    except AccountError as exc:
        return _fail(exc)
    password = _password(args)
    if password is None:
        return 2
    db = connect(args.db)
    try:
        Accounts(db).add(args.name, Role(args.role), hash_password(password), datetime.now().replace(microsecond=0))
    except AccountError as exc:
        return _fail(exc)
    finally:
        db.close()
    print(f"Added {args.role} account {args.name} to {args.db}.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    db = connect(args.db)
    try:
        users = Accounts(db).all()
    finally:
        db.close()
    if not users:
        print(f"No accounts in {args.db}. Add one with: hub users add NAME --role care-team --db {args.db}")
    for user in users:
        print(f"{user.name}\t{user.role.value}\tadded {user.created_at:%Y-%m-%d %H:%M}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    db = connect(args.db)
    try:
        Accounts(db).remove(args.name)
    except AccountError as exc:
        return _fail(exc)
    finally:
        db.close()
    print(f"Removed account {args.name}; its sessions have ended.")
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    db = connect(args.db)
    try:
        accounts = Accounts(db)
        if accounts.get(args.name) is None:
            return _fail(AccountError(f"no account named {args.name!r} (see `hub users list`)"))
        password = _password(args)
        if password is None:
            return 2
        accounts.set_password_hash(args.name, hash_password(password))
    finally:
        db.close()
    print(f"Changed the password of {args.name}; its sessions have ended.")
    return 0
