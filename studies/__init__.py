"""Measurements whose results the docs and cards quote (per-source figures, shortcut audits, paired
comparisons, threshold stability, test-time augmentation); each is `python -m studies.<name>`.

Timings live in `benchmarks/`; these are the statistics.
"""
