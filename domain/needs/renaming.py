"""Renaming a partnership: who may, and what the new name must be.

A typo in the name («Fosen barnehgaer») should not be stuck for a whole cycle. Until the
first of the partnership's reports is submitted, its members may rename it; after that
the network has seen the name (reference, notices, the compiled spreadsheet), so only a
coordinator of the network (or an admin) may. The new name is cleaned and checked like a
new partnership's: not another partnership's name, and not a look-alike of one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from domain.needs.models import NAME_MAX, NeedsReport, partnership_key
from domain.needs.names import clean_name, lookalike
from domain.needs.states import Status

# Texts (Norwegian, shown as they are; names are escaped by the dialog)
HOW = ("Skriv det nye navnet etter **nytt navn**, for eksempel "
       "**gi partnerskapet nytt navn Fosen barnehager**. Er du med i flere partnerskap, "
       "eller koordinator, skriver du også hvilket: "
       "**gi partnerskapet Fosen barnehgaer nytt navn Fosen barnehager**.")
NOT_MEMBER = ("Du er ikke med i noe partnerskap ennå, og du er ikke koordinator. "
              "Den som er med i et partnerskap, kan gi det nytt navn.")
NOT_THAT = ("Du kan ikke gi «{name}» nytt navn: du er ikke med i det partnerskapet og er "
            "ikke koordinator for nettverket det hører til.")
WHICH = "Hvilket partnerskap? Skriv navnet før **nytt navn**: {names}."
SUBMITTED = ("«{name}» har allerede sendt inn en behovsmelding, så navnet er kjent for "
             "nettverket. Nå kan bare en koordinator i {network} gi partnerskapet nytt navn; "
             "be koordinatoren om det.")
SAME = "«{name}» heter det allerede."
TOO_SHORT = f"Det nye navnet må ha 2–{NAME_MAX} tegn."
TAKEN = "{network} har allerede et partnerskap som heter «{name}». Velg et annet navn."
LOOKALIKE = ("Det nye navnet ligner for mye på «{existing}» i {network}. Velg et navn som "
             "ikke kan forveksles med det.")
DONE = ("Partnerskapet heter nå **{new}** (før: {old}). {reports} fikk det nye navnet; "
        "det gamle står i historikken.")
NO_REPORTS = "Ingen behovsmeldinger"
# The card behind «Endre navn» (on a report's review, and on the coordinator's status)
BUTTON = "Endre navn"
CARD_TITLE = "Nytt navn på partnerskapet"
CARD_RULES = ("Medlemmene kan rette navnet til partnerskapet har sendt inn første gang; "
              "etter det gjør koordinatoren i nettverket det. Det gamle navnet står i "
              "historikken.")
CARD_NOW = "Nå"
CARD_NETWORK = "Nettverk"
LABEL = "Nytt navn"
SAVE = "Lagre navnet"
CANCEL = "Avbryt"
OPEN = "Åpne behovsmeldingen"
BACK = "Tilbake til status"
UNKNOWN = "Den knappen kjenner jeg ikke igjen. Skriv **gi partnerskapet nytt navn …**."
ONE_REPORT = "Én behovsmelding"
MANY_REPORTS = "{n} behovsmeldinger"


def reports_phrase(count: int) -> str:
    if count == 0:
        return NO_REPORTS
    return ONE_REPORT if count == 1 else MANY_REPORTS.format(n=count)


def ever_submitted(reports: Iterable[NeedsReport]) -> bool:
    """Whether any of the reports has been submitted (a reopened one was, once)."""
    return any(r.submitted or r.status == Status.REOPENED or r.reference is not None
               for r in reports)


def _as_is(name: str) -> str:
    return name


def name_problem(new: str, old: str, others: list[str], network: str,
                 show: Callable[[str], str] = _as_is) -> str | None:
    """Why `new` cannot replace `old` among the network's other partnership names
    (`others`, without `old`), or None. `new` is cleaned first by the caller; `show`
    prepares a name for the message (escaping markdown)."""
    if not 2 <= len(new) <= NAME_MAX:
        return TOO_SHORT
    if new == clean_name(old):
        return SAME.format(name=show(new))
    key = partnership_key(new)
    if key != partnership_key(old):
        taken = next((o for o in others if partnership_key(o) == key), None)
        if taken is not None:
            return TAKEN.format(network=network, name=show(taken))
    similar = lookalike(new, [o for o in others if partnership_key(o) != partnership_key(old)])
    if similar is not None:
        return LOOKALIKE.format(existing=show(similar), network=network)
    return None
