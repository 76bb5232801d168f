"""Benchmarks run by hand (`python -m bench.drain`); figures in bench/README.md."""
