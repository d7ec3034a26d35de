"""Mark the words of a quote that match the question, by the index's own stemming analyser."""

from __future__ import annotations

from markupsafe import Markup
from whoosh.analysis import StemmingAnalyzer

from .annotate import Annotation, render

_ANALYZER = StemmingAnalyzer()
QUESTION_WORDS = frozenset("what which who whom whose when where why how did does do find found say said tell".split())


def stems(text: str) -> set[str]:
    """Stems of the question's content words (question words are not worth marking)."""
    return {token.text for token in _ANALYZER(text) if token.text not in QUESTION_WORDS}


def highlight(quote: str, question: str) -> Markup:
    wanted = stems(question)
    marks = [
        Annotation(token.startchar, token.endchar, "mark", (("class", "hit"),))
        for token in _ANALYZER(quote, chars=True)
        if token.text in wanted
    ]
    return render(quote, marks)
