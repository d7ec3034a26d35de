"""The knowledge-base service for the web app: one per app, opened lazily, and the error pages."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request

from kb.service import NotFound, Service
from kb.store import KnowledgeBase, KnowledgeBaseError


def get_service() -> Service:
    """The app's service (it reopens the knowledge base when an ingest switches generations)."""
    return current_app.extensions["kb_service"]


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    knowledge_base = KnowledgeBase(app.config["KB_DATA"], app.config.get("KB_STORE"))  # else $KB_STORE
    app.extensions["kb_service"] = Service(knowledge_base)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    def error(status: int, message: str):
        if _wants_json():
            return jsonify({"error": message, "status": status}), status
        return render_template("error.html", status=status, message=message), status

    app.register_error_handler(NotFound, lambda exc: error(404, str(exc)))
    app.register_error_handler(KnowledgeBaseError, lambda exc: error(503, str(exc)))
    app.register_error_handler(404, lambda exc: error(404, "no such page"))
    app.register_error_handler(400, lambda exc: error(400, getattr(exc, "description", "bad request")))
    app.register_error_handler(413, lambda exc: error(413, getattr(exc, "description", "request too large")))
