"""Tests, gold sets, evaluation and benchmarks of the knowledge base."""
