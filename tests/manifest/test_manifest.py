"""The Teams app package against Microsoft's own manifest schema (from the npm package
@microsoft/app-manifest, installed by `make node-deps`; nothing is fetched here), the icon
rules, the zip layout, the refusal without an app id, and that Kompis understands every
command it advertises."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jsonschema
import pytest
from PIL import Image

from bot import compose
from bot.config import Settings
from dialogs.router import Router
from manifest import icons, package
from tests.support.cards import card_texts
from tests.support.connector import RecordingConnector
from tests.support.server import RunningKompis
from tests.support.teams import CHANNEL, GROUP, PERSONAL, TeamsClient

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "tools/node/node_modules/@microsoft/app-manifest/build/json-schemas/teams"
REAL_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
WHITE = (255, 255, 255, 255)
# Teams' manifest reference limits a command title to 32 and its description to 128
# characters, and a command list to 10 commands; the v1.30 schema alone allows more.
MAX_TITLE, MAX_COMMAND_DESCRIPTION, MAX_COMMANDS = 32, 128, 10
NEEDS_NODE_DEPS = "kjør `make node-deps` (installerer @microsoft/app-manifest i tools/node)"


def _stable_versions() -> list[str]:
    if not SCHEMAS.is_dir():
        pytest.fail(f"{SCHEMAS} mangler: {NEEDS_NODE_DEPS}")
    found = [p.name[1:] for p in SCHEMAS.iterdir()
             if p.name[1:2].isdigit() and (p / "MicrosoftTeams.schema.json").exists()]
    return sorted(found, key=lambda v: tuple(int(x) for x in v.split(".")))


def schema() -> dict[str, Any]:
    path = SCHEMAS / f"v{package.load()['manifestVersion']}" / "MicrosoftTeams.schema.json"
    if not path.exists():
        pytest.fail(f"Skjemaet {path} mangler: {NEEDS_NODE_DEPS}")
    return json.loads(path.read_text(encoding="utf-8"))


def schema_errors(manifest: dict[str, Any]) -> list[str]:
    """Every violation, as 'path: message', with the validator the schema declares."""
    spec = schema()
    cls = jsonschema.validators.validator_for(spec, default=jsonschema.Draft4Validator)
    validator = cls(spec, format_checker=cls.FORMAT_CHECKER)
    return sorted(f"{'/'.join(map(str, e.absolute_path)) or '(rot)'}: {e.message}"
                  for e in validator.iter_errors(manifest))


def _pixels(image: Image.Image) -> list[tuple[int, ...]]:
    data = image.convert("RGBA").tobytes()
    return [tuple(data[i:i + 4]) for i in range(0, len(data), 4)]


def _lists(manifest: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    return {scope: group["commands"] for group in manifest["bots"][0]["commandLists"]
            for scope in group["scopes"]}


# --- the schema -------------------------------------------------------------------------

def test_uses_the_newest_stable_schema_shipped() -> None:
    manifest = package.load()
    assert manifest["manifestVersion"] == _stable_versions()[-1]
    # Draft 4 does not know the schema's `const`, so check the version pairing here.
    assert manifest["$schema"].endswith(f"/v{manifest['manifestVersion']}/"
                                        "MicrosoftTeams.schema.json")


def test_schema_is_draft_4() -> None:
    assert schema()["$schema"].startswith("http://json-schema.org/draft-04/")


def test_packaged_manifest_validates() -> None:
    manifest = package.filled(REAL_ID)
    assert schema_errors(manifest) == []
    assert manifest["id"] == REAL_ID and manifest["bots"][0]["botId"] == REAL_ID


def test_committed_manifest_holds_only_the_placeholder_id() -> None:
    manifest = package.load()
    assert manifest["id"] == package.PLACEHOLDER
    assert {b["botId"] for b in manifest["bots"]} == {package.PLACEHOLDER}


@pytest.mark.parametrize("breakage", ["too_many_commands", "long_short_description",
                                      "bad_colour", "unknown_field", "bad_id"])
def test_schema_check_is_real(breakage: str) -> None:
    broken = package.filled(REAL_ID)
    bot = broken["bots"][0]
    if breakage == "too_many_commands":
        bot["commandLists"][0]["commands"] *= 2  # 20 > the schema's 12
    elif breakage == "long_short_description":
        broken["description"]["short"] = "x" * 81
    elif breakage == "bad_colour":
        broken["accentColor"] = "grønn"
    elif breakage == "unknown_field":
        bot["supportsFile"] = False
    else:
        broken["id"] = "kompis"
    assert schema_errors(broken), breakage


# --- what the manifest says -------------------------------------------------------------

def test_names_and_descriptions_fit() -> None:
    manifest = package.load()
    assert manifest["name"]["short"] == "Kompis"
    assert len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000
    full = manifest["description"]["full"].lower()
    for job in ("behovsmelding", "årshjul", "påminnelser", "ordliste", "kriterier"):
        assert job in full, f"den lange beskrivelsen nevner ikke {job}"
    assert manifest["developer"]["name"] == "Kompis-teamet"


def test_developer_urls_are_https_on_a_valid_domain() -> None:
    manifest = package.load()
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        url = urlparse(manifest["developer"][key])
        assert url.scheme == "https", key
        assert url.hostname in manifest["validDomains"], key


def test_bot_shape() -> None:
    bot = package.load()["bots"][0]
    assert bot["scopes"] == ["personal", "team", "groupChat"]
    assert bot["supportsFiles"] is False
    assert bot.get("isNotificationOnly", False) is False


def test_accent_colour_is_the_icon_colour() -> None:
    red, green, blue, _ = icons.ACCENT
    assert package.load()["accentColor"].lower() == f"#{red:02x}{green:02x}{blue:02x}"


# --- command lists ----------------------------------------------------------------------

def test_one_command_list_per_scope_within_teams_limits() -> None:
    manifest = package.load()
    groups = manifest["bots"][0]["commandLists"]
    scopes = [scope for group in groups for scope in group["scopes"]]
    assert sorted(scopes) == sorted(manifest["bots"][0]["scopes"])  # each once
    for scope, commands in _lists(manifest).items():
        titles = [c["title"] for c in commands]
        assert 0 < len(titles) <= MAX_COMMANDS, scope
        assert len(set(titles)) == len(titles), f"{scope}: en kommando står to ganger"
        for command in commands:
            assert command["title"] == command["title"].strip().lower(), command
            assert len(command["title"]) <= MAX_TITLE, command
            assert 0 < len(command.get("description", "")) <= MAX_COMMAND_DESCRIPTION, command


def test_command_lists_are_consistent_across_scopes() -> None:
    lists = _lists(package.load())
    assert lists["team"] == lists["groupChat"]  # titles and descriptions alike
    core = ["hjelp", "meld behov", "mine behovsmeldinger", "årshjul", "neste frist",
            "abonner på påminnelser", "mine påminnelser", "stopp påminnelser", "kriterier"]
    for scope in package.SCOPES:
        titles = package.commands(scope)
        assert titles[0] == "hjelp", scope
        assert [t for t in titles if t in core] == core, f"{scope}: mangler eller rekkefølge"
    assert package.commands("personal") == [*core[:-1], "ordliste", "kriterier"]


def test_commands_rejects_an_unknown_scope() -> None:
    with pytest.raises(ValueError):
        package.commands("channel")


# --- icons ------------------------------------------------------------------------------

def test_icon_files() -> None:
    color = Image.open(ROOT / "manifest/color.png")
    outline = Image.open(ROOT / "manifest/outline.png")
    assert (color.format, color.size) == ("PNG", (192, 192))
    assert (outline.format, outline.size) == ("PNG", (32, 32))
    assert package.load()["icons"] == {"color": "color.png", "outline": "outline.png"}


def test_outline_is_white_on_full_transparency() -> None:
    pixels = _pixels(Image.open(ROOT / "manifest/outline.png"))
    stray = {p for p in pixels if p[3] != 0 and p != WHITE}
    assert not stray, f"piksler som verken er hvite eller helt gjennomsiktige: {sorted(stray)[:5]}"
    white = sum(p == WHITE for p in pixels)
    assert 0.1 < white / len(pixels) < 0.6  # a visible mark, not a filled square


def test_color_icon_uses_the_accent_and_white() -> None:
    pixels = _pixels(Image.open(ROOT / "manifest/color.png"))
    assert all(p[3] == 255 for p in pixels)  # opaque, full-bleed background
    assert pixels[0] == icons.ACCENT and WHITE in pixels


def test_committed_icons_are_what_the_script_draws() -> None:
    for name, draw in (("color.png", icons.color_icon), ("outline.png", icons.outline_icon)):
        committed = _pixels(Image.open(ROOT / "manifest" / name))
        assert committed == _pixels(draw()), f"{name}: kjør .venv/bin/python manifest/icons.py"


# --- the package script -----------------------------------------------------------------

@pytest.mark.parametrize("app_id", [None, "", package.PLACEHOLDER])
def test_refuses_without_an_app_id(app_id: str | None, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    if app_id is None:
        monkeypatch.delenv("MicrosoftAppId", raising=False)
    else:
        monkeypatch.setenv("MicrosoftAppId", app_id)
    assert package.main(["--out", str(tmp_path / "k.zip")]) == 2
    err = capsys.readouterr().err
    assert "Pakken ble ikke laget" in err and "MicrosoftAppId mangler" in err
    assert "--dev" in err
    assert not (tmp_path / "k.zip").exists()


@pytest.mark.parametrize(("variable", "value", "said"), [
    ("MicrosoftAppId", "ikke-en-guid", "er ikke en GUID"),
    ("KOMPIS_VERSION", "1.2", "må være et versjonsnummer"),
])
def test_refuses_bad_input(variable: str, value: str, said: str, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MicrosoftAppId", REAL_ID)
    monkeypatch.setenv(variable, value)
    assert package.main(["--out", str(tmp_path / "k.zip")]) == 2
    assert said in capsys.readouterr().err
    assert not (tmp_path / "k.zip").exists()


def test_script_exit_code_from_the_command_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("MicrosoftAppId", "KOMPIS_VERSION")}
    out = tmp_path / "k.zip"
    run = subprocess.run([sys.executable, str(ROOT / "manifest/package.py"), "--out", str(out)],
                         env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "MicrosoftAppId mangler" in run.stderr
    run = subprocess.run([sys.executable, str(ROOT / "manifest/package.py"), "--dev",
                          "--out", str(out)], env=env, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    assert out.exists()


def test_zip_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MicrosoftAppId", REAL_ID)
    monkeypatch.setenv("KOMPIS_VERSION", "1.4.0")
    assert package.main(["--out", str(tmp_path / "kompis.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "kompis.zip") as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        inside = json.loads(archive.read("manifest.json"))
        for icon in ("color.png", "outline.png"):
            assert archive.read(icon) == (ROOT / "manifest" / icon).read_bytes()
            Image.open(io.BytesIO(archive.read(icon))).verify()
    assert inside["id"] == inside["bots"][0]["botId"] == REAL_ID
    assert inside["version"] == "1.4.0"
    assert schema_errors(inside) == []
    assert package.main(["--out", str(tmp_path / "again.zip")]) == 0
    assert (tmp_path / "again.zip").read_bytes() == (tmp_path / "kompis.zip").read_bytes()


def test_dev_uses_the_fixed_id_and_a_real_id_wins(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    assert package.main(["--dev", "--out", str(tmp_path / "dev.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "dev.zip") as archive:
        assert json.loads(archive.read("manifest.json"))["id"] == package.DEV_ID
    monkeypatch.setenv("MicrosoftAppId", REAL_ID)
    assert package.filled(REAL_ID, dev=True)["id"] == REAL_ID
    assert package.filled(f" {REAL_ID.upper()}\n")["id"] == REAL_ID


# --- the bot understands what the manifest advertises -----------------------------------

def test_command_lists_agree_with_the_router_and_help() -> None:
    """Every advertised command is one Kompis has, and an admin's help card lists it."""
    router = _router()
    staff_help = card_texts_of(router, staff=True, admin=True)
    for scope in package.SCOPES:
        for title in package.commands(scope):
            found = router.commands.find(title)
            assert found is not None, f"{scope}: Kompis forstår ikke «{title}»"
            assert found[0].example in staff_help, title


def card_texts_of(router: Router, *, staff: bool, admin: bool = False) -> str:
    return " ".join(f"{i.summary} {i.example}"
                    for i in router.help_items(staff=staff, admin=admin))


def _router() -> Router:
    settings = Settings(_env_file=None, database_url="sqlite+aiosqlite:///:memory:")
    return compose.features(compose.services(settings, compose.database(settings))).router


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
