"""The calendar feed: parses back, stable UIDs, the same bytes twice, one feed per
audience, timed events in Europe/Oslo."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import yaml
from icalendar import Calendar

from domain.norsk import OSLO
from domain.wheel.ical import to_ics
from domain.wheel.loader import WHEEL_FILE, load_wheel
from domain.wheel.models import Wheel

WHEEL = load_wheel()


def vevents(feed: bytes) -> dict[str, object]:
    return {str(e["UID"]): e for e in Calendar.from_ical(feed).walk("VEVENT")}


def shipped_data() -> dict:
    return yaml.safe_load(WHEEL_FILE.read_text(encoding="utf-8"))


def test_the_feed_parses_back_with_every_event() -> None:
    calendar = Calendar.from_ical(to_ics(WHEEL))
    assert str(calendar["X-WR-CALNAME"]) == "Årshjul – kollektiv kompetanseutvikling"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Oslo"
    events = vevents(to_ics(WHEEL))
    assert set(events) == {f"2026-2027-{e.id}@kompis" for e in WHEEL.cycles[0].events}
    deadline = events["2026-2027-frist-behovsmelding@kompis"]
    assert deadline.decoded("DTSTART") == date(2026, 12, 15)
    assert deadline.decoded("DTEND") == date(2026, 12, 16)  # all day, end exclusive
    assert str(deadline["SUMMARY"]) == \
        "Frist: Partnerskapene leverer behovsmeldingen til kompetansenettverket"
    assert str(deadline["LOCATION"]) == "Digital løsning, Kompis i Teams"
    assert "Hvem: partnerskap" in str(deadline["DESCRIPTION"])
    assert str(deadline["TRANSP"]) == "TRANSPARENT"
    gathering = events["2026-2027-samling-sf-fagutvalg@kompis"]
    assert (gathering.decoded("DTSTART"), gathering.decoded("DTEND")) == \
        (date(2026, 9, 28), date(2026, 9, 30))
    assert str(gathering["TRANSP"]) == "OPAQUE"


def test_the_same_wheel_gives_the_same_bytes() -> None:
    first = to_ics(WHEEL)
    assert to_ics(load_wheel()) == first
    stamps = {e.decoded("DTSTAMP") for e in vevents(first).values()}
    assert stamps == {datetime(2026, 1, 1, tzinfo=UTC)}  # from the cycle, not the clock


def test_uids_survive_an_edit_of_the_event() -> None:
    data = shipped_data()
    for e in data["cycles"][0]["events"]:
        if e["id"] == "frist-behovsmelding":
            e["title"] = "Behovsmelding til kompetansenettverket"
            e["start"] = date(2026, 12, 14)
    before, after = vevents(to_ics(WHEEL)), vevents(to_ics(Wheel.model_validate(data)))
    assert set(before) == set(after)
    moved = after["2026-2027-frist-behovsmelding@kompis"]
    assert moved.decoded("DTSTART") == date(2026, 12, 14)
    assert str(moved["SUMMARY"]) == "Frist: Behovsmelding til kompetansenettverket"


def test_a_copied_cycle_gets_its_own_uids() -> None:
    data = shipped_data()
    copy = yaml.safe_load(yaml.safe_dump(data["cycles"][0]))
    copy["id"] = "2027/2028"
    for e in copy["events"]:
        for field in ("start", "end"):
            if field in e:  # 52 weeks on keeps every meeting on its weekday
                e[field] = e[field] + timedelta(weeks=52)
    data["cycles"].append(copy)
    events = vevents(to_ics(Wheel.model_validate(data)))
    assert len(events) == 2 * len(WHEEL.cycles[0].events)
    assert events["2027-2028-frist-behovsmelding@kompis"].decoded("DTSTART") == \
        date(2027, 12, 14)


@pytest.mark.parametrize(("audience", "present", "absent"), [
    ("koordinator", {"frist-sammenstilt-behovsmelding", "godkjenning-utbetaling",
                     "nettverksmoter-uke-43"},
     {"endelig-innstilling", "frist-behovsmelding"}),
    ("partnerskap", {"frist-behovsmelding", "frist-rapportering", "godkjenning-utbetaling"},
     {"frist-sammenstilt-behovsmelding", "sf-evaluering"}),
    ("samarbeidsforum", {"endelig-innstilling", "samling-sf-fagutvalg",
                         "godkjenning-utbetaling"},
     {"frist-behovsmelding", "nettverksmoter-uke-43"}),
])
def test_one_feed_per_audience(audience: str, present: set[str], absent: set[str]) -> None:
    feed = to_ics(WHEEL, audience)
    ids = {uid.removeprefix("2026-2027-").removesuffix("@kompis") for uid in vevents(feed)}
    assert present <= ids and not absent & ids
    expected = {e.id for e in WHEEL.cycles[0].events if e.for_audience(audience)}
    assert ids == expected
    assert audience[:5] in str(Calendar.from_ical(feed)["X-WR-CALNAME"])


def test_an_unknown_audience_is_refused() -> None:
    with pytest.raises(ValueError):
        to_ics(WHEEL, "rektor")


def test_a_timed_event_is_in_oslo_time_with_its_zone() -> None:
    data = {"cycles": [{"id": "2026/2027", "events": [
        {"id": "mote-kort", "title": "Kort møte", "start": "2026-12-02", "time": "13:00",
         "kind": "møte", "audience": "koordinator", "place": "Teams",
         "description": "Et møte på Teams."},
        {"id": "mote-langt", "title": "Langt møte", "start": "2027-03-10",
         "end": "2027-03-11", "time": "10:00", "end_time": "15:00", "kind": "møte",
         "audience": "samarbeidsforum", "place": "fysisk", "where": "Statsforvalteren",
         "description": "To dager med gruppearbeid."},
    ]}]}
    feed = to_ics(Wheel.model_validate(data))
    calendar = Calendar.from_ical(feed)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    events = vevents(feed)
    short = events["2026-2027-mote-kort@kompis"]
    assert short.decoded("DTSTART") == datetime(2026, 12, 2, 13, tzinfo=OSLO)
    assert short.decoded("DTEND") - short.decoded("DTSTART") == timedelta(hours=1)
    assert b"DTSTART;TZID=Europe/Oslo:20261202T130000" in feed
    long = events["2026-2027-mote-langt@kompis"]
    assert long.decoded("DTEND") == datetime(2027, 3, 11, 15, tzinfo=OSLO)
    assert str(long["LOCATION"]) == "Fysisk oppmøte, Statsforvalteren"
