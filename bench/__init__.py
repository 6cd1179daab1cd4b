"""Runnable benchmarks: ``make bench`` (``python -m bench``) prints their figures."""
