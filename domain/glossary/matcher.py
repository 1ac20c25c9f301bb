"""Find what a question is about: a glossary entry, two entries to compare, a criterion,
or a date (answered from the annual wheel by others).

Pure and precomputed. The constructor indexes every term, synonym and abbreviation as
Norwegian stems (snowballstemmer), with the stems of the usual inflections of each word,
so 'behovsmeldingene', 'behovsmeldinga' and 'behovsmelding' are one key. A question is
then split into words, question scaffolding ('hva er', 'kva betyr', 'what is') is
dropped, and the remaining words are looked up: whole keys first (also across several
words), then typos (rapidfuzz, against the vocabulary of key stems), then compounds
('barnehageeier', 'behovsmeldingsskjema'), then parts of longer keys ('plan' in
'langsiktig plan'). Each way of finding an entry has a fixed score below; the thresholds
decide between answering, asking «Mente du …?» and saying honestly that Kompis does not
know.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import snowballstemmer
from rapidfuzz import fuzz, process

from domain.glossary.models import Criteria, Criterion, Entry, Glossary
from domain.norsk import NUMBER_WORDS, ORDINALS

# --- Decisions (scores run 0-100) -------------------------------------------------------
CONFIDENT = 85.0  # at or above, and clear of the runner-up: answer outright
MARGIN = 6.0  # the best must lead the next entry by this much, or it is a «Mente du …?»
CANDIDATE = 70.0  # at or above: offered as «Mente du …?»; below: only a suggestion
MAX_CANDIDATES = 3  # a «Mente du» card with more buttons than this stops helping

# --- How an entry was found in the question ---------------------------------------------
EXACT = 100.0  # the key's words exactly as written: 'innstilling', 'forslag til fordeling'
STEM = 97.0  # the same stems in another inflection: 'innstillingen', 'behovsmeldinga'
UNORDERED = 90.0  # all of a key's words, but in another order or apart
HEAD = 86.0  # a compound ending in a long key (>= 9 letters): 'årsrapportering'
HEAD_SHORT = 78.0  # ... ending in a short key: 'rektornettverk' is not surely ours
MODIFIER = 86.0  # a compound starting with a long key (>= 8 letters): 'behovsmeldingsskjema'
MODIFIER_SHORT = 75.0  # ... with a shorter key: 'tiltaksbank' may be about something else
PARTIAL_BASE = 62.0  # part of a longer key ('plan' of 'langsiktig plan') scores
PARTIAL_SPAN = 16.0  # ... PARTIAL_BASE + PARTIAL_SPAN * share of the key's words found
TYPO_CUTOFF = 80.0  # rapidfuzz ratio between stems for a typo: 'instilling', 'behovsmelidng'
TYPO_LENGTH = 2  # a typo adds or drops at most this many letters; more is another word
WORDS_KEPT = 16384  # words whose readings are remembered (a few MB at most)
MIN_FUZZY = 5  # shorter words are too easy to confuse with another ('vedtk', 'tiltk' pass)
MIN_COMPOUND = 6  # a compound must have at least this many letters beyond the key ...
COMPOUND_REST = 3  # ... and this many for its other part
LONG_HEAD = 9  # see HEAD / HEAD_SHORT ('nettverk' is short: 'rektornettverk' is another)
LONG_MODIFIER = 8  # see MODIFIER / MODIFIER_SHORT
UNEXPLAINED = 2.0  # minus this for each word no entry explains ('hvordan skriver vi …')
UNEXPLAINED_MAX = 10.0  # ... but never more: a known term in a long question still counts
SUBORDINATE = 8.0  # 'samiske perspektiver i behovsmeldingen' is about the first term
SUGGEST_CUTOFF = 72.0  # ratio for the nearest terms suggested when nothing matched
SUGGEST_WEIGHT = 0.5  # a suggestion's score stays well below CANDIDATE: it is only a hint
MAX_SUGGESTIONS = 3

# Question scaffolding in bokmål, nynorsk and English: the words that carry the question,
# not its subject. They never count against a match.
STOP_WORDS = frozenset("""
hva hvad va kva kvað er e ere var betyr betyder bety betydning betydningen tyder tyde meiner
mener meina menes meinast forklar forklare forklaring forklaringen beskriv beskrive
beskrivelse definer definere definisjon definisjonen av på pa med om i det den de dei ein
eit en et ei noen noe noko nokon nå egentlig eigentleg eigentlig litt meg oss deg du dykk
dere kan si sei seie fortell fortelle ordet ord begrepet begrep begrepa omgrepet omgrep
uttrykket uttrykk hvordan korleis hvorfor kvifor kvar hvor brukes bruker brukt bruke vi me
hei hallo heisann hi hello hey kompis please pls takk tusen what whats is are was does do
did mean means meaning explain define definition the a an of about tell me term word by
og eller and or vs versus mot som at jeg eg lurer lure spørsmål sporsmal vet veit vite
skal må ma vil bør blir ble vert vart være vere har hadde gjør gjer gjøre gjere sier seier
står stå heter heiter kalles kallast kalt hvem kven hvilke hvilken hvilket slags for til
fra frå ved hos under etter over mellom blant innen innenfor ifølge jf this that these those
it its in on to from with s sin sitt sine vår vårt våre min mitt mine ikke ikkje not så da
altså jo vel nok bare berre også ja nei ok okay hmm can you your we our us they their i
neste forrige sist siste levere leveres leverer levert sende sendes sender sendt
skje skjer tid tidspunkt dag dagen
forskjell forskjellen forskjellene skilnad skilnaden skilnadene difference differences
skiller skil sammenlign sammenligne samanlikn samanlikne compare comparison samme same
""".split())
DATE_WORDS = frozenset("""
når naar nar when frist fristen frister fristene fristar fristane deadline deadlines dato
datoen datoer datoene datoar tidsfrist tidsfristen
""".split())
# Words in front of a question that make it a date question even without 'frist'.
DATE_OPENERS = ("når ", "naar ", "when ", "kva tid ", "hvilken dato", "hvilken dag",
                "kva dato", "kva dag")
COMPARE_CUES = frozenset("""
forskjell forskjellen forskjellene skilnad skilnaden skilnadene difference differences
skiller skil sammenlign sammenligne samanlikn samanlikne compare comparison vs versus
""".split())
# 'samme' compares the two terms only as 'X det samme som Y' or 'X og Y, samme ting?'; in
# 'tre kommuner i samme nettverk' or 'må alle nettverk ha samme tiltak' it compares nothing
SAME = frozenset("samme same".split())
SAME_AS = frozenset("som as".split())
SAME_THING = frozenset("ting tingen sak saka saken greia greie greiene thing".split())
CONNECTORS = frozenset("og eller and or vs versus mot".split())
PREPOSITIONS = frozenset("i på pa for om under ved til fra frå hos av med etter blant in of "
                         "on at about within".split())
# 'kriterium', 'kriteria', typed 'kriterum' or cut short 'krit' ('krit. 6')
CRITERION_WORD = re.compile(r"^(?:tildelings)?(?:kriter\w*|krit|criteri\w*|criterion)$")
# words that may stand between the criterion word and «nummer»: 'kriteria for tildeling nr 4'
CRITERION_GAP = frozenset("for til om ved i av tildeling tildelinga tildelingen tildelingane "
                          "allocation funding".split())
# words that ask how something weighs when the money is allocated: with a criterion's own
# term ('vektlegges det at tiltaket er tverrfaglig'), the question is that criterion
WEIGHED = re.compile(r"^(?:vektlegg\w*|vektla(?:gt|gd|gde|gte)?|vekt|vekta|uttelling\w*|"
                     r"poeng|telles|teljast|tel|telle|teller)$")
ALLOCATED = re.compile(r"^(?:tildel\w*|fordel\w*|allocat\w*|funding)$")
ASSESSED = re.compile(r"^(?:vurder\w*|assess\w*|vert|blir)$")
CRITERION_SINGULAR = frozenset("kriterium kriteriet kriterie kriteriumet criterion".split())
NUMBER_FILLERS = frozenset("nr nummer number no".split())
# Endings that turn a key into an inflected form; their stems are indexed with the key.
INFLECTIONS = ("", "e", "en", "er", "ene", "et", "a", "ane", "ar", "ne", "s", "ens", "ets",
               "ere", "erne", "t")

# Accents people type or leave out (Sámi letters included); æ, ø and å stay as they are.
_FOLD = str.maketrans("áàâäéèêëíìîóòôúùûüčšŋđŧžç", "aaaaeeeeiiiooouuuucsndtzc")
_MENTION = re.compile(r"<at[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,200}>")
_WORD = re.compile(r"\w+(?:-\w+)*")
_STEMMER = snowballstemmer.stemmer("norwegian")


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=4096)  # a question is normalized by each part that reads it
def normalize(text: str) -> str:
    """Lower-case words of a message, without @mentions, HTML, punctuation or accents."""
    text = _MENTION.sub(" ", html.unescape(text))
    text = unicodedata.normalize("NFKC", _TAG.sub(" ", text)).lower().translate(_FOLD)
    if "_" not in text:  # no word to strip, and none empty
        return " ".join(_WORD.findall(text))
    return " ".join(w.strip("_") for w in _WORD.findall(text) if w.strip("_"))


def stems(words: Iterable[str]) -> tuple[str, ...]:
    """Norwegian stems: 'behovsmeldingene' -> 'behovsmelding'."""
    return tuple(_stem(w) for w in words)


# --- Results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """An entry and how well it fits the question (0-100)."""

    entry: Entry
    score: float


@dataclass(frozen=True)
class Answer:
    """Confident: answer with this entry."""

    entry: Entry
    score: float


@dataclass(frozen=True)
class Compare:
    """'forskjellen på X og Y': show both side by side, in the order asked."""

    first: Entry
    second: Entry

    @property
    def entries(self) -> tuple[Entry, Entry]:
        return (self.first, self.second)


@dataclass(frozen=True)
class Ambiguous:
    """Close candidates, best first: ask «Mente du …?» with a button for each."""

    candidates: tuple[Scored, ...]


@dataclass(frozen=True)
class CriterionAnswer:
    """'kriterium 5', 'det femte kriteriet', 'kriteriet om samiske perspektiver'.

    `criterion` is None when no criterion has that number (the reply says so)."""

    number: int
    criterion: Criterion | None


@dataclass(frozen=True)
class DateQuestion:
    """'når er fristen for behovsmelding?': answered from the annual wheel, not here.

    `entry` is the term the date is about, if one was recognised; `text` the topic words."""

    entry: Entry | None
    text: str

    @property
    def topic(self) -> str:
        return self.text


@dataclass(frozen=True)
class NoMatch:
    """Nothing close enough: say so, and offer the nearest terms (may be empty)."""

    suggestions: tuple[Scored, ...]


Match = Answer | Compare | Ambiguous | CriterionAnswer | DateQuestion | NoMatch


# --- The index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Key:
    entry_id: str
    words: tuple[str, ...]  # normalized content words as written
    alternatives: tuple[frozenset[str], ...]  # per word: stems of its inflected forms


@dataclass(frozen=True)
class _Mention:
    entry_id: str
    start: int  # first and last content-word position covered
    end: int
    score: float
    full: bool  # the whole key was found (not just a part of it)


@dataclass(frozen=True)
class _Reading:
    stem: str
    factor: float  # 1.0, or the typo ratio / 100


def _content(words: list[str]) -> list[str]:
    return [w for w in words if w not in STOP_WORDS and w not in DATE_WORDS]


def _alternatives(word: str) -> frozenset[str]:
    return frozenset(_stem(word + ending) for ending in INFLECTIONS) | {word}


class Matcher:
    """Built once from the glossary and criteria; `match` is then pure and fast."""

    def __init__(self, glossary: Glossary, criteria: Criteria) -> None:
        self.glossary = glossary
        self.criteria = criteria
        self._by_id = {e.id: e for e in glossary.entries}
        self._abbreviations: dict[str, set[str]] = {}
        self._keys: list[_Key] = []
        self._first: dict[str, list[int]] = {}  # a stem of a key's first word -> keys
        self._anywhere: dict[str, set[int]] = {}  # a stem of any word of a longer key
        self._whole: dict[str, set[str]] = {}  # one-word keys and their inflections
        self._prefix: dict[str, set[str]] = {}  # one-word keys, as compound first parts
        self._near: dict[str, set[str]] = {}  # vocabulary stem -> entries, for suggestions
        vocabulary: set[str] = set()
        for entry in glossary.entries:
            for abbreviation in entry.abbreviations:
                self._abbreviations.setdefault(normalize(abbreviation), set()).add(entry.id)
            for key in (entry.term, *entry.synonyms):
                written = normalize(key)
                # 'long-term plan' is also typed 'long term plan', 'pro-rata' 'pro rata'
                for form in {written, written.replace("-", " ")}:
                    words = form.split()
                    self._add_key(entry.id, _content(words) or words, vocabulary)
        self._vocabulary = sorted(vocabulary)
        self._known_stems = frozenset(vocabulary)
        self._sorted = sorted(glossary.entries, key=lambda e: _sort_key(e.term))
        self._readings = lru_cache(maxsize=WORDS_KEPT)(self._read)

    def _add_key(self, entry_id: str, words: list[str], vocabulary: set[str]) -> None:
        alternatives = tuple(_alternatives(w) for w in words)
        index = len(self._keys)
        self._keys.append(_Key(entry_id, tuple(words), alternatives))
        for stem in alternatives[0]:
            self._first.setdefault(stem, []).append(index)
        for word in words:
            if len(word) >= MIN_FUZZY:
                vocabulary.add(_stem(word))
                self._near.setdefault(_stem(word), set()).add(entry_id)
        if len(words) > 1:
            for alts in alternatives:
                for stem in alts:
                    self._anywhere.setdefault(stem, set()).add(index)
            return
        word = words[0]
        for ending in INFLECTIONS:
            self._whole.setdefault(word + ending, set()).add(entry_id)
        self._prefix.setdefault(word, set()).add(entry_id)
        if word.endswith("e"):  # 'ramme' -> 'rammeplan' and 'rammplan' both start with it
            self._prefix.setdefault(word[:-1], set()).add(entry_id)

    # --- public ------------------------------------------------------------------------

    def entries_sorted(self) -> list[Entry]:
        """Every entry, alphabetically by term (æ, ø, å last, as in a Norwegian dictionary)."""
        return list(self._sorted)

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id (from a button press), or None."""
        return self._by_id.get(entry_id)

    def related(self, entry: Entry) -> list[Entry]:
        """The entry's related entries, in the order the content lists them."""
        return [self._by_id[i] for i in entry.related if i in self._by_id]

    def match(self, question: str) -> Match:
        """What the question is about; see the module docstring for how it is scored."""
        words = normalize(question).split()
        if not words:
            return NoMatch(())
        number = _criterion_number(words)
        if number is not None:
            return CriterionAnswer(number, self.criteria.get(number))
        text = " ".join(words)
        date = text.startswith(DATE_OPENERS) or any(_is_date_word(w) for w in words)
        if date:
            words = [_without_deadline(w) for w in words]
        mentions, content = self._mentions(words)
        ranked = self._rank(mentions, content, words)
        if date:
            topic = " ".join(c[1] for c in content)
            top = ranked[0] if ranked and ranked[0][1] >= CANDIDATE else None
            return DateQuestion(self._by_id[top[0]] if top else None, topic)
        if any(CRITERION_WORD.match(w) for w in words) or _weighed(words):
            criterion = self._criterion_about(ranked)
            if criterion is not None:
                return CriterionAnswer(criterion.number, criterion)
        compared = self._compare(mentions, ranked, content, words)
        if compared is not None:
            return compared
        return self._decide(ranked, content)

    def last_named(self, text: str) -> Scored | None:
        """The entry whose whole name (or abbreviation), as written or inflected, comes last
        in `text`: what 'det' points back to in '… der står det beslutningsgrunnlag flere
        steder. Hva betyr det?'."""
        mentions, _ = self._mentions(normalize(text).split())
        named = [m for m in mentions if m.full and m.score >= STEM]
        if not named:
            return None
        last = max(named, key=lambda m: (m.end, m.end - m.start, m.score))
        return Scored(self._by_id[last.entry_id], last.score)

    def rank(self, question: str) -> list[Scored]:
        """Every entry the question mentions, best first (no intents: for tools and tests)."""
        words = normalize(question).split()
        mentions, content = self._mentions(words)
        return [Scored(self._by_id[i], round(s, 1))
                for i, s in self._rank(mentions, content, words)]

    # --- finding mentions ------------------------------------------------------------------

    def _mentions(self, words: list[str]) -> tuple[list[_Mention], list[tuple[int, str]]]:
        """Every place a key is found; content = (position in `words`, word) pairs."""
        content = [(i, w) for i, w in enumerate(words)
                   if w not in STOP_WORDS and w not in DATE_WORDS and not w.isdigit()]
        readings = [self._readings(w) for _, w in content]
        found: list[_Mention] = []
        covered: set[int] = set()
        for pos, (_, word) in enumerate(content):
            for entry_id in self._abbreviations.get(word, ()):
                found.append(_Mention(entry_id, pos, pos, EXACT, True))
                covered.add(pos)
            for reading in readings[pos]:
                for key_index in self._first.get(reading.stem, ()):
                    mention = self._span(key_index, pos, content, readings, reading)
                    if mention is not None:
                        found.append(mention)
                        covered.update(range(mention.start, mention.end + 1))
        found += self._partials(readings, found)
        for pos, (_, word) in enumerate(content):
            if pos not in covered:
                found += self._compounds(word, pos)
        return found, [(i, w) for i, w in content]

    def _read(self, word: str) -> tuple[_Reading, ...]:
        """The stem, and if it is unknown, the nearest known stem as a likely typo (kept
        per word by `_readings`: the typo search is the slow part, and a message's last
        question is read again inside the whole message)."""
        stem = _stem(word)
        readings = [_Reading(stem, 1.0)]
        if stem in self._known_stems or word in self._abbreviations or len(word) < MIN_FUZZY:
            return tuple(readings)
        if word in self._whole:
            return tuple(readings)
        best: _Reading | None = None
        for query in {stem, word}:  # the stemmer may cut a misspelt ending differently
            for known, ratio, _ in process.extract(query, self._vocabulary, scorer=fuzz.ratio,
                                                   limit=3, score_cutoff=TYPO_CUTOFF):
                if abs(len(known) - len(query)) <= TYPO_LENGTH and (
                        best is None or ratio / 100.0 > best.factor):
                    best = _Reading(known, ratio / 100.0)
        if best is not None:
            readings.append(best)
        return tuple(readings)

    def _span(self, key_index: int, pos: int, content: list[tuple[int, str]],
              readings: list[tuple[_Reading, ...]], first: _Reading) -> _Mention | None:
        key = self._keys[key_index]
        end = pos + len(key.words) - 1
        if end >= len(content):
            return None
        factors = [first.factor]
        for offset in range(1, len(key.words)):
            options = [r for r in readings[pos + offset] if r.stem in key.alternatives[offset]]
            if not options:
                return None
            factors.append(max(r.factor for r in options))
        written = tuple(w for _, w in content[pos:end + 1])
        if written == key.words and min(factors) == 1.0:
            return _Mention(key.entry_id, pos, end, EXACT, True)
        # A typo costs in proportion to the share of the key's letters it touches:
        # one misspelt word of 'inkluderende prosesser' is not a wholly unknown phrase.
        letters = sum(len(w) for w in written)
        doubt = sum((1.0 - f) * len(w) for f, w in zip(factors, written, strict=True)) / letters
        return _Mention(key.entry_id, pos, end, STEM * (1.0 - doubt), True)

    def _partials(self, readings: list[tuple[_Reading, ...]],
                  found: list[_Mention]) -> list[_Mention]:
        """Longer keys found only in part, or with their words apart or reordered."""
        seen: dict[int, dict[int, float]] = {}
        for pos, options in enumerate(readings):
            for reading in options:
                for key_index in self._anywhere.get(reading.stem, ()):
                    hits = seen.setdefault(key_index, {})
                    hits[pos] = max(hits.get(pos, 0.0), reading.factor)
        whole = {m.entry_id for m in found}  # found as a whole key: parts add nothing
        result = []
        for key_index, hits in seen.items():
            key = self._keys[key_index]
            if key.entry_id in whole:
                continue
            start, end = min(hits), max(hits)
            matched = sum(1 for alts in key.alternatives
                          if any(r.stem in alts for p in hits for r in readings[p]))
            factor = min(hits.values())
            if matched >= len(key.words):
                result.append(_Mention(key.entry_id, start, end, UNORDERED * factor, True))
            else:
                share = matched / len(key.words)
                score = (PARTIAL_BASE + PARTIAL_SPAN * share) * factor
                result.append(_Mention(key.entry_id, start, end, score, False))
        return result

    def _compounds(self, word: str, pos: int) -> list[_Mention]:
        """'barnehageeier' (ends in a key) and 'behovsmeldingsskjema' (starts with one)."""
        if len(word) < MIN_COMPOUND + COMPOUND_REST:
            return []
        result: list[_Mention] = []
        parts = word.split("-")
        if len(parts) > 1:  # 'KKUB-tiltak', 'UH-partneren': the parts are words of their own
            for i, part in enumerate(parts):
                ids = self._abbreviations.get(part, set()) | self._whole.get(part, set())
                score = HEAD if i == len(parts) - 1 else MODIFIER_SHORT
                result += [_Mention(e, pos, pos, score, True) for e in ids]
            return result
        for cut in range(COMPOUND_REST, len(word) - COMPOUND_REST + 1):
            tail = word[cut:]
            for entry_id in self._whole.get(tail, ()):
                long_key = len(tail) >= LONG_HEAD
                result.append(_Mention(entry_id, pos, pos, HEAD if long_key else HEAD_SHORT,
                                       True))
            if result:
                break
        for cut in range(len(word) - COMPOUND_REST, COMPOUND_REST - 1, -1):
            head = word[:cut]
            ids = self._prefix.get(head) or (self._prefix.get(head[:-1], set())
                                             if head.endswith("s") else set())
            if ids:
                score = MODIFIER if len(head) >= LONG_MODIFIER else MODIFIER_SHORT
                result += [_Mention(e, pos, pos, score, True) for e in ids]
                break
        return result

    # --- scoring and deciding ---------------------------------------------------------

    def _rank(self, mentions: list[_Mention], content: list[tuple[int, str]],
              words: list[str]) -> list[tuple[str, float]]:
        """(entry id, score) best first, after coverage and subordinate-term adjustments."""
        if not mentions:
            return []
        full = [m for m in mentions if m.full]
        # A mention inside a longer one is the longer one's word: 'tiltak' in
        # 'tverrfaglige tiltak', 'kompetanseutvikling' in 'kollektiv kompetanseutvikling skole'.
        kept = [m for m in mentions
                if not any(o is not m and o.full and o.entry_id != m.entry_id
                           and o.start <= m.start and m.end <= o.end
                           and (o.end - o.start) > (m.end - m.start) for o in full)]
        best: dict[str, _Mention] = {}
        for m in kept:
            if m.entry_id not in best or m.score > best[m.entry_id].score:
                best[m.entry_id] = m
        explained = {p for m in best.values() for p in range(m.start, m.end + 1)}
        loose = sum(1 for p in range(len(content)) if p not in explained)
        penalty = min(UNEXPLAINED_MAX, UNEXPLAINED * loose)
        scored: dict[str, float] = {}
        for entry_id, m in best.items():
            score = m.score - penalty
            if self._subordinate(m, best.values(), content, words):
                score -= SUBORDINATE
            scored[entry_id] = max(0.0, score)
        return sorted(scored.items(), key=lambda kv: (-kv[1], best[kv[0]].start, kv[0]))

    @staticmethod
    def _subordinate(m: _Mention, others: Iterable[_Mention], content: list[tuple[int, str]],
                     words: list[str]) -> bool:
        """True for Y in 'X i Y' / 'X for Y': a preposition joins it to an earlier term."""
        for o in others:
            if o.entry_id == m.entry_id or o.end >= m.start or not o.full:
                continue
            between = words[content[o.end][0] + 1:content[m.start][0]]
            if any(w in PREPOSITIONS for w in between) and not any(
                    w in CONNECTORS for w in between):
                return True
        return False

    def _compare(self, mentions: list[_Mention], ranked: list[tuple[str, float]],
                 content: list[tuple[int, str]], words: list[str]) -> Compare | None:
        scores = dict(ranked)
        order: list[str] = []
        for m in sorted((m for m in mentions if m.full), key=lambda m: (m.start, -m.score)):
            if m.entry_id in scores and m.entry_id not in order:
                order.append(m.entry_id)
        strong = [e for e in order if scores[e] >= CANDIDATE]
        if len(strong) < 2:
            return None
        if any(w in COMPARE_CUES for w in words) or any(
                w in SAME and nxt in SAME_AS for w, nxt in pairwise(words)):
            return Compare(self._by_id[strong[0]], self._by_id[strong[1]])
        firsts = {e: min(m.start for m in mentions if m.entry_id == e and m.full)
                  for e in strong}
        lasts = {e: max(m.end for m in mentions if m.entry_id == e and m.full)
                 for e in strong}
        a, b = strong[:2]
        between = words[content[lasts[a]][0] + 1:content[firsts[b]][0]]
        if between and all(w in CONNECTORS for w in between) and _same_thing(words):
            return Compare(self._by_id[a], self._by_id[b])  # 'er UH og fagskole det samme'
        # Without a cue, only 'X og Y' / 'X eller Y' with nothing else to it.
        if len(strong) != 2 or any(scores[e] < CONFIDENT for e in strong):
            return None
        covered = set(range(firsts[a], lasts[a] + 1)) | set(range(firsts[b], lasts[b] + 1))
        if any(w in CONNECTORS for w in between) and len(covered) == len(content):
            return Compare(self._by_id[a], self._by_id[b])
        return None

    def _criterion_about(self, ranked: list[tuple[str, float]]) -> Criterion | None:
        """'kriteriet om samiske perspektiver' -> the criterion linked to that entry."""
        for entry_id, score in ranked:
            if score < CANDIDATE:
                return None
            criterion = self.criteria.for_entry(entry_id)
            if criterion is not None:
                return criterion
        return None

    def _decide(self, ranked: list[tuple[str, float]],
                content: list[tuple[int, str]]) -> Answer | Ambiguous | NoMatch:
        if ranked:
            top_id, top = ranked[0]
            runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
            if top >= CONFIDENT and (top - runner_up >= MARGIN or runner_up < CANDIDATE):
                return Answer(self._by_id[top_id], round(top, 1))
            close = tuple(Scored(self._by_id[i], round(s, 1))
                          for i, s in ranked[:MAX_CANDIDATES] if s >= CANDIDATE)
            if close:
                return Ambiguous(close)
        return NoMatch(self._suggestions(ranked, content))

    def _suggestions(self, ranked: list[tuple[str, float]],
                     content: list[tuple[int, str]]) -> tuple[Scored, ...]:
        """The nearest terms for an honest «det vet jeg ikke» (slower; rarely needed)."""
        scores = {i: s for i, s in ranked if s > 0}
        for _, word in content:
            if len(word) < MIN_FUZZY - 1:
                continue
            for stem, ratio, _ in process.extract(_stem(word), self._vocabulary,
                                                  scorer=fuzz.ratio, limit=2,
                                                  score_cutoff=SUGGEST_CUTOFF):
                for entry_id in self._near[stem]:
                    near = ratio * SUGGEST_WEIGHT
                    scores[entry_id] = max(scores.get(entry_id, 0.0), near)
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_SUGGESTIONS]
        return tuple(Scored(self._by_id[i], round(s, 1)) for i, s in best)


