"""Every Norwegian word of the needs report: field labels, hints, refusals, card texts.

Kept in one place so the wording can be read (and corrected) as a whole, and so the
domain, the forms and the cards say the same thing about the same field.
"""

# --- field labels (header, then measure) ---------------------------------------------

LABELS = {
    "cycle": "Syklus",
    "scheme": "Ordning",
    "network_id": "Kompetansenettverk",
    "partnership_name": "Partnerskapets navn",
    "owners": "Eiere som deltar",
    "uh_partner": "UH-partner",
    "contact_name": "Kontaktperson",
    "contact_email": "E-post til kontaktperson",
    "title": "Tittel",
    "need": "Behov tiltaket svarer på",
    "need_found": "Hvordan behovet ble funnet",
    "areas": "Felt tiltaket gjelder",
    "staff_groups": "Personalgrupper",
    "units": "Enheter og eiere som deltar",
    "uh_role": "UH-partnerens rolle",
    "inclusion": "Inkluderende prosesser og medbestemmelse",
    "sami": "Samiske perspektiver",
    "interdisciplinary": "Tverrfaglig",
    "interdisciplinary_how": "Hvordan tverrfaglig",
    "continued": "Videreføres fra tidligere år",
    "period_start": "Periode fra",
    "period_end": "Periode til",
    "amount": "Beløp (kr)",
}

HINTS = {  # placeholders: what a good answer looks like
    "partnership_name": "For eksempel Fosen barnehager",
    "owners": "Kommuner og private eiere, skilt med komma",
    "contact_name": "Fornavn og etternavn",
    "contact_email": "navn@kommune.no",
    "title": "Kort og beskrivende",
    "need": "Hvilket behov hos ansatte og enheter svarer tiltaket på?",
    "need_found": "Kartlegging, resultater, undersøkelser, samtaler med ansatte …",
    "staff_groups": "For eksempel ledere, barnehagelærere, fagarbeidere, lærere",
    "units": "Hvilke barnehager, skoler og eiere er med?",
    "uh_role": "Hva gjør UH-partneren, og hva tar de med tilbake til utdanningene?",
    "inclusion": "Hvordan var ansatte, tillitsvalgte og PPT med i arbeidet?",
    "sami": "Hvordan dere har vurdert samiske perspektiver i tiltaket",
    "interdisciplinary_how": "Hvilke yrkesgrupper og tjenester samarbeider, og hvordan?",
    "amount": "For eksempel 250 000",
}

AREAS = {"barnehage": "Barnehage", "skole": "Skole", "ppt": "PPT og andre tjenester rundt barna"}
AREAS_SHORT = {"barnehage": "barnehage", "skole": "skole", "ppt": "PPT/tjenester rundt barna"}
AREAS_HINT = "Velg ett eller flere. Et tiltak på tvers av barnehage og skole, eller for PPT " \
             "og andre tjenester rundt barna, hører hjemme her."
# Seed 003 (Statsforvalteren i Nordland, «Send inn»): samarbeidsforum minner om at de
# samiske perspektivene skal ivaretas i vurderingen av kompetansebehov, og oppfordrer
# partnerskapene til å vise vurderingen i behovsmeldingen. Feltet er derfor frivillig.
SAMI_LABEL = "Samiske perspektiver (oppfordres, ikke påkrevd)"
SAMI_PROMPT = "Samarbeidsforum minner om at samiske perspektiver skal ivaretas når dere " \
              "vurderer kompetansebehovene, og oppfordrer dere til å vise den vurderingen " \
              "her (Statsforvalteren i Nordland). Feltet kan stå tomt."
TOGGLES = {
    "interdisciplinary": "Tiltaket er tverrfaglig",
    "continued": "Tiltaket videreføres fra tidligere år",
}

# --- refusals: next to a field ---------------------------------------------------------

