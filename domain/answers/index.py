"""A small retrieval index: BM25 (bm25s) picks the candidates, an idf-weighted coverage
score in [0, 1] decides how sure the answer is.

BM25 ranks well but its scores have no fixed scale, so they cannot carry thresholds.
Coverage can: `query_share` is the part of the question's weight the document explains,
`doc_share` the part of the document the question asks about; a question whose words are
all in a stored phrasing, and little else, scores near 1. Unknown words weigh as the
rarest known word, so 'hva er været i morgen' cannot borrow a confident score from 'hva'.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

QUERY_WEIGHT = 0.7  # share of the score from how much of the question is explained
DOC_WEIGHT = 0.3  # ... and from how much of the stored phrasing was asked about
CANDIDATES = 24  # documents BM25 hands on for scoring
TIE = 0.02  # coverage scores this close are ordered by BM25
QUESTION_SHARE = 0.5  # question words ('hvem', 'når') weigh half of their idf


@dataclass(frozen=True)
class Hit:
    target: int  # index into the caller's targets
    score: float  # 0..1
    matched: frozenset[str]
    doc_share: float = 0.0  # of the best phrasing: how much of it the question asked about
    bm25: float = 0.0  # BM25 of that phrasing: breaks ties between close coverage scores


class Index:
    """Documents (token tuples), each belonging to a target; `search` gives the best
    hit per target, best first."""

    def __init__(self, docs: Sequence[tuple[tuple[str, ...], int]], *,
                 question_words: frozenset[str] = frozenset(),
                 whole: frozenset[int] = frozenset()) -> None:
        """`whole`: targets whose phrasings are read as one (the question may combine
        words of several); the others are scored phrasing by phrasing."""
        self._whole = whole
        kept = [(tuple(dict.fromkeys(t)), target) for t, target in docs if t]
        self._docs = [d for d, _ in kept]
        self._targets = [t for _, t in kept]
        frequency: dict[str, int] = {}
        for doc in self._docs:
            for token in doc:
                frequency[token] = frequency.get(token, 0) + 1
        n = max(1, len(self._docs))
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5))
                    * (QUESTION_SHARE if t in question_words else 1.0)
                    for t, f in frequency.items()}
        self._question_words = question_words
        self.unknown_idf = max(self.idf.values(), default=1.0)
        self._weight = [sum(self.idf[t] for t in d) for d in self._docs]
        self._words: dict[int, set[str]] = {}  # every token of every phrasing of a target
        for doc, target in zip(self._docs, self._targets, strict=True):
            self._words.setdefault(target, set()).update(doc)
        self._bm25 = bm25s.BM25()
        if self._docs:
            self._bm25.index([list(d) for d in self._docs], show_progress=False)

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self.idf)

    def search(self, tokens: Sequence[str], *, ignore: frozenset[str] = frozenset(),
               limit: int = 5) -> list[Hit]:
        """Best hit per target. `ignore`: tokens that neither count for nor against."""
        query = [t for t in dict.fromkeys(tokens) if t not in ignore]
        known = [t for t in query if t in self.idf]
        if not known:
            return []
        scores = self._bm25.get_scores(known)
        count = min(CANDIDATES, len(scores))
        top = np.argpartition(-scores, count - 1)[:count]
        total = sum(self.idf.get(t, self.unknown_idf) for t in query)
        best: dict[int, Hit] = {}
        qset = set(query)
        for i in top.tolist():
            if scores[i] <= 0:
                continue
            doc = self._docs[i]
            common = qset.intersection(doc)
            if common <= self._question_words:
                continue  # 'når' alone says nothing about what is asked
            target = self._targets[i]
            # the question may combine words of several phrasings of the same answer
            covered = qset.intersection(self._words[target] if target in self._whole
                                        else doc)
            query_share = sum(self.idf[t] for t in covered) / total
            doc_share = sum(self.idf[t] for t in common) / self._weight[i]
            score = QUERY_WEIGHT * query_share + DOC_WEIGHT * doc_share
            if target not in best or score > best[target].score:
                best[target] = Hit(target, score, frozenset(covered), doc_share,
                                   float(scores[i]))
        # within TIE of each other, BM25 (term frequency, length) decides the order
        return sorted(best.values(), key=lambda h: (-round(h.score / TIE), -h.bm25))[:limit]
