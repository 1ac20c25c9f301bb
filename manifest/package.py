"""Build the Teams app package: `python manifest/package.py [--dev] [--out build/kompis.zip]`.

The app id and the bot id come from `MicrosoftAppId` (the Azure Bot's app registration):
Teams routes messages to the bot with that id, so a package with the placeholder id installs
but never answers. Without a real id the script refuses (exit code 2) unless --dev is given,
which puts in a fixed test id for local test tenants. `KOMPIS_VERSION` (x.y.z) optionally
overrides the manifest's version; Teams needs a higher one to update an uploaded app.

The zip holds manifest.json, color.png and outline.png at its root, with fixed timestamps so
the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.json"
ICONS = ("color.png", "outline.png")
DEFAULT_OUT = HERE.parent / "build" / "kompis.zip"
SCOPES = ("personal", "team", "groupChat")
PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
DEV_ID = "6b5f3c3e-1d2a-4f8e-9a57-0c4d8e2b7a11"  # fixed, for local test tenants only
APP_ID_ENV = "MicrosoftAppId"
VERSION_ENV = "KOMPIS_VERSION"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")  # as the schema
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)

MISSING_ID = (f"{APP_ID_ENV} mangler. Sett den til app-id-en (klient-id-en) fra Azure Bot-"
              "registreringen, eller bruk --dev for en pakke til en testleietaker.")
NOT_A_GUID = f"{APP_ID_ENV} «{{value}}» er ikke en GUID (som 3f2504e0-4f89-41d3-9a0c-0305e82c3301)."
BAD_VERSION = f"{VERSION_ENV} «{{value}}» må være et versjonsnummer som 1.2.0."
REFUSED = "Pakken ble ikke laget: {reason}"
WROTE = "Skrev {path} (app-id {app_id}, versjon {version})"
WROTE_DEV = "Merk: dette er en testpakke med en fast app-id; den virker bare mot en testbot."


class PackageError(ValueError):
    """The package cannot be built; the message is Norwegian and meant for the user."""


def load() -> dict[str, Any]:
    """The committed manifest, with its placeholder ids."""
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def commands(scope: str, manifest: dict[str, Any] | None = None) -> list[str]:
    """The command titles Teams suggests in `scope` ("personal", "team" or "groupChat").

    Tests import this to check that every advertised command is one Kompis understands.
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; expected one of {SCOPES}")
    manifest = manifest if manifest is not None else load()
    return [command["title"] for bot in manifest["bots"]
            for group in bot.get("commandLists", []) if scope in group["scopes"]
            for command in group["commands"]]


def filled(app_id: str | None, *, dev: bool = False, version: str | None = None
           ) -> dict[str, Any]:
    """The manifest with the real app and bot id (and version) put in.

    Raises PackageError for a missing or placeholder id (unless `dev`), an id that is not a
    GUID, or a version that is not x.y.z.
    """
    app_id = (app_id or "").strip().lower()  # Azure shows app ids in lower case
    if not app_id or app_id.lower() == PLACEHOLDER:
        if not dev:
            raise PackageError(MISSING_ID)
        app_id = DEV_ID
    if not _GUID.match(app_id):
        raise PackageError(NOT_A_GUID.format(value=app_id))
    manifest = load()
    manifest["id"] = app_id
    for bot in manifest["bots"]:
        bot["botId"] = app_id
    if version:
        version = version.strip()
        if not _SEMVER.match(version):
            raise PackageError(BAD_VERSION.format(value=version))
        manifest["version"] = version
    return manifest


def build(out: Path, manifest: dict[str, Any]) -> Path:
    """Write the zip: manifest.json and the two icons at its root."""
    out.parent.mkdir(parents=True, exist_ok=True)
    entries = [("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode())]
    entries += [(icon, (HERE / icon).read_bytes()) for icon in ICONS]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line entry: 0 when the zip is written, 2 when refused."""
    parser = argparse.ArgumentParser(prog="python manifest/package.py",
                                     description="Lag Teams-apppakken for Kompis.")
    parser.add_argument("--dev", action="store_true",
                        help=f"bruk en fast test-id når {APP_ID_ENV} mangler")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="hvor zip-filen skrives (standard: build/kompis.zip)")
    args = parser.parse_args(argv)
    try:
        manifest = filled(os.environ.get(APP_ID_ENV), dev=args.dev,
                          version=os.environ.get(VERSION_ENV))
    except PackageError as exc:
        print(REFUSED.format(reason=exc), file=sys.stderr)
        return 2
    path = build(args.out, manifest)
    print(WROTE.format(path=path, app_id=manifest["id"], version=manifest["version"]))
    if manifest["id"] == DEV_ID:
        print(WROTE_DEV)
    return 0


if __name__ == "__main__":
    sys.exit(main())
