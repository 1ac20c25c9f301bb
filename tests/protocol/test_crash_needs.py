"""kill -9 at the worst moments of a needs report, against real `python -m bot` processes
on one database (a SQLite file, and a PostgreSQL schema when TEST_DATABASE_URL is set).

Each test makes 20 runs. A run does its presses on the running process, sends the press
under test, SIGKILLs the process after a seeded random 0–60 ms (so kills land before,
during and after the commit), starts a new process on the same database and checks what
the crash left. The new process is the next run's, so a run starts one process.

(3) confirm «Send inn», then kill: after the restart (and a second confirm when the
    first did not commit) the coordinator channel gets exactly one notice per report,
    and the reference numbers are gap-free. The processes that are killed do not send
    (no scheduler): a kill in the middle of the HTTP post of a notice may double it, as
    the outbox sends an interrupted row again rather than lose it (test_replicas.py
    allows for that). The outbox is delivered by a sender that is not killed, a Kompis
    in the test process on the same database.
(4) the first save of a new partnership's header, then kill: no partnership ever has
    reports but no members; another person typing the name is refused, and the one who
    began goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest
from sqlalchemy import and_, exists, select

from domain.needs.models import partnership_key
from store.db import Database
from store.models import NeedsReportRow, OutboxMessage, PartnershipMember
from tests.support.cards import card_texts
from tests.support.connector import RecordingConnector
from tests.support.needs import HEADER, MEASURE, button, fill_measure, press
from tests.support.processes import Replica
from tests.support.server import DbTarget, RunningKompis, isolated_settings
from tests.support.teams import BOB, CAROL, CHANNEL, CHANNEL_POSTS, Conv, TeamsClient, User

pytestmark = pytest.mark.crash

RUNS = 20
MAX_DELAY = 0.060  # seconds from sending the press to SIGKILL
BOBS_CHAT = Conv("a:1personal-bob", "personal")
# a lease shorter than the default 120 s, so a row the killed process had claimed is
# claimed again within the run; Carol is an admin and registers the coordinator channel
ENV = {"OUTBOX_LEASE_SECONDS": "1", "KOMPIS_ADMINS": CAROL.aad}


def person(run: int) -> tuple[User, Conv]:
    return (User(f"29:1crash{run}", f"aad-crash-{run:04d}", f"Person {run}"),
            Conv(f"a:1personal-crash{run}", "personal"))


def name_of(run: int) -> str:
    return f"Skolelag {'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[run]}"


@dataclass
class Kompis:
    """The process the runs talk to: started, SIGKILLed, started again on one database."""

    target: DbTarget
    http: aiohttp.ClientSession
    env: dict[str, str]
    replica: Replica | None = None
    starts: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def messages_url(self) -> str:
        assert self.replica is not None
        return self.replica.messages_url

    async def start(self) -> None:
        self.replica = Replica(self.target.url, schema=self.target.schema, extra_env=self.env)
        await self.replica.start(self.http)
        self.starts += 1

    async def kill_during(self, client: TeamsClient, verb: str, data: dict, delay: float,
                          **who: object) -> None:
        """Send the press, SIGKILL the process `delay` seconds later, start a new one."""
        assert self.replica is not None
        sent = asyncio.create_task(client.execute(verb, {"action": verb, **data}, **who))
        await asyncio.sleep(delay)
        await self.replica.kill()
        with contextlib.suppress(aiohttp.ClientError):
            answer = await sent
            self.outcomes["answered before the kill"] += answer.status == 200
        await self.start()

    async def stop(self) -> None:
        if self.replica is not None:
            await self.replica.stop()


@contextlib.asynccontextmanager
async def kompis(target: DbTarget, **env: str) -> AsyncIterator[tuple[Kompis, Database]]:
    db = target.database()
    async with aiohttp.ClientSession() as http:
        process = Kompis(target, http, {**ENV, **env})
        try:
            await process.start()
            yield process, db
        finally:
            await process.stop()
            await db.dispose()
            print(f"\n{process.starts} processes started; {dict(process.outcomes)}")


async def stored(db: Database, name: str) -> NeedsReportRow | None:
    async with db.sessions() as session:
        return (await session.scalars(select(NeedsReportRow).where(
            NeedsReportRow.partnership_key == partnership_key(name)))).one_or_none()


async def header_card(client: TeamsClient, connector: RecordingConnector, user: User,
                      conv: Conv) -> dict:
    await client.say("meld behov", user=user, conv=conv)
    card = connector.cards(conv.id)[-1]
    return {**button(card, "Lagre og gå videre"), **HEADER}


async def confirm_card(client: TeamsClient, connector: RecordingConnector, user: User,
                       conv: Conv, name: str) -> dict:
    """A new report with one measure, up to the «Send inn» of the confirmation."""
    data = await header_card(client, connector, user, conv)
    review = await press(client, "needs.header.save", {**data, "partnership_name": name},
                         user=user, conv=conv)
    form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"),
                       user=user, conv=conv)
    review = await fill_measure(client, form, {**MEASURE}, user=user, conv=conv)
    confirm = await press(client, "needs.submit", button(review, "Send inn"),
                          user=user, conv=conv)
    return button(confirm, "Send inn")


async def notices_queued(db: Database, report_id: str) -> list[str]:
    """The status of every outbox row about the report's submit."""
    async with db.sessions() as session:
        return list((await session.scalars(select(OutboxMessage.status).where(
            OutboxMessage.dedupe_key.like(f"submitted|{report_id}|%")))).all())


