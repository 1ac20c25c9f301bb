"""Roles kept in the process (ROLE_CACHE_SECONDS): a change through the same repository
is seen at once; one made elsewhere (another replica) is seen when the entry expires, and
with caching off at once."""

from __future__ import annotations

import pytest

from store import roles as roles_module
from store.roles import RoleRepository
from tests.support.server import DbTarget


@pytest.fixture
async def db(target: DbTarget):
    database = target.database()
    await database.migrate()
    yield database
    await database.dispose()


async def test_own_changes_at_once_others_after_the_entry_expires(db, monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(roles_module.time, "monotonic", lambda: now[0])
    here = RoleRepository(db, cache_seconds=10)
    other_replica = RoleRepository(db)
    assert await here.of("aad-kari") == []
    await here.grant("aad-kari", "koordinator", "fosen", display_name="Kari", by=None)
    assert await here.of("aad-kari") == [("koordinator", "fosen")]  # own change: at once
    await other_replica.revoke("aad-kari", "koordinator", "fosen", by=None)
    now[0] += 9.9
    assert await here.of("aad-kari") == [("koordinator", "fosen")]  # kept, within 10 s
    now[0] += 0.2
    assert await here.of("aad-kari") == []  # expired: asks the database again
    await other_replica.grant("aad-kari", "admin", None, display_name="Kari", by=None)
    assert await RoleRepository(db, cache_seconds=0).of("aad-kari") == [("admin", "")]


async def test_a_returned_list_cannot_change_what_is_kept(db) -> None:
    repo = RoleRepository(db, cache_seconds=10)
    await repo.grant("aad-ola", "koordinator", "fosen", display_name="Ola", by=None)
    first = await repo.of("aad-ola")
    first.append(("admin", ""))
    assert await repo.of("aad-ola") == [("koordinator", "fosen")]
