"""`python -m bot` as a real process: migrate, serve, and finish in-flight turns on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp

from tests.support.connector import RecordingConnector
from tests.support.processes import Replica
from tests.support.teams import TeamsClient

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'proc.db'}"}


async def test_migrate_command_creates_the_schema(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "migrate", cwd=ROOT, env=_env(tmp_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    assert proc.returncode == 0, out.decode()
    assert "Databasen er oppdatert" in out.decode()
    assert (tmp_path / "proc.db").exists()


async def test_sigterm_lets_the_turn_in_flight_finish(tmp_path: Path,
                                                      connector: RecordingConnector) -> None:
    replica = Replica(f"sqlite+aiosqlite:///{tmp_path / 'proc.db'}",
                      extra_env={"SCHEDULER_ENABLED": "false", "SHUTDOWN_TIMEOUT": "20",
                                 "LEARNED_ANSWERS": "true"})
    async with aiohttp.ClientSession() as http:
        await replica.start(http)
        try:
            teams = TeamsClient(http, replica.messages_url, connector.url)
            connector.fail_next(200, delay=1.5)  # the reply takes 1.5 s to be accepted
            turn = asyncio.create_task(teams.say("hjelp"))
            await asyncio.wait_for(connector.first_arrival.wait(), 10)
            assert not turn.done()  # the reply is now held at the connector
            replica.proc.send_signal(signal.SIGTERM)
            answer = await turn
            assert answer.status == 201
            assert len(connector.calls) == 1 and connector.calls[0].status == 200
            assert await asyncio.wait_for(replica.proc.wait(), 30) == 0
        finally:
            await replica.kill()
