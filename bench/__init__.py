"""Benchmarks: one script per measure (see RESULTS.md); `dataset.py` is shared by them."""
