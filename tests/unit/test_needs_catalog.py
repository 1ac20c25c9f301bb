"""Schemes per cycle, networks and UH partners as content: what is there, and what a
broken file says."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from domain.content import ContentError
from domain.needs.catalog import SCHEMES_FILE, UH_FILE, load_catalog, load_schemes
from domain.needs.models import reference_number
from domain.wheel.loader import load_wheel
from tests.support.needs import CURRENT_SCHEME

CATALOG = load_catalog()
TRONDELAG = {"Midtre Namdal", "Trondheim/Malvik", "Gauldal", "Ytre Namdal",
             "Trøndelag sørvest", "Værnes", "Levanger/Verdal", "Fosen", "Indre Namdal",
             "Innherred"}


def test_2026_2027_is_one_scheme_for_every_field() -> None:
    cycle = CATALOG.cycle("2026/2027")
    assert [s.code for s in cycle.schemes] == [CURRENT_SCHEME]
    kku = cycle.scheme(CURRENT_SCHEME)
    assert kku.name == "Tilskuddsordning for kollektiv kompetanseutvikling"
    assert kku.covers == ("barnehage", "skole", "ppt")
    assert "på tvers av barnehage og skole" in kku.description
    assert "Statsforvalteren i Rogaland" in kku.source and "001" in kku.source
    assert cycle.max_measures == 5 and cycle.max_amount == 5_000_000
    assert cycle.start.year == 2027 and cycle.end > cycle.start and cycle.year == 2026
    assert [c.id for c in CATALOG.open_cycles()] == ["2026/2027"]
    assert CATALOG.cycle_choices() == [("2026/2027", "2026/2027")]


def test_earlier_cycles_keep_the_old_schemes() -> None:
    for cycle_id in ("2025/2026", "2024/2025"):
        cycle = CATALOG.cycle(cycle_id)
        assert {s.code for s in cycle.schemes} == {"DEKOM", "REKOM", "KOMPL"}
        assert not cycle.accepts_reports
    assert "Kompetanseløftet" in CATALOG.scheme("2025/2026", "KOMPL").name
    assert CATALOG.scheme("2025/2026", "KKU") is None
    assert CATALOG.scheme("2025/2026", "REKOM").covers == ("barnehage",)
    assert CATALOG.scheme("2025/2026", "DEKOM").covers == ("skole",)


def test_kkub_and_kkus_are_no_schemes_but_older_names_for_the_one() -> None:
    """Group 6 (seed 001) coined KKUB/KKUS for the fields; a report stored under them
    belongs to KKU, and Dekom or Rekom typed today means KKU."""
    cycle = CATALOG.cycle("2026/2027")
    assert cycle.scheme("KKUB") is None and cycle.scheme("KKUS") is None
    assert cycle.scheme_of("KKUB").code == cycle.scheme_of("KKUS").code == CURRENT_SCHEME
    for word in ("dekom", "Rekom", "KKUB", "kkus"):
        scheme, former = CATALOG.current_for(word, "2026/2027")
        assert scheme.code == CURRENT_SCHEME and former.casefold() == word.casefold()
    assert CATALOG.current_for("kku", "2026/2027") is None  # its own name: nothing to tell
    assert CATALOG.current_for("dekom", "2025/2026") is None  # Dekom was Dekom then


def test_the_rules_no_source_states_are_the_regions_practice() -> None:
    """Late reports, reopening, the cap and the period are set in `practice`, and the
    file says they are this region's practice (issue 17)."""
    text = SCHEMES_FILE.read_text(encoding="utf-8")
    assert "REGIONAL PRAKSIS" in text and "ingen kilde" in text
    for cycle in CATALOG.cycles:
        assert cycle.practice.late_reports == "merkes"
        assert cycle.practice.reopen_after_deadline is False


def test_every_cycle_of_the_wheel_has_its_schemes() -> None:
    for cycle in load_wheel().cycles:
        assert CATALOG.cycle(cycle.id) is not None, cycle.id


def test_the_networks_of_trondelag() -> None:
    names = {n.name for n in CATALOG.networks.networks}
    assert names == TRONDELAG and CATALOG.networks.county == "Trøndelag"
    assert CATALOG.network("fosen").code == "FOS"
    codes = [n.code for n in CATALOG.networks.networks]
    assert len(set(codes)) == len(codes) and all(re.fullmatch(r"[A-ZÆØÅ]{3}", c) for c in codes)
    assert ("trondheim-malvik", "Trondheim/Malvik") in CATALOG.network_choices()


