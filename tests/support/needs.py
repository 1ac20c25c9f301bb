"""The needs report in tests: the form data a partnership types, presses at the
protocol, and reports made through the service for tests about something else."""

from __future__ import annotations

from cards.check import check_card
from domain.needs.catalog import load_schemes
from domain.needs.forms import WHAT_FIELDS, parse_measure
from domain.needs.models import Header, Measure, NeedsReport
from domain.needs.service import Actor
from tests.support.cards import card_texts
from tests.support.connector import RecordingConnector
from tests.support.server import RunningKompis
from tests.support.teams import ALICE, GROUP, PERSONAL, Conv, TeamsClient, User

# The scheme new reports go to (one for every field from 2026/2027). Tests use this name,
# never the code, so a renamed scheme is a change here only.
CURRENT_SCHEME = "KKU"
CURRENT_CYCLE = "2026/2027"
# An earlier cycle with several schemes, each for its own field(s).
OLD_CYCLE = "2025/2026"

HEADER = {"scheme": CURRENT_SCHEME, "network_id": "fosen", "partnership_name": "Fosen skoler",
          "owners": "Åfjord kommune, Ørland kommune", "uh_partner": "ntnu",
          "contact_name": "Kari Nordmann", "contact_email": "kari@afjord.kommune.no"}
MEASURE = {
    "title": "Lesing på tvers", "need": "Lesing må styrkes.", "need_found": "Nasjonale prøver.",
    "areas": "skole", "staff_groups": "Lærere", "units": "Alle skolene",
    "uh_role": "NTNU veileder", "inclusion": "Tillitsvalgte deltok", "sami": "Ikke aktuelt "
    "fordi ingen av skolene har samiske elever; vurdert med eierne.",
    "interdisciplinary": "false", "continued": "false", "period_start": "2027-01-04",
    "period_end": "2027-12-17", "amount": "300 000",
}

STEP1 = {k: v for k, v in MEASURE.items() if k in WHAT_FIELDS}  # the measure's two steps
STEP2 = {k: v for k, v in MEASURE.items() if k not in WHAT_FIELDS}


async def press(client: TeamsClient, verb: str, data: dict, **kw) -> dict:
    """Press an Action.Execute button; return the card that replaces the pressed one."""
    answer = await client.execute(verb, {"action": verb, **data}, **kw)
    assert answer.status == 200, answer.body
    body = answer.body
    if body["type"] == "application/vnd.microsoft.card.adaptive":
        check_card(body["value"])
        return body["value"]
    return {"message": body["value"]}


def button(card: dict, title: str) -> dict:
    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute" and node.get("title") == title:
                yield node
            for v in node.values():
                yield from walk(v)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v)
    found = list(walk(card))
    assert found, f"no button {title!r}"
    return found[0]["data"]


def titles(card: dict) -> list[str]:
    """The titles of every button on a card."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action."):
                found.append(node.get("title", ""))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(card)
    return found


async def start_report(client: TeamsClient, connector: RecordingConnector, *,
                       user: User = ALICE, conv: Conv = PERSONAL) -> dict:
    """`meld behov` in the person's own chat, then the header form filled in and saved."""
    await client.say("meld behov", user=user, conv=conv)
    header = connector.cards(conv.id)[-1]
    check_card(header)
    data = button(header, "Lagre og gå videre")
    return await press(client, "needs.header.save", {**data, **HEADER}, user=user, conv=conv)


async def join(client: TeamsClient, connector: RecordingConnector, who) -> dict:
    """Alice brings `who` into her partnership in their group chat; `who` opens the draft."""
    connector.members[who.id] = {"id": who.id, "name": who.name, "aadObjectId": who.aad}
    await client.say_mentioning("legg til @", who, user=ALICE, conv=GROUP)
    assert "er nå med i partnerskapet Fosen skoler" in connector.messages(GROUP.id)[-1]["text"]
    await client.say("meld behov", user=who)
    offer = connector.cards()[-1]
    assert "Vil du fortsette" in card_texts(offer)
    return await press(client, "needs.continue", button(offer, "Fortsett"), user=who)


async def seed_report(kompis: RunningKompis, actor: Actor, *, partnership: str,
                      scheme: str = CURRENT_SCHEME, measures: int = 1, submit: bool = False,
                      network_id: str = "fosen", cycle: str = CURRENT_CYCLE,
                      areas: str = "skole") -> NeedsReport:
    """A report made through the needs service (as presses would), for tests of what
    follows from reports: reminders, status, export. Its measures cover `areas`."""
    service = kompis.runtime.features.needs
    header = Header.model_validate({
        **{k: v for k, v in HEADER.items() if k != "owners"}, "owners": ("Åfjord kommune",),
        "cycle": cycle, "scheme": scheme, "network_id": network_id,
        "partnership_name": partnership})
    report = await service.start(actor, header)
    rules = load_schemes().cycle(cycle)
    assert rules is not None
    for i in range(measures):
        measure = parse_measure({**MEASURE, "title": f"Tiltak {i + 1}", "areas": areas}, rules)
        assert isinstance(measure, Measure)
        report = await service.add_measure(actor, report.id, report.version, measure)
    if submit:
        report = await service.submit(actor, report.id, report.version)
    return report


async def fill_measure(client: TeamsClient, form: dict, values: dict, **kw) -> dict:
    """The measure form's two steps as a person fills them: step 1's fields (what and who)
    and «Neste», then step 2's (money, period, criteria) and «Lagre tiltaket». Returns the
    card after the last press: the review, or the step that was refused."""
    what = {k: v for k, v in values.items() if k in WHAT_FIELDS}
    money = {k: v for k, v in values.items() if k not in WHAT_FIELDS}
    step2 = await press(client, "needs.measure.next", {**button(form, "Neste"), **what}, **kw)
    if "Lagre tiltaket" not in titles(step2):
        return step2
    return await press(client, "needs.measure.save",
                       {**button(step2, "Lagre tiltaket"), **money}, **kw)
