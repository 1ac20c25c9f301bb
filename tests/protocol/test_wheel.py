"""The annual wheel at the protocol: commands, calendar feeds, reminders to the right
conversations exactly once, and the operators' command line."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime, timedelta

import pytest
import yaml
from icalendar import Calendar

from bot.app import PICTURES
from bot.compose import Runtime
from cards.check import check_card
from domain.needs.service import Actor
from domain.norsk import OSLO
from domain.wheel.loader import WHEEL_FILE
from tests.support.cards import card_texts
from tests.support.connector import RecordingConnector
from tests.support.needs import CURRENT_SCHEME, seed_report
from tests.support.processes import ROOT
from tests.support.server import DbTarget, RunningKompis, isolated_settings, kompis_at
from tests.support.teams import ALICE, CAROL, CHANNEL, CHANNEL_POSTS, GROUP, PERSONAL, TeamsClient

DEC_8 = datetime(2026, 12, 8, 9, 0, tzinfo=OSLO)


@pytest.fixture
async def wheel_kompis(target: DbTarget):
    async with kompis_at(target, datetime(2026, 11, 22, 12, tzinfo=OSLO)) as server:
        yield server


@pytest.fixture
def client(http, wheel_kompis: RunningKompis, connector: RecordingConnector) -> TeamsClient:
    return TeamsClient(http, wheel_kompis.messages_url, connector.url)


def runtime(server: RunningKompis) -> Runtime:
    return server.runtime


async def test_arshjul_card(client: TeamsClient, connector: RecordingConnector) -> None:
    await client.say("årshjul")
    [card] = connector.cards()
    check_card(card)
    said = card_texts(card)
    assert "Årshjulet 2026/2027" in said
    assert "Partnerskapene leverer behovsmeldingen" in said
    [link] = [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    assert link["url"].endswith("/calendar/arshjul.ics")
    past = [b for b in card["body"] if b.get("type") == "Container"
            and "Samling for samarbeidsforum" in b["items"][0]["text"]]
    assert past[0]["items"][0].get("isSubtle") is True  # September has passed


@pytest.mark.parametrize(("typed", "expected", "absent"), [
    ("neste frist", "Partnerskapene leverer behovsmeldingen", "Samling for samarbeidsforum"),
    ("hva skjer nå?", "Partnerskapene inngås", "Samling for samarbeidsforum"),
    ("frister i januar", "Nettverkene leverer sammenstilt", "går gjennom behovsmeldingene"),
    ("hva skjer i januar", "går gjennom behovsmeldingene", "Endelig innstilling"),
    ("frister i august", "Ingen frister i august 2027", "Partnerskapene"),
])
async def test_wheel_questions(client: TeamsClient, connector: RecordingConnector,
                               typed: str, expected: str, absent: str) -> None:
    await client.say(typed)
    [card] = connector.cards()
    check_card(card)
    assert expected in card_texts(card)
    assert absent not in card_texts(card)


async def test_month_that_does_not_exist(client: TeamsClient,
                                         connector: RecordingConnector) -> None:
    await client.say("frister i blåmåneden")
    assert "Hvilken måned?" in connector.messages()[-1]["text"]


async def test_calendar_feeds(client: TeamsClient, wheel_kompis: RunningKompis) -> None:
    for name, status in (("arshjul", 200), ("koordinator", 200), ("partnerskap", 200),
                         ("rektor", 404), ("..%2Fsecrets", 404)):
        async with client.http.get(f"{wheel_kompis.url}/calendar/{name}.ics") as resp:
            assert resp.status == status, name
            if status == 200:
                assert resp.content_type == "text/calendar"
                events = Calendar.from_ical(await resp.read()).walk("VEVENT")
                assert events


async def plan_and_deliver(server: RunningKompis, at: datetime) -> int:
    rt = runtime(server)
    plan = await rt.planner.plan(at)
    await rt.deliverer.drain(max_seconds=10)
    return plan.inserted


async def test_reminder_reaches_subscribers_once_across_restart(
        client: TeamsClient, wheel_kompis: RunningKompis,
        connector: RecordingConnector) -> None:
    await client.say("abonner på påminnelser for partnerskap", conv=CHANNEL)
    await client.say("abonner på påminnelser for samarbeidsforum", conv=GROUP)
    connector.clear()
    assert await plan_and_deliver(wheel_kompis, DEC_8) == 1
    [card] = connector.cards(CHANNEL_POSTS)
    check_card(card)
    said = card_texts(card)
    assert "om 7 dager" in said and "Partnerskapene leverer behovsmeldingen" in said
    assert connector.cards(GROUP.id) == []  # samarbeidsforum does not get this one
    assert await plan_and_deliver(wheel_kompis, DEC_8) == 0
    await wheel_kompis.restart()
    assert await plan_and_deliver(wheel_kompis, DEC_8.replace(minute=1)) == 0
    assert len(connector.cards(CHANNEL_POSTS)) == 1


async def test_submitted_partnership_gets_thanks_and_coordinator_gets_the_list(
        client: TeamsClient, wheel_kompis: RunningKompis,
        connector: RecordingConnector) -> None:
    services = runtime(wheel_kompis).services
    await client.say("abonner på påminnelser")  # Alice's personal chat
    await seed_report(wheel_kompis, Actor(ALICE.aad, "Alice", personal_chat=PERSONAL.id),
                      partnership="Fosen skolepartnerskap", measures=3,
                      submit=True)
    await seed_report(wheel_kompis, Actor("aad-other", "Olav"),
                      partnership="Ytre Fosen barnehager", measures=2, areas="barnehage")
    await client.install(conv=CHANNEL)
    await services.channels.register("fosen", CHANNEL.id, by="aad-carol")
    await client.say("mine påminnelser")  # says so before it happens
    assert "Dere har sendt inn, så" in connector.messages(PERSONAL.id)[-1]["text"]
    connector.clear()
    await plan_and_deliver(wheel_kompis, DEC_8)
    [thanks] = connector.cards(PERSONAL.id)
    assert f"Takk, dere har levert behovsmeldingen for {CURRENT_SCHEME}" in card_texts(thanks)
    [listing] = connector.cards(CHANNEL_POSTS)
    check_card(listing)
    assert f"Ytre Fosen barnehager ({CURRENT_SCHEME}): utkast med 2 tiltak" in card_texts(listing)
    assert "Fosen skolepartnerskap" not in card_texts(listing)


async def test_mine_paminnelser_names_the_next_one(client: TeamsClient,
                                                   connector: RecordingConnector) -> None:
    await client.say("abonner på påminnelser for partnerskap")
    await client.say("mine påminnelser")
    text = connector.messages()[-1]["text"]
    assert "Neste påminnelse kommer 1. desember 2026 kl. 09:00" in text


async def test_scheduler_command_line(target: DbTarget, client: TeamsClient,
                                      wheel_kompis: RunningKompis,
                                      connector: RecordingConnector) -> None:
    await client.say("abonner på påminnelser", conv=CHANNEL)
    connector.clear()
    env = {**os.environ, "DATABASE_URL": target.url, "WHEEL_FILE": str(WHEEL_FILE),
           "DATABASE_SCHEMA": target.schema or "", "MicrosoftAppId": ""}

    async def run(*args: str) -> str:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "scheduler", "due", *args, cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await proc.communicate()
        assert proc.returncode == 0, out.decode()
        return out.decode()

    dry = await run("--at", "2026-12-08T09:00")
    assert "2026/2027|frist-behovsmelding|7" in dry and "Tørrkjøring" in dry
    assert connector.messages() == []
    sent = await run("--at", "2026-12-08T09:00", "--send")
    assert "Nye i utboksen: 1, levert nå: 1" in sent
    assert len(connector.cards(CHANNEL_POSTS)) == 1
    again = await run("--at", "2026-12-08T09:05", "--send")
    assert "Nye i utboksen: 0" in again
    assert len(connector.cards(CHANNEL_POSTS)) == 1


async def test_member_personal_chat_gets_partnership_reminders_until_stopped(
        client: TeamsClient, wheel_kompis: RunningKompis,
        connector: RecordingConnector) -> None:
    await client.say("hjelp")  # Alice's personal chat is known
    await seed_report(wheel_kompis, Actor(ALICE.aad, "Alice", personal_chat=PERSONAL.id),
                      partnership="Fosen barnehager", areas="barnehage")
    connector.clear()
    await plan_and_deliver(wheel_kompis, DEC_8)
    [card] = connector.cards(PERSONAL.id)
    assert "Partnerskapene leverer behovsmeldingen" in card_texts(card)
    await client.say("stopp påminnelser")
    assert "ikke flere påminnelser" in connector.messages()[-1]["text"]
    connector.clear()
    await plan_and_deliver(wheel_kompis, datetime(2026, 12, 11, 9, tzinfo=OSLO))
    assert connector.cards(PERSONAL.id) == []


async def test_welcome_in_a_team_offers_reminders_but_subscribes_nobody(
        client: TeamsClient, wheel_kompis: RunningKompis,
        connector: RecordingConnector) -> None:
    await client.install(conv=CHANNEL)
    [card] = connector.cards(CHANNEL.id)
    check_card(card)
    assert {"action": "say", "text": "abonner på påminnelser"} in [a["data"] for a in
                                                                   card["actions"]]
    assert await runtime(wheel_kompis).services.subscriptions.get(CHANNEL.id) is None
    await client.install(conv=PERSONAL)
    personal = connector.cards(PERSONAL.id)[0]
    assert "abonner" not in str(personal["actions"])
    connector.clear()
    await plan_and_deliver(wheel_kompis, DEC_8)
    assert connector.messages() == []


@pytest.mark.parametrize("admin", [ALICE.aad, "Alice@Fosen.no"], ids=["object-id", "upn"])
async def test_broken_wheel_edit_is_kept_out_and_admins_are_told_once(
        http, target: DbTarget, connector: RecordingConnector, tmp_path, admin: str) -> None:
    wheel_file = tmp_path / "arshjul.yaml"
    wheel_file.write_text(WHEEL_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    connector.members[ALICE.id] = {"id": ALICE.id, "name": ALICE.name, "aadObjectId": ALICE.aad,
                                   "userPrincipalName": "alice@fosen.no"}
    server = RunningKompis(target, isolated_settings(target, wheel_file=wheel_file,
                                                     admins=frozenset({admin})))
    await server.start()
    try:
        teams = TeamsClient(http, server.messages_url, connector.url)
        await teams.say("hjelp")  # the admin's personal chat
        await teams.say("abonner på påminnelser", conv=CHANNEL)
        connector.clear()
        wheel_file.write_text("cycles:\n  - id: '2026/2027'\n    events: []\n",
                              encoding="utf-8")
        os.utime(wheel_file, (10, 10))
        await plan_and_deliver(server, DEC_8)
        [notice] = connector.messages(PERSONAL.id)
        assert "bruker fortsatt forrige versjon" in notice["text"]
        assert "events" in notice["text"]
        # the last good wheel still works: the reminder went out, the command answers
        assert len(connector.cards(CHANNEL_POSTS)) == 1
        await plan_and_deliver(server, DEC_8.replace(minute=2))
        assert len(connector.messages(PERSONAL.id)) == 1  # told once
        await teams.say("årshjul")
        assert "Årshjulet 2026/2027" in card_texts(connector.cards(PERSONAL.id)[-1])
    finally:
        await server.stop()


async def test_after_the_deadline_the_running_cycle_is_shown(target: DbTarget,
                                                             connector: RecordingConnector,
                                                             http, tmp_path) -> None:
    """With next year's cycle already in the wheel, `årshjul` on 20 December still shows
    the cycle in progress, while `status` belongs to the compiled report due 13 January."""
    data = yaml.safe_load(WHEEL_FILE.read_text(encoding="utf-8"))
    copy = yaml.safe_load(yaml.safe_dump(data["cycles"][0], allow_unicode=True))
    copy["id"] = "2027/2028"
    for event in copy["events"]:
        for field in ("start", "end"):
            if field in event:  # 52 weeks on: the same weekdays, so it loads
                event[field] += timedelta(weeks=52)
    data["cycles"].append(copy)
    wheel = tmp_path / "arshjul.yaml"
    wheel.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    async with kompis_at(target, datetime(2026, 12, 20, 10, tzinfo=OSLO),
                         wheel_file=wheel) as server:
        services = server.services
        assert [c.id for c in services.wheel.wheel.cycles] == ["2026/2027", "2027/2028"]
        await services.roles.grant(CAROL.aad, "koordinator", "fosen", display_name=None,
                                   by=None)
        client = TeamsClient(http, server.messages_url, connector.url)
        await client.say("årshjul")
        assert "2026/2027" in card_texts(connector.cards()[-1])
        await client.say("status", user=CAROL)
        shown = card_texts(connector.cards()[-1])
        assert "Status for Fosen, 2026/2027" in shown and "13. januar 2027" in shown


async def test_arshjul_picture(client: TeamsClient, connector: RecordingConnector,
                               wheel_kompis: RunningKompis) -> None:
    """The card's picture is the app's /arshjul.png on PUBLIC_URL, drawn once a day and
    revalidated with its ETag."""
    await client.say("årshjul")
    [card] = connector.cards()
    image = card["body"][0]
    assert image["type"] == "Image"
    public = wheel_kompis.settings.public_url.rstrip("/")
    assert image["url"] == f"{public}/arshjul.png?dag=2026-11-22"
    assert "15. desember: frist, Partnerskapene leverer behovsmeldingen" in image["altText"]
    path = image["url"][len(public):]
    pictures = wheel_kompis.app[PICTURES]  # type: ignore[index]
    async with client.http.get(f"{wheel_kompis.url}{path}") as resp:
        assert resp.status == 200
        assert resp.content_type == "image/png"
        body = await resp.read()
        etag = resp.headers["ETag"]
        assert "max-age" in resp.headers["Cache-Control"]
    assert body[:8] == b"\x89PNG\r\n\x1a\n" and len(body) > 20_000
    async with client.http.get(f"{wheel_kompis.url}/arshjul.png",
                               headers={"If-None-Match": etag}) as resp:
        assert resp.status == 304
        assert resp.headers["ETag"] == etag
        assert await resp.read() == b""
    async with client.http.get(f"{wheel_kompis.url}/arshjul.png",
                               headers={"If-None-Match": '"ikke-denne"'}) as resp:
        assert resp.status == 200 and await resp.read() == body
    assert pictures.drawn == 1  # three requests, one drawing
    async with client.http.get(f"{wheel_kompis.url}/arshjul.svg") as resp:
        assert resp.status == 200
        assert resp.content_type == "image/svg+xml"
        assert b"<svg" in (await resp.read())[:2000]
        assert resp.headers["ETag"] != etag
    wheel_kompis.clock.set(datetime(2026, 11, 23, 8, tzinfo=OSLO))  # the hand moves
    async with client.http.get(f"{wheel_kompis.url}/arshjul.png",
                               headers={"If-None-Match": etag}) as resp:
        assert resp.status == 200 and resp.headers["ETag"] != etag
