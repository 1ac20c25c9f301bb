"""A second opinion learned from examples: questions as members typed them, each with the
answer it should get (content/eksempler.yaml), and the phrasings content already stores.

The engine's rules (domain/answers/engine.py) read a question by its words; on questions
nobody tuned them on they miss where a member words things their own way. A linear
classifier over the same examples generalises differently, and the two are wrong on
different questions (measured in bench/answers.py). scikit-learn, made for the job:
- TF-IDF over character n-grams (2-5, inside word boundaries): typos, inflections,
  compounds and nynorsk share most of their n-grams with the forms in the examples;
- TF-IDF over the engine's own retrieval tokens (lemma, stem, synonyms), one and two at a
  time, and each question word with every other token ('?hvem innstill', `ASKING`):
  'utbetalt' and 'utbetaling' are one token, 'tilskudd' is 'midler';
- TF-IDF over the words as typed, one and two at a time: what the tokens make one
  ('fjerne' and 'nye' both next to 'begreper', a filler word dropped) stays apart here
  (cross-validated: 3 567 of 4 201 examples against 3 545 without, the classifier alone);
- a linear SVM (LinearSVC, one-vs-rest) over all three. Its decision values have a scale
  the engine can set thresholds on: `Guess.score` for the best target, `Guess.margin` to
  the runner-up;
- a second SVM over the same features learns only the kind of answer (a term, a rule, an
  event, a command, a how-to, «vet ikke» …), from every example of that kind at once: how a
  question is framed («hva er» against «hvem skal», «vis» against «hvordan») is shared
  across targets there, while a target's own SVM sees only its few examples. Its decision
  for a target's kind is added to the target's (`KIND_WEIGHT`); both are linear in the
  same features, so the sum is one weight matrix and costs nothing per question
  (cross-validated on 5 121 examples, the classifier alone: 3 903 right without, 4 009
  with; the engine: 4 308 without, 4 359 with, as many out-of-scope questions unanswered
  within four; a larger share answered more rules and fewer out-of-scope questions).

Fitting takes about nine seconds with 5 974 examples (6.3 s without the kinds' SVM, measured
in one process in session 9), in a child process (scikit-learn is imported there, not in
the serving process); the fit is kept in a cache folder for the next start, and in
memory per set of examples for the life of the process (tests and the app build the
engine often). Deterministic: liblinear's order is seeded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from itertools import pairwise
from pathlib import Path
from typing import Any

from domain.answers.text import Tokenizer
from domain.glossary.matcher import normalize

NGRAMS = (2, 5)  # character n-grams, inside word boundaries
C = 1.0  # the SVM's regularisation (chosen by cross-validation, see bench/answers.py)
KIND_WEIGHT = 0.25  # the kind SVM's share of a target's decision value
SEED = 0
# æ, ø and å as typed without them, for the character n-grams only (cross-validated, the
# classifier alone on 6 332 examples: 5 117 right against 5 112 unfolded, and 2 743 against
# 2 655 of the 3 491 with one of the letters when they are typed folded)
FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Example:
    """A question as typed and the target it should reach: 'rule:<id>', 'event:<id>',
    'command:<name>', 'criterion:<n>', 'events', 'nomatch' or a glossary id."""

    question: str
    target: str


def kind_of(target: str) -> str:
    """The kind of answer a target is: its prefix ('rule', 'event', 'command', …),
    'events', 'nomatch' or 'badinput' as they are, and 'term' for a glossary id."""
    if ":" in target:
        return target.split(":", 1)[0]
    return target if target in ("events", "nomatch", "badinput") else "term"


@dataclass(frozen=True)
class Guess:
    target: str
    score: float  # the SVM's decision value for the target (above 0: on its side)
    margin: float  # ahead of the runner-up by this much


# the words a question asks with: each is paired with every other token of the question
# ('?hvem innstill'), for what a question asks about something shows where its words are far
# apart: 'hvem lager egentlig innstillingen' is a rule, 'hva er innstilling' a term
# (cross-validated on 15 358 examples: 14 086 right against 14 043 at random, 14 013 against
# 13 968 by writer, more out-of-scope questions left unanswered in both; on the 5 331
# questions of the held-out batches 2 and 4-25, 5 081 against 5 064, no kind lower)
# Not the engine's QUESTION_TOKENS: this list was measured with the nynorsk and English
# question words and without 'mange' and 'mye', and the engine imports this module.
ASKING = ("hvem", "hva", "når", "hvor", "hvordan", "hvorfor", "hvilken", "hvilke", "kven",
          "kva", "korleis", "kvifor", "kor", "who", "what", "when", "how", "why", "which",
          "where")


def _word_features(tokenize: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    asking = frozenset(t for w in ASKING for t in tokenize(w)[:1])

    def analyse(text: str) -> list[str]:
        tokens = tokenize(text)
        return [*tokens, *(a + " " + b for a, b in pairwise(tokens)),
                *("?" + q + " " + t for q in tokens if q in asking
                  for t in tokens if t not in asking)]
    return analyse


class Learned:
    """The fitted classifier; `guess` is pure."""

    def __init__(self, examples: Sequence[Example],
                 synonyms: Mapping[str, tuple[str, ...]], cache: Path | None = None) -> None:
        """`synonyms`: content's synonym map, as the engine's tokens use it; `cache`: a
        folder where a fit is kept for the next process (none: fitted every start)."""
        if len({e.target for e in examples}) < 2:
            raise ValueError("Læring trenger eksempler på minst to ulike svar")
        self._model = _fit(tuple(examples), tuple(sorted(synonyms.items())), cache)

    def guess(self, text: str) -> Guess | None:
        plain = normalize(text)
        if not plain:
            return None
        return self._model.guess(plain)

    def nearest(self, text: str, kind: str, besides: str) -> Guess | None:
        """The best target of `kind` other than `besides`, with its decision value and how
        far it is behind the best target of all (as `margin`), or None."""
        plain = normalize(text)
        if not plain:
            return None
        return self._model.nearest(plain, kind, besides)


def typed_words(text: str) -> list[str]:
    """The normalized words as typed, and each pair of neighbours."""
    found = text.split()
    return [*found, *(a + " " + b for a, b in pairwise(found))]


def char_ngrams(text: str) -> list[str]:
    """Character n-grams inside word boundaries, as scikit-learn's 'char_wb' analyzer
    makes them (each word padded with a space; a word shorter than n once, whole), of the
    words with æ, ø and å folded (`FOLD`): 'nar' and 'paminnelser', typed on a keyboard
    without them, share their n-grams with 'når' and 'påminnelser'."""
    found: list[str] = []
    low, high = NGRAMS
    for word in text.translate(FOLD).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            found += [padded[i:i + n] for i in range(max(1, len(padded) - n + 1))]
            if len(padded) <= n:
                break
    return found


@dataclass(frozen=True)
class _Fitted:
    """What a fit leaves: plain lists and arrays (NumPy), so it crosses from a child
    process without scikit-learn."""

    classes: list[str]
    chars: dict[str, tuple[int, float]]  # n-gram -> (column, idf)
    words: dict[str, tuple[int, float]]  # token or token pair -> (column, idf)
    typed: dict[str, tuple[int, float]]  # word or word pair as typed -> (column, idf)
    weights: Any  # feature x class, float32
    intercept: Any  # per class, float32


def fit(examples: tuple[Example, ...],
        synonyms: tuple[tuple[str, tuple[str, ...]], ...]) -> _Fitted:
    """Fit with scikit-learn (TF-IDF x 2, LinearSVC). Run in a child process by `_fit`:
    scikit-learn and SciPy would add about 100 MB to the serving process for good."""
    import numpy as np
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    tokenize = Tokenizer(dict(synonyms)).tokens
    chars = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True)
    words = TfidfVectorizer(analyzer=_word_features(tokenize), sublinear_tf=True)
    typed = TfidfVectorizer(analyzer=typed_words, sublinear_tf=True)
    texts = [normalize(e.question) for e in examples]
    features = hstack([chars.fit_transform(texts), words.fit_transform(texts),
                       typed.fit_transform(texts)]).tocsr()
    def fitted(labels: list[str]) -> tuple[list[str], Any, Any]:
        svm = LinearSVC(C=C, random_state=SEED)
        svm.fit(features, labels)
        coef, intercept = svm.coef_, svm.intercept_
        if len(svm.classes_) == 2:  # one decision value, for the second class: one each
            coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
        return [str(c) for c in svm.classes_], coef, intercept

    classes, coef, intercept = fitted([e.target for e in examples])
    kinds = [kind_of(e.target) for e in examples]
    if len(set(kinds)) > 1:
        named, kind_coef, kind_intercept = fitted(kinds)
        column = [named.index(kind_of(c)) for c in classes]
        coef = coef + KIND_WEIGHT * kind_coef[column]
        intercept = intercept + KIND_WEIGHT * kind_intercept[column]
    offset = len(chars.vocabulary_)
    after = offset + len(words.vocabulary_)
    return _Fitted(
        classes=classes,
        chars={f: (int(i), float(chars.idf_[i])) for f, i in chars.vocabulary_.items()},
        words={f: (int(i) + offset, float(words.idf_[i]))
               for f, i in words.vocabulary_.items()},
        typed={f: (int(i) + after, float(typed.idf_[i]))
               for f, i in typed.vocabulary_.items()},
        # float32: half the memory, and decision values agree with scikit-learn's to 1e-5
        weights=np.ascontiguousarray(coef.T, dtype=np.float32),
        intercept=np.asarray(intercept, dtype=np.float32))


class _Model:
    """A question scored from the fit directly (the same n-grams, TF-IDF weights and
    normalisation as the vectorizers' `transform`, checked against scikit-learn in
    tests/unit/test_learned.py), without a sparse matrix per question."""

    WORDS_KEPT = 16384  # words whose n-gram columns are remembered (about 6 MB at most)
    SCORED_KEPT = 8  # questions whose decision values are remembered (the guess, then the
    #                  rule nearest to the answer, read the same question)

    def __init__(self, fitted: _Fitted, tokenize: Callable[[str], list[str]]) -> None:
        import numpy as np

        self._np = np
        self.classes = fitted.classes
        self._chars = fitted.chars
        self._words = fitted.words
        self._typed = fitted.typed
        self._analyse = _word_features(tokenize)
        self._idf = np.zeros(fitted.weights.shape[0])  # by column
        for column, idf in (*fitted.chars.values(), *fitted.words.values(),
                            *fitted.typed.values()):
            self._idf[column] = idf
        self._weights = fitted.weights
        self._intercept = fitted.intercept
        # char_wb n-grams never cross a word, so a word's columns are the same in every
        # question: found once, remembered (the n-grams were most of a question's time)
        self._word_columns = lru_cache(maxsize=self.WORDS_KEPT)(self._columns)
        self._of_kind: dict[str, list[int]] = {}  # kind -> its classes' columns
        for i, target in enumerate(self.classes):
            self._of_kind.setdefault(kind_of(target), []).append(i)
        self._scored = lru_cache(maxsize=self.SCORED_KEPT)(self._read_only_decision)

    def _columns(self, word: str) -> tuple[int, ...]:
        vocabulary = self._chars
        return tuple(vocabulary[g][0] for g in char_ngrams(word) if g in vocabulary)

    def features(self, plain: str) -> tuple[Any, Any]:
        """The question's TF-IDF features (columns and values, NumPy arrays), as
        `transform` gives: per block, (1 + log count) x idf, scaled to length 1."""
        np = self._np
        chars: Counter[int] = Counter()
        for word in plain.split():
            chars.update(self._word_columns(word))
        words = Counter(self._words[f][0] for f in self._analyse(plain) if f in self._words)
        typed = Counter(self._typed[f][0] for f in typed_words(plain) if f in self._typed)
        columns, values = [], []
        for counts in (chars, words, typed):
            if not counts:
                continue
            found = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weight = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64,
                                               count=len(counts)))) * self._idf[found]
            columns.append(found)
            values.append(weight / np.sqrt(weight @ weight))
        if not columns:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(columns), np.concatenate(values)

    def decision(self, plain: str) -> Any:
        """The SVM's decision value for each class (as `decision_function`)."""
        columns, values = self.features(plain)
        if not len(columns):
            return self._intercept.copy()
        return values.astype(self._np.float32) @ self._weights[columns] + self._intercept

    def _read_only_decision(self, plain: str) -> Any:
        values = self.decision(plain)
        values.setflags(write=False)  # shared by every caller of `_scored`
        return values

    def nearest(self, plain: str, kind: str, besides: str) -> Guess | None:
        values = self._scored(plain)
        columns = [i for i in self._of_kind.get(kind, ()) if self.classes[i] != besides]
        if not columns:
            return None
        best = columns[int(values[columns].argmax())]
        score = float(values[best])
        return Guess(self.classes[best], score, float(values.max()) - score)

    def guess(self, plain: str) -> Guess:
        values = self._scored(plain)
        order = values.argsort()
        best, second = int(order[-1]), int(order[-2])
        return Guess(self.classes[best], float(values[best]),
                     float(values[best] - values[second]))


