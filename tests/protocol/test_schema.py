"""The Alembic migrations and the SQLAlchemy models describe the same schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from store.models import Base
from tests.support.server import DbTarget


async def test_migrations_match_models(target: DbTarget) -> None:
    db = target.database()
    try:
        await db.migrate()
        await db.migrate()  # a second run (another replica starting) changes nothing

        def diff(connection: Connection) -> list:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)

        async with db.engine.connect() as conn:
            differences = await conn.run_sync(diff)
        assert differences == []
    finally:
        await db.dispose()
