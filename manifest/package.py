"""Build the Teams app package: `python manifest/package.py [--dev] [--out build/kompis.zip]`.

The bot id and app id come from `MicrosoftAppId` (the Azure Bot's app registration).
Without one, or with the placeholder, it refuses unless --dev is given, so a package that
cannot work is never uploaded by mistake.
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
PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
DEV_ID = "6b5f3c3e-1d2a-4f8e-9a57-0c4d8e2b7a11"  # a fixed id for local test tenants only
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}$")


class PackageError(ValueError):
    pass


def load() -> dict[str, Any]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def commands(scope: str, manifest: dict[str, Any] | None = None) -> list[str]:
    """The command titles Teams offers in `scope` (personal, team, groupChat)."""
    manifest = manifest or load()
    return [c["title"] for bot in manifest["bots"] for group in bot.get("commandLists", [])
            if scope in group["scopes"] for c in group["commands"]]


def filled(app_id: str | None, *, dev: bool, version: str | None = None) -> dict[str, Any]:
    """The manifest with the real ids (and version) put in."""
    if not app_id or app_id == PLACEHOLDER:
        if not dev:
            raise PackageError(
                "MicrosoftAppId mangler. Sett den til app-id-en fra Azure Bot-registreringen, "
                "eller bruk --dev for en pakke til en testleietaker.")
        app_id = DEV_ID
    if not _GUID.match(app_id):
        raise PackageError(f"MicrosoftAppId {app_id!r} er ikke en GUID.")
    manifest = load()
    manifest["id"] = app_id
    for bot in manifest["bots"]:
        bot["botId"] = app_id
    if version:
        manifest["version"] = version
    return manifest


def build(out: Path, manifest: dict[str, Any]) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for icon in ("color.png", "outline.png"):
            archive.write(HERE / icon, icon)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python manifest/package.py")
    parser.add_argument("--dev", action="store_true",
                        help="bruk en fast test-id når MicrosoftAppId mangler")
    parser.add_argument("--out", type=Path, default=HERE.parent / "build" / "kompis.zip")
    args = parser.parse_args(argv)
    try:
        manifest = filled(os.environ.get("MicrosoftAppId"), dev=args.dev,
                          version=os.environ.get("KOMPIS_VERSION"))
    except PackageError as exc:
        print(f"Pakken ble ikke laget: {exc}", file=sys.stderr)
        return 2
    path = build(args.out, manifest)
    print(f"Skrev {path} (app-id {manifest['id']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
