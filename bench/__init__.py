"""Benchmarks, run on demand (`make bench`, `python -m bench`), never part of the test run."""
