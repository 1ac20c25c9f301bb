"""Norwegian texts for the glossary and the criteria, in one place.

Cards and the chat handler take their words from here; placeholders are filled with
str.format. Anything a person typed is escaped by the card builders before it is shown.
"""

# Answer card
CHANGING = "Dette er i endring"
SOURCE = "Kilde: {source}"
SOURCE_LINK = "Kilde: {source}. [Les mer]({url})"
RELATED = "Se også"
USEFUL = "Nyttig"
NOT_USEFUL = "Ikke nyttig"
ALSO_CALLED = "Også kalt {names}."

# Two terms side by side
COMPARE_TITLE = "Forskjellen på {a} og {b}"
COMPARE_INTRO = "Her er begge begrepene ved siden av hverandre."
READ_MORE = "Les mer: {term}"

# «Mente du …?»
DID_YOU_MEAN = "Mente du …?"
DID_YOU_MEAN_TEXT = "Jeg er ikke helt sikker på hva du spør om. Mente du et av disse?"
DID_YOU_MEAN_QUESTION = "Du spurte: «{question}»"
NONE_OF_THESE = "Ingen av disse"

# Nothing found
NO_MATCH_TITLE = "Det vet jeg ikke"
NO_MATCH_TEXT = (
    "Jeg fant ikke «{question}» i ordlisten. Jeg har notert spørsmålet, så ordlisten kan "
    "bli bedre."
)
NO_MATCH_NEAREST = "Det nærmeste jeg har, er disse begrepene:"
NO_MATCH_LIST = "Skriv **ordliste** for å se alle begrepene, eller **hjelp** for alt jeg kan."
LIST_BUTTON = "Ordliste"
HELP_BUTTON = "Hjelp"
HELP_COMMAND = "hjelp"

# The listing (`ordliste`)
LIST_TITLE = "Ordliste ({first}–{last})"
LIST_INTRO = "Trykk på et begrep for å lese mer. Side {page} av {pages}."
NEXT_PAGE = "Neste side"
PREVIOUS_PAGE = "Forrige side"

# Criteria
CRITERIA_TITLE = "Tildelingskriteriene"
CRITERIA_INTRO = (
    "Kriteriene som ble drøftet i samarbeidsforum i januar 2026. Trykk på ett for å se hva "
    "det spør etter, og hvordan dere kan vise det i behovsmeldingen."
)
CRITERIA_NUMBERING = (
    "Kilden nummererer selv bare kriterium {numbered}. De andre numrene er Kompis' egne, "
    "så det er lett å vise til dem; de sier ikke noe om rekkefølge eller vekt."
)
CRITERION_TITLE = "Kriterium {number}: {title}"
CRITERION_ASKS = "Hva det spør etter"
CRITERION_SHOW = "Slik kan partnerskapet vise det"
CRITERION_UNNUMBERED = (
    "Kilden gir ikke dette kriteriet et nummer; nummeret er Kompis' eget og sier ikke noe om "
    "rekkefølge eller vekt."
)
UNKNOWN_CRITERION = "Det finnes ikke noe kriterium {number}. Kriteriene er nummerert 1–{last}."

# Feedback and the coordinators' overview
THANKS_USEFUL = "Takk for tilbakemeldingen!"
THANKS_NOT_USEFUL = "Takk! Jeg noterer at svaret ikke hjalp, så det kan bli bedre."
UNKNOWN_ENTRY = "Det begrepet finner jeg ikke lenger i ordlisten."
UNANSWERED_TITLE = "Spørsmål Kompis ikke svarte godt på (begreper, regler, datoer, kommandoer)"
UNANSWERED_NONE = "Ingen ubesvarte spørsmål er logget."
LEAST_USEFUL = "Svar som oftest er markert «Ikke nyttig»"
ONLY_STAFF = "Den oversikten er for koordinatorer og administratorer."


def join_names(names: list[str]) -> str:
    """'A', 'A og B', 'A, B og C': how a list is read aloud in Norwegian."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} og {names[-1]}"
