"""Norwegian field labels and refusals for the needs report."""

LABELS = {
    "title": "Tittel",
    "need": "Behov tiltaket svarer på",
    "need_found": "Hvordan behovet ble funnet",
    "target_group": "Målgruppe",
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
REQUIRED = "{label} må fylles ut."
TOO_LONG = "{label} er {n} tegn, maks {limit}."
BAD_DATE = "{label} må være en dato (ÅÅÅÅ-MM-DD)."
OUTSIDE_CYCLE = "Perioden må ligge innenfor syklusen ({start}–{end})."
END_BEFORE_START = "Perioden slutter før den starter."
BAD_AMOUNT = "Beløpet må være et helt antall kroner, for eksempel 250 000."
AMOUNT_RANGE = "Beløpet må være mellom 1 og {max} kr."
BAD_CHOICE = "Velg et av alternativene for {label}."
HOW_REQUIRED = "Beskriv hvordan tiltaket er tverrfaglig."
TOO_MANY = "Behovsmeldingen har allerede {max} tiltak, som er det høyeste tillatte."
NO_MEASURES = "Legg til minst ett tiltak før du sender inn."
UNKNOWN_MEASURE = "Fant ikke det tiltaket; kanskje det er fjernet."
NOT_EDITABLE = "Behovsmeldingen er sendt inn. Gjenåpne den for å endre."
REOPEN_AFTER_DEADLINE = "Fristen er ute, så behovsmeldingen kan ikke gjenåpnes."
ALREADY_SUBMITTED = "Behovsmeldingen er allerede sendt inn."
