"""The figures page: every figure, filterable by document, measure and group, and as CSV."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, render_template

from .params import text_param
from .resources import get_service

bp = Blueprint("figures", __name__)

CSV_COLUMNS = ("document", "text", "value", "unit", "measure", "group", "comparator", "start", "end", "id")


def filtered_figures() -> tuple[list[dict], dict]:
    filters = {name: text_param(name) for name in ("document", "measure", "group")}
    figures = get_service().figures(filters["document"] or None)
    for name in ("measure", "group"):
        if filters[name]:
            figures = [f for f in figures if filters[name].lower() in (f[name] or "").lower()]
    return figures, filters


@bp.get("/figures")
def figures():
    figures, filters = filtered_figures()
    by_id = {f["id"]: f for f in figures}
    return render_template("figures.html", figures=figures, by_id=by_id, filters=filters, documents=get_service().documents())


@bp.get("/figures.csv")
def figures_csv():
    figures, _ = filtered_figures()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(figures)
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="figures.csv"'
    return response
