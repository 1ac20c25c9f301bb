"""Reminder subscriptions: `abonner på påminnelser [for …]`, `stopp påminnelser`,
`mine påminnelser`. Nothing is posted to a conversation that did not ask for it."""

from __future__ import annotations

from dialogs.commands import Command
from dialogs.router import Router
from dialogs.services import Services
from dialogs.texts import literal
from dialogs.turn import Incoming, Outcome
from domain.norsk import format_datetime
from domain.wheel.due import next_reminder

SECTION = "Årshjul og påminnelser"
AUDIENCES = {
    "partnerskap": "partnerskap",
    "partnerskapet": "partnerskap",
    "partnerskapene": "partnerskap",
    "koordinator": "koordinator",
    "koordinatorer": "koordinator",
    "koordinatorene": "koordinator",
    "nettverkskoordinator": "koordinator",
    "samarbeidsforum": "samarbeidsforum",
    "samarbeidsforumet": "samarbeidsforum",
    "sf": "samarbeidsforum",
}
ALL = ("partnerskap", "koordinator", "samarbeidsforum")
LABELS = {"partnerskap": "partnerskap", "koordinator": "koordinatorer",
          "samarbeidsforum": "samarbeidsforum"}

SUBSCRIBED = (
    "Denne samtalen får nå påminnelser om frister og møter for {who}. "
    "Skriv **stopp påminnelser** for å slutte."
)
UNKNOWN_AUDIENCE = (
    "Jeg kjenner ikke igjen «{words}». Skriv for eksempel **abonner på påminnelser for "
    "koordinator** (eller partnerskap eller samarbeidsforum)."
)
STOPPED = "Greit, denne samtalen får ikke flere påminnelser fra meg."
NOT_SUBSCRIBED = (
    "Denne samtalen får ingen påminnelser nå. Skriv **abonner på påminnelser** for å starte."
)
STATUS = "Denne samtalen får påminnelser for {who}."
NEXT = "Neste påminnelse kommer {when}: {title}."
NEXT_THANKS = "Dere har sendt inn, så {when} kommer en takk i stedet for påminnelsen om " \
              "«{title}»."


def _who(audiences: list[str] | tuple[str, ...]) -> str:
    names = [LABELS[a] for a in ALL if a in audiences]
    if len(names) == len(ALL):
        return "alle (partnerskap, koordinatorer og samarbeidsforum)"
    return " og ".join(names)


def parse_audiences(rest: str) -> tuple[list[str], list[str]]:
    """('for koordinator og partnerskap') -> (['koordinator', 'partnerskap'], unknown words)."""
    words = [w for w in rest.replace(",", " ").split() if w not in ("for", "og", "til", "alle")]
    found, unknown = [], []
    for word in words:
        audience = AUDIENCES.get(word)
        if audience is None:
            unknown.append(word)
        elif audience not in found:
            found.append(audience)
    return found, unknown


class Reminders:
    def __init__(self, services: Services) -> None:
        self._services = services

    def register(self, router: Router) -> None:
        router.commands.add(Command(
            "abonner", ("abonner på påminnelser", "abonner", "start påminnelser",
                        "abonner pa paminnelser"),
            self.subscribe, SECTION, "Få påminnelser om frister og møter her",
            "abonner på påminnelser",
            intents=("jeg vil ha påminnelser", "få påminnelser", "varsle oss før fristene",
                     "slå på påminnelser", "få varsel om møter og frister",
                     "minn oss på fristen", "send oss påminnelser om fristene",
                     "varsle meg om fristene", "remind us about deadlines",
                     "skru på varsler", "få påminningar")))
        router.commands.add(Command(
            "stopp", ("stopp påminnelser", "stop påminnelser", "avslutt påminnelser",
                      "stopp paminnelser"),
            self.stop, SECTION, "Slutt å få påminnelser her", "stopp påminnelser",
            intents=("slutt å sende påminnelser", "skru av varsler",
                     "ikke flere påminnelser", "melde av påminnelsene",
                     "vil ikke ha påminnelser lenger", "slutt med påminnelsene",
                     "no more reminders", "ikkje fleire påminningar",
                     "slå av varslene")))
        router.commands.add(Command(
            "mine_påminnelser", ("mine påminnelser", "påminnelser", "mine paminnelser"),
            self.status, SECTION, "Se hvilke påminnelser denne samtalen får",
            "mine påminnelser",
            intents=("hvilke påminnelser kommer hit", "vis påminnelsene våre",
                     "abonnerer vi på varsler", "hvilke varsler får vi",
                     "hvilke påminnelser får vi", "er påminnelser slått på",
                     "which reminders do we get", "oversikt over påminnelsene",
                     "kva påminningar får vi")))

    async def subscribe(self, turn: Incoming, rest: str) -> Outcome:
        audiences, unknown = parse_audiences(rest)
        if unknown:
            return Outcome.say(UNKNOWN_AUDIENCE.format(words=literal(" ".join(unknown[:5])[:80])))
        chosen = audiences or list(ALL)
        await self._services.subscriptions.subscribe(
            turn.conversation_id, chosen, by=turn.user_aad_id
        )
        return Outcome.say(SUBSCRIBED.format(who=_who(chosen)))

    async def stop(self, turn: Incoming, rest: str) -> Outcome:
        stopped = await self._services.subscriptions.stop(turn.conversation_id,
                                                          by=turn.user_aad_id)
        return Outcome.say(STOPPED if stopped else NOT_SUBSCRIBED)

    async def status(self, turn: Incoming, rest: str) -> Outcome:
        sub = await self._services.subscriptions.effective(turn.conversation_id)
        if sub is None:
            return Outcome.say(NOT_SUBSCRIBED)
        text = STATUS.format(who=_who(sub.audiences))
        if self._services.wheel is not None:
            upcoming = next_reminder(self._services.wheel.wheel, self._services.now(),
                                     tuple(sub.audiences))
            if upcoming is not None:
                thanks = upcoming.event.deadline_for == "behovsmelding" \
                    and turn.conversation_type == "personal" and bool(turn.user_aad_id) \
                    and await self._services.reports.all_submitted(turn.user_aad_id or "",
                                                                   upcoming.cycle_id)
                text += " " + (NEXT_THANKS if thanks else NEXT).format(
                    when=format_datetime(upcoming.send_at), title=upcoming.event.title)
        return Outcome.say(text)
