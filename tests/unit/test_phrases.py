"""domain/phrases.py: how the command router and the question engine read a message alike."""

import pytest

from domain.phrases import new_name, splits


def test_splits_longest_head_first() -> None:
    assert list(splits("legg til kari")) == [
        ("legg til kari", ""), ("legg til", "kari"), ("legg", "til kari")]


@pytest.mark.parametrize(("typed", "name"), [
    ("bytt navn på partnerskapet vårt til «Fosen barnehager»", "Fosen barnehager"),
    ("partnerskapet skal hete Indre Fosen.", "Indre Fosen"),
    ("Endre navnet til partnerskapet til Ørland oppvekst", "Ørland oppvekst"),
    ("kan partnerskapet vårt kalles \"Namdal skoler\"?", "Namdal skoler"),
    ("please rename the partnership to Fosen schools", "Fosen schools"),
    ("nytt navn: Hitra og Frøya", "Hitra og Frøya"),
    ("partnarskapet skal heite Sunnmøre barnehagar", "Sunnmøre barnehagar"),
])
def test_a_new_name_asked_for_in_plain_words(typed: str, name: str) -> None:
    assert new_name(typed) == name


@pytest.mark.parametrize("typed", [
    "Vi slo oss sammen med Ørland",  # a capital, but no cue before it
    "partnerskapet skal hete noe annet",  # a cue, but no name
    "bytt til Teams-navnet på partnerskapet",  # Teams' name is not a partnership's
    "gi partnerskapet nytt navn",
    "",
])
def test_no_new_name(typed: str) -> None:
    assert new_name(typed) == ""


def test_kompis_is_passed_over_for_the_name_after_it() -> None:
    assert new_name("hei: Kompis, endre navnet til Fosen barnehager") == "Fosen barnehager"
