"""Benchmarks that print tables and write JSON: ingest, query and end-to-end (see bench/README.md)."""
