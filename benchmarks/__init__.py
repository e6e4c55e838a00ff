"""Benchmark scripts: they print figures and assert nothing. Run from the project's folder as
``python -m benchmarks.pages``, ``python -m benchmarks.browser``, ``python -m benchmarks.server`` or
``python -m benchmarks.landscape`` (BENCHMARKS.md)."""
