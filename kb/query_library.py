"""The analysts' query library: the named SPARQL files in ``queries/``, with the question each
answers read from its opening ``# Question:`` comment."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

QUERY_FOLDER = Path(__file__).resolve().parent.parent / "queries"
_QUESTION = re.compile(r"^# Question:\s*(?P<first>.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(?P<more>.*)$")


@dataclass(frozen=True)
class NamedQuery:
    name: str  # the file name without .rq
    question: str  # the first sentence of its "# Question:" comment
    text: str


def question_of(text: str) -> str:
    """The first sentence of the query's ``# Question:`` comment (which may run over lines)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = _QUESTION.match(line)
        if match:
            words = [match["first"]]
            for following in lines[i + 1 :]:
                more = _CONTINUATION.match(following)
                if not more:
                    break
                words.append(more["more"])
            question = " ".join(words)
            ends = [i for i in (question.find("? "), question.find(". ")) if i >= 0]
            return question[: min(ends) + 1] if ends else question
    return ""


def load_queries(folder: Path = QUERY_FOLDER) -> list[NamedQuery]:
    return [
        NamedQuery(path.stem, question_of(path.read_text(encoding="utf-8")) or path.stem, path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.rq"))
    ]