CACHE_FORMAT = 5  # bump when what a cache file holds, or how its features are read, changes
CACHE_KEEP = 3  # fits kept in the cache folder (about 200 MB each with 27 243 examples)
FIT_SECONDS = 300  # a child that has not fitted by then is given up


@lru_cache(maxsize=8)
def _fit(examples: tuple[Example, ...], synonyms: tuple[tuple[str, tuple[str, ...]], ...],
         cache: Path | None = None) -> _Model:
    """The fitted model: from `cache` if a file there was fitted from the same examples,
    synonyms, settings and scikit-learn version; otherwise fitted in a child process
    (`fit_elsewhere`), so the serving process never imports scikit-learn, and written to
    `cache` for the next process (a restart, another replica). In this process if a child
    cannot be started."""
    path = cache / f"spor-kompis-{_key(examples, synonyms)}.npz" if cache else None
    fitted = _read(path) if path is not None else None
    if fitted is None:
        try:
            fitted = fit_elsewhere(examples, synonyms)
        except (OSError, subprocess.SubprocessError) as exc:  # pragma: no cover
            log.warning("Lærer Spør Kompis i denne prosessen (%s)", exc)
            fitted = fit(examples, synonyms)
        if path is not None:
            _write(path, fitted)
    return _Model(fitted, Tokenizer(dict(synonyms)).tokens)


