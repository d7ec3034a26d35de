"""The web app: pages, JSON API and SPARQL endpoint over one knowledge base (Flask app factory)."""

from __future__ import annotations

from flask import Flask

from kb.store import KnowledgeBase, resolve_data_dir


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(KB_DATA=str(resolve_data_dir(None)), MAX_QUERY_CHARS=2000)
    if test_config:
        app.config.from_mapping(test_config)
    app.config["KB_DATA"] = str(KnowledgeBase(app.config["KB_DATA"]).path)

    from . import api, pages, resources

    resources.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    return app