def test_uh_partners() -> None:
    assert {"ntnu", "nord", "dmmh", "hvl", "uit"} <= {u.id for u in CATALOG.uh_partners}
    assert CATALOG.uh("dmmh").name == "Dronning Mauds Minne Høgskole"
    assert CATALOG.uh("dmmh").label == "Dronning Mauds Minne Høgskole (DMMH)"
    assert CATALOG.uh("nord").label == "Nord universitet"
    assert ("ntnu", "Norges teknisk-naturvitenskapelige universitet (NTNU)") \
        in CATALOG.uh_choices()


@pytest.mark.parametrize("lookup", [
    lambda: CATALOG.cycle("2099/2100"), lambda: CATALOG.scheme("2026/2027", "DEKOM"),
    lambda: CATALOG.scheme("1999/2000", "KKU"), lambda: CATALOG.network("atlantis"),
    lambda: CATALOG.uh("harvard"), lambda: CATALOG.uh(""),
])
def test_unknown_ids_are_none(lookup) -> None:
    assert lookup() is None


def test_scheme_choices_belong_to_the_cycle() -> None:
    assert CATALOG.scheme_choices("2026/2027") == [
        ("KKU", "Tilskuddsordning for kollektiv kompetanseutvikling (KKU) – Én ordning for "
                "barnehage, skole, PPT og andre tjenester rundt barna. Hvert tiltak sier hvilke "
                "felt det gjelder, også tiltak på tvers av barnehage og skole.")]
    assert [code for code, _ in CATALOG.scheme_choices("2025/2026")] == [
        "DEKOM", "REKOM", "KOMPL"]
    assert CATALOG.scheme_choices("1999/2000") == []


def test_every_reference_number_the_content_allows_is_well_formed() -> None:
    for cycle in CATALOG.cycles:
        for scheme in cycle.schemes:
            for network in CATALOG.networks.networks:
                ref = reference_number(cycle.id, network.code, scheme.code, 7)
                assert re.fullmatch(r"BM-\d{4}-[A-ZÆØÅ]{3}-[A-Z]{3,6}-0007", ref), ref


def test_the_old_loader_name_still_works() -> None:
    assert load_schemes() == CATALOG


# --- broken content is named ---------------------------------------------------------


def _copy(tmp_path: Path, source: Path) -> Path:
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


@pytest.mark.parametrize(("old", "new", "where"), [
    ("code: REKOM", "code: DEKOM", "samme ordningskode"),
    ("covers: [barnehage, skole, ppt]", "covers: [barnehage, universitet]", "covers"),
    ("covers: [barnehage, skole, ppt]", "covers: []", "covers"),
    ("late_reports: merkes", "late_reports: kanskje", "late_reports"),
    ('id: "2026/2027"', 'id: "2026/2028"', "to år etter hverandre"),
    ("end: 2029-12-31", "end: 2026-12-31", "end må være etter start"),
    ("max_amount: 5000000\n", "max_amount: 0\n", "max_amount"),
    ("code: KKU\n", "code: kk\n",
     "(2026/2027).schemes[0] (Tilskuddsordning for kollektiv kompetanseutvikling).code"),
    ("accepts_reports: true", "accepts_reports: kanskje", "accepts_reports"),
    ('id: "2025/2026"', 'id: "2026/2027"', "samme syklus"),
])
def test_a_broken_schemes_file_is_named(tmp_path: Path, old: str, new: str,
                                        where: str) -> None:
    path = _copy(tmp_path, SCHEMES_FILE)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_catalog(schemes=path)
    assert "ordninger.yaml" in str(error.value) and where in str(error.value)


@pytest.mark.parametrize(("old", "new", "where"), [
    ("id: nord,", "id: ntnu,", "samme id"),
    ("id: dmmh", "id: DMMH", "uh_partners[2] (DMMH).id"),
    ("short: NTNU", "extra: NTNU", "extra"),
])
def test_a_broken_uh_file_is_named(tmp_path: Path, old: str, new: str, where: str) -> None:
    path = _copy(tmp_path, UH_FILE)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_catalog(uh=path)
    assert "uh.yaml" in str(error.value) and where in str(error.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"uh\.yaml"):
        load_catalog(uh=tmp_path / "uh.yaml")
