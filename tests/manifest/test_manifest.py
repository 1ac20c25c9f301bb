"""The Teams app package against Microsoft's own manifest schema (from the npm package
@microsoft/app-manifest, installed by `make node-deps`; nothing is fetched here), the icon
rules, the zip layout, and that Kompis understands every command it advertises."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from bot.app import build_router
from dialogs.router import Router
from dialogs.services import Services
from domain.wheel.loader import WheelSource
from manifest import package
from store.db import Database
from tests.protocol.test_foundation import card_texts
from tests.support.connector import RecordingConnector
from tests.support.server import RunningKompis
from tests.support.teams import CHANNEL, GROUP, PERSONAL, TeamsClient

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "tools/node/node_modules/@microsoft/app-manifest/build/json-schemas/teams"
REAL_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"


def schema() -> dict:
    path = SCHEMAS / f"v{package.load()['manifestVersion']}" / "MicrosoftTeams.schema.json"
    if not path.exists():
        pytest.fail(f"{path} mangler: kjør `make node-deps` (installerer @microsoft/app-manifest)")
    return json.loads(path.read_text(encoding="utf-8"))


def test_uses_the_newest_stable_schema_shipped() -> None:
    versions = [p.name[1:] for p in SCHEMAS.iterdir() if p.name[1:2].isdigit()]
    newest = max(versions, key=lambda v: tuple(int(x) for x in v.split(".")))
    assert package.load()["manifestVersion"] == newest


def test_packaged_manifest_validates() -> None:
    manifest = package.filled(REAL_ID, dev=False)
    jsonschema.Draft4Validator(schema()).validate(manifest)
    assert manifest["id"] == REAL_ID and manifest["bots"][0]["botId"] == REAL_ID
    assert manifest["bots"][0]["scopes"] == ["personal", "team", "groupChat"]
    assert manifest["bots"][0]["supportsFiles"] is False
    assert len(manifest["description"]["short"]) <= 80
    assert all(host in manifest["validDomains"]
               for host in ("kompis.example.no",))


def test_schema_check_is_real() -> None:
    broken = package.filled(REAL_ID, dev=False)
    broken["bots"][0]["commandLists"][0]["commands"] *= 2  # 22 > the schema's maximum
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema()).validate(broken)


def test_refuses_without_an_app_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    assert package.main(["--out", str(tmp_path / "k.zip")]) == 2
    assert "MicrosoftAppId mangler" in capsys.readouterr().err
    assert not (tmp_path / "k.zip").exists()
    monkeypatch.setenv("MicrosoftAppId", "ikke-en-guid")
    assert package.main(["--out", str(tmp_path / "k.zip")]) == 2


def test_zip_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MicrosoftAppId", REAL_ID)
    assert package.main(["--out", str(tmp_path / "kompis.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "kompis.zip") as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        inside = json.loads(archive.read("manifest.json"))
    assert inside["id"] == REAL_ID
    assert package.main(["--dev", "--out", str(tmp_path / "dev.zip")]) == 0


def test_icons() -> None:
    color = Image.open(ROOT / "manifest/color.png")
    outline = Image.open(ROOT / "manifest/outline.png").convert("RGBA")
    assert color.size == (192, 192)
    assert outline.size == (32, 32)
    pixels = set(outline.getdata())
    assert pixels <= {(255, 255, 255, 255)} | {p for p in pixels if p[3] == 0}
    assert any(p[3] == 255 for p in pixels) and any(p[3] == 0 for p in pixels)


def test_command_lists_agree_with_the_router_and_help() -> None:
    """Every advertised command is one Kompis has, and its help card lists it."""
    router = _router()
    staff_help = card_texts_of(router, staff=True)
    for scope in ("personal", "team", "groupChat"):
        titles = package.commands(scope)
        assert 0 < len(titles) <= 12  # the schema's limit per list
        for title in titles:
            found = router.commands.find(title)
            assert found is not None, f"{scope}: Kompis forstår ikke «{title}»"
            assert found[0].example in staff_help, title
    assert set(package.commands("team")) == set(package.commands("groupChat"))


def card_texts_of(router: Router, *, staff: bool) -> str:
    return " ".join(f"{i.summary} {i.example}" for i in router.help_items(staff=staff))


def _router() -> Router:
    services = Services.from_database(Database("sqlite+aiosqlite:///:memory:"),
                                      public_url="http://x")
    services.wheel = WheelSource()
    return build_router(services)


@pytest.mark.parametrize("scope", ["personal", "groupChat"])
async def test_every_command_is_understood_at_the_protocol(
        teams: TeamsClient, kompis: RunningKompis, connector: RecordingConnector,
        scope: str) -> None:
    conv = {"personal": PERSONAL, "groupChat": GROUP}[scope]
    for title in package.commands(scope):
        connector.clear()
        answer = await teams.say(title, conv=conv)
        assert answer.status == 201, title
        said = " ".join([m.get("text") or "" for m in connector.messages()]
                        + [card_texts(c) for c in connector.cards()])
        assert said, title
        assert "Det skjønte jeg ikke helt" not in said, title
        assert "Jeg fant ikke" not in said, title


async def test_channel_commands_understood(teams: TeamsClient, kompis: RunningKompis,
                                           connector: RecordingConnector) -> None:
    for title in package.commands("team"):
        connector.clear()
        await teams.say(title, conv=CHANNEL)
        said = " ".join([m.get("text") or "" for m in connector.messages()]
                        + [card_texts(c) for c in connector.cards()])
        assert said and "Det skjønte jeg ikke helt" not in said, title

