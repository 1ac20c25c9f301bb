"""Norwegian texts of Spør Kompis' answers, in one place (placeholders for str.format)."""

SOURCE = "Kilde: {source}"
SOURCE_LINK = "Kilde: {source}. [Les mer]({url})"
DISPUTED = "Kildene er uenige"
DISPUTED_INTRO = "Kompis velger ikke side. Dette sier kildene:"
SIDE = "**{source}:** {says}"
CHANGING = "Dette er i endring"
PRACTICE = "Praksis i Kompis, ikke regelverk: regionen kan endre den."
USEFUL = "Nyttig"
NOT_USEFUL = "Ikke nyttig"
THANKS_USEFUL = "Takk for tilbakemeldingen!"
THANKS_NOT_USEFUL = "Takk! Jeg noterer at svaret ikke hjalp, så det kan bli bedre."
GONE = "Det svaret finnes ikke lenger. Skriv spørsmålet ditt på nytt, eller **hjelp**."

# Dates from the wheel
EVENT_COMING = "{title}: {when}."
EVENT_PASSED = "{title} var {when}."
EVENT_NEXT = "Neste gang: {when} (syklus {cycle})."
EVENT_NO_NEXT = "Årshjulet har ikke datoene for neste syklus ennå."
LABEL_WHEN = "Når"
LABEL_WHERE = "Hvor"
LABEL_WHO = "Hvem"
LABEL_FOR = "Gjelder"
WHEEL_SOURCE = ("årshjulet i Kompis (arshjul.yaml), bygget på Statsforvalteren i Nordlands "
                "årshjul (seed 003); datoene i ditt fylke kan være andre")
WHEEL_BUTTON = "Hele årshjulet"
NO_CYCLE = ("Årshjulet har ingen datoer for {year} ennå. Det har syklusene {cycles}. "
            "Koordinatoren legger inn nye sykluser når datoene er kjent.")
TIED_TITLE = "Flere datoer passer"

# How to do it with Kompis
HOWTO_TITLE = "Slik gjør du det"
HOWTO_TEXT = "Skriv **{phrase}**: {summary}."
HOWTO_EXAMPLE = "Eksempel: {example}"
HOWTO_BUTTON = "Start: {phrase}"
HOWTO_STAFF = ("Dette er for koordinatorer og administratorer. Spør koordinatoren i "
               "nettverket ditt hvis du trenger det.")
SUGGEST_TITLE = "Mente du «{phrase}»?"
SUGGEST_TEXT = "Jeg tror du vil {summary}. Trykk på knappen for å gjøre det."
SUGGEST_BUTTON = "Ja, {phrase}"
NOT_THIS = "Nei, vis hjelp"
MENTION_TEXT = ("Jeg tror du vil bruke «{phrase}» ({summary}) for **{name}**. Ingenting endres "
                "før du trykker på knappen.")
MENTION_NEXT_TIME = "Neste gang kan du skrive det rett ut: {example}"

# «Mente du …?» and «vet ikke»
DID_YOU_MEAN = "Mente du …?"
DID_YOU_MEAN_TEXT = "Jeg er ikke helt sikker på hva du spør om. Mente du et av disse?"
UNKNOWN_TITLE = "Det vet jeg ikke"
UNKNOWN_TEXT = ("Jeg har ikke noe godt svar på «{question}». Jeg har notert spørsmålet, så "
                "Kompis kan bli bedre.")
UNKNOWN_NEAREST = "Kanskje et av disse hjelper:"
UNKNOWN_ENGLISH = "Jeg svarer best på norsk (bokmål eller nynorsk)."
UNKNOWN_HELP = "Skriv **hjelp** for å se alt jeg kan, eller **ordliste** for begrepene."
HELP_BUTTON = "Hjelp"
EMPTY = "Jeg fikk ingen tekst. Skriv et spørsmål, for eksempel «når er fristen?», eller **hjelp**."
LONG = ("Meldingen er for lang for meg. Skriv spørsmålet kort, for eksempel «hvem lager "
        "innstillingen?».")
NO_WORDS = "Jeg fant ingen ord i meldingen. Skriv spørsmålet med ord, eller **hjelp**."
