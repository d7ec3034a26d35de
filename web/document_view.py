"""What a document page shows beside its text: the extracted records, and the annotations
(claims, figures, actor mentions, citation pointers, the linked passage) to mark in the text."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for

from kb.service import Service

from .annotate import Annotation


@dataclass
class DocumentView:
    claims: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    cites: dict = field(default_factory=dict)
    annotations: list[Annotation] = field(default_factory=list)

    @property
    def actors(self) -> list[dict]:
        """The entities mentioned, once each, in order of first mention."""
        seen: dict[str, dict] = {}
        for mention in self.mentions:
            seen.setdefault(mention["entity"], {"id": mention["entity"], "label": mention["label"], "count": 0})
            seen[mention["entity"]]["count"] += 1
        return list(seen.values())


def entity_key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def document_annotations(service: Service, doc_id: str, text: str, passage: tuple[int, int] | None) -> DocumentView:
    view = DocumentView(
        claims=service.claims(doc_id),
        figures=service.figures(doc_id),
        mentions=service.mentions(doc_id),
        cites=service.cites(doc_id),
    )
    annotations = [
        Annotation(c["start"], c["end"], "span", (("class", f"claim claim-{c['kind']}"), ("id", f"claim-{c['start']}-{c['end']}"),
                   ("title", f"{c['kind']}{' (hedged)' if c['hedged'] else ''}{' · ' + c['attributed_to'] if c['attributed_to'] else ''}")), 1)
        for c in view.claims
    ]
    annotations += [
        Annotation(f["start"], f["end"], "mark", (("class", "figure"), ("id", f"figure-{f['start']}-{f['end']}"),
                   ("title", " · ".join(x for x in (f"{f['value']:,} {f['unit']}", f["measure"], f["group"]) if x))), 3)
        for f in view.figures
    ]
    pointer_spans = [(p["start"], p["end"]) for p in view.cites["pointers"]]
    annotations += [
        Annotation(m["start"], m["end"], "a", (("class", "actor"), ("href", url_for("entities.entity", key=entity_key(m["entity"]))),
                   ("title", m["label"])), 4)
        for m in view.mentions
        if not any(start < m["end"] and m["start"] < end for start, end in pointer_spans)  # links never nest
    ]
    annotations += [
        Annotation(p["start"], p["end"], "a", (("class", "pointer" + ("" if p["target"] else " unresolved")),
                   ("href", f"#entry-{p['list']}-{p['target']}" if p["target"] else "#citations"),
                   ("title", f"→ {p['list']} {p['target']}" if p["target"] else "unresolved: the list is not in the corpus")), 4)
        for p in view.cites["pointers"]
    ]
    annotations += [Annotation(h["start"], h["end"], "strong", (("class", "heading"),), -1) for h in service.headings(doc_id)]
    if passage:
        annotations.append(Annotation(passage[0], passage[1], "mark", (("id", "passage"), ("class", "passage"), ("tabindex", "-1")), 0))
    view.annotations = annotations
    return view
