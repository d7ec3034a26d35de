"""HTML pages: home (documents and search box), search results, a document's text."""

from __future__ import annotations

from flask import Blueprint, render_template

from .params import int_param, text_param
from .resources import get_service

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    return render_template("home.html", documents=get_service().documents())


@bp.get("/search")
def search():
    query = text_param("q")
    hits = get_service().search(query, limit=int_param("limit", 20, 1, 200)) if query else []
    return render_template("search.html", query=query, hits=hits)


@bp.get("/doc/<doc_id>")
def document(doc_id: str):
    service = get_service()
    summary = service.document(doc_id)
    text = service.document_text(doc_id)
    start = int_param("start", -1, -1, len(text))
    end = int_param("end", -1, -1, len(text))
    passage = (start, end) if 0 <= start < end else None
    return render_template("document.html", doc=summary, text=text, passage=passage)
