"""Composition: the answer to a question, built only from quotes of the sources.

Each evidence item is a passage's verbatim text, exactly ``text[start:end]`` of its document's
canonical text, with its document, section, offsets, score and ``url``, the page that opens the
document at that passage; its kind is the claim kind the graph gives it (finding, concern,
recommendation, caveat), else ``grant`` or ``reference`` for a grant or reference-list entry, else
``statement``. Items come most relevant first; ``groups`` gathers their positions by document and
then by kind, in the order of each group's best item. A figure question also gets the extracted
figures of its passages (value, unit, measure, group, the figure compared with, the grant it is the
amount of). ``entities`` lists those asked about, then those the quotes name or their claims are
attributed to.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from urllib.parse import quote

from .analyse import Question
from .rank import Ranked
from .tables import FigureRecord, Tables

NO_ANSWER = "The sources hold no evidence for this question."
SOURCE_KINDS = {"sentence": "statement", "grant": "grant", "reference": "reference"}


@dataclass(frozen=True)
class Evidence:
    text: str
    kind: str
    document: dict  # id, title
    section: str
    start: int
    end: int
    score: float
    url: str
    attributed_to: str | None  # the claim's source, as labelled
    populations: list[str]  # the claim's population keys


@dataclass(frozen=True)
class FigureEvidence:
    text: str
    value: float | int
    unit: str
    measure: str | None
    group: str | None
    comparator: dict | None  # text, value, unit, group of the figure compared with
    grant: dict | None  # title, funder, amount, currency, period of the grant it is the amount of
    document: str
    start: int
    end: int
    answer: int  # position of the evidence item holding the figure


@dataclass
class Answer:
    question: Question
    no_answer: bool
    answers: list[Evidence] = field(default_factory=list)
    figures: list[FigureEvidence] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "question": self.question.text,
            "no_answer": self.no_answer,
            "message": NO_ANSWER if self.no_answer else None,
            "analysis": self.question.to_dict(),
            "answers": [asdict(e) for e in self.answers],
            "groups": groups(self.answers),
            "figures": [asdict(f) for f in self.figures],
            "entities": self.entities,
        }


def passage_url(doc_id: str, start: int, end: int) -> str:
    return f"/doc/{quote(doc_id, safe='')}?start={start}&end={end}#passage"


def compose(question: Question, ranked: list[Ranked], tables: Tables, answerable: bool) -> Answer:
    if not answerable:
        return Answer(question, True, entities=_entities(question, [], tables))
    evidence = [_evidence(r, tables) for r in ranked]
    figures = _figures(ranked, tables) if question.intent == "figure" else []
    return Answer(question, False, evidence, figures, _entities(question, ranked, tables))


def groups(answers: list[Evidence]) -> list[dict]:
    """Positions of the items by document, then by kind, each group in order of its best item."""
    documents: dict[str, dict] = {}
    for n, item in enumerate(answers):
        group = documents.setdefault(item.document["id"], {"document": item.document, "kinds": {}})
        group["kinds"].setdefault(item.kind, []).append(n)
    return [
        {"document": g["document"], "kinds": [{"kind": k, "answers": positions} for k, positions in g["kinds"].items()]}
        for g in documents.values()
    ]


def _evidence(ranked: Ranked, tables: Tables) -> Evidence:
    p = ranked.passage
    claim = tables.claims.get(p.key)
    return Evidence(
        text=tables.texts[p.doc_id][p.start : p.end],
        kind=claim.kind if claim else SOURCE_KINDS[p.source],
        document={"id": p.doc_id, "title": tables.titles[p.doc_id]},
        section=p.section,
        start=p.start,
        end=p.end,
        score=round(ranked.score, 6),
        url=passage_url(p.doc_id, p.start, p.end),
        attributed_to=claim.attributed_label if claim else None,
        populations=sorted(claim.populations) if claim else [],
    )


def _figures(ranked: list[Ranked], tables: Tables) -> list[FigureEvidence]:
    return [
        _figure(figure, n, tables)
        for n, r in enumerate(ranked)
        for figure in tables.figures_in(r.passage.doc_id, r.passage.start, r.passage.end)
    ]


def _figure(figure: FigureRecord, position: int, tables: Tables) -> FigureEvidence:
    return FigureEvidence(
        text=figure.text, value=figure.value, unit=figure.unit, measure=figure.measure, group=figure.group,
        comparator=_comparator(figure, tables), grant=_grant(figure, tables),
        document=figure.doc_id, start=figure.start, end=figure.end, answer=position,
    )


def _comparator(figure: FigureRecord, tables: Tables) -> dict | None:
    if not figure.comparator:
        return None
    for other in tables.figures_in(figure.doc_id, figure.comparator[0], figure.comparator[0] + 1):
        if (other.start, other.end) == figure.comparator:
            return {"text": other.text, "value": other.value, "unit": other.unit, "group": other.group}
    return None


def _grant(figure: FigureRecord, tables: Tables) -> dict | None:
    for g in tables.grants:
        if g.doc_id == figure.doc_id and g.start <= figure.start < g.end and g.amount == figure.value:
            return {
                "title": g.title, "funder": g.funder, "amount": g.amount, "currency": g.currency, "period": g.period,
            }
    return None


def _entities(question: Question, ranked: list[Ranked], tables: Tables) -> list[dict]:
    """The entities asked about, then those the quotes name or their claims are attributed to,
    each with the positions of the items naming it (``named``) or attributed to it."""
    records = {m.key: _entity(tables, m.key, asked=True) for m in question.entities}
    for n, r in enumerate(ranked):
        claim = tables.claims.get(r.passage.key)
        roles = [(key, "named") for key in sorted(r.passage.entities)]
        roles += [(claim.attributed_to, "attributed")] if claim and claim.attributed_to else []
        for key, role in roles:
            if key in records or tables.entity(key):
                records.setdefault(key, _entity(tables, key, asked=False))[role].append(n)
    return list(records.values())


def _entity(tables: Tables, key: str, asked: bool) -> dict:
    entity = tables.entity(key)
    return {
        "key": key, "id": entity.id, "label": entity.label, "type": entity.type,
        "asked": asked, "named": [], "attributed": [],
    }
