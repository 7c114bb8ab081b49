"""The care-team console: a small ASGI application over the hub's event log (issue 18)."""
