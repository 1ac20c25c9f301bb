"""Norwegian texts the router itself says (features keep their own texts), and `literal`,
which every plain-text reply uses for what a person typed."""

from domain.markdown import escape_markdown

UNKNOWN_BUTTON = (
    "Den knappen kjenner jeg ikke igjen, kanskje er kortet fra en eldre versjon av Kompis. "
    "Skriv **hjelp** for å se hva jeg kan."
)
NOT_ALLOWED_TENANT = (
    "Beklager, Kompis er ikke tatt i bruk i organisasjonen din ennå. "
    "Ta kontakt med Statsforvalteren om dere ønsker å bruke den."
)
TURN_FAILED = (
    "Beklager, noe gikk galt hos meg, og det du sendte ble ikke behandlet. "
    "Prøv igjen om litt. Hvis det skjer igjen, gi feilkoden {trace_id} til den som drifter Kompis."
)
RECEIVED = "Mottatt."
REPLY_UNDELIVERED = (
    "Beklager, svaret mitt kom ikke fram i stad fordi Teams ikke tok imot det. "
    "Send meldingen din på nytt. (Feilkode {trace_id})"
)


def literal(value: object) -> str:
    """Text a person typed (a name, a partnership, words echoed back), shown literally in
    a plain-text reply: Teams renders markdown there, so `[Logg inn](https://…)` would be a
    live link. One line (no list or heading can start), every markdown character escaped,
    as the cards do."""
    return escape_markdown(" ".join(str(value).split()))

# A draft, a form or personal data asked for in a channel or group chat: it goes to the
# person's personal chat with Kompis, and the shared chat gets one of these lines.
SENT_FORM = "Jeg har sendt deg skjemaet i en personlig chat med Kompis."
SENT_PERSONALLY = "Jeg har svart deg i en personlig chat med Kompis."
# Teams would not open that chat (the person has not installed Kompis for themselves)
START_PERSONAL_CHAT = (
    "Dette viser jeg bare i en personlig chat med Kompis, så ikke alle her ser det, men du "
    "har ikke startet en chat med meg ennå. Åpne Kompis under **Apper** i Teams (eller søk "
    "etter Kompis under **Chat**), skriv **hei**, og spør meg der."
)
