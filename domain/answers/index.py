"""A small retrieval index: BM25 picks the candidates, an idf-weighted coverage score in
[0, 1] decides how sure the answer is.

BM25 is the Lucene variant (k1 1.5, b 0.75) that bm25s computes, over an inverted index in
plain Python: the documents are a few hundred short phrasings, each word once, so a query
touches a few dozen postings. That saves importing bm25s and numpy at start (about 0.3 s
here) for the same scores; tests/unit/test_answers.py checks them against bm25s itself.

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


K1 = 1.5  # BM25 term-frequency saturation (bm25s' default)
B = 0.75  # BM25 length normalisation (bm25s' default)


class Bm25:
    """BM25 (Lucene variant) over documents whose tokens are unique."""

    def __init__(self, docs: Sequence[Sequence[str]]) -> None:
        n = len(docs)
        average = sum(len(d) for d in docs) / n if n else 1.0
        self.postings: dict[str, list[int]] = {}
        for i, doc in enumerate(docs):
            for token in doc:
                self.postings.setdefault(token, []).append(i)
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5))
                    for t, p in self.postings.items()}
        # each token once per document: tf is 1, so its part is 1 / (k1 * norm + 1)
        self.part = [1.0 / (K1 * ((1 - B) + B * len(d) / average) + 1.0) for d in docs]
        # what a token adds to each document that has it, computed once
        self._weights = {t: {i: self.idf[t] * self.part[i] for i in p}
                         for t, p in self.postings.items()}

    def scores(self, query: Sequence[str]) -> dict[int, float]:
        """BM25 of every document that has a token of `query` (others score 0)."""
        found: dict[int, float] | None = None
        for token in dict.fromkeys(query):
            weights = self._weights.get(token)
            if weights is None:
                continue
            if found is None:  # the first token's weights as they are (0.0 + w is w)
                found = dict(weights)
                continue
            for i, weight in weights.items():
                found[i] = found.get(i, 0.0) + weight
        return found if found is not None else {}


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
        self._bm25 = Bm25(self._docs)
        self.vocabulary = frozenset(self.idf)

    def search(self, tokens: Sequence[str], *, ignore: frozenset[str] = frozenset(),
               limit: int = 5) -> list[Hit]:
        """Best hit per target. `ignore`: tokens that neither count for nor against."""
        query = [t for t in dict.fromkeys(tokens) if t not in ignore]
        known = [t for t in query if t in self.idf]
        if not known:
            return []
        scores = self._bm25.scores(known)
        # as heapq.nlargest (the same order, ties in insertion order), in C
        top = sorted(scores, key=scores.__getitem__, reverse=True)[:CANDIDATES]
        idf = self.idf
        total = sum(idf.get(t, self.unknown_idf) for t in query)
        best: dict[int, Hit] = {}
        qset = set(query)
        about = qset - self._question_words
        for i in top:
            if scores[i] <= 0:
                continue
            doc = self._docs[i]
            if about.isdisjoint(doc):
                continue  # 'når' alone says nothing about what is asked
            common = qset.intersection(doc)
            target = self._targets[i]
            # the question may combine words of several phrasings of the same answer
            covered = qset.intersection(self._words[target] if target in self._whole
                                        else doc)
            query_share = sum(map(idf.__getitem__, covered)) / total
            doc_share = sum(map(idf.__getitem__, common)) / self._weight[i]
            score = QUERY_WEIGHT * query_share + DOC_WEIGHT * doc_share
            if target not in best or score > best[target].score:
                best[target] = Hit(target, score, frozenset(covered), doc_share,
                                   float(scores[i]))
        # within TIE of each other, BM25 (term frequency, length) decides the order
        return sorted(best.values(), key=lambda h: (-round(h.score / TIE), -h.bm25))[:limit]