REQUIRED = "{label} må fylles ut."
TOO_LONG = "{label} er {n} tegn, maks {limit}."
TOO_SHORT = "{label} må ha minst {limit} tegn."
BAD_DATE = "{label} må være en dato (ÅÅÅÅ-MM-DD)."
OUTSIDE_CYCLE = "Perioden må ligge innenfor syklusen ({start}–{end})."
END_BEFORE_START = "Perioden slutter før den starter."
BAD_AMOUNT = "Beløpet må være et helt antall kroner, for eksempel 250 000."
PRACTICE = "Det er regionens praksis, ikke en regel i regelverket."
AMOUNT_RANGE = "Høyst {max} kr per tiltak. " + PRACTICE
BAD_CHOICE = "Velg et av alternativene for {label}."
BAD_AREAS = "Velg minst ett felt tiltaket gjelder."
AREAS_NOT_COVERED = "{code} gjelder bare {covers}."
HOW_REQUIRED = "Beskriv hvordan tiltaket er tverrfaglig."
BAD_EMAIL = "Skriv en e-postadresse, for eksempel navn@kommune.no."
TOO_MANY_OWNERS = "Høyst {max} eiere; skill dem med komma."
OWNER_TOO_LONG = "Hver eier kan ha høyst {limit} tegn; skill eierne med komma."
UNKNOWN_CYCLE = "Velg en syklus fra listen."
CLOSED_CYCLE = "Syklusen {cycle} tar ikke imot nye behovsmeldinger."
UNKNOWN_SCHEME = "Velg en ordning for {cycle} fra listen."
UNKNOWN_NETWORK = "Velg et kompetansenettverk fra listen."
UNKNOWN_UH = "Velg en UH-partner fra listen."
BAD_VALUE = "Sjekk {label}."
BAD_FORM = "Noe i skjemaet stemmer ikke; sjekk feltene og prøv igjen."

# --- refusals: the report as a whole ---------------------------------------------------

TOO_MANY = "Behovsmeldingen har allerede {max} tiltak, som er det høyeste tillatte."
NO_MEASURES = "Legg til minst ett tiltak før du sender inn."
UNKNOWN_MEASURE = "Fant ikke det tiltaket; kanskje det er fjernet."
NOT_EDITABLE = "Behovsmeldingen er sendt inn. Gjenåpne den for å endre."
REOPEN_AFTER_DEADLINE = "Fristen er ute, så behovsmeldingen kan ikke gjenåpnes. " + PRACTICE
LATE_REFUSED = "Fristen er ute, så behovsmeldingen kan ikke sendes inn. " + PRACTICE
ALREADY_SUBMITTED = "Behovsmeldingen er allerede sendt inn."
ALREADY_OPEN = "Behovsmeldingen er allerede åpen for endringer."
CYCLE_LOCKED = "Syklusen kan ikke endres i en påbegynt behovsmelding. Start en ny i stedet."
STALE = "Kortet var utdatert (noen har endret behovsmeldingen siden), så ingenting ble " \
        "endret. Her er det som gjelder nå."
NOT_ALLOWED_NOW = "Det kan ikke gjøres med behovsmeldingen slik den er nå ({status})."
NO_MORE_MEASURES = "Høyst {max} tiltak."

# --- refusals: who may do what ----------------------------------------------------------

NOT_YOURS = "Du har ikke tilgang til den behovsmeldingen."
UNKNOWN_REPORT = "Fant ikke den behovsmeldingen."
NO_IDENTITY = "Jeg kan ikke se hvem du er (Teams sendte ingen bruker-id), så jeg kan ikke " \
              "starte en behovsmelding for deg. Prøv fra Teams-appen."
NOT_YOUR_FORM = "Dette kortet ble laget for en annen. Skriv **meld behov** for å få ditt eget."
DUPLICATE = "Partnerskapet har allerede en behovsmelding for {scheme} i {cycle}. " \
            "Fortsett den i stedet."
TAKEN = "Partnerskapet «{name}» i {network} er allerede i Kompis, og du er ikke med i det. " \
        "Be en av dem som jobber med behovsmeldingen, om å skrive «legg til @{me}» til Kompis."
LOOKALIKE = "Navnet ligner for mye på partnerskapet «{existing}» i {network}. Er det dere? " \
            "Be en som er med der, om å legge deg til; ellers velg et tydelig annet navn."
BAD_PRESS = "Jeg forsto ikke det knappetrykket, så ingenting ble endret. Skriv " \
            "**mine behovsmeldinger** for å åpne behovsmeldingen på nytt."

# --- legg til @navn ------------------------------------------------------------------------

ADD_WHO = "Nevn personen med @, for eksempel: legg til @Kari."
ADD_NOT_MEMBER = "Bare de som jobber med et partnerskaps behovsmeldinger, kan legge til " \
                 "andre. Skriv **meld behov** for å starte én."
ADD_NOT_THAT = "Du er ikke med i partnerskapet «{name}», så du kan ikke legge til noen der."
ADD_WHICH = "Du er med i flere partnerskap. Skriv hvilket: «legg til @Kari i {names}»."
ADD_NOT_FOUND = "Jeg fant ikke {name} i denne samtalen, så hen ble ikke lagt til."
ADDED = "{name} er nå med i partnerskapet {partnership} og kan åpne behovsmeldingene " \
        "deres med **mine behovsmeldinger**."
