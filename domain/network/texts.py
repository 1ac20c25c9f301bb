"""Every sentence of the network's part, in Norwegian bokmål, in one place."""

# --- refusals ---------------------------------------------------------------------------
ONLY_COORDINATORS = "Bare koordinatorene for {network} (og Statsforvalteren) kan gjøre dette."
ONLY_FORUM = ("Oversikten over alle nettverkene er for samarbeidsforum og Statsforvalteren. "
              "En administrator kan gi deg rollen med «gi @navn rollen samarbeidsforum».")
UNKNOWN_REPORT = "Jeg finner ikke den behovsmeldingen. Åpne den på nytt fra «status»."
NOT_SUBMITTED = ("{partnership} har ikke sendt inn behovsmeldingen ennå. Nettverket vurderer "
                 "tiltakene når den er sendt inn.")
EMPTY_ASSESSMENT = "Skriv vurderingen før du lagrer: hva ser nettverket i dette tiltaket?"
NOTHING_CHANGED = "Ingen vurderinger er endret, så jeg har ikke lagret noe."
TOO_LONG = "Vurderingen er {length} tegn. Korte den ned til høyst {max} tegn."
QUESTION_EMPTY = "Skriv spørsmålet til partnerskapet før du sender."
QUESTION_TOO_LONG = "Spørsmålet er {length} tegn. Korte det ned til høyst {max} tegn."
NO_CHAT = ("Ingen i {partnership} har en chat med Kompis som jeg kan skrive i, så spørsmålet "
           "ble ikke sendt. Ta kontakt på e-post: {contact}.")
UNKNOWN_MEASURE = "Det tiltaket finnes ikke lenger i behovsmeldingen. Åpne den på nytt."
STALE_ASSESSMENT = ("{who} endret vurderingen av «{title}» mens du skrev. Her er den som "
                    "gjelder nå; skriv inn endringen din på nytt.")
ALREADY_SENT = ("Den sammenstilte behovsmeldingen ble nettopp sendt (versjon {version}). Se "
                "over sjekklisten på nytt før du sender en ny versjon.")
NOTHING_TO_SEND = ("Ingen behovsmeldinger for {scheme} er sendt inn i {network} ennå, så det er "
                   "ingenting å sende.")
UNKNOWN_COMPILED = "Jeg finner ingen sammenstilt behovsmelding med referansen {reference}."
SCHEME_NOT_IN_CYCLE = "Ordningen {word} er ikke med i syklusen {cycle}. Velg {choices}."

# --- what changed between versions -------------------------------------------------------
FIRST_VERSION = "Første versjon: {reports} behovsmeldinger, {measures} tiltak, {total}."
CHANGE_ADDED = "Ny med: {name}."
CHANGE_REMOVED = "Ikke lenger med: {name}."
CHANGE_NEW_VERSION = "{name} har sendt inn en ny versjon (versjon {version})."
CHANGE_ASSESSMENTS = "Nettverkets vurdering er endret for {n} tiltak."
CHANGE_TOTAL = "Sum søkt: {before} → {after}."
CHANGE_NONE = "Ingen endringer i innholdet; sendt på nytt."

# --- audit and outbox ------------------------------------------------------------------------
ASSESSED = "Lagret vurderingen av {n} tiltak."
ASKED = "Spørsmålet er sendt til {partnership} ({n} {chats})."
