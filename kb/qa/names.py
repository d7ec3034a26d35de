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
    """Matches the names of a table ``{name: (key, label)}``.

    Names are held in two tries of tokens (word runs and single punctuation marks, each with
    whether whitespace comes before it): one of exact tokens for acronyms, one of lower-cased
    tokens for the rest. Finding walks the tries from each word of the text, so its time grows
    with the text, not with the number of names (a REF2014-sized table holds tens of thousands)."""

    def __init__(self, names: dict[str, tuple[str, str]]):
        self._exact: dict = {}
        self._folded: dict = {}
        for form, value in names.items():
            acronym = is_acronym(form)
            node = self._exact if acronym else self._folded
            for token in _tokens(form):
                node = node.setdefault(token if acronym else token.lower(), {})
            node[_END] = (len(form), value)

    def find(self, text: str, masked: tuple[tuple[int, int], ...] = ()) -> list[Mention]:
        """The names in ``text`` in text order, skipping any that overlap a ``masked`` span."""
        tokens = list(_token_spans(text))
        found = []
        resume = 0
        for i, (token, start, _) in enumerate(tokens):
            if start < resume or (start > 0 and _WORD_OR_HYPHEN.match(text, start - 1)):
                continue
            match = self._longest_at(text, tokens, i)
            if match is None:
                continue
            end, name_end, (key, label) = match
            resume = end
            if not any(start < m_end and end > m_start for m_start, m_end in masked):
                found.append(Mention(key, label, text[start:name_end], start, end))
        return found

    def _longest_at(self, text: str, tokens: list, first: int):
        """The longest name starting at token ``first`` whose end is a word boundary (a possessive
        allowed): (end with the possessive, end of the name, value)."""
        candidates = []
        for trie, fold in ((self._exact, False), (self._folded, True)):
            node, previous_end = trie, None
            for token, start, end in tokens[first:]:
                if previous_end is not None:
                    token = (" " if start > previous_end else "") + token
                node = node.get(token.lower() if fold else token)
                if node is None:
                    break
                previous_end = end
                if _END in node:
                    candidates.append((node[_END][0], end, node[_END][1]))
        for _, name_end, value in sorted(candidates, key=lambda c: -c[0]):
            boundary = _POSSESSIVE_BOUNDARY.match(text, name_end)
            if boundary:
                return boundary.end(1), name_end, value
        return None


_END = ""  # the key of a trie node's name, never a token
_TOKEN = re.compile(r"\w+|[^\w\s]")
_WORD_OR_HYPHEN = re.compile(r"[\w-]")
_POSSESSIVE_BOUNDARY = re.compile(rf"({POSSESSIVE})(?![\w-])")


def _token_spans(text: str):
    for m in _TOKEN.finditer(text):
        yield m.group(), m.start(), m.end()


def _tokens(form: str) -> list[str]:
    """The form's tokens, each after the first marked by a leading space when whitespace precedes it."""
    spans = list(_token_spans(form))
    return [token if i == 0 or start == spans[i - 1][2] else " " + token for i, (token, start, _) in enumerate(spans)]


def is_acronym(form: str) -> bool:
    return " " not in form and form.upper() == form and any(c.isalpha() for c in form)
