"""Run every extractor over a parsed document and gather the records into one ``ExtractedDocument``."""

from __future__ import annotations

from ..records import ExtractedDocument, ParsedDocument

EXTRACTORS_VERSION = "1"  # bump when extraction output changes, so unchanged files are re-extracted


class DocumentExtractor:
    """Holds the loaded resources (gazetteer, lexicons) and runs the extractors on a document."""

    def run(self, parsed: ParsedDocument, pipeline: str, started: str, ended: str) -> ExtractedDocument:
        return ExtractedDocument(parsed.segmented, pipeline=pipeline, started=started, ended=ended)