async def test_sigkill_around_the_submit_gives_one_notice_every_time(
        target: DbTarget, connector: RecordingConnector) -> None:
    rng = random.Random(3)
    courier = RunningKompis(target, isolated_settings(target))  # sends; is never killed
    async with kompis(target, SCHEDULER_ENABLED="false") as (process, db), \
            contextlib.AsyncExitStack() as stack:
        await courier.start()
        stack.push_async_callback(courier.stop)
        client = TeamsClient(process.http, lambda: process.messages_url, connector.url)
        await client.install(conv=CHANNEL, user=CAROL)
        await client.say("registrer koordinatorkanal for Fosen", conv=CHANNEL, user=CAROL)
        assert "koordinatorkanal for Fosen" in connector.messages(CHANNEL.id)[-1]["text"]

        for run in range(RUNS):
            user, conv = person(run)
            name = name_of(run)
            confirm = await confirm_card(client, connector, user, conv, name)
            await process.kill_during(client, "needs.submit.confirm", confirm,
                                      rng.uniform(0, MAX_DELAY), user=user, conv=conv)
            row = await stored(db, name)
            assert row is not None and row.measures == 1
            if row.status == "utkast":
                process.outcomes["submit lost, confirmed again"] += 1
                receipt = await press(client, "needs.submit.confirm",
                                      {**confirm, "version": row.version},
                                      user=user, conv=conv)
                assert "Kvittering" in card_texts(receipt), receipt
                row = await stored(db, name)
                assert row is not None
            else:
                process.outcomes["submit kept"] += 1
            assert row.status.startswith("sendt inn") and row.reference

            # the submit's own transaction queued the notice, or the submit did not happen
            assert len(await notices_queued(db, row.id)) == 1, f"run {run}: no notice queued"
            await courier.runtime.deliverer.drain(max_seconds=10)
            assert await notices_queued(db, row.id) == ["delivered"]
            notices = [card_texts(card) for card in connector.cards(CHANNEL_POSTS)
                       if name in card_texts(card)]
            assert len(notices) == 1, (run, notices)
            assert "har sendt inn behovsmeldingen" in notices[0]

        async with db.sessions() as session:
            references = sorted((await session.scalars(select(NeedsReportRow.reference))).all())
        # a submit killed before its commit took no number
        assert [r.rsplit("-", 1)[1] for r in references] == \
            [f"{n:04d}" for n in range(1, RUNS + 1)]
        assert process.starts == RUNS + 1
        said = [card_texts(card) for card in connector.cards(CHANNEL_POSTS)]
        assert sum("har sendt inn behovsmeldingen" in text for text in said) == RUNS


async def orphans(db: Database) -> list[tuple[str, str]]:
    """Partnerships that have reports and no member."""
    member = exists().where(and_(
        PartnershipMember.network_id == NeedsReportRow.network_id,
        PartnershipMember.partnership_key == NeedsReportRow.partnership_key))
    async with db.sessions() as session:
        rows = await session.execute(
            select(NeedsReportRow.network_id, NeedsReportRow.partnership_key)
            .where(~member).distinct())
        return [(n, k) for n, k in rows]


async def test_sigkill_during_the_first_save_never_leaves_a_partnership_open(
        target: DbTarget, connector: RecordingConnector) -> None:
    rng = random.Random(4)
    async with kompis(target) as (process, db):
        client = TeamsClient(process.http, lambda: process.messages_url, connector.url)
        for run in range(RUNS):
            user, conv = person(run)
            name = name_of(run)
            data = {**await header_card(client, connector, user, conv), "partnership_name": name}
            await process.kill_during(client, "needs.header.save", data,
                                      rng.uniform(0, MAX_DELAY), user=user, conv=conv)
            assert await orphans(db) == []

            if await stored(db, name) is None:
                process.outcomes["save lost, saved again"] += 1
                review = await press(client, "needs.header.save", data, user=user, conv=conv)
            else:
                process.outcomes["save kept"] += 1
                await client.say("meld behov", user=user, conv=conv)
                offer = connector.cards(conv.id)[-1]
                assert "Vil du fortsette" in card_texts(offer)
                review = await press(client, "needs.continue", button(offer, "Fortsett"),
                                     user=user, conv=conv)
            assert name in str(review)

            # Bob types the same name: refused, and nothing of his is stored
            bobs = await header_card(client, connector, BOB, BOBS_CHAT)
            refused = await press(client, "needs.header.save",
                                  {**bobs, "partnership_name": name}, user=BOB, conv=BOBS_CHAT)
            assert "er allerede i Kompis, og du er ikke med i det" in card_texts(refused)
            # the one who began goes on with a measure
            form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"),
                               user=user, conv=conv)
            review = await fill_measure(client, form, {**MEASURE},
                                 user=user, conv=conv)
            assert "1 av 5 tiltak brukt" in card_texts(review)

        assert await orphans(db) == []
        async with db.sessions() as session:
            members = (await session.execute(select(
                PartnershipMember.partnership_key, PartnershipMember.aad_object_id))).all()
        assert sorted(members) == sorted(
            (partnership_key(name_of(run)), person(run)[0].aad) for run in range(RUNS))
        assert process.starts == RUNS + 1
