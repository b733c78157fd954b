"""Benchmarks of ta-advisor: matching quality and cost against baselines, growth, memory and
start-up (issue 6). Run `python bench/run.py`; results go to `bench/RESULTS.md`.

Needs the `bench` extra (`pip install -e '.[bench]'`); the normal test suite does not.
"""
