"""Evidence-map quality against the hand-made gold map (tests/gold/evidence_map.json), measured on
what the service serves (the JSON of ``kb evidence``).

Cell membership is scored over (population, topic, claim) triples, a predicted claim matching a
gold one when it is from the same document and one quote contains the other. Precision counts
the predicted claims in the gold map's cells (the gold map fills the cells its author judged to
have evidence, and lists every claim it has for them); the strict precision counts every
predicted claim, in any cell. Direction accuracy is over the gold claims found; agreement
accuracy compares each gold cell's agreement, computed from the gold claims by the same rule,
with the served cell's.
"""

from __future__ import annotations

from kb.evidence_map import agreement

from .eval_extraction import Score, load_gold, overlaps


def _same_claim(predicted: dict, gold: dict) -> bool:
    return predicted["document"] == gold["doc"] and overlaps(predicted["text"], gold["quote"])


def evidence_report(service) -> dict:
    """Membership precision, recall and F1, strict precision, cell recall, direction and
    agreement accuracy, with the counts behind them."""
    gold = {(g["population"], g["topic"]): g["claims"] for g in load_gold("evidence_map")["cells"]}
    cells = {(c["population_label"], c["topic_label"]): c for c in service.evidence()}
    predicted = [(key, claim) for key, cell in cells.items() for claim in cell["claims"]]
    in_gold_cells = [(key, claim) for key, claim in predicted if key in gold]
    right = [(key, claim) for key, claim in in_gold_cells if any(_same_claim(claim, g) for g in gold[key])]
    found = [
        (g, next(claim for claim in cells[key]["claims"] if _same_claim(claim, g)))
        for key, claims in gold.items()
        for g in claims
        if key in cells and any(_same_claim(claim, g) for claim in cells[key]["claims"])
    ]
    total = sum(len(claims) for claims in gold.values())
    membership = Score(len(right), len(in_gold_cells), total, len(found))
    strict = Score(len(right), len(predicted), total, len(found))
    filled = {key for key, cell in cells.items() if cell["claims"]}
    agreements = [
        agreement([{"document": g["doc"], "direction": g["direction"]} for g in claims]) == cells[key]["agreement"]
        for key, claims in gold.items()
    ]
    return {
        "membership (gold cells)": membership.row(),
        "membership (all cells)": strict.row(),
        "cells": Score(len(filled & gold.keys()), len(filled), len(gold), len(filled & gold.keys())).row(),
        "direction": {
            "accuracy": round(sum(g["direction"] == p["direction"] for g, p in found) / len(found), 3),
            "matched": len(found),
        },
        "agreement": {"accuracy": round(sum(agreements) / len(agreements), 3), "cells": len(agreements)},
    }
