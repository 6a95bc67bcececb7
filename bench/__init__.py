"""Benchmarks of ingest, embedding, retrieval and the app: `python -m bench` writes BENCHMARKS.md."""
