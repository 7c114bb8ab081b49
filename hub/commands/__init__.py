"""Subcommands of the `hub` command line, one module each with `register(subparsers)`."""
