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
    """One chart per compared pair of figures (a figure and the ``comparator`` the sentence
    compares it with): measure, unit, and a bar per group."""
    charts, seen = [], set()
    for figure in figures:
        other = figure.get("comparator")
        if not other:
            continue
        pair = frozenset({(figure["text"], figure["value"]), (other["text"], other["value"])})
        if (figure["document"], pair) in seen:
            continue
        seen.add((figure["document"], pair))
        top = max(float(figure["value"]), float(other["value"])) or 1.0
        charts.append({
            "measure": figure["measure"] or "value",
            "unit": figure["unit"],
            "bars": [Bar(f["group"] or f["text"], float(f["value"]), f["text"], float(f["value"]) / top) for f in (figure, other)],
        })
    return charts


ANSWER_QUERY = """# The evidence of the answer to: {question}
# Each row is a quote: the slice [start, end) of its document's canonical text (c4o:hasContent),
# with the claim made there, if any, and who it is attributed to.
PREFIX c4o: <http://purl.org/spar/c4o/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX kbv: <https://w3id.org/carekb/vocab#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?rank ?document ?quote ?kind ?attributedTo ?start ?end WHERE {{
  VALUES (?rank ?document ?start ?end) {{
{rows}
  }}
  ?doc a kbv:SourceDocument ; dcterms:identifier ?document ; c4o:hasContent ?content .
  BIND(SUBSTR(?content, ?start + 1, ?end - ?start) AS ?quote)
  OPTIONAL {{
    ?claim a kbv:Claim ; kbv:inDocument ?doc ; kbv:claimKind ?kind ; prov:wasDerivedFrom/oa:hasSelector ?position .
    ?position oa:start ?start ; oa:end ?end .
    OPTIONAL {{ ?claim prov:wasAttributedTo ?actor . GRAPH <https://w3id.org/carekb/graph/shared> {{ ?actor skos:prefLabel ?attributedTo }} }}
  }}
}} ORDER BY ?rank
"""


def answer_sparql(answer: dict) -> str:
    """A query that returns the answer's evidence from the graph: reproducible, checkable."""
    rows = "\n".join(
        f'    ({rank} "{item["document"]["id"]}" {item["start"]} {item["end"]})'
        for rank, item in enumerate(answer["answers"], start=1)
    )
    question = " ".join(answer["question"].split())
    return ANSWER_QUERY.format(question=question, rows=rows)


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
        sparql=answer_sparql(answer) if answer["answers"] else None,
    )
