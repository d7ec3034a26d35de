"""Collect the input files of an ingest and read them, with their manifest metadata.

Folders are walked recursively (hidden files and the manifest itself skipped); a folder's
``manifest.toml`` gives the ids and metadata of the files it names. Every problem becomes an
``IngestError`` naming its file, collected rather than raised, so one bad file never stops the rest.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from .errors import IngestError
from .manifest import MANIFEST_NAME, ManifestEntry, load_manifest
from .readers import read_path
from .records import ReadDocument

SKIPPED_NAMES = {MANIFEST_NAME, "README.md", "README.txt", "README"}


@dataclass
class Collected:
    documents: list[ReadDocument] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def input_files(paths: list[Path]) -> tuple[list[Path], list[IngestError]]:
    files: list[Path] = []
    errors: list[IngestError] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.name not in SKIPPED_NAMES and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            files.append(path)
        else:
            errors.append(IngestError(str(path), "does not exist"))
    return files, errors


def _manifest_for(folder: Path, cache: dict[Path, dict[str, ManifestEntry]]) -> dict[str, ManifestEntry]:
    if folder not in cache:
        manifest = folder / MANIFEST_NAME
        cache[folder] = load_manifest(manifest) if manifest.is_file() else {}
    return cache[folder]


def _display_path(path: Path) -> str:
    """The path relative to the working folder when it is inside it, so provenance is portable."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def collect(paths: list[Path]) -> Collected:
    """Read every input file into documents; gather an error per file that cannot be read."""
    files, errors = input_files(paths)
    out = Collected(errors=errors)
    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    seen: dict[str, str] = {}
    for file in files:
        try:
            entry = _manifest_for(file.parent, manifests).get(file.name)
            documents = read_path(file)
        except IngestError as exc:
            out.errors.append(exc)
            continue
        for document in documents:
            document = _with_manifest(document, entry, _display_path(file))
            if entry and entry.sha256 and entry.sha256 != document.sha256:
                out.errors.append(IngestError(str(file), f"its SHA-256 differs from the manifest entry (line {entry.line}); update the manifest if the file was meant to change"))
                continue
            if document.doc_id in seen:
                out.errors.append(IngestError(str(file), f"its document id {document.doc_id!r} is already used by {seen[document.doc_id]}"))
                continue
            seen[document.doc_id] = document.source_path
            out.documents.append(document)
    return out


def _with_manifest(document: ReadDocument, entry: ManifestEntry | None, shown_path: str) -> ReadDocument:
    record_suffix = document.source_path.partition("#")[2]
    source_path = f"{shown_path}#{record_suffix}" if record_suffix else shown_path
    if entry is None:
        return dataclasses.replace(document, source_path=source_path)
    metadata = dataclasses.replace(
        entry.metadata,
        title=entry.metadata.title or document.metadata.title,
        extra=entry.metadata.extra + document.metadata.extra,
    )
    return dataclasses.replace(document, doc_id=entry.doc_id, metadata=metadata, source_path=source_path)
