"""Finding known names in a piece of text: entities by their labels and aliases, populations by
their wordings.

A ``NameMatcher`` matches whole words, longest name first, an acronym ("DH", "IBSEN") exactly and
any other name in any case and spacing, with or without a possessive ("Richmond's"). It serves the
question analysis and the tables (which entities a document's title or publisher names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

POSSESSIVE = r"(?:['’]s?)?"


@dataclass(frozen=True)
class Mention:
    """A name found in a text: the key and label of what it names, and the words used."""

    key: str
    label: str
    surface: str
    start: int
    end: int


class NameMatcher:
    """Matches the names of a table ``{name: (key, label)}``."""

    def __init__(self, names: dict[str, tuple[str, str]]):
        self._exact = {form: value for form, value in names.items() if is_acronym(form)}
        self._folded = {_fold(form): value for form, value in names.items() if not is_acronym(form)}
        forms = sorted(names, key=len, reverse=True)
        alternatives = "|".join(_alternative(form) for form in forms)
        self._pattern = re.compile(rf"(?<![\w-])({alternatives}){POSSESSIVE}(?![\w-])") if forms else None

    def find(self, text: str, masked: tuple[tuple[int, int], ...] = ()) -> list[Mention]:
        """The names in ``text`` in text order, skipping any that overlap a ``masked`` span."""
        if self._pattern is None:
            return []
        found = []
        for m in self._pattern.finditer(text):
            if any(m.start() < end and m.end() > start for start, end in masked):
                continue
            surface = m.group(1)
            key, label = self._exact.get(surface) or self._folded[_fold(surface)]
            found.append(Mention(key, label, surface, m.start(), m.end()))
        return found


def is_acronym(form: str) -> bool:
    return " " not in form and form.upper() == form and any(c.isalpha() for c in form)


def _fold(form: str) -> str:
    return " ".join(form.split()).casefold()


def _alternative(form: str) -> str:
    body = r"\s+".join(re.escape(word) for word in form.split())
    return body if is_acronym(form) else f"(?i:{body})"
