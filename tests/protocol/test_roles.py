"""Roles in chat: only admins grant, identities come from the connector, all audited."""

from __future__ import annotations

import pytest

from dialogs.services import Network
from domain.answers import texts
from store.audit import REFUSED
from tests.support.cards import card_texts, walk
from tests.support.connector import RecordingConnector
from tests.support.server import DbTarget, RunningKompis, isolated_settings
from tests.support.teams import ALICE, BOB, CAROL, CHANNEL, GROUP, TeamsClient


class Networks:
    NETWORKS = (Network("fosen", "Fosen"), Network("trondheim-malvik", "Trondheim/Malvik"))

    def find(self, text: str) -> Network | None:
        return next((n for n in self.NETWORKS if n.name.lower() == text.strip().lower()), None)

    def get(self, network_id: str) -> Network | None:
        return next((n for n in self.NETWORKS if n.id == network_id), None)


@pytest.fixture
async def admin_kompis(target: DbTarget, connector: RecordingConnector):
    server = RunningKompis(target, isolated_settings(target, admins=frozenset({ALICE.aad})))
    await server.start()
    for user in (ALICE, BOB, CAROL):
        connector.members[user.id] = {"id": user.id, "name": user.name,
                                      "aadObjectId": user.aad,
                                      "userPrincipalName": f"{user.name.split()[0]}@fosen.no"}
    yield server
    await server.stop()


@pytest.fixture
def client(http, admin_kompis: RunningKompis, connector: RecordingConnector) -> TeamsClient:
    return TeamsClient(http, admin_kompis.messages_url, connector.url)


async def say_mentioning(client: TeamsClient, text: str, who, *, user=ALICE, conv=GROUP):
    return await client.say_mentioning(text, who, user=user, conv=conv)


def last(connector: RecordingConnector) -> str:
    return connector.messages()[-1]["text"]


async def test_admin_grants_and_revokes_coordinator(client: TeamsClient,
                                                    admin_kompis: RunningKompis,
                                                    connector: RecordingConnector) -> None:
    await say_mentioning(client, "gi @ rollen koordinator for Fosen", BOB)
    assert last(connector) == "Bob Namdal har nå rollen koordinator for Fosen."
    services = admin_kompis.services
    assert await services.roles.of(BOB.aad) == [("koordinator", "fosen")]
    assert (await services.principal(BOB.aad)).may_coordinate("fosen")
    await say_mentioning(client, "gi @ rollen koordinator for Fosen", BOB)
    assert "allerede" in last(connector)
    await client.say("roller", conv=GROUP)
    assert "Bob Namdal: koordinator for Fosen" in last(connector)
    await say_mentioning(client, "fjern rollen koordinator for Fosen fra @", BOB)
    assert last(connector) == "Bob Namdal har ikke lenger rollen koordinator for Fosen."
    assert await services.roles.of(BOB.aad) == []
    trail = await services.audit.for_object("role", BOB.aad)
    assert [e.action for e in trail] == ["role.grant", "role.grant", "role.revoke"]
    assert all(e.actor == ALICE.aad for e in trail)


async def test_non_admin_is_refused_and_it_is_audited(client: TeamsClient,
                                                      admin_kompis: RunningKompis,
                                                      connector: RecordingConnector) -> None:
    await say_mentioning(client, "gi @ rollen admin", BOB, user=BOB)
    assert last(connector) == "Bare administratorer (Statsforvalteren) kan endre roller."
    services = admin_kompis.services
    assert await services.roles.of(BOB.aad) == []
    [refusal] = await services.audit.refusals()
    assert refusal.actor == BOB.aad and refusal.outcome == REFUSED
    await client.say("roller", conv=GROUP, user=CAROL)
    assert "Bare administratorer" in last(connector)


@pytest.mark.parametrize(("text", "answer"), [
    ("gi @ rollen koordinator for Atlantis", "finner ikke nettverket «atlantis»"),
    ("gi @ rollen koordinator", "Hvilket kompetansenettverk?"),
    ("gi @ rollen sjef", "Hvilken rolle?"),
])
async def test_unclear_grants_change_nothing(client: TeamsClient, admin_kompis: RunningKompis,
                                             connector: RecordingConnector, text: str,
                                             answer: str) -> None:
    await say_mentioning(client, text, BOB)
    assert answer in last(connector)
    assert await admin_kompis.services.roles.all() == []


