"""Benchmarks of the hub: speech, understanding, latency and memory; `python -m bench --help`."""
