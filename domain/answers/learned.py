"""A second opinion learned from examples: questions as members typed them, each with the
answer it should get (content/eksempler.yaml), and the phrasings content already stores.

The engine's rules (domain/answers/engine.py) read a question by its words; on questions
nobody tuned them on they miss where a member words things their own way. A linear
classifier over the same examples generalises differently, and the two are wrong on
different questions (measured in bench/answers.py). scikit-learn, made for the job:
- TF-IDF over character n-grams (2-5, inside word boundaries): typos, inflections,
  compounds and nynorsk share most of their n-grams with the forms in the examples;
- TF-IDF over the engine's own retrieval tokens (lemma, stem, synonyms), one and two at a
  time: 'utbetalt' and 'utbetaling' are one token, 'tilskudd' is 'midler';
- a linear SVM (LinearSVC, one-vs-rest) over both. Its decision values have a scale the
  engine can set thresholds on: `Guess.score` for the best target, `Guess.margin` to the
  runner-up.

Fitting takes well under a second for a few thousand examples; a fitted model is kept per
set of examples for the life of the process (tests and the app build the engine often).
Deterministic: liblinear's order is seeded.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from domain.answers.text import Tokenizer
from domain.glossary.matcher import normalize

NGRAMS = (2, 5)  # character n-grams, inside word boundaries
C = 1.0  # the SVM's regularisation (chosen by cross-validation, see bench/answers.py)
SEED = 0


@dataclass(frozen=True)
class Example:
    """A question as typed and the target it should reach: 'rule:<id>', 'event:<id>',
    'command:<name>', 'criterion:<n>', 'events', 'nomatch' or a glossary id."""

    question: str
    target: str


@dataclass(frozen=True)
class Guess:
    target: str
    score: float  # the SVM's decision value for the target (above 0: on its side)
    margin: float  # ahead of the runner-up by this much


def _word_features(tokenize: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    def analyse(text: str) -> list[str]:
        tokens = tokenize(text)
        return [*tokens, *(a + " " + b for a, b in pairwise(tokens))]
    return analyse


class Learned:
    """The fitted classifier; `guess` is pure."""

    def __init__(self, examples: Sequence[Example],
                 synonyms: Mapping[str, tuple[str, ...]]) -> None:
        """`synonyms`: content's synonym map, as the engine's tokens use it."""
        if len({e.target for e in examples}) < 2:
            raise ValueError("Læring trenger eksempler på minst to ulike svar")
        self._model = _fit(tuple(examples), tuple(sorted(synonyms.items())))

    def guess(self, text: str) -> Guess | None:
        plain = normalize(text)
        if not plain:
            return None
        return self._model.guess(plain)


class _Model:
    """Fitted with scikit-learn; a question is then scored here directly (the same
    n-grams, TF-IDF weights and normalisation as the vectorizers' `transform`, checked in
    tests/unit/test_learned.py), without building a sparse matrix per question: that takes
    a fraction of the time."""

    def __init__(self, examples: tuple[Example, ...],
                 tokenize: Callable[[str], list[str]]) -> None:
        # imported here: scikit-learn and SciPy take a while to import, and only the
        # engine needs them
        import numpy as np
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True,
                                lowercase=False)
        words = TfidfVectorizer(analyzer=_word_features(tokenize), sublinear_tf=True)
        texts = [normalize(e.question) for e in examples]
        features = hstack([chars.fit_transform(texts), words.fit_transform(texts)]).tocsr()
        svm = LinearSVC(C=C, random_state=SEED)
        svm.fit(features, [e.target for e in examples])
        self.classes: list[str] = [str(c) for c in svm.classes_]
        offset = len(chars.vocabulary_)
        # per block: its analyzer, and each feature's column and idf
        self._blocks = [
            (chars.build_analyzer(), {f: (int(i), float(chars.idf_[i]))
                                      for f, i in chars.vocabulary_.items()}),
            (words.build_analyzer(), {f: (int(i) + offset, float(words.idf_[int(i)]))
                                      for f, i in words.vocabulary_.items()}),
        ]
        self._np = np
        # feature x class, so a question's few features pick their rows (float32: half the
        # memory, and decision values agree with scikit-learn's to 1e-5)
        self._weights = np.ascontiguousarray(svm.coef_.T, dtype=np.float32)
        self._intercept = np.asarray(svm.intercept_, dtype=np.float32)

    def features(self, plain: str) -> tuple[list[int], list[float]]:
        """The question's TF-IDF features (columns and values), as `transform` gives."""
        columns: list[int] = []
        values: list[float] = []
        for analyse, vocabulary in self._blocks:
            counts: dict[str, int] = {}
            for feature in analyse(plain):
                if feature in vocabulary:
                    counts[feature] = counts.get(feature, 0) + 1
            block = [(vocabulary[f][0], (1.0 + math.log(n)) * vocabulary[f][1])
                     for f, n in counts.items()]
            norm = math.sqrt(sum(v * v for _, v in block)) or 1.0
            columns += [c for c, _ in block]
            values += [v / norm for _, v in block]
        return columns, values

    def decision(self, plain: str) -> Any:
        """The SVM's decision value for each class (as `decision_function`)."""
        columns, values = self.features(plain)
        if not columns:
            return self._intercept.copy()
        np = self._np
        return np.asarray(values, dtype=np.float32) @ self._weights[columns] + self._intercept

    def guess(self, plain: str) -> Guess:
        values = self.decision(plain)
        order = values.argsort()
        best, second = int(order[-1]), int(order[-2])
        return Guess(self.classes[best], float(values[best]),
                     float(values[best] - values[second]))


@lru_cache(maxsize=8)
def _fit(examples: tuple[Example, ...],
         synonyms: tuple[tuple[str, tuple[str, ...]], ...]) -> _Model:
    return _Model(examples, Tokenizer(dict(synonyms)).tokens)