async def test_grant_without_a_mention_or_unknown_member(client: TeamsClient,
                                                         connector: RecordingConnector) -> None:
    await client.say("gi rollen koordinator for Fosen", conv=GROUP)
    assert "Nevn personen med @" in last(connector)
    del connector.members[BOB.id]
    await say_mentioning(client, "gi @ rollen koordinator for Fosen", BOB)
    assert "fant ikke Bob Namdal" in last(connector)


async def test_gi_without_rollen_is_not_a_role_command(client: TeamsClient,
                                                       connector: RecordingConnector) -> None:
    await client.say("gi meg fristene", conv=GROUP)
    assert connector.cards()  # the help card, not a refusal


async def test_coordinator_registers_their_channel(client: TeamsClient,
                                                   admin_kompis: RunningKompis,
                                                   connector: RecordingConnector) -> None:
    await client.say("registrer koordinatorkanal", conv=CHANNEL, user=BOB)
    assert "Bare koordinatorer" in last(connector)
    await say_mentioning(client, "gi @ rollen koordinator for Fosen", BOB)
    await client.say("registrer koordinatorkanal", conv=CHANNEL, user=BOB)
    assert "koordinatorkanal for Fosen" in last(connector)
    services = admin_kompis.services
    assert await services.channels.of("fosen") == CHANNEL.id
    await client.say("registrer koordinatorkanal for Trondheim/Malvik", conv=CHANNEL, user=BOB)
    assert "Bare koordinatorer" in last(connector)
    assert await services.channels.of("trondheim-malvik") is None


async def test_help_shows_staff_commands_only_to_staff(client: TeamsClient,
                                                       connector: RecordingConnector) -> None:
    await client.say("hjelp", user=BOB)
    assert "roller" not in str(connector.cards()[-1])
    await client.say("hjelp", user=ALICE)
    assert "roller" in str(connector.cards()[-1])


async def test_a_coordinator_is_not_offered_role_management(
        client: TeamsClient, admin_kompis: RunningKompis,
        connector: RecordingConnector) -> None:
    await say_mentioning(client, "gi @ rollen koordinator for Fosen", BOB)
    await client.say("hjelp", user=BOB)
    offered = str(connector.cards()[-1])
    assert "status" in offered and "eksporter" in offered  # the coordinator's own
    assert "roller" not in offered and "gi @Kari rollen" not in offered
    await client.say("hjelp", user=ALICE)  # the admin
    assert "gi @Kari rollen" in str(connector.cards()[-1])


async def test_the_shipped_network_list_is_used(http, target: DbTarget,
                                                connector: RecordingConnector) -> None:
    server = RunningKompis(target, isolated_settings(target, admins=frozenset({ALICE.aad})))
    await server.start()
    try:
        connector.members[BOB.id] = {"id": BOB.id, "name": BOB.name, "aadObjectId": BOB.aad}
        client = TeamsClient(http, lambda: server.messages_url, connector.url)
        await say_mentioning(client, "gi @ rollen koordinator for Trondheim og Malvik", BOB)
        assert last(connector) == "Bob Namdal har nå rollen koordinator for Trondheim/Malvik."
    finally:
        await server.stop()


async def test_admins_may_be_named_by_upn(target: DbTarget, connector: RecordingConnector,
                                          http) -> None:
    """KOMPIS_ADMINS may hold UPNs; the UPN is looked up once at the connector, then kept."""
    server = RunningKompis(target, isolated_settings(target,
                                                     admins=frozenset({"Carol@Fosen.no"})))
    await server.start()
    try:
        for user in (BOB, CAROL):
            connector.members[user.id] = {
                "id": user.id, "name": user.name, "aadObjectId": user.aad,
                "userPrincipalName": f"{user.name.split()[0]}@fosen.no"}
        client = TeamsClient(http, lambda: server.messages_url, connector.url)
        await client.say("roller", conv=GROUP, user=CAROL)
        assert last(connector).startswith(
            "**Roller i Kompis**\n- Administratorer fra oppsettet (KOMPIS_ADMINS): 1")
        await client.say("roller", conv=GROUP, user=BOB)
        assert last(connector) == "Bare administratorer (Statsforvalteren) kan endre roller."
        lookups = sum(1 for c in connector.calls if c.route == "member")
        assert lookups == 2
        await server.restart()  # remembered in the database, not in the process
        await client.say("roller", conv=GROUP, user=CAROL)
        await client.say("roller", conv=GROUP, user=BOB)
        assert "Roller i Kompis" in connector.messages()[-2]["text"]
        assert sum(1 for c in connector.calls if c.route == "member") == lookups
        # someone the connector cannot tell about is not asked for again on every turn
        for _ in range(3):
            await client.say("roller", conv=GROUP, user=ALICE)
        assert last(connector) == "Bare administratorer (Statsforvalteren) kan endre roller."
        assert sum(1 for c in connector.calls if c.route == "member") == lookups + 1
    finally:
        await server.stop()


