"""Readers and format detection for text, markdown and REF2014 JSON lines; refusals name the file."""

from __future__ import annotations

import gzip
import json

import pytest

from ingest.errors import IngestError, UnsupportedFile
from ingest.readers import read_path

from .conftest import CORPUS

REF_RECORD = {
    "id": 4242,
    "institution": "University of Example",
    "unit_of_assessment": "Social Work and Social Policy",
    "title": "Budgets &amp; carers",
    "summary_of_the_impact": "Research on budgets\ninfluenced policy.",
    "underpinning_research": "The study ran in 2009.",
    "references_to_the_research": "1. Smith, J. (2010) A title.",
    "details_of_the_impact": "It shaped guidance.",
    "sources_to_corroborate_the_impact": "1. DH (2011) Guidance.",
    "funder_lists": ["esrc"],
}


class TestTextReader:
    def test_corpus_file_reads_as_utf8_text(self):
        (doc,) = read_path(CORPUS / "000_331bd8fe62e360e5.txt")
        assert doc.media_type == "text/plain"
        assert doc.sha256 == "e20fd4cfb463ee80c97f4e158be52eb055b77c7b9f28460d4eb73a9fb6915136"
        assert "Findings about carers" in doc.text

    def test_markdown_extension_gives_markdown(self, tmp_path):
        path = tmp_path / "note.md"
        path.write_text("# Title\n\nText.\n", encoding="utf-8")
        assert read_path(path)[0].media_type == "text/markdown"

    def test_byte_order_mark_is_dropped(self, tmp_path):
        path = tmp_path / "bom.txt"
        path.write_bytes("\ufeffHello there.".encode("utf-8"))
        assert read_path(path)[0].text == "Hello there."


class TestRefReader:
    def write(self, path, records, compress=False):
        data = "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")
        path.write_bytes(gzip.compress(data) if compress else data)
        return path

    @pytest.mark.parametrize("name, compress", [("cases.jsonl", False), ("cases.jsonl.gz", True)])
    def test_one_document_per_case_study_with_fields_as_sections(self, tmp_path, name, compress):
        path = self.write(tmp_path / name, [REF_RECORD, {**REF_RECORD, "id": 4243}], compress)
        docs = read_path(path)
        assert [d.doc_id for d in docs] == ["ref2014-4242", "ref2014-4243"]
        doc = docs[0]
        assert doc.source_path.endswith("#4242")
        assert [doc.text[h.start : h.end] for h in doc.headings] == [
            "Budgets &amp; carers",
            "Summary of the impact",
            "Underpinning research",
            "References to the research",
            "Details of the impact",
            "Sources to corroborate the impact",
        ]
        assert doc.metadata.doc_type == "ref-impact-case-study"
        assert ("institution", "University of Example") in doc.metadata.extra

    def test_a_malformed_line_is_named(self, tmp_path):
        path = tmp_path / "cases.jsonl"
        path.write_text(json.dumps(REF_RECORD) + "\n{not json\n", encoding="utf-8")
        with pytest.raises(IngestError, match=r"cases\.jsonl:2: is not valid JSON"):
            read_path(path)

    def test_json_that_is_not_ref_records_is_refused(self, tmp_path):
        path = tmp_path / "other.jsonl"
        path.write_text('{"name": "x"}\n', encoding="utf-8")
        with pytest.raises(UnsupportedFile, match="other.jsonl: is JSON but not REF2014"):
            read_path(path)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\n ", "holds no text"),
        ("binary.txt", b"\x00\x01\x02binary\xff", "is binary"),
        ("latin1.txt", "Caf\u00e9 co\u00fbt \u00a3279".encode("latin-1"), "is not valid UTF-8 at byte 3 .*Latin-1"),
        ("notes.xyz", b"plain text", "has an unknown file type '.xyz'"),
        ("archive.zip", b"PK\x03\x04garbage", "is a damaged zip archive"),
        ("data.gz", gzip.compress(b"hello"), "is gzip-compressed but not REF2014"),
    ],
)
def test_bad_files_are_refused_with_their_name_and_reason(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnsupportedFile, match=rf"{name}: {message}"):
        read_path(path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(UnsupportedFile, match="gone.txt: cannot be read"):
        read_path(tmp_path / "gone.txt")
