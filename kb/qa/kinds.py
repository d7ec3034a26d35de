"""Answer types: whether a passage is the kind of text that can answer a question.

Classic question answering checks the type of the answer against the question word: a figure
question wants a passage holding an extracted figure of the kind of quantity asked (a count, a
percentage, money), a when question one naming a date, a who question one naming an actor other
than those asked about, a sources question a reference-list entry. ``answer_type`` makes the test
of whether a passage has the type a question asks for (``None`` when it asks for none), which
``has_answer_type`` applies to one passage; ``fits`` adds
that a passage stating nothing (a question, a lead-in ending in a colon, a sentence describing its
document such as "This paper explains ...") or a reference-list entry outside a sources question
answers nothing.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from .analyse import Question
from .tables import Passage, Tables, remembered

UNIT_FAMILIES = {"money": ("GBP",), "count": ("count", "ratio"), "percent": ("percent", "ratio")}
TYPED_INTENTS = ("figure", "when", "who", "sources")


def answer_type(question: Question, tables: Tables) -> Callable[[Passage], bool] | None:
    """The test of whether a passage has the type the question asks for, made once per question
    (lists call it on tens of thousands of passages); ``None`` when the question asks for none."""
    if question.intent == "figure":
        units = UNIT_FAMILIES.get(question.quantity or "", ())

        def holds_figure(passage: Passage) -> bool:
            """Whether the passage holds an extracted figure of the kind of quantity asked (any, if unsaid)."""
            return passage.has_figure and any(
                not units or f.unit.startswith(units) for f in tables.figures_in(passage.doc_id, passage.start, passage.end)
            )

        return holds_figure
    if question.intent == "when":
        return lambda passage: passage.dated
    if question.intent == "who":
        # an actor besides those asked about; of the kind asked, if the question names a kind that
        # entity labels use ("Which research units" wants a "... Research Unit")
        asked = frozenset(m.key for m in question.entities)
        labelled = _labelled_with(question.kind, tables)
        if labelled:
            return lambda passage: not (passage.entities & labelled) <= asked
        return lambda passage: not passage.entities <= asked
    if question.intent == "sources":
        return lambda passage: passage.source == "reference"
    return None


def answer_type_pool(question: Question, tables: Tables) -> tuple[Passage, ...]:
    """The passages that may have the type the question asks for (a superset of those that do), by key."""
    if question.intent == "who" and question.kind and _labelled_with(question.kind, tables):
        return _naming_any(question.kind, tables)
    return tables.by_answer_type.get(question.intent, ())


def has_answer_type(passage: Passage, question: Question, tables: Tables) -> bool | None:
    test = answer_type(question, tables)
    return None if test is None else test(passage)


def _naming_any(kind: tuple[str, ...], tables: Tables) -> tuple[Passage, ...]:
    """The passages naming an entity whose label has the words ``kind``, by key."""
    def naming() -> tuple[Passage, ...]:
        keys = frozenset().union(*(tables.wordings.naming(e) for e in _labelled_with(kind, tables)))
        return tuple(tables.passage(key) for key in sorted(keys))

    return remembered(_memory(tables), ("naming", kind), naming)


def _labelled_with(kind: tuple[str, ...], tables: Tables) -> frozenset[str]:
    """Keys of the entities whose label has every stem of the words ``kind``."""
    def labelled() -> frozenset[str]:
        stems = {s for word in kind for s in tables.stems(word)}
        return frozenset.intersection(*(tables.labels_with_stem.get(s, frozenset()) for s in stems)) if stems else frozenset()

    return remembered(_memory(tables), ("labelled", kind), labelled)


_memories: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _memory(tables: Tables) -> dict:
    """What this module worked out from one generation's tables, kept no longer than they are."""
    return _memories.setdefault(tables, {})


def fits(passage: Passage, question: Question, tables: Tables) -> bool:
    """Whether the passage is the kind of text that could answer the question."""
    if passage.source == "reference" and question.intent != "sources":
        return False
    if passage.descriptive or passage.text.rstrip(" '\"’”").endswith(("?", ":")):
        return False
    return has_answer_type(passage, question, tables) is not False
