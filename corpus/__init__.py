"""A deterministic generator of synthetic content trees, for the benchmarks and the tests."""
