"""The answer page: a question answered with quotes of the sources, grouped by source, the
matched words marked, each opening its passage; the figures behind them (a bar chart for
comparisons) and the entities involved."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, redirect, render_template, url_for

from .highlight import highlight
from .params import int_param, text_param
from .resources import get_service

bp = Blueprint("ask", __name__)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    width: float  # share of the longest bar, 0..1


def comparison_charts(figures: list[dict]) -> list[dict]:
    """One chart per compared pair of figures: measure, unit, and a bar per group."""
    by_id = {f["id"]: f for f in figures}
    charts, seen = [], set()
    for figure in figures:
        other = by_id.get(figure.get("comparator") or "")
        if other is None or figure["id"] in seen:
            continue
        seen.update({figure["id"], other["id"]})
        pair = [figure, other]
        top = max(float(f["value"]) for f in pair) or 1.0
        charts.append({
            "measure": figure["measure"] or "value",
            "unit": figure["unit"],
            "bars": [Bar(f["group"] or f["text"], float(f["value"]), f["text"], float(f["value"]) / top) for f in pair],
        })
    return charts


@bp.get("/ask")
def ask():
    question = text_param("q")
    if not question:
        return redirect(url_for("documents.home"))
    answer = get_service().ask(question, limit=int_param("limit", 10, 1, 50))
    groups: dict[str, dict] = {}
    for item in answer["answers"]:
        group = groups.setdefault(item["document"]["id"], {"document": item["document"], "items": []})
        group["items"].append({**item, "marked": highlight(item["text"], question)})
    return render_template(
        "answer.html", answer=answer, groups=list(groups.values()),
        charts=comparison_charts(answer.get("figures", [])),
    )
