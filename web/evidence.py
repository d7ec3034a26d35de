"""The evidence map page: populations by topics, each cell a count of claims coloured by whether
the sources agree; a cell opens its claims side by side, grouped by source."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from kb.evidence_map import UnknownConcept, populations, topics

from .params import text_param
from .resources import get_service

bp = Blueprint("evidence", __name__)


@bp.get("/evidence")
def evidence():
    service = get_service()
    cells = service.evidence()
    population, topic = text_param("population"), text_param("topic")
    selected = None
    if population and topic:
        try:
            (selected,) = service.evidence(population, topic)
        except UnknownConcept as exc:
            abort(400, description=str(exc))
    by_cell = {(c["population"], c["topic"]): c for c in cells}
    titles = {d.id: d.title or d.id for d in service.documents()}
    return render_template(
        "evidence.html", rows=populations(), columns=topics(), by_cell=by_cell, selected=selected,
        columns_of=_by_document(selected["claims"]) if selected else [], titles=titles,
    )


def _by_document(claims: list[dict]) -> list[tuple[str, list[dict]]]:
    grouped: dict[str, list[dict]] = {}
    for claim in claims:
        grouped.setdefault(claim["document"], []).append(claim)
    return list(grouped.items())
