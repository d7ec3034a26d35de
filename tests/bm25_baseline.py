"""A plain BM25 over sentences, in memory: the baseline the Whoosh index is measured against.

Lower-cased word tokens, no stemming, no stop words, Okapi BM25 with k1 = 1.2 and b = 0.75.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

TOKEN = re.compile(r"[a-z0-9]+")
K1, B = 1.2, 0.75


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


@dataclass(frozen=True)
class Passage:
    doc_id: str
    start: int
    end: int
    text: str


class BM25:
    def __init__(self, passages: list[Passage]):
        self.passages = passages
        self.lengths = [len(tokens(p.text)) for p in passages]
        self.average = sum(self.lengths) / max(1, len(passages))
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, passage in enumerate(passages):
            for term, count in Counter(tokens(passage.text)).items():
                self.postings[term].append((i, count))

    def search(self, query: str, limit: int = 10) -> list[Passage]:
        scores: dict[int, float] = defaultdict(float)
        n = len(self.passages)
        for term in set(tokens(query)):
            postings = self.postings.get(term, [])
            idf = math.log(1 + (n - len(postings) + 0.5) / (len(postings) + 0.5))
            for i, count in postings:
                norm = K1 * (1 - B + B * self.lengths[i] / self.average)
                scores[i] += idf * count * (K1 + 1) / (count + norm)
        ranked = sorted(scores, key=lambda i: -scores[i])[:limit]
        return [self.passages[i] for i in ranked]
