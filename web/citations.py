"""The citation trace of a document (a REF case study above all): its references to research,
its corroborating sources with the impact sentences that point to them, its grants, where else
in the corpus each work and actor appears, and exports a reference manager takes."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from kb.citation_export import render

from .resources import get_service

bp = Blueprint("citations", __name__)

EXPORTS = {
    "csv": ("text/csv", "csv"),
    "bibtex": ("application/x-bibtex", "bib"),
    "ris": ("application/x-research-info-systems", "ris"),
    "csl-json": ("application/vnd.citationstyles.csl+json", "json"),
}


@bp.get("/doc/<doc_id>/citations")
def citations(doc_id: str):
    service = get_service()
    (record,) = service.citation_traces(doc_id)
    elsewhere = service.referring_documents()
    titles = {d.id: d.title or d.id for d in service.documents()}
    actors = [
        {**actor, "documents": [d for d in elsewhere.get(actor["id"], []) if d != doc_id]}
        for actor in _actors(service.mentions(doc_id))
    ]
    return render_template(
        "citations.html", doc=service.document(doc_id), record=record, elsewhere=elsewhere,
        titles=titles, actors=[a for a in actors if a["documents"]], exports=EXPORTS,
        contexts=pointer_contexts(record["pointers"], service.document_text(doc_id)),
    )


SHORT_SENTENCE_WORDS = 6  # a sentence this short ("(passim, DH, 2008)1.") is shown with the one before


def pointer_contexts(pointers: list[dict], text: str) -> dict[tuple[str, str], list[dict]]:
    """For each list entry (kind, n): the sentences pointing to it, once each, with their markers;
    a very short sentence is widened to take in the sentence before it."""
    contexts: dict[tuple[str, str], dict[tuple[int, int], dict]] = {}
    for pointer in pointers:
        sentence = pointer.get("sentence")
        if not pointer["target"] or not sentence:
            continue
        start, end = sentence["start"], sentence["end"]
        if len(sentence["text"].split()) < SHORT_SENTENCE_WORDS:
            start = _previous_sentence_start(text, start)
        entry = contexts.setdefault((pointer["list"], pointer["target"]), {})
        context = entry.setdefault((start, end), {"start": start, "end": end, "text": text[start:end], "markers": []})
        context["markers"].append(pointer["marker"])
    return {key: list(found.values()) for key, found in contexts.items()}


def _previous_sentence_start(text: str, start: int) -> int:
    window = text[max(0, start - 400) : start].rstrip()
    cut = max(window.rfind(". "), window.rfind("\n"))
    return max(0, start - 400) + cut + 1 if cut >= 0 else max(0, start - 400)


def _actors(mentions: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for mention in mentions:
        seen.setdefault(mention["entity"], {"id": mention["entity"], "label": mention["label"]})
    return list(seen.values())


@bp.get("/doc/<doc_id>/citations.<fmt>")
def export(doc_id: str, fmt: str):
    if fmt not in EXPORTS:
        abort(404)
    media_type, extension = EXPORTS[fmt]
    body = render(get_service().citation_traces(doc_id), fmt)
    response = Response(body, mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{doc_id}-citations.{extension}"'
    return response