def _sort_key(term: str) -> str:
    return normalize(term).replace("æ", "{").replace("ø", "|").replace("å", "}")


def _is_date_word(word: str) -> bool:
    return word in DATE_WORDS or (len(word) > 8 and "frist" in word)


def _without_deadline(word: str) -> str:
    """'behovsmeldingsfristen' -> 'behovsmelding': the deadline is the question, not a term."""
    if len(word) > 8 and "frist" in word and word not in DATE_WORDS:
        before = word[:word.index("frist")]
        return before[:-1] if before.endswith("s") and len(before) > 4 else before or word
    return word


def _weighed(words: list[str]) -> bool:
    """'vektlegges det …', 'gir det uttelling …', 'korleis vert … vurdert i tildelinga':
    asked how something counts when the money is allocated."""
    if any(WEIGHED.match(w) for w in words):
        return True
    return any(ALLOCATED.match(w) for w in words) and any(ASSESSED.match(w) for w in words)


def _criterion_number(words: list[str]) -> int | None:
    """5 for 'kriterium 5', 'kriterium nr. fem', 'det femte kriteriet', 'criterion 5'."""
    for i, word in enumerate(words):
        if not CRITERION_WORD.match(word):
            continue
        j = i + 1
        while j < len(words) and words[j] in CRITERION_GAP and j - i <= 3:
            j += 1
        gap = j > i + 1
        numbered = False
        while j < len(words) and words[j] in NUMBER_FILLERS:
            j += 1
            numbered = True
        if j < len(words) and (numbered or not gap):
            following = words[j]
            if following.isdigit() and len(following) <= 2:
                return int(following)
            if following in NUMBER_WORDS:
                return NUMBER_WORDS[following]
            if following in ORDINALS:
                return ORDINALS[following]
        if i > 0 and word in CRITERION_SINGULAR:
            before = words[i - 1]
            if before in ORDINALS:
                return ORDINALS[before]
            if before.isdigit() and len(before) <= 2:
                return int(before)
    return None


def _same_thing(words: list[str]) -> bool:
    """'… det samme', '… samme ting?', '… samme greia': two things said to be one; not
    'barnehage og skole under samme leder'."""
    return any(w in SAME and (i + 1 == len(words) or words[i + 1] in SAME_THING
                              or (i > 0 and words[i - 1] == "det"))
               for i, w in enumerate(words))
