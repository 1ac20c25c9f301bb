"""The state table against the aggregate and the review card: every state × command.

A card must offer a button exactly when the domain accepts its command, and the domain
must refuse exactly what the table refuses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from cards import needs as cards
from domain.needs.models import NeedsReport
from domain.needs.refusals import RuleBroken, TooLate
from domain.needs.states import TABLE, Act, Moment, Status, allowed, why_not
from tests.support.cards import walk
from tests.support.reports import AFTER, BEFORE, DEADLINE, RULES, make_measure, make_report


def first(report: NeedsReport) -> str:
    return report.measures[0].id if report.measures else "00000000"


# The commands the review card has buttons for, and what each does to the aggregate.
DOES: dict[Act, Callable[[NeedsReport, datetime], object]] = {
    Act.ADD_MEASURE: lambda r, now: r.add_measure(make_measure(title="Ny"), rules=RULES),
    Act.EDIT_MEASURE: lambda r, now: r.replace_measure(first(r), make_measure(), rules=RULES),
    Act.REMOVE_MEASURE: lambda r, now: r.remove_measure(first(r)),
    Act.EDIT_HEADER: lambda r, now: r.update_header(r.header),
    Act.SUBMIT: lambda r, now: r.submit(now, DEADLINE),
    Act.REOPEN: lambda r, now: r.reopen(now, DEADLINE),
}
ON_CARD = frozenset(DOES) | {Act.SAVE_EXIT}


def report_in(status: Status, measures: int) -> NeedsReport:
    report = make_report(measures)
    if status is not Status.DRAFT:
        report.submit(AFTER if status is Status.SUBMITTED_LATE else BEFORE, DEADLINE)
    if status is Status.REOPENED:
        report.reopen(BEFORE, DEADLINE)
    assert report.status is status
    return report


CASES = [(status, measures, now) for status in Status for measures in (0, 1, 5)
         for now in (BEFORE, AFTER)
         if not (status is not Status.DRAFT and measures == 0)
         and not (status is Status.REOPENED and now is AFTER and measures == 0)]


def test_the_table_names_every_state() -> None:
    assert set(TABLE) == set(Status)
    assert all(Act.OPEN in acts for acts in TABLE.values())


@pytest.mark.parametrize(("status", "measures", "now"), CASES)
def test_the_card_offers_exactly_what_the_domain_accepts(status: Status, measures: int,
                                                         now: datetime) -> None:
    report = report_in(status, measures)
    moment = Moment(now, DEADLINE, RULES.max_measures)
    can = allowed(report, moment)
    card = cards.review_card(report, allowed=can, max_measures=RULES.max_measures,
                             deadline=date(2026, 12, 15), today=now.date(), network="Fosen",
                             uh="NTNU")
    shown = {Act(b["data"]["action"]) for b in walk(card) if b.get("type") == "Action.Execute"}
    assert shown == can & ON_CARD
    for act, does in DOES.items():
        copy = report.model_copy(deep=True)
        if act in can:
            does(copy, now)
            assert copy.version == report.version + 1
        else:
            with pytest.raises(RuleBroken):
                does(copy, now)
            assert copy == report  # a refused command changes nothing


def test_what_the_moment_decides() -> None:
    before, after = Moment(BEFORE, DEADLINE, 5), Moment(AFTER, DEADLINE, 5)
    sent = report_in(Status.SUBMITTED, 1)
    assert Act.REOPEN in allowed(sent, before) and Act.REOPEN not in allowed(sent, after)
    assert isinstance(why_not(sent, Act.REOPEN, after), TooLate)
    assert Act.ADD_MEASURE not in allowed(report_in(Status.DRAFT, 5), before)
    assert Act.SUBMIT not in allowed(report_in(Status.DRAFT, 0), before)
    assert Act.SUBMIT in allowed(report_in(Status.DRAFT, 1), after)  # late, but allowed
    assert allowed(sent, before) == {Act.OPEN, Act.REOPEN}
    assert Moment(None, DEADLINE, 5).past_deadline is False