def fit_elsewhere(examples: tuple[Example, ...],
                  synonyms: tuple[tuple[str, tuple[str, ...]], ...]) -> _Fitted:
    """`fit` in a fresh Python process (`python -m domain.answers.learned`): the examples
    go in as JSON, the fit comes back as a cache file. Unlike multiprocessing, nothing of
    this process (its main module, its event loop) is started again in the child."""
    payload = json.dumps({"examples": [[e.question, e.target] for e in examples],
                          "synonyms": synonyms}, ensure_ascii=False).encode()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "fit.npz"
        subprocess.run([sys.executable, "-m", __name__, str(out)], input=payload,
                       capture_output=True, check=True, timeout=FIT_SECONDS)
        fitted = _read(out)
    if fitted is None:
        raise OSError("den lærte modellen kom ikke tilbake")
    return fitted


def _key(examples: tuple[Example, ...],
         synonyms: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    try:
        library = version("scikit-learn")
    except PackageNotFoundError:  # pragma: no cover - a dependency
        library = "?"
    data = json.dumps([CACHE_FORMAT, library, NGRAMS, C, KIND_WEIGHT, SEED,
                       [(e.question, e.target) for e in examples], synonyms],
                      ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:24]


def _read(path: Path) -> _Fitted | None:
    """A cache file as a fit, or None (missing, unreadable or not as written): never
    pickles, so a file someone else wrote cannot run code."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode())
            weights, intercept = data["weights"], data["intercept"]
        classes = [str(c) for c in meta["classes"]]
        chars = {str(f): (int(c), float(i)) for f, (c, i) in meta["chars"].items()}
        words = {str(f): (int(c), float(i)) for f, (c, i) in meta["words"].items()}
        typed = {str(f): (int(c), float(i)) for f, (c, i) in meta["typed"].items()}
        if weights.shape != (len(chars) + len(words) + len(typed), len(classes)) or \
                intercept.shape != (len(classes),):
            raise ValueError("formen stemmer ikke")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("Leser ikke %s (%s); lærer på nytt", path, exc)
        return None
    return _Fitted(classes, chars, words, typed, weights, intercept)


def _write(path: Path, fitted: _Fitted) -> None:
    """Written whole or not at all (a temporary file, then renamed)."""
    import numpy as np

    meta = json.dumps({"classes": fitted.classes, "chars": fitted.chars,
                       "words": fitted.words, "typed": fitted.typed},
                      ensure_ascii=False).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz",
                                         delete=False) as handle:
            np.savez(handle, weights=fitted.weights, intercept=fitted.intercept,
                     meta=np.frombuffer(meta, dtype=np.uint8))
        os.chmod(handle.name, 0o644)  # replicas under another user may read it (no secret)
        os.replace(handle.name, path)
        # fits of older content: the newest few stay (replicas may run two versions)
        older = sorted(path.parent.glob("spor-kompis-*.npz"),
                       key=lambda p: p.stat().st_mtime, reverse=True)[CACHE_KEEP:]
        for stale in older:
            stale.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("Kan ikke lagre den lærte modellen i %s (%s)", path, exc)


def main() -> None:
    """The child of `fit_elsewhere`: examples as JSON on stdin, the fit to argv[1]."""
    data = json.loads(sys.stdin.buffer.read().decode())
    examples = tuple(Example(q, t) for q, t in data["examples"])
    synonyms = tuple((str(k), tuple(v)) for k, v in data["synonyms"])
    _write(Path(sys.argv[1]), fit(examples, synonyms))


if __name__ == "__main__":
    main()
