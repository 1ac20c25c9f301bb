"""Persistence: SQLAlchemy 2 async models, repositories and Alembic migrations.

SQLite (aiosqlite) is the embedded default; PostgreSQL (asyncpg) serves several
replicas. Nothing here imports botbuilder or aiohttp.
"""
