"""Pages for entities: the list of organisations, people, places and studies, and one entity's
names, roles, attributed claims and the sentences in each document that mention it."""

from __future__ import annotations

from flask import Blueprint, render_template

from .params import text_param
from .resources import get_service

bp = Blueprint("entities", __name__)

ENTITY_TYPES = ("organisation", "person", "place", "study")


@bp.get("/entities")
def entities():
    wanted = text_param("type")
    listed = [e for e in get_service().entities() if not wanted or e["type"] == wanted]
    return render_template("entities.html", entities=listed, wanted=wanted, types=ENTITY_TYPES)


@bp.get("/entity/<key>")
def entity(key: str):
    service = get_service()
    titles = {d.id: d.title or d.id for d in service.documents()}
    return render_template("entity.html", entity=service.entity(key), titles=titles)
