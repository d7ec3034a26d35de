"""The web app: pages, JSON API, linked data and the SPARQL endpoint over one knowledge base
(a Flask app factory; each feature a blueprint in its own module)."""

from __future__ import annotations

from flask import Flask

from kb.store import KnowledgeBase, resolve_data_dir


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(KB_DATA=str(resolve_data_dir(None)), MAX_QUERY_CHARS=2000)
    if test_config:
        app.config.from_mapping(test_config)
    app.config["KB_DATA"] = str(KnowledgeBase(app.config["KB_DATA"]).path)

    from . import api, ask, citations, documents, entities, evidence, figures, linked_data, resources, sparql

    resources.init_app(app)
    for module in (documents, ask, entities, figures, citations, evidence, linked_data, api, sparql):
        app.register_blueprint(module.bp)
    return app
