"""The knowledge base: vocabulary, graph store, full-text index, services and the ``kb`` CLI."""

__version__ = "0.1.0"
