"""Find the glossary entry a question is about: stemming, abbreviations and typos.

Pure and precomputed: the constructor indexes every term, synonym and abbreviation; a
question then costs a few dictionary look-ups and one small fuzzy search. Scores run
0-100; the thresholds below decide between answering, asking «Mente du …?» and saying
honestly that Kompis does not know.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import snowballstemmer
from rapidfuzz import fuzz, process

from domain.glossary.models import Criteria, Criterion, Entry, Glossary

CONFIDENT = 85.0  # at or above: answer
MARGIN = 6.0  # the best must lead the next entry by this much to answer outright
CANDIDATE = 70.0  # at or above (but not confident): offer as «Mente du …?»
FUZZY_WEIGHT = 0.95  # a typo match never outranks an exact one
PHRASE_FUZZY_WEIGHT = 0.9
MIN_FUZZY_TOKEN = 5  # shorter words are too easy to confuse ('vedtak'/'tiltak')

# Words that carry the question, not its subject (bokmål, nynorsk, English).
STOP_WORDS = frozenset("""
hva hvad va kva er e betyr betyder tyder meiner mener menes forklar forklare forklaring beskriv
beskrive definer definere definisjon definisjonen av på pa med om i det den de dei ein eit en et
ei for noe noko no nå egentlig eigentleg litt meg oss deg du kan si sei fortell fortelle ordet
begrepet begrep omgrepet uttrykket hvordan korleis hvorfor kvifor brukes bruker vi dere hei
hallo kompis please takk what whats what's is are does do mean means meaning explain define
definition the a an of about tell me term word by og
""".split())
DATE_START = ("når", "naar", "nar", "when", "kva tid", "hvilken dato", "hvilke datoer",
              "hva er fristen", "hva er datoen", "hvilken frist", "kva er fristen")
_CRITERION = re.compile(
    r"\bkriteri(?:um|et|e|a|ene|ane|er)?\s*(?:nr\.?\s*|nummer\s*)?(\d{1,2})\b")
_COMPARE = re.compile(
    r"(?:forskjell(?:en)?|skilnad(?:en)?|difference)\s+(?:på|pa|mellom|between)\s+(.+?)"
    r"\s+(?:og|and|vs|versus)\s+(.+)$")
_PUNCT = re.compile(r"[^\w\s/-]+")
_STEMMER = snowballstemmer.stemmer("norwegian")


# Accents people type or leave out (Sámi letters included); æ, ø and å stay as they are.
_FOLD = str.maketrans("áàâéèêëíìóòôúùüčšŋđŧž", "aaaeeeeiiooouuucsndtz")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    text = re.sub(r"<at>.*?</at>", " ", text)
    return " ".join(_PUNCT.sub(" ", text).replace("/", " ").split())


def stems(words: list[str]) -> tuple[str, ...]:
    return tuple(_STEMMER.stemWord(w) for w in words)


@dataclass(frozen=True)
class Scored:
    entry: Entry
    score: float


@dataclass(frozen=True)
class Answer:
    entry: Entry
    score: float


@dataclass(frozen=True)
class Compare:
    first: Entry
    second: Entry


@dataclass(frozen=True)
class Ambiguous:
    candidates: tuple[Scored, ...]


@dataclass(frozen=True)
class CriterionAnswer:
    number: int
    criterion: Criterion | None


@dataclass(frozen=True)
class DateQuestion:
    entry: Entry | None
    text: str


@dataclass(frozen=True)
class NoMatch:
    suggestions: tuple[Scored, ...]


Match = Answer | Compare | Ambiguous | CriterionAnswer | DateQuestion | NoMatch


class Matcher:
    def __init__(self, glossary: Glossary, criteria: Criteria) -> None:
        self.glossary = glossary
        self.criteria = criteria
        self._exact: dict[str, set[str]] = {}
        self._stem_keys: list[tuple[frozenset[str], str]] = []
        self._token_keys: dict[str, set[str]] = {}  # single-word key stem -> entries
        self._phrases: list[str] = []
        self._phrase_ids: list[str] = []
        self._by_id = {e.id: e for e in glossary.entries}
        for entry in glossary.entries:
            for abbreviation in entry.abbreviations:
                self._exact.setdefault(normalize(abbreviation), set()).add(entry.id)
            for key in (entry.term, *entry.synonyms):
                norm = normalize(key)
                content = [w for w in norm.split() if w not in STOP_WORDS] or norm.split()
                self._exact.setdefault(norm, set()).add(entry.id)
                self._exact.setdefault(" ".join(content), set()).add(entry.id)
                key_stems = stems(content)
                self._stem_keys.append((frozenset(key_stems), entry.id))
                if len(key_stems) == 1:
                    self._token_keys.setdefault(key_stems[0], set()).add(entry.id)
                self._phrases.append(norm)
                self._phrase_ids.append(entry.id)

        self._token_list = list(self._token_keys)

    def entries_sorted(self) -> list[Entry]:
        """Every entry, alphabetically by term (Norwegian letters last, as in a dictionary)."""
        return sorted(self.glossary.entries, key=lambda e: normalize(e.term)
                      .replace("æ", "{").replace("ø", "|").replace("å", "}"))

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def match(self, question: str) -> Match:
        text = normalize(question)
        if not text:
            return NoMatch(())
        criterion = _CRITERION.search(text)
        if criterion:
            number = int(criterion.group(1))
            return CriterionAnswer(number, self.criteria.get(number))
        compare = _COMPARE.search(text)
        if compare:
            first, second = (self._decide(side) for side in compare.groups())
            if isinstance(first, Answer) and isinstance(second, Answer) \
                    and first.entry.id != second.entry.id:
                return Compare(first.entry, second.entry)
        if text.startswith(DATE_START):
            decided = self._decide(text)
            return DateQuestion(decided.entry if isinstance(decided, Answer) else None, text)
        return self._decide(text)

    def rank(self, text: str) -> list[Scored]:
        """Every entry with a score above zero for this text, best first."""
        words = [w for w in normalize(text).split() if w not in STOP_WORDS]
        if not words:
            return []
        phrase = " ".join(words)
        best: dict[str, float] = {}

        def offer(entry_id: str, score: float) -> None:
            if score > best.get(entry_id, 0.0):
                best[entry_id] = score

        for entry_id in self._exact.get(phrase, ()):
            offer(entry_id, 100.0)
        for word in words:
            for entry_id in self._exact.get(word, ()):
                offer(entry_id, 98.0 if len(words) == 1 else 92.0)
        phrase_stems = stems(words)
        stem_set = set(phrase_stems)
        for key_stems, entry_id in self._stem_keys:
            if key_stems <= stem_set:
                offer(entry_id, 80.0 + 19.0 * len(key_stems) / len(stem_set))
            elif stem_set < key_stems:  # part of a longer term: 'plan' in 'langsiktig plan'
                offer(entry_id, 62.0 + 16.0 * len(stem_set) / len(key_stems))
        for word_stem in phrase_stems:
            if len(word_stem) < MIN_FUZZY_TOKEN:
                continue
            for key_stem, found, _ in process.extract(word_stem, self._token_list,
                                                      scorer=fuzz.ratio, limit=3,
                                                      score_cutoff=80):
                for entry_id in self._token_keys[key_stem]:
                    coverage = 1.0 if len(words) == 1 else 0.93
                    offer(entry_id, found * FUZZY_WEIGHT * coverage)
                if len(key_stem) >= 8 and key_stem in word_stem and key_stem != word_stem:
                    for entry_id in self._token_keys[key_stem]:
                        offer(entry_id, 86.0)  # a compound: 'behovsmeldingsfristen'
        if len(words) > 1:
            for _, score, index in process.extract(phrase, self._phrases,
                                                   scorer=fuzz.token_sort_ratio, limit=3,
                                                   score_cutoff=75):
                offer(self._phrase_ids[index], score * PHRASE_FUZZY_WEIGHT)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        return [Scored(self._by_id[entry_id], round(score, 1)) for entry_id, score in ranked]

    def _decide(self, text: str) -> Answer | Ambiguous | NoMatch:
        ranked = self.rank(text)
        if not ranked:
            return NoMatch(())
        top = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if top.score >= CONFIDENT and (top.score - runner_up >= MARGIN
                                       or runner_up < CANDIDATE):
            return Answer(top.entry, top.score)
        close = tuple(s for s in ranked[:3] if s.score >= CANDIDATE)
        if close:
            return Ambiguous(close)  # «Mente du …?», even with one candidate
        return NoMatch(tuple(ranked[:3]))
