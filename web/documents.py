"""Pages for documents: home (question box, examples, documents), search results, a document's
text with its extracted spans marked and the linked passage highlighted, and its graph as RDF."""

from __future__ import annotations

import io

from flask import Blueprint, Response, abort, render_template

from kb.export import MEDIA_TYPES

from .annotate import render
from .document_view import document_annotations
from .params import int_param, text_param
from .resources import get_service

bp = Blueprint("documents", __name__)

EXAMPLE_QUESTIONS = (
    "What did IBSEN find for carers?",
    "Did personal budgets save money?",
    "How much did the DH fund the evaluation?",
    "How did older people fare with individual budgets?",
    "Who led the IBSEN evaluation?",
)
DOWNLOADS = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "jsonld": "jsonld"}


@bp.get("/")
def home():
    return render_template("home.html", documents=get_service().documents(), examples=EXAMPLE_QUESTIONS)


@bp.get("/search")
def search():
    query = text_param("q")
    hits = get_service().search(query, limit=int_param("limit", 20, 1, 200)) if query else []
    return render_template("search.html", search_query=query, hits=hits)


@bp.get("/doc/<doc_id>")
def document(doc_id: str):
    service = get_service()
    summary = service.document(doc_id)
    text = service.document_text(doc_id)
    start = int_param("start", -1, -1, len(text))
    end = int_param("end", -1, -1, len(text))
    passage = (start, end) if 0 <= start < end else None
    view = document_annotations(service, doc_id, text, passage)
    return render_template("document.html", doc=summary, body=render(text, view.annotations), view=view, passage=passage)


@bp.get("/doc/<doc_id>/graph.<ext>")
def document_graph(doc_id: str, ext: str):
    if ext not in DOWNLOADS:
        abort(404)
    buffer = io.BytesIO()
    get_service().export(DOWNLOADS[ext], buffer, doc_id)
    response = Response(buffer.getvalue(), mimetype=MEDIA_TYPES[DOWNLOADS[ext]])
    response.headers["Content-Disposition"] = f'attachment; filename="{doc_id}.{ext}"'
    return response
