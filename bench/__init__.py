"""Benchmarks: one script per area, each printing a table and writing bench/results/<name>.json."""
