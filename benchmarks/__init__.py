"""Benchmarks of docrepo: a synthetic corpus generator and a harness that prints a table."""