ALREADY_ADDED = "{name} var allerede med i partnerskapet {partnership}."

# --- the form's buttons, typed (send inn, endre/fjern tiltak 2, avbryt) ------------------

TYPED_NO_DRAFT = "Du har ingen behovsmelding under arbeid i {cycle}. Skriv **meld behov** " \
                 "for å starte en."
TYPED_START = "Dere har ingen behovsmelding under arbeid ennå, så her er skjemaet for en ny. " \
              "Når tiltakene er lagt inn, sender du den med «Send inn»."
TYPED_ALL_SENT = "Behovsmeldingen er allerede sendt inn. Skriv **mine behovsmeldinger** for " \
                 "å åpne den; der kan den gjenåpnes for endringer før fristen."
TYPED_NO_DRAFT_STAFF = "Koordinatorer sender nettverkets sammenstilte behovsmelding med " \
                       "**send sammenstilt behovsmelding**."
TYPED_WHICH = "Du har flere behovsmeldinger under arbeid. Åpne den det gjelder, og bruk " \
              "knappene på den."
TYPED_WHICH_MEASURE = "Hvilket tiltak? Skriv for eksempel **{command} 2**, eller bruk knappene " \
                      "ved tiltaket. Ingenting er endret."
TYPED_REMOVE = "Trykk «Fjern» ved tiltak {n}, «{title}», for å fjerne det. Ingenting er " \
               "fjernet ennå."
TYPED_NO_MEASURE = "Behovsmeldingen har {count} tiltak, så det er ikke noe tiltak {n}. " \
                   "Ingenting er endret."
CANCEL_DRAFT = "Ingenting er sendt inn. Det du har lagret, ligger i utkastet; det du skrev i " \
               "et skjema uten å trykke på en knapp, er ikke lagret. Finn utkastet igjen med " \
               "**mine behovsmeldinger**. En behovsmelding sendes først når du trykker " \
               "«Send inn» og bekrefter."
CANCEL_NOTHING = "Det er ikke noe å avbryte: ingenting sendes inn før du trykker «Send inn» " \
                 "og bekrefter. Skriv **hjelp** for å se hva jeg kan."

# --- card texts ----------------------------------------------------------------------

HEADER_TITLE = "Behovsmelding {cycle}"
FORMER_NAME = "{former} heter ikke lenger det. I {cycle} meldes behov til {name} ({code}): " \
              "{description} Behovsmeldingen under er for den."
HEADER_INTRO = "Først litt om partnerskapet. Eiere, UH-partner og kontakt kan endres senere."
HEADER_EDIT_INTRO = "Ordning, nettverk og partnerskap ligger fast når behovsmeldingen er " \
                    "startet; resten kan du endre her."
LOCKED = "{label} kan ikke endres i en påbegynt behovsmelding. Start en ny i stedet."
FIX_BELOW = "Noe må rettes; se meldingene under feltene."
FIX_FIELDS = "Ikke lagret. Rett {fields}."
MEASURE_NEW = "Tiltak {n}"
MEASURE_EDIT = "Endre tiltak"
MEASURE_STEP = "Steg {n} av 2 · {what}"
MEASURE_STEPS = {1: "hva og hvem", 2: "penger, periode og kriterier"}
MEASURE_STEP1_INTRO = "Først hva tiltaket er og hvem som er med. Det du skriver her, lagres " \
                      "når du trykker «Neste», også om du ikke blir ferdig nå."
MEASURE_STEP2_INTRO = "Til slutt periode, beløp og kriteriene."
MEASURE_PENDING = "Under arbeid: steg 2 mangler"
MEASURE_PENDING_EDIT = "Endring under arbeid: steg 2 mangler"
PENDING_NOT_SENT = "{n} tiltak under arbeid er ikke med før steg 2 er lagret."
DISCARDED = "Det påbegynte tiltaket er forkastet."
TOO_MANY_PENDING = "For mange påbegynte tiltak. Gjør ferdig eller forkast et av dem først."
MEASURE_RULES = "Perioden må ligge mellom {start} og {end}. Høyst {max} per tiltak. " \
                "Periode og beløpsgrense er regionens praksis, ikke regler i regelverket."
MEASURE_RULES_NO_CAP = "Perioden må ligge mellom {start} og {end}. Perioden er regionens " \
                       "praksis, ikke en regel i regelverket."
