"""Extractors: pure functions of a parsed document that return records (see ``ingest.records``).

Each can be tried on a sentence: ``extract_x(parse_text("...", nlp))``. Only the graph writer
and the index writer turn records into stored data.
"""
