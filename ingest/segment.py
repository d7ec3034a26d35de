"""Segmentation: sections, paragraphs and sentences as spans of the canonical text.

Sections run from a heading to the next heading; every other block is a paragraph; sentences
come from spaCy's parser, one ``nlp.pipe`` pass over the paragraphs of the documents given (the
ingest gives a batch of about 60,000 characters, see ``ingest.document_work``), and never cross a
paragraph. The spaCy docs are kept for the extractors. spaCy's entity recogniser, which has its own
token vectors and takes about two fifths of the pipeline's time, runs only on the blocks whose
entities the actor extractor reads (``reads_entities``): not on reference and sources lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.util import minibatch

from .extract.actors import reads_entities
from .normalise import normalise
from .records import Block, ParsedDocument, ReadDocument, Segment, SegmentedDocument

TEXT_BLOCKS = ("paragraph", "list-item", "footnote", "table-row")


def sections_of(text: str, blocks: list[Block]) -> list[Segment]:
    """One section per heading, to the next heading; text before the first is an untitled section."""
    headings = [b for b in blocks if b.kind == "heading"]
    sections: list[Segment] = []
    if blocks and (not headings or headings[0].start > blocks[0].start):
        first_end = headings[0].start if headings else len(text)
        sections.append(Segment("section", blocks[0].start, _trim_end(text, first_end), None))
    for i, heading in enumerate(headings):
        end = headings[i + 1].start if i + 1 < len(headings) else len(text)
        sections.append(Segment("section", heading.start, _trim_end(text, end), text[heading.start : heading.end]))
    return sections


def _trim_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in "\n ":
        end -= 1
    return end


def segment_document(read: ReadDocument) -> SegmentedDocument:
    """Normalise a read document and find its sections and paragraphs (sentences come later)."""
    canonical = normalise(read)
    sections = sections_of(canonical.text, canonical.blocks)
    doc = SegmentedDocument(read, canonical, sections, [])
    doc.paragraphs = [
        Segment("paragraph", b.start, b.end, section_start=_section_start(doc, b.start))
        for b in canonical.blocks
        if b.kind in TEXT_BLOCKS
    ]
    return doc


def parse_text(text: str, nlp: Language, doc_id: str = "example") -> ParsedDocument:
    """Parse one piece of text as a document: the way to try an extractor on a sentence."""
    read = ReadDocument(doc_id=doc_id, source_path=f"<{doc_id}>", sha256="", media_type="text/plain", text=text)
    return next(parse_documents([segment_document(read)], nlp))


def _section_start(doc: SegmentedDocument, offset: int) -> int | None:
    section = doc.section_of(offset)
    return section.start if section else None


def parse_documents(
    documents: Iterable[SegmentedDocument], nlp: Language, batch_size: int = 256
) -> Iterator[ParsedDocument]:
    """Run spaCy once, streaming, over the text blocks of all ``documents`` (one ``nlp.pipe``);
    yield each document parsed, in order, as soon as it is complete."""
    pending: dict[int, tuple[ParsedDocument, int]] = {}  # doc index -> (parsed so far, blocks awaited)

    def blocks() -> Iterator[tuple[str, tuple[int, int, bool]]]:
        for doc_index, doc in enumerate(documents):
            text_blocks = [(i, b) for i, b in enumerate(doc.canonical.blocks) if b.kind in TEXT_BLOCKS]
            pending[doc_index] = (ParsedDocument(doc), len(text_blocks))
            for block_index, block in text_blocks:
                section = doc.section_of(block.start)
                wanted = reads_entities(section.title if section else None)
                yield doc.text[block.start : block.end], (doc_index, block_index, wanted)

    next_index = 0
    for spacy_doc, (doc_index, block_index, _) in _annotated(nlp, blocks(), batch_size):
        target, awaited = pending[doc_index]
        _add_block(target, target.segmented.canonical.blocks[block_index], spacy_doc)
        pending[doc_index] = (target, awaited - 1)
        while next_index in pending and pending[next_index][1] == 0:
            yield pending.pop(next_index)[0]
            next_index += 1
    while next_index in pending:  # documents with no text block to parse
        yield pending.pop(next_index)[0]
        next_index += 1


def _annotated(nlp: Language, blocks: Iterator[tuple[str, tuple]], batch_size: int) -> Iterator[tuple]:
    """``nlp.pipe`` over ``blocks`` (text, context whose last item says whether entities are wanted),
    the entity recogniser run, after the rest, only on the blocks that want it."""
    if nlp.pipe_names[-1:] != ["ner"]:  # run later only when it comes last anyway
        yield from nlp.pipe(blocks, as_tuples=True, batch_size=batch_size)
        return
    recogniser = nlp.get_pipe("ner")
    for group in minibatch(nlp.pipe(blocks, as_tuples=True, batch_size=batch_size, disable=["ner"]), size=batch_size):
        for _ in recogniser.pipe((doc for doc, context in group if context[-1]), batch_size=batch_size):
            pass  # the recogniser sets each doc's entities in place
        yield from group


def _add_block(target: ParsedDocument, block: Block, spacy_doc) -> None:
    target.block_docs.append((block, spacy_doc))
    section_start = _section_start(target.segmented, block.start)
    target.segmented.sentences.extend(
        Segment("sentence", block.start + start, block.start + end, section_start=section_start)
        for start, end in _sentences(spacy_doc)
    )


def _sentences(spacy_doc) -> Iterator[tuple[int, int]]:
    """spaCy's sentences as character spans, with its splits after a bare list marker ("1.")
    and before a continuation (lower case, an address, a DOI) undone."""
    spans: list[tuple[int, int]] = []
    for sent in spacy_doc.sents:
        if not sent.text.strip():
            continue
        if spans and (_is_bare_marker(spacy_doc.text[spans[-1][0] : spans[-1][1]]) or _continues(sent.text)):
            spans[-1] = (spans[-1][0], sent.end_char)
        else:
            spans.append((sent.start_char, sent.end_char))
    return iter(spans)


def _is_bare_marker(text: str) -> bool:
    return len(text.strip()) <= 4 and not any(c.isalpha() for c in text.strip("[]().")[1:])


def _continues(text: str) -> bool:
    return text[:1].islower() or text.startswith(("http", "www.", "DOI", "doi:"))
