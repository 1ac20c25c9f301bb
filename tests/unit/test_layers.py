"""The arrows of ARCHITECTURE.md, checked on the source: botbuilder only in bot/, cards
and domain pure, nothing importing the aiohttp app back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SDK = ("botbuilder", "botframework", "msrest")
FORBIDDEN = {
    "cards": (*SDK, "aiohttp", "sqlalchemy", "store", "dialogs", "scheduler", "bot"),
    "domain": (*SDK, "aiohttp", "sqlalchemy", "store", "dialogs", "scheduler", "bot", "cards"),
    "dialogs": (*SDK, "aiohttp", "bot"),
    "scheduler": (*SDK, "aiohttp", "dialogs", "bot.app"),
    "store": (*SDK, "aiohttp", "dialogs", "scheduler", "bot", "cards"),
    "pictures": (*SDK, "aiohttp", "sqlalchemy", "store", "dialogs", "scheduler", "bot",
                 "cards"),
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_it_may(package: str) -> None:
    broken = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if package == "scheduler" and path.name == "__main__.py":
            continue  # the command line is a composition root; it reaches bot.cli lazily
        for name in imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[package]):
                broken.append(f"{path.relative_to(ROOT)} imports {name}")
    assert broken == []


def test_nothing_imports_the_app_back() -> None:
    users = [p for p in ROOT.glob("*/**/*.py")
             if ".venv" not in p.parts and p != ROOT / "bot" / "app.py"
             and "bot.app" in imports(p)
             and p.parts[len(ROOT.parts)] not in ("tests", "bench", "tools")
             and p != ROOT / "bot" / "__main__.py"]
    assert users == []
