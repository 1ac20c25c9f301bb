"""From a typed question to retrieval tokens: words, lemmas, stems, canonical forms.

Each word is lower-cased and cleaned (the glossary's `normalize`), question scaffolding in
nynorsk and English is mapped to bokmål ('kven' -> 'hvem', 'when' -> 'når'), filler words
are dropped, and the rest goes through simplemma's bokmål/nynorsk lemma lists (utbetalt,
utbetales -> utbetale) and then the Snowball stemmer (behovsmeldingen -> behovsmelding). A
last derivational step joins a verb and its -ing noun (rapportere/rapportering,
utbetale/utbetaling), and the synonym map from content/sporsmal.yaml joins words the
sources use for the same thing (midler/tilskudd).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import simplemma
import snowballstemmer

from domain.glossary.matcher import normalize

# Question words in nynorsk and English, written as their bokmål form: they carry meaning
# ('hvem' vs 'når' vs 'hvordan'), so they stay, but one form each.
SCAFFOLD = {
    "kven": "hvem", "who": "hvem", "whom": "hvem",
    "kva": "hva", "what": "hva", "whats": "hva",
    "korleis": "hvordan", "how": "hvordan", "kordan": "hvordan",
    "kor": "hvor", "where": "hvor",
    "when": "når", "naar": "når", "nar": "når",
    "many": "mange", "much": "mye", "mykje": "mye",
    "kvifor": "hvorfor", "why": "hvorfor",
    "kva tid": "når", "kva dag": "når", "kva dato": "når", "hvilken dag": "når",
    "hvilken dato": "når", "hva dato": "når", "what date": "når", "which date": "når",
    "which day": "når", "what day": "når",
    "happens": "skjer", "happen": "skjer", "happening": "skjer",
}
# Dialect words for the question words and the little words around them, as members in
# Trøndelag and the north write them ('ka e fristen', 'kem bestemme', 'korsn får æ …',
# 'itj levert'), with the bokmål word the engine's cues know. Only words that are no
# bokmål or nynorsk word of their own ('kor', 'e' and 'før' are, and stay as typed).
DIALECT = {
    "ka": "hva", "kå": "hva", "kem": "hvem", "kæm": "hvem", "kæin": "hvem",
    "korsn": "hvordan", "kossen": "hvordan", "koss": "hvordan", "åssen": "hvordan",
    "åsn": "hvordan", "kåssen": "hvordan", "kordan": "hvordan", "korles": "hvordan",
    "kolles": "hvordan",
    "æ": "jeg", "itj": "ikke", "ittj": "ikke", "ikkj": "ikke", "ittje": "ikke",
    "tel": "til", "dæm": "dem", "vess": "hvis",
}
_DIALECT_WORD = re.compile(r"(?<![\w@])(" + "|".join(sorted(DIALECT, key=len, reverse=True))
                           + r")(?![\w@])", re.IGNORECASE)


def standard(text: str) -> str:
    """`text` with the dialect words of DIALECT in their bokmål form ('ka e fristen' ->
    'hva e fristen'); everything else as typed."""
    return _DIALECT_WORD.sub(lambda found: DIALECT[found.group(1).lower()], text)


# Words that say nothing about the subject; dropped before retrieval.
FILLER = frozenset("""
er e var vere være vera har ha hadde blir bli ble vert vart verte vorte blitt a å og eller i
på pa av til for med om fra frå ved hos som at det den de dei denne dette disse eit ein en et ei
jeg eg vi me du dere dykk dei han hun ho meg oss deg seg sin sitt sine vår vårt våre
min mitt mine din ditt dine deres dykkar kan kunne skal skulle må ma vil ville bør burde
gjerne nå no så da jo vel nok bare berre også ja nei litt noe noko noen nokon
egentlig eigentleg eigentlig lurer lure spørsmål sporsmal spør sporre sporja
hei hallo kompis please pls takk
undrer undres lurte tenker tenkte tenkjer liksom altså forresten kanskje sikkert bare
wonder wondering dersom viss
the a an of is are was be been to in on at for with do does did can could should would
i me my we our us you your it this that there please about out due get gets will by
""".split())
# Endings after stemming that only make a noun of a verb: 'rapporter' + 'ing'.
_DERIVATION = ("ing", "inga", "ingar")
_STEMMER = snowballstemmer.stemmer("norwegian")
_LANGS = ("nb", "nn")


@lru_cache(maxsize=32768)
def _lemma(word: str) -> str:
    if word.isdigit() or len(word) < 3:
        return word
    try:
        return str(simplemma.lemmatize(word, lang=_LANGS)).lower()
    except (ValueError, KeyError):  # pragma: no cover - simplemma is forgiving
        return word


@lru_cache(maxsize=32768)
def known(word: str) -> bool:
    """A word of bokmål or nynorsk (simplemma's lists): 'leder' and 'permisjon' are words
    of their own, not typos of 'lever' and 'person'."""
    try:
        return bool(simplemma.is_known(word, lang=_LANGS))
    except (ValueError, KeyError):  # pragma: no cover - simplemma is forgiving
        return False


@lru_cache(maxsize=32768)
def base(word: str) -> str:
    """The retrieval form of one normalized word: lemma, stem, no -ing."""
    stem: str = _STEMMER.stemWord(_lemma(word))
    for ending in _DERIVATION:
        if stem.endswith(ending) and len(stem) - len(ending) >= 5:
            return stem[: -len(ending)]
    return stem


def words(text: str) -> list[str]:
    """Normalized words with scaffolding mapped to bokmål ('kva tid' -> 'når')."""
    found = [part for word in normalize(text).split() for part in (
        [word] if "-" not in word else [p for p in word.split("-") if p])]
    result: list[str] = []
    i = 0
    while i < len(found):
        pair = " ".join(found[i:i + 2])
        if pair in SCAFFOLD:
            result.append(SCAFFOLD[pair])
            i += 2
            continue
        result.append(SCAFFOLD.get(found[i], found[i]))
        i += 1
    return result


def _phrase_at(bases: list[str], found: list[str], start: int,
               phrase: tuple[str, ...]) -> list[int] | None:
    """Positions of `phrase` from `start`, allowing a few filler words inside it: a
    question puts the subject in the middle ('skrur *jeg* av', 'tar *dere* imot')."""
    if bases[start] != phrase[0]:
        return None
    span = [start]
    i = start + 1
    for part in phrase[1:]:
        skipped = 0
        while i < len(found) and bases[i] != part and found[i] in FILLER and skipped < 2:
            i += 1
            skipped += 1
        if i >= len(found) or bases[i] != part:
            return None
        span.append(i)
        i += 1
    return span


class Tokenizer:
    """Turns text into retrieval tokens; `synonyms` maps a token to its canonical token."""

    TEXTS_KEPT = 512  # texts whose words are remembered (a question is read several times)

    def __init__(self, synonyms: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self._canonical: dict[str, str] = {}
        # ('need', 'report') -> 'behovsmelding': phrases matched on base forms, so
        # 'skrur av' is found as 'skru av'
        self._phrases: list[tuple[tuple[str, ...], str]] = []
        for canonical, variants in (synonyms or {}).items():
            target = self._plain(canonical)
            for variant in variants:
                forms = words(variant)
                if len(forms) == 1:
                    self._canonical[base(forms[0])] = target
                elif forms:
                    self._phrases.append((tuple(base(f) for f in forms), canonical))
        self._phrases.sort(key=lambda p: -len(p[0]))
        # the phrases that can start at a word, by its base form (longest first, as above):
        # a word starts at most a few, so each word is tried against those only
        self._starting: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase in self._phrases:
            self._starting.setdefault(phrase[0][0], []).append(phrase)
        # one question is read by the index, the term matcher and the learned opinion,
        # each asking for its words: read once per text
        self._read = lru_cache(maxsize=self.TEXTS_KEPT)(self._words)

    def words(self, text: str) -> list[str]:
        """`words`, with the synonym map's phrases ('needs report') made one word."""
        return list(self._read(text))

    def _words(self, text: str) -> tuple[str, ...]:
        found = words(text)
        if not self._phrases or len(found) < 2:
            return tuple(found)
        bases = [base(w) for w in found]
        result: list[str] = []
        used: set[int] = set()
        for i in range(len(found)):
            if i in used:
                continue
            for phrase, canonical in self._starting.get(bases[i], ()):
                span = _phrase_at(bases, found, i, phrase)
                if span is not None:
                    result.append(canonical)
                    used.update(span)
                    break
            else:
                result.append(found[i])
        return tuple(result)

    @staticmethod
    def _plain(word: str) -> str:
        forms = words(word)
        return base(forms[0]) if forms else word

    def token(self, word: str) -> str:
        """One normalized word as a token (after synonyms)."""
        stem = base(word)
        return self._canonical.get(stem, stem)

    def tokens(self, text: str) -> list[str]:
        """Content tokens of `text`, in order, fillers dropped, repeats kept once."""
        seen: dict[str, None] = {}
        for word in self.words(text):
            if word in FILLER:
                continue
            seen.setdefault(self.token(word), None)
        return list(seen)
