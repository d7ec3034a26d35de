"""The corpus manifest: every corpus file is listed with its checksum; errors name the line."""

from __future__ import annotations

import hashlib

import pytest

from ingest.errors import ManifestError
from ingest.manifest import load_manifest

from .conftest import CORPUS


def test_corpus_manifest_lists_every_file_with_its_checksum():
    entries = load_manifest(CORPUS / "manifest.toml")
    files = sorted(p.name for p in CORPUS.glob("*.txt"))
    assert sorted(entries) == files
    for name, entry in entries.items():
        assert entry.sha256 == hashlib.sha256((CORPUS / name).read_bytes()).hexdigest()
    assert entries["002_0aea6fbc06bec306.txt"].doc_id == "york-spsw02"
    assert entries["001_05841cc014961793.txt"].metadata.date == "2009-04"


def test_unknown_metadata_stays_unknown():
    entry = load_manifest(CORPUS / "manifest.toml")["000_331bd8fe62e360e5.txt"]
    assert entry.metadata.publisher is None and entry.metadata.date is None


@pytest.mark.parametrize(
    "content, message",
    [
        ('[[document]]\nfile = "a.txt"\nid = "a"\ntitle = "unterminated\n', r"not valid TOML: .*line 4"),
        ('\n\n[[document]]\nfile = "a.txt"\n', r"line 3: the \[\[document\]\] entry needs a `id` string"),
        ('[[document]]\nfile = "a.txt"\nid = "Bad Id"\n', r"line 1: id 'Bad Id' must be lower-case"),
        ('[[document]]\nfile = "a.txt"\nid = "a"\ntype = "novel"\n', r"line 1: type 'novel' is not one of"),
        ('[[document]]\nfile = "a.txt"\nid = "a"\ncolour = "red"\n', r"line 1: unknown key\(s\) colour"),
        ('[[document]]\nfile = "a.txt"\nid = "a"\n\n[[document]]\nfile = "a.txt"\nid = "b"\n', r"line 5: file or id given twice"),
        ('[[document]]\nfile = "a.txt"\nid = "a"\nauthors = "Rob"\n', r"line 1: `authors` must be a list"),
    ],
)
def test_malformed_manifest_names_the_line(tmp_path, content, message):
    path = tmp_path / "manifest.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        load_manifest(path)
