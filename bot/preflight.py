"""Checks before the server starts, each failing with one clear line (no traceback)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.config import Settings
from bot.local_only import start_refusal

NOT_WRITABLE = (
    "Kompis starter ikke: kan ikke skrive i datamappen {path} ({reason}). Gi brukeren "
    "skrivetilgang, eller pek DATABASE_URL et annet sted. / Kompis will not start: "
    "cannot write to the data directory {path}."
)


def refusal(settings: Settings, *, serve: bool = True) -> str | None:
    """Why Kompis may not start with these settings, as one line; None when it may."""
    if serve:
        reason = start_refusal(settings.app_id, settings.host)
        if reason:
            return reason
    return _sqlite_unwritable(settings.database_url)


def _sqlite_unwritable(database_url: str) -> str | None:
    """A SQLite file must be creatable and writable (its directory too: WAL and journal
    files live beside it)."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        return None  # the engine says what is wrong with it
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    file = Path(url.database).resolve()
    folder = file.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return NOT_WRITABLE.format(path=folder, reason=exc.strerror or type(exc).__name__)
    try:  # a real write: os.access says yes to root even on a read-only mount
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".kompis-skrivetest-"):
            pass
        if file.exists():
            with file.open("r+b"):
                pass
    except OSError as exc:
        return NOT_WRITABLE.format(path=folder, reason=exc.strerror or type(exc).__name__)
    return None
