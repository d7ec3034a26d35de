"""Run every extractor over a parsed document and gather the records into one ``ExtractedDocument``."""

from __future__ import annotations

from ..records import ExtractedDocument, ParsedDocument
from .actors import extract_actors, extract_roles, load_gazetteer
from .citations import extract_citations
from .claims import extract_claims, load_lexicon
from .evidence import assess_claims, load_evidence_lexicon
from .figures import extract_figures
from .grants import extract_grants
from .title_mentions import extract_title_mentions

EXTRACTORS_VERSION = "7"  # bump when extraction output or its graph changes, so unchanged files are re-extracted


class DocumentExtractor:
    """Holds the loaded resources (gazetteer, claim lexicon, evidence rules) and runs the extractors on a document."""

    def __init__(self):
        self.gazetteer = load_gazetteer()
        self.lexicon = load_lexicon()
        self.evidence = load_evidence_lexicon(claims=self.lexicon)

    def run(self, parsed: ParsedDocument, pipeline: str, started: str) -> ExtractedDocument:
        """All records of one document; the caller stamps ``ended`` when it is written."""
        actors = extract_actors(parsed, self.gazetteer)
        citations, pointers = extract_citations(parsed)
        return ExtractedDocument(
            parsed.segmented,
            pipeline=pipeline,
            started=started,
            ended=started,
            actors=actors,
            roles=extract_roles(parsed, actors),
            figures=extract_figures(parsed),
            grants=extract_grants(parsed),
            citations=citations + extract_title_mentions(parsed),
            pointers=pointers,
            claims=assess_claims(parsed, extract_claims(parsed, actors, self.lexicon), self.evidence),
        )
