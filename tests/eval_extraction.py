"""Extraction quality against the hand-made gold sets, measured on what the knowledge base serves.

Each ``*_scores(service)`` compares the records the service returns (the same JSON as the CLI)
with a gold file in ``tests/gold/``, and returns precision, recall and F1 with the counts behind
them. Recall counts the gold items marked ``core`` (items a reader would insist on); items marked
``core: false`` are borderline and are neither required nor counted against precision.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

GOLD = Path(__file__).resolve().parent / "gold"


def load_gold(name: str) -> dict:
    return json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))


def norm(text: str | None) -> str:
    """Lower case, one space, straight quotes, no surrounding punctuation: for comparing names and quotes."""
    text = (text or "").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip(" .,;:").lower()


def overlaps(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    return bool(a) and bool(b) and (a in b or b in a)


@dataclass
class Score:
    true_positives: int
    predicted: int
    gold: int
    found: int  # gold items found (may differ from true positives when several predictions match one gold)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> dict:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "predicted": self.predicted,
            "gold": self.gold,
        }


# --- figures


def _figure_matches(predicted: dict, gold: dict) -> bool:
    return (
        predicted["document"] == gold["doc"]
        and abs(float(predicted["value"]) - float(gold["value"])) < 1e-6
        and overlaps(predicted["text"], gold["text"])
    )


def figure_scores(service) -> Score:
    gold = load_gold("figures")["figures"]
    predicted = service.figures()
    core = [g for g in gold if g.get("core", True)]
    optional = [g for g in gold if not g.get("core", True)]
    true_positives = sum(1 for p in predicted if any(_figure_matches(p, g) for g in gold))
    counted = [p for p in predicted if not any(_figure_matches(p, g) for g in optional) or any(_figure_matches(p, g) for g in core)]
    found = sum(1 for g in core if any(_figure_matches(p, g) for p in predicted))
    return Score(min(true_positives, len(counted)), len(counted), len(core), found)


# --- actors


def _names(entity: dict) -> set[str]:
    return {norm(n) for n in [entity["label"], *entity.get("aliases", [])]}


def actor_scores(service) -> Score:
    """(entity, document) pairs: a predicted pair is right when a gold entity sharing one of its
    names lists that document."""
    gold = load_gold("actors")["entities"]
    predicted = service.entities()
    gold_pairs = {(i, doc) for i, g in enumerate(gold) for doc in g["documents"]}
    predicted_pairs = [(e, doc) for e in predicted for doc in e["documents"]]

    def gold_for(entity: dict, doc: str) -> set[int]:
        names = _names(entity)
        return {i for i, g in enumerate(gold) if names & _names(g) and doc in g["documents"]}

    matched_gold: set[tuple[int, str]] = set()
    true_positives = 0
    for entity, doc in predicted_pairs:
        hits = gold_for(entity, doc)
        if hits:
            true_positives += 1
            matched_gold.update((i, doc) for i in hits)
    return Score(true_positives, len(predicted_pairs), len(gold_pairs), len(matched_gold & gold_pairs))


def merge_accuracy(service) -> float:
    """Of the gold entities whose names the knowledge base knows under two or more surface forms,
    the share it merged into one entity."""
    predicted = service.entities()
    checked = merged = 0
    for gold in load_gold("actors")["entities"]:
        names = _names(gold)
        holders = [e for e in predicted if _names(e) & names]
        known = set().union(*(_names(e) & names for e in holders)) if holders else set()
        if len(known) >= 2:
            checked += 1
            merged += len(holders) == 1
    return merged / checked if checked else 0.0


# --- citations


ENTRY_FIELDS = ("authors", "year", "title", "doi", "url")


def _entry_right(predicted: dict, gold: dict) -> bool:
    return (
        str(predicted["n"]) == str(gold["n"])
        and predicted["year"] == gold.get("year")
        and (predicted["doi"] or None) == (gold.get("doi") or None)
        and overlaps(predicted["title"] or "", gold.get("title") or "")
        and [norm(a) for a in predicted["authors"]][:1] == [norm(a) for a in gold.get("authors", [])][:1]
    )


def citation_scores(service) -> dict[str, Score]:
    """References and sources of the REF case study (entries right in number, first author,
    year, title and DOI), its pointers (marker and target) and its grants."""
    gold = load_gold("citations")
    record = service.cites(gold["doc"])
    scores = {}
    for kind in ("references", "sources"):
        predicted, wanted = record[kind], gold[kind]
        right = sum(1 for p in predicted if any(_entry_right(p, g) for g in wanted))
        found = sum(1 for g in wanted if any(_entry_right(p, g) for p in predicted))
        scores[kind] = Score(right, len(predicted), len(wanted), found)
    glued = [p for p in record["pointers"] if p["style"] == "glued-number"]
    wanted_pointers = {(p["marker"], str(p["target"])) for p in gold["pointers"]}
    got = [(p["marker"], p["target"]) for p in glued]
    right = sum(1 for g in got if g in wanted_pointers)
    scores["pointers"] = Score(right, len(got), len(wanted_pointers), len(wanted_pointers & set(got)))
    grants = {(g["funder"], round(g["amount"] or 0)) for g in record["grants"]}
    wanted_grants = {(g["funder"], round(g["amount"])) for g in gold["grants"]}
    scores["grants"] = Score(len(grants & wanted_grants), len(grants), len(wanted_grants), len(grants & wanted_grants))
    return scores


def footnote_and_bracket_scores(service) -> Score:
    """The other documents' pointers: SCIE's bracketed numbers (unresolved) and the LGID footnotes."""
    wanted = load_gold("citations")["other_docs"]
    found = 0
    predicted = 0
    for doc in sorted({w["doc"] for w in wanted}):
        pointers = service.cites(doc)["pointers"]
        predicted += len(pointers)
        markers = [p["marker"] for p in pointers]
        for w in (w for w in wanted if w["doc"] == doc):
            marker = w["marker"].strip("()")
            if marker in markers or w["marker"] in markers:
                markers.remove(marker if marker in markers else w["marker"])
                found += 1
    return Score(found, predicted, len(wanted), found)


# --- claims


def claim_scores(service) -> dict[str, float]:
    """Claims about carers and older people: recall of the gold claims, precision among the
    extracted claims tagged with those populations, and agreement on kind, populations and source."""
    gold = load_gold("claims")["claims"]
    claims = service.claims()
    population_keys = {"older people": "older-people", "carers": "carers"}
    wanted_keys = set(population_keys.values())
    core = [g for g in gold if g.get("core", True)]

    def match(g):
        return next((c for c in claims if c["document"] == g["doc"] and overlaps(c["text"], g["text"])), None)

    matched = [(g, match(g)) for g in gold]
    found = [(g, c) for g, c in matched if c]
    tagged = [c for c in claims if wanted_keys & set(c["populations"])]
    tagged_right = sum(1 for c in tagged if any(c["document"] == g["doc"] and overlaps(c["text"], g["text"]) for g in gold))

    names_of = {e["id"]: _names(e) for e in service.entities()}

    def attribution_right(g, c):
        return norm(g["attributed_to"]) in names_of.get(c["attributed_to_id"], {norm(c["attributed_to"])})

    def population_right(g, c):
        want = {population_keys[p] for p in g["populations"] if p in population_keys}
        return want <= set(c["populations"])

    return {
        "recall_core": round(sum(1 for g in core if match(g)) / len(core), 3),
        "recall_all": round(len(found) / len(gold), 3),
        "precision_tagged": round(tagged_right / len(tagged), 3) if tagged else 0.0,
        "kind_accuracy": round(sum(g["kind"] == c["kind"] for g, c in found) / len(found), 3),
        "population_accuracy": round(sum(population_right(g, c) for g, c in found) / len(found), 3),
        "attribution_accuracy": round(sum(attribution_right(g, c) for g, c in found) / len(found), 3),
        "hedged_accuracy": round(sum(g["hedged"] == c["hedged"] for g, c in found) / len(found), 3),
    }


def extraction_report(service) -> dict:
    citations = citation_scores(service)
    return {
        "figures": figure_scores(service).row(),
        "actors": {**actor_scores(service).row(), "merge_accuracy": round(merge_accuracy(service), 3)},
        **{f"citations.{kind}": score.row() for kind, score in citations.items()},
        "citations.other-documents": footnote_and_bracket_scores(service).row(),
        "claims (carers, older people)": claim_scores(service),
    }
