"""The JSON API under /api/: the same records the CLI prints with --json."""

from __future__ import annotations

from flask import Blueprint, jsonify

from .params import int_param, text_param
from .resources import get_service

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/documents")
def documents():
    return jsonify([d.to_dict() for d in get_service().documents()])


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    return jsonify(get_service().show(doc_id))


@bp.get("/search")
def search():
    query = text_param("q", required=True)
    hits = get_service().search(query, limit=int_param("limit", 10, 1, 200))
    return jsonify([hit.__dict__ for hit in hits])


@bp.get("/ask")
def ask():
    question = text_param("q", required=True)
    return jsonify(get_service().ask(question, limit=int_param("limit", 10, 1, 100)))


@bp.get("/stats")
def stats():
    return jsonify(get_service().stats())