async def test_a_display_name_is_shown_literally_not_as_a_link(
        client: TeamsClient, connector: RecordingConnector) -> None:
    """Issue #18 (7): a display name is typed by a person; in a plain-text reply Teams
    renders markdown, so it must arrive escaped, never as a live link."""
    phish = "[Logg inn](https://phish.example)"
    connector.members[BOB.id] = {"id": BOB.id, "name": phish, "aadObjectId": BOB.aad}
    await say_mentioning(client, "gi @ rollen koordinator for Fosen", BOB)
    granted = last(connector)
    await client.say("roller", conv=GROUP)
    listed = last(connector)
    for text in (granted, listed):
        assert phish not in text and "](" not in text, text
        assert r"\[Logg inn\]\(https://phish\.example\)" in text, text


def submits(card: dict) -> list[dict]:
    return [n["data"] for n in walk(card) if n.get("type") == "Action.Submit"]


@pytest.mark.parametrize(("text", "done"), [
    ("kan du gi @ rollen koordinator for Fosen", "Bob Namdal har nå rollen koordinator for Fosen."),
    ("@ skal være koordinator for Fosen", "Bob Namdal har nå rollen koordinator for Fosen."),
    ("gjør @ til koordinator for Fosen", "Bob Namdal har nå rollen koordinator for Fosen."),
])
async def test_a_role_asked_for_in_plain_words_is_offered_then_given(
        client: TeamsClient, admin_kompis: RunningKompis, connector: RecordingConnector,
        text: str, done: str) -> None:
    """The engine reads text only; the turn carries the real @mention: Kompis offers to do
    it for that person, changes nothing before the press, and the press does exactly what
    the typed command does (rights checked, audited)."""
    await say_mentioning(client, text, BOB)
    offer = connector.cards()[-1]
    assert "Mente du «gi»?" in card_texts(offer) and "Bob Namdal" in card_texts(offer)
    assert await admin_kompis.services.roles.all() == []
    [press, _help] = submits(offer)
    assert press["person"] == BOB.id
    await client.submit(press, conv=GROUP)
    assert last(connector) == done
    assert await admin_kompis.services.roles.of(BOB.aad) == [("koordinator", "fosen")]
    # the same press by someone who may not manage roles is refused, as the typed command
    await client.submit({**press, "text": "fjern Bob som koordinator for Fosen",
                         "command": "fjern_rolle"}, conv=GROUP, user=CAROL)
    assert last(connector) == "Bare administratorer (Statsforvalteren) kan endre roller."
    assert await admin_kompis.services.roles.of(BOB.aad) == [("koordinator", "fosen")]


@pytest.mark.parametrize("value", [
    {"command": "gi_rolle", "text": "gi rollen admin"},  # no person
    {"command": "status", "text": "status", "person": "29:x"},  # takes no mention
    {"command": "gi_rolle", "text": "x" * 5000, "person": "29:x"},
    {"command": ["gi_rolle"], "text": "gi", "person": "29:x"},
])
async def test_a_forged_mention_press_changes_nothing(
        client: TeamsClient, admin_kompis: RunningKompis, connector: RecordingConnector,
        value: dict) -> None:
    await client.submit({"action": "answers.mention", **value}, conv=GROUP)
    assert last(connector) == texts.GONE
    assert await admin_kompis.services.roles.all() == []
