"""«Felles tiltak»: measures that several networks report on the same theme.

For samarbeidsforum's review of all networks' reports (18 January in the wheel, seed
003: "Felles tiltak – hva sier behovsmeldingene?"). Each measure's title and need are
read with the question engine's Norwegian word forms (lemma, stem: lesing/leseopplæring
stay apart, but «lesingen», «lesing» are one), words every report uses are left out,
and a theme is a word that measures from at least two networks share within one field
(barnehage, skole, PPT). Themes that cover the same measures are one theme. Plain and
explainable: the card shows the shared word and every measure under it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from domain.answers.text import FILLER, base, words
from domain.needs.models import Measure

# Words that name the process or the sector, not a theme (every report has them); as
# base forms on first use (the lemma lists load then, not when Kompis starts).
GENERIC_WORDS = tuple("""
kompetanse kompetanseutvikling kollektiv kollektive utvikling tiltak tiltaket behov
barnehage barnehagen barnehager skole skolen skoler ansatte ansatt personale
lærer lærere pedagog pedagoger leder ledere kommune kommunen kommuner eier eiere
arbeid arbeidet jobbe styrke styrking bedre videre videreføring økt øke gjennom
samarbeid nettverk nettverket partnerskap prosjekt satsing år året
""".split())


@cache
def generic() -> frozenset[str]:
    return frozenset(base(w) for w in GENERIC_WORDS)
# A word used by more than this share of all measures says nothing about a theme.
TOO_COMMON = 0.6
MAX_THEMES = 8


@dataclass(frozen=True)
class ThemeMeasure:
    network: str
    partnership: str
    title: str
    amount: int


@dataclass(frozen=True)
class Theme:
    word: str  # as people wrote it, the most common form
    target_group: str  # the field: barnehage, skole or ppt
    measures: tuple[ThemeMeasure, ...]

    @property
    def networks(self) -> tuple[str, ...]:
        return tuple(sorted({m.network for m in self.measures}, key=str.casefold))

    @property
    def total(self) -> int:
        return sum(m.amount for m in self.measures)


def _terms(measure: Measure) -> dict[str, str]:
    """base form -> the word as written, for the words of the title and the need."""
    found: dict[str, str] = {}
    for word in words(f"{measure.title} {measure.need}"):
        if len(word) < 4 or word in FILLER or word.isdigit():
            continue
        found.setdefault(base(word), word)
    return found


def common_themes(measures: Iterable[tuple[str, str, Measure]], *,
                  limit: int = MAX_THEMES) -> list[Theme]:
    """(network name, partnership, measure) of every network -> the shared themes, most
    networks first."""
    rows = [(network, partnership, m, _terms(m)) for network, partnership, m in measures]
    if not rows:
        return []
    frequency = Counter(term for *_, terms in rows for term in terms)
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (_, _, m, terms) in enumerate(rows):
        for term, word in terms.items():
            if term in generic() or (frequency[term] > TOO_COMMON * len(rows) and len(rows) > 3):
                continue
            spelled[term][word] += 1
            for area in m.areas:  # a theme stays within one field (barnehage, skole, PPT)
                index[(area, term)].append(i)
    candidates: dict[tuple[str, tuple[int, ...]], list[str]] = defaultdict(list)
    for (group, term), hits in index.items():
        if len({rows[i][0] for i in hits}) >= 2:
            candidates[(group, tuple(sorted(set(hits))))].append(term)
    themes = []
    for (group, members), shared in candidates.items():
        term = max(shared, key=lambda t: (sum(spelled[t].values()), t))
        themes.append(Theme(
            spelled[term].most_common(1)[0][0], group,
            tuple(ThemeMeasure(rows[i][0], rows[i][1], rows[i][2].title, rows[i][2].amount)
                  for i in members)))
    themes.sort(key=lambda t: (-len(t.networks), -len(t.measures), t.word))
    return _distinct(themes)[:limit]


def _distinct(themes: Sequence[Theme]) -> list[Theme]:
    """Drop a theme whose measures all sit in a theme already kept (the same group said
    twice by two words)."""
    kept: list[Theme] = []
    for theme in themes:
        mine = {(m.network, m.partnership, m.title) for m in theme.measures}
        if any(mine <= {(m.network, m.partnership, m.title) for m in k.measures}
               and k.target_group == theme.target_group for k in kept):
            continue
        kept.append(theme)
    return kept
