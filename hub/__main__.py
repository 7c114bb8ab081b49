"""Lets `python -m hub` do what the `hub` command does."""

from hub.cli import main

raise SystemExit(main())
