"""The network's part without a bot: what goes into a compiled report, the checklist,
what changed between versions, references, and the common themes across networks."""

from __future__ import annotations

from datetime import date

import pytest

from domain.needs.models import Status
from domain.network.compile import Current, assessed, checklist, compile_snapshot, what_changed
from domain.network.models import compiled_reference
from domain.network.themes import common_themes
from tests.support.reports import AFTER, BEFORE, DEADLINE, make_measure, make_report

CYCLE = "2026/2027"


def submitted(partnership: str, titles: list[str], *, late: bool = False):
    report = make_report(0, partnership_name=partnership)
    for title in titles:
        report.add_measure(make_measure(title=title), max_measures=5)
    report.submit(AFTER if late else BEFORE, DEADLINE)
    report.reference = f"BM-2026-FOS-{report.header.scheme}-000{len(titles)}"
    return report


def test_snapshot_takes_submitted_versions_and_names_who_is_missing() -> None:
    sent = submitted("Fosen skoler", ["Lesing", "Regning"])
    draft = make_report(1, partnership_name="Ørland oppvekst")
    reopened_now = submitted("Osen", ["Språk"])
    last_sent = reopened_now.model_copy(deep=True)
    reopened_now.reopen(BEFORE, DEADLINE)
    scheme = sent.header.scheme
    snapshot = compile_snapshot(
        [Current(sent), Current(draft), Current(reopened_now, last_sent)], scheme=scheme,
        cycle=CYCLE, partnerships=["Fosen skoler", "Bjugn", "ørland oppvekst"],
        assessments={f"{sent.id}/{sent.measures[0].id}": "Felles behov.", "x/y": "annet"})
    assert [i.report.header.partnership_name for i in snapshot.items] == ["Fosen skoler", "Osen"]
    assert [i.reopened for i in snapshot.items] == [False, True]
    assert snapshot.items[1].report.status is Status.SUBMITTED
    assert snapshot.drafts == ["Osen", "Ørland oppvekst"]
    assert snapshot.not_started == ["Bjugn"]
    assert snapshot.assessments == {f"{sent.id}/{sent.measures[0].id}": "Felles behov."}
    assert snapshot.measures == 3 and snapshot.total == sent.total_amount + last_sent.total_amount
    assert assessed(snapshot, sent.id) == (("Lesing", "Felles behov."),)


def test_other_schemes_and_cycles_stay_out() -> None:
    sent = submitted("Fosen skoler", ["Lesing"])
    assert not compile_snapshot([Current(sent)], scheme="ANNEN", cycle=CYCLE, partnerships=[],
                                assessments={}).items
    assert not compile_snapshot([Current(sent)], scheme=sent.header.scheme, cycle="2025/2026",
                                partnerships=[], assessments={}).items


def test_checklist_counts_late_and_unassessed() -> None:
    on_time = submitted("Aa skoler", ["Lesing", "Regning"])
    late = submitted("Bb skoler", ["Språk"], late=True)
    snapshot = compile_snapshot([Current(on_time), Current(late)], scheme=on_time.header.scheme,
                                cycle=CYCLE, partnerships=[],
                                assessments={f"{late.id}/{late.measures[0].id}": "Bra."})
    check = checklist(snapshot, network_id="fosen", network="Fosen", cycle=CYCLE,
                      scheme=on_time.header.scheme, deadline=date(2027, 1, 8),
                      today=date(2026, 12, 20), last=None)
    assert [line.partnership for line in check.late] == ["Bb skoler"]
    assert [u.title for u in check.unassessed] == ["Lesing", "Regning"]
    assert check.next_version == 1 and check.measures == 3


def test_what_changed_between_versions() -> None:
    a, b = submitted("Aa skoler", ["Lesing"]), submitted("Bb skoler", ["Språk"])
    scheme = a.header.scheme
    first = compile_snapshot([Current(a)], scheme=scheme, cycle=CYCLE, partnerships=[],
                             assessments={})
    assert what_changed(None, first)[0].startswith("Første versjon: 1 behovsmeldinger")
    assert what_changed(first, first) == ["Ingen endringer i innholdet; sendt på nytt."]
    a2 = a.model_copy(deep=True)
    a2.version += 3
    second = compile_snapshot([Current(a2), Current(b)], scheme=scheme, cycle=CYCLE,
                              partnerships=[], assessments={f"{b.id}/{b.measures[0].id}": "Ok"})
    lines = what_changed(first, second)
    assert "Ny med: Bb skoler." in lines
    assert any("Aa skoler har sendt inn en ny versjon" in x for x in lines)
    assert "Nettverkets vurdering er endret for 1 tiltak." in lines
    assert any(x.startswith("Sum søkt:") for x in lines)
    assert "Ikke lenger med: Bb skoler." in what_changed(second, first)


def test_reference_follows_the_partnerships_year() -> None:
    assert compiled_reference("2026/2027", "FOS", "KKU") == "SBM-2026-FOS-KKU"
    with pytest.raises(ValueError):
        compiled_reference("2026", "FOS", "KKU")


def test_common_themes_need_two_networks_and_one_field() -> None:
    def m(title: str, need: str, target: str = "skole"):
        return make_measure(title=title, need=need, areas=target)

    themes = common_themes([
        ("Fosen", "Fosen skoler", m("Lesing i alle fag", "Leseferdighetene er svake.")),
        ("Gauldal", "Gauldal skolene", m("Lesingen må løftes", "Lav lesing på mellomtrinnet.")),
        ("Værnes", "Stjørdal", m("Lesing", "Lesing i barnehagen.", "barnehage")),
        ("Fosen", "Osen", m("Realfag", "Matematikk.")),
        ("Innherred", "Levanger", m("Kompetanseutvikling for ansatte", "Styrke ansatte.")),
        ("Gauldal", "Midtre", m("Kompetanseutvikling i skolen", "Styrke ansatte.")),
    ])
    reading = [t for t in themes if t.word.startswith("lesing")]
    assert reading, themes
    school = next(t for t in reading if t.target_group == "skole")
    assert school.networks == ("Fosen", "Gauldal")
    assert {x.title for x in school.measures} == {"Lesing i alle fag", "Lesingen må løftes"}
    assert all(t.target_group != "barnehage" for t in reading)  # only one network there
    assert not [t for t in themes if "kompetanse" in t.word or "ansatt" in t.word]
    assert not [t for t in themes if "realfag" in t.word]  # one network only
    assert common_themes([]) == []

