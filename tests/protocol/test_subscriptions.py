"""Reminder subscriptions in chat: subscribe, narrow, status, stop."""

from __future__ import annotations

import pytest

from tests.support.connector import RecordingConnector
from tests.support.server import RunningKompis
from tests.support.teams import CHANNEL, GROUP, PERSONAL, TeamsClient


def last_text(connector: RecordingConnector, conv_id: str) -> str:
    return connector.messages(conv_id)[-1]["text"]


async def subscription(kompis: RunningKompis, conv_id: str):
    return await kompis.services.subscriptions.get(conv_id)


async def test_subscribe_everything_in_a_channel(teams: TeamsClient, kompis: RunningKompis,
                                                 connector: RecordingConnector) -> None:
    await teams.say("abonner på påminnelser", conv=CHANNEL)
    assert "får nå påminnelser" in last_text(connector, CHANNEL.id)
    sub = await subscription(kompis, CHANNEL.id)
    assert sub.active and sub.audiences == ["koordinator", "partnerskap", "samarbeidsforum"]
    assert sub.created_by == "aad-alice-0001"


@pytest.mark.parametrize(("typed", "expected"), [
    ("abonner på påminnelser for koordinator", ["koordinator"]),
    ("Abonner på påminnelser for partnerskap og koordinatorer", ["koordinator", "partnerskap"]),
    ("abonner på påminnelser for SF", ["samarbeidsforum"]),
])
async def test_subscribe_narrowed(teams: TeamsClient, kompis: RunningKompis,
                                  connector: RecordingConnector, typed: str,
                                  expected: list[str]) -> None:
    await teams.say(typed, conv=GROUP)
    assert (await subscription(kompis, GROUP.id)).audiences == expected


async def test_unknown_audience_changes_nothing(teams: TeamsClient, kompis: RunningKompis,
                                               connector: RecordingConnector) -> None:
    await teams.say("abonner på påminnelser for rektorene", conv=GROUP)
    assert "kjenner ikke igjen «rektorene»" in last_text(connector, GROUP.id)
    assert await subscription(kompis, GROUP.id) is None


async def test_status_and_stop(teams: TeamsClient, kompis: RunningKompis,
                               connector: RecordingConnector) -> None:
    await teams.say("mine påminnelser")
    assert "ingen påminnelser" in last_text(connector, PERSONAL.id)
    await teams.say("abonner på påminnelser for partnerskap")
    await teams.say("mine påminnelser")
    assert "påminnelser for partnerskap" in last_text(connector, PERSONAL.id)
    await teams.say("stopp påminnelser")
    assert "ikke flere påminnelser" in last_text(connector, PERSONAL.id)
    assert (await subscription(kompis, PERSONAL.id)).active is False
    await teams.say("stopp påminnelser")
    assert "ingen påminnelser" in last_text(connector, PERSONAL.id)
    await teams.say("abonner på påminnelser")
    assert (await subscription(kompis, PERSONAL.id)).active is True