REVIEW_TITLE = "Behovsmelding {scheme} {cycle}"
USED = "{n} av {max} tiltak brukt"
NO_MEASURES_YET = "Ingen tiltak ennå. Legg til det første."
MEASURE_LINE = "{amount} · {areas} · {kind}"
NEW_MEASURE = "nytt"
CONTINUED_MEASURE = "videreføres"
DEADLINE = "Frist: {date} ({left})"
DEADLINE_PASSED = "Fristen er ute. Du kan fortsatt sende inn, men behovsmeldingen blir " \
                  "merket som sendt for sent (regionens praksis)."
CONFIRM_TITLE = "Send inn?"
CONFIRM = "Send inn behovsmeldingen for {scheme}, {n} tiltak?"
CONFIRM_SUM = "Til sammen søkes det om {total}."
CONFIRM_LATE = "Fristen er ute, så den blir merket som sendt for sent (regionens praksis)."
RECEIPT_TITLE = "Kvittering: behovsmeldingen er sendt inn"
NOT_SENT = "Endringene er ikke sendt inn. Send inn før fristen {date}, ellers gjelder den " \
           "versjonen dere sendte sist."
NOT_SENT_LATE = "Endringene er ikke sendt inn. Fristen er ute, så sender dere inn nå, blir " \
                "behovsmeldingen merket som sendt for sent."
LIST_NOT_SENT = " · **endringene er ikke sendt inn**"
NEXT_TITLE = "Hva skjer nå"
NEXT_NETWORK = "Kompetansenettverket går gjennom behovsmeldingene og sender den samlede " \
               "behovsmeldingen videre innen {date}."
NEXT_CHANGES = "Dere kan gjenåpne og endre behovsmeldingen fram til fristen {date}."
NEXT_WHEEL = "Skriv **årshjul** for datoene som følger."
RECEIPT_LATE = "Behovsmeldingen kom etter fristen og er merket som sendt for sent. " \
               "Å ta imot og merke den er regionens praksis, ikke en regel i regelverket."
NOTICE_TITLE = "Ny behovsmelding"
NOTICE = "{partnership} har sendt inn behovsmeldingen for {scheme}{late}: {n} tiltak, " \
         "referanse {reference}."
NOTICE_LATE = " (for sent)"
SAVED = "Lagret. Du kan fortsette når du vil: skriv **mine behovsmeldinger**."
CONTINUE_TITLE = "Fortsette der dere slapp?"
CONTINUE_INTRO = "Dere har allerede en behovsmelding i gang. Vil du fortsette den?"
CONTINUE_SENT_INTRO = "Dere har allerede behovsmeldinger i denne syklusen. Åpne en for å se " \
                      "den, fortsette den eller gjenåpne den før fristen."
CONTINUE_NEW = "Start en ny bare for en ordning dere ikke har meldt behov for ennå."
LIST_TITLE = "Behovsmeldingene deres"
HISTORY_LIST_TITLE = "Hvilken behovsmelding vil du se endringene i?"
LIST_EMPTY = "Dere har ingen behovsmeldinger ennå. Skriv **meld behov** for å starte."
LIST_LINE = "{status} · {n} tiltak"
LIST_CHANGED = " · endret {when}"
LIST_REFERENCE = " · {reference}"

FACTS = {
    "partnership": "Partnerskap",
    "scheme": "Ordning",
    "network": "Nettverk",
    "owners": "Eiere",
    "uh": "UH-partner",
    "contact": "Kontakt",
    "status": "Status",
    "total": "Sum søkt",
    "reference": "Referanse",
    "submitted": "Sendt",
    "measures": "Tiltak",
    "areas": "Felt",
}

BUTTONS = {
    "header_save": "Lagre og gå videre",
    "header_edit": "Endre opplysninger",
    "measure_save": "Lagre tiltaket",
    "measure_next": "Neste",
    "measure_back": "Tilbake til steg 1",
    "resume": "Fortsett",
    "discard": "Forkast",
    "cancel": "Avbryt",
    "edit": "Endre",
    "remove": "Fjern",
    "add": "Legg til tiltak",
    "save_exit": "Lagre og avslutt",
    "submit": "Send inn",
    "reopen": "Gjenåpne for endringer",
    "open": "Åpne",
    "history": "Se endringene",
    "open_report": "Åpne behovsmeldingen",
    "continue": "Fortsett",
    "start_new": "Start en ny",
    "back_to_status": "Tilbake til status",
    "assess": "Vurder tiltakene",
}


def join_areas(areas: tuple[str, ...] | list[str]) -> str:
    """('barnehage', 'skole', 'ppt') -> 'barnehage, skole og PPT/tjenester rundt barna'."""
    names = [AREAS_SHORT.get(a, a) for a in areas]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} og {names[-1]}"

