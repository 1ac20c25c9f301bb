"""The network catalog: the names people type find the network; broken files are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.content import ContentError
from domain.networks import load_networks

CATALOG = load_networks()


def test_the_ten_trondelag_networks() -> None:
    assert len(CATALOG.networks) == 10
    assert CATALOG.get("fosen").code == "FOS"


@pytest.mark.parametrize(("typed", "network"), [
    ("Fosen", "fosen"), ("fosen", "fosen"), ("Trondheim/Malvik", "trondheim-malvik"),
    ("trondheim og malvik", "trondheim-malvik"), ("Levanger-Verdal", "levanger-verdal"),
    ("trøndelag sør-vest", "trondelag-sorvest"), ("VÆRNES", "varnes"),
])
def test_find(typed: str, network: str) -> None:
    assert CATALOG.find(typed).id == network


def test_unknown_and_broken(tmp_path: Path) -> None:
    assert CATALOG.find("Atlantis") is None
    path = tmp_path / "nettverk.yaml"
    path.write_text("county: X\nnetworks:\n  - {id: a-b, name: A, code: AB}\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_networks(path)
    assert "networks[0] (a-b).code" in str(error.value)
