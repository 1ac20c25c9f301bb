"""Every needs-report card, with representative data, against the Teams card rules; and
what each card must show or leave out."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from cards import needs as cards
from cards.check import check_card
from domain.needs import states, texts
from domain.needs.forms import (
    MONEY_FIELDS,
    WHAT_FIELDS,
    parse_measure,
    parse_measure_what,
    typed_values,
)
from domain.needs.models import NeedsReport, PendingMeasure
from domain.needs.states import Moment
from domain.norsk import OSLO
from tests.support.cards import walk
from tests.support.needs import CURRENT_SCHEME
from tests.support.reports import (
    AFTER,
    BEFORE,
    CATALOG,
    DEADLINE,
    GOOD_MEASURE,
    RULES,
    make_header,
    make_measure,
    make_report,
)

TODAY = date(2026, 12, 1)
SCHEME_NAME = "Tilskuddsordning for kollektiv kompetanseutvikling"
NAME = "Fosen [lenke](http://x) *skoler*"
REVIEW = {"max_measures": 5, "today": TODAY, "network": "Fosen", "uh": "NTNU"}


def review(report: NeedsReport, *, deadline: date | None, read_only: bool = False,
           **shown: Any) -> dict:
    """The review card as the flow builds it: buttons for what the report allows today
    (none for a reader)."""
    moment = Moment(datetime.combine(TODAY, time(12), OSLO),
                    datetime.combine(deadline, time(23, 59, 59), OSLO) if deadline else None,
                    shown["max_measures"])
    allowed = frozenset() if read_only else states.allowed(report, moment)
    return cards.review_card(report, allowed=allowed, deadline=deadline, **shown)


def header_choices() -> dict[str, Any]:
    return {"schemes": CATALOG.scheme_choices("2026/2027"),
            "networks": CATALOG.network_choices(), "uh_partners": CATALOG.uh_choices()}


def submitted(measures: int = 2, *, late: bool = False) -> NeedsReport:
    report = make_report(measures, partnership_name=NAME)
    report.submit(AFTER if late else BEFORE, DEADLINE)
    report.reference = "BM-2026-FOS-KKU-0003"
    return report


def all_cards() -> dict[str, dict]:
    empty, two, full = (make_report(n, partnership_name=NAME) for n in (0, 2, 5))
    refused = {**GOOD_MEASURE, "title": "x" * 134, "areas": "", "amount": "masse"}
    errors = parse_measure(refused, RULES)
    assert isinstance(errors, dict)
    what_errors = {f: m for f, m in errors.items() if f in WHAT_FIELDS}
    money_errors = {f: m for f, m in errors.items() if f in MONEY_FIELDS}
    held, edited = pending(), pending(two.measures[0].id, edit=True)
    holding = make_report(2, partnership_name=NAME)
    holding.hold_measure(held, max_measures=5)
    return {
        "header": cards.header_card(cycle="2026/2027", **header_choices()),
        "header_cycles": cards.header_card(cycle="2026/2027", **header_choices(),
                                           cycles=[("2026/2027", "2026/2027"),
                                                   ("2027/2028", "2027/2028")]),
        "header_errors": cards.header_card(
            cycle="2026/2027", **header_choices(),
            values={"scheme": CURRENT_SCHEME, "partnership_name": NAME, "owners": "Åfjord"},
            errors={"contact_email": "Skriv en e-postadresse.", "form": "Noe stemmer ikke."}),
        "header_old_cycle": cards.header_card(
            cycle="2025/2026", schemes=CATALOG.scheme_choices("2025/2026"),
            networks=CATALOG.network_choices(), uh_partners=CATALOG.uh_choices()),
        "header_notice": cards.header_card(cycle="2026/2027", **header_choices(),
                                           notice="Dekom heter ikke lenger det."),
        "header_edit": cards.header_card(cycle="2026/2027", **header_choices(),
                                         values=cards.header_values(two.header),
                                         report_id=two.id, version=two.version),
        "measure_new": cards.measure_card(empty, rules=RULES),
        "measure_edit": cards.measure_card(two, values=cards.measure_values(two.measures[0]),
                                           measure_id=two.measures[0].id),
        "measure_refused": cards.measure_card(two, values=typed_values(refused, WHAT_FIELDS),
                                              errors=what_errors, rules=RULES),
        "measure_step2": cards.measure_card(holding, step=2, pending=held, rules=RULES),
        "measure_step2_edit": cards.measure_card(
            two, step=2, pending=edited, values=cards.measure_values(two.measures[0]),
            rules=RULES),
        "measure_step2_refused": cards.measure_card(
            holding, step=2, pending=held, values=typed_values(refused, MONEY_FIELDS),
            errors=money_errors, rules=RULES),
        "review_pending": review(holding, deadline=date(2026, 12, 15), **REVIEW),
        "confirm_pending": cards.confirm_card(holding),
        "review_empty": review(empty, deadline=date(2026, 12, 15), **REVIEW),
        "review_two": review(two, deadline=date(2026, 12, 15), notice="Lagret.",
                                        scheme_name=SCHEME_NAME,
                                        **REVIEW),
        "review_full": review(full, deadline=None, **REVIEW),
        "review_past_deadline": review(two, deadline=date(2026, 11, 15), **REVIEW),
        "review_submitted": review(submitted(), deadline=None, **REVIEW),
        "review_read_only": review(two, deadline=None, read_only=True, **REVIEW),
        "confirm": cards.confirm_card(two),
        "confirm_late": cards.confirm_card(two, late=True),
        "receipt": cards.receipt_card(submitted(), network="Fosen"),
        "receipt_late": cards.receipt_card(submitted(late=True), network="Fosen",
                                           scheme_name=SCHEME_NAME),
        "notice": cards.coordinator_notice_card(submitted(), network="Fosen"),
        "continue": cards.continue_card([(two, "Fosen")],
                                        updated={two.id: datetime(2026, 12, 1, 9, tzinfo=UTC)}),
        "list": cards.reports_card([(two, "Fosen"), (submitted(), "Fosen")],
                                   updated={two.id: datetime(2026, 12, 1, tzinfo=UTC)}),
        "list_empty": cards.reports_card([], updated={}),
    }


def pending(measure_id: str = "abcd1234", *, edit: bool = False) -> PendingMeasure:
    """A measure's step 1 as the service keeps it (typed as GOOD_MEASURE)."""
    what, errors = parse_measure_what(GOOD_MEASURE)
    assert not errors
    return PendingMeasure(id=measure_id, edit=edit, what=what, by="kari")


CARDS = all_cards()


def texts_of(card: dict) -> str:
    return "\n".join(el["text"] for el in walk(card) if el.get("type") == "TextBlock") + \
        "\n".join(f"{f['title']}: {f['value']}" for el in walk(card)
                  if el.get("type") == "FactSet" for f in el["facts"])


def buttons(card: dict) -> dict[str, dict]:
    return {el["title"]: el for el in walk(card) if el.get("type") == "Action.Execute"}


def inputs(card: dict) -> dict[str, dict]:
    return {el["id"]: el for el in walk(card) if str(el.get("type", "")).startswith("Input.")}


@pytest.mark.parametrize("name", sorted(CARDS))
def test_every_card_is_valid_for_teams(name: str) -> None:
    check_card(CARDS[name])


@pytest.mark.parametrize("name", sorted(CARDS))
def test_every_button_names_a_needs_action_and_its_report(name: str) -> None:
    for title, button in buttons(CARDS[name]).items():
        data = button["data"]
        assert data["action"].startswith("needs.") and button["verb"] == data["action"]
        if data["action"] not in ("needs.start", "needs.header.save"):
            assert data["report_id"] and isinstance(data["version"], int), title


@pytest.mark.parametrize("name", sorted(n for n in CARDS if n.startswith(("header",
                                                                          "measure"))))
def test_form_inputs_are_validated_in_the_card_too(name: str) -> None:
    for field, element in inputs(CARDS[name]).items():
        if element["type"] == "Input.Toggle" or field in ("interdisciplinary_how", "sami"):
            continue
        assert element["isRequired"] and element["errorMessage"], field
        if element["type"] == "Input.Text":
            assert element["maxLength"] in (20, 120, 200, 2000), field
    first = "amount" if "step2" in name else "title" if name.startswith("measure") else "owners"
    assert inputs(CARDS[name])[first]


def test_buttons_carry_the_version_the_card_was_built_from() -> None:
    report = make_report(2)
    card = review(report, deadline=None, **REVIEW)
    for button in buttons(card).values():
        assert button["data"]["version"] == report.version == 3
        assert button["data"]["report_id"] == report.id
    edit = buttons(card)["Endre"]["data"]
    assert edit["measure_id"] == report.measures[-1].id  # the last one wins the dict
    step1 = buttons(cards.measure_card(report, measure_id=edit["measure_id"]))
    assert step1["Neste"]["data"] == {"action": "needs.measure.next", "report_id": report.id,
                                      "version": 3, "measure_id": edit["measure_id"]}
    assert "Lagre tiltaket" not in step1  # nothing is saved as a measure before step 2
    step2 = buttons(cards.measure_card(report, step=2, rules=RULES,
                                       pending=pending(edit["measure_id"], edit=True)))
    assert step2["Lagre tiltaket"]["data"] == {
        "action": "needs.measure.save", "report_id": report.id, "version": 3,
        "measure_id": edit["measure_id"]}
    assert step2["Tilbake til steg 1"]["data"]["action"] == "needs.measure.back"


def test_add_is_offered_only_while_fewer_than_five() -> None:
    assert "Legg til tiltak" not in buttons(CARDS["review_full"])
    assert "5 av 5 tiltak brukt" in texts_of(CARDS["review_full"])
    four = review(make_report(4), deadline=None, **REVIEW)
    assert "Legg til tiltak" in buttons(four) and "4 av 5 tiltak brukt" in texts_of(four)
    assert "Send inn" not in buttons(CARDS["review_empty"])
    assert {"Legg til tiltak", "Lagre og avslutt", "Send inn", "Endre", "Fjern"} \
        <= set(buttons(CARDS["review_two"]))


def test_edit_and_remove_per_measure() -> None:
    report = make_report(3)
    card = review(report, deadline=None, **REVIEW)
    pressed = [(b["data"]["action"], b["data"]["measure_id"]) for b in walk(card)
               if b.get("type") == "Action.Execute" and "measure_id" in b.get("data", {})]
    assert pressed == [(a, m.id) for m in report.measures
                       for a in ("needs.measure.edit", "needs.measure.remove")]


def test_review_shows_the_deadline_with_days_left() -> None:
    said = texts_of(CARDS["review_two"])
    assert "Frist: tirsdag 15. desember 2026 (14 dager igjen)" in said
    assert "Sum søkt: 600\u00a0000\u00a0kr" in said
    assert "Tilskuddsordning for kollektiv kompetanseutvikling (KKU)" in said
    assert "Fristen er ute" in texts_of(CARDS["review_past_deadline"])
    assert "Fristen er ute" not in said


def test_read_only_and_submitted_reviews() -> None:
    assert buttons(CARDS["review_read_only"]) == {}
    assert set(buttons(CARDS["review_submitted"])) == {"Gjenåpne for endringer"}
    assert "Referanse: BM-2026-FOS-KKU-0003" in texts_of(CARDS["review_submitted"])


def test_errors_sit_right_under_their_fields() -> None:
    body = CARDS["measure_refused"]["body"]
    ids = [el.get("id") for el in body]
    for field, message in (("title", "Tittel er 134 tegn, maks 120."),
                           ("areas", "Velg minst ett felt")):
        after = body[ids.index(field) + 1]
        assert after["type"] == "TextBlock" and after["color"] == "Attention"
        assert after["text"].startswith(message)
    body = CARDS["measure_step2_refused"]["body"]
    ids = [el.get("id") for el in body]
    after = body[ids.index("amount") + 1]
    assert after["text"].startswith("Beløpet må være et helt antall kroner")
    assert "Noe må rettes" in texts_of(CARDS["measure_refused"])
    header = CARDS["header_errors"]
    assert "Skriv en e-postadresse." in texts_of(header) and "Noe stemmer ikke." \
        in texts_of(header)


def test_the_form_keeps_what_was_typed() -> None:
    fields = inputs(CARDS["measure_refused"])
    assert fields["title"]["value"] == "x" * 134
    assert fields["need"]["value"] == GOOD_MEASURE["need"]
    fields = inputs(CARDS["measure_step2_refused"])
    assert fields["amount"]["value"] == "masse"
    assert fields["period_start"]["value"] == "2027-01-04"
    header = inputs(CARDS["header_errors"])
    assert header["partnership_name"]["value"] == NAME  # raw in the input, not escaped
    assert "scheme" not in header and header["network_id"]["value"] == ""
    saved = buttons(CARDS["header_errors"])["Lagre og gå videre"]["data"]
    assert saved["scheme"] == CURRENT_SCHEME  # one scheme: it rides along


def test_an_edit_is_prefilled() -> None:
    fields = inputs(CARDS["measure_edit"])
    assert fields["title"]["value"] == "Tiltak 1" and fields["areas"]["value"] == "skole"
    assert "Endre tiltak" in texts_of(CARDS["measure_edit"])
    fields = inputs(CARDS["measure_step2_edit"])
    assert fields["amount"]["value"] == "300 000" and fields["continued"]["value"] == "false"
    assert "Endre tiltak" in texts_of(CARDS["measure_step2_edit"])
    header = inputs(CARDS["header_edit"])
    assert header["owners"]["value"] == "Åfjord kommune, Ørland kommune"
    assert "Avbryt" in buttons(CARDS["header_edit"])


def test_values_that_are_not_choices_or_toggles_are_cleared() -> None:
    typed = {"areas": "universitet,ppt", "continued": "kanskje", "interdisciplinary": "true"}
    card = cards.measure_card(make_report(0), values=typed)
    assert inputs(card)["areas"]["value"] == "ppt"
    check_card(card)
    card = cards.measure_card(make_report(0), values=typed, step=2, pending=pending())
    fields = inputs(card)
    assert fields["continued"]["value"] == "false"
    assert fields["interdisciplinary"]["value"] == "true"
    check_card(card)


def test_megabyte_values_still_fit_in_a_card() -> None:
    huge = {f: "x" * (1024 * 1024) for f in ("title", "need", "need_found", "staff_groups",
                                            "units", "uh_role", "inclusion", "sami",
                                            "interdisciplinary_how", "amount")}
    check_card(cards.measure_card(make_report(0), values=huge))
    check_card(cards.measure_card(make_report(0), values=huge, step=2, pending=pending()))


def test_cycle_choices_and_limits() -> None:
    assert "cycle" in inputs(CARDS["header_cycles"])
    assert "cycle" not in inputs(CARDS["header"])
    assert buttons(CARDS["header"])["Lagre og gå videre"]["data"]["cycle"] == "2026/2027"
    dates = inputs(CARDS["measure_step2"])["period_start"]
    assert (dates["min"], dates["max"]) == ("2027-01-01", "2029-12-31")
    said = texts_of(CARDS["measure_step2"])
    assert "Høyst 5\u00a0000\u00a0000\u00a0kr per tiltak" in said
    assert "regionens praksis, ikke regler i regelverket" in said


def test_a_measure_says_which_fields_it_covers() -> None:
    """One scheme for every field: a measure across kindergarten and school, or for PPT
    and the services around the children, has a place (several may be chosen)."""
    areas = inputs(CARDS["measure_new"])["areas"]
    assert areas["isMultiSelect"] is True and areas["isRequired"] is True
    assert [(c["value"], c["title"]) for c in areas["choices"]] == [
        ("barnehage", "Barnehage"), ("skole", "Skole"),
        ("ppt", "PPT og andre tjenester rundt barna")]
    assert "på tvers av barnehage og skole" in texts_of(CARDS["measure_new"])
    report = make_report(0)
    report.add_measure(make_measure(areas="barnehage,skole,ppt"), rules=RULES)
    said = texts_of(review(report, deadline=None, **REVIEW))
    assert "barnehage, skole og PPT/tjenester rundt barna" in said
    report.submit(BEFORE, DEADLINE)
    receipt = texts_of(cards.receipt_card(report, network="Fosen"))
    assert "(felt: barnehage, skole og PPT/tjenester rundt barna)" in receipt


def test_an_older_schemes_measure_offers_only_its_fields() -> None:
    old = CATALOG.cycle("2025/2026")
    report = make_report(0).model_copy(update={"header": make_header().model_copy(
        update={"cycle": "2025/2026", "scheme": "REKOM"})})
    areas = inputs(cards.measure_card(report, rules=old))["areas"]
    assert [c["value"] for c in areas["choices"]] == ["barnehage"]


def test_the_sami_field_is_encouraged_with_the_reason_shown() -> None:
    fields = inputs(CARDS["measure_new"])
    assert fields["sami"].get("isRequired") is not True
    assert fields["sami"]["label"] == "Samiske perspektiver (oppfordres, ikke påkrevd)"
    said = texts_of(CARDS["measure_new"])
    assert "oppfordrer dere til å vise den vurderingen" in said and "kan stå tomt" in said


def test_the_scheme_choice_says_what_each_covers() -> None:
    one = CARDS["header"]
    assert "scheme" not in inputs(one)
    said = texts_of(one)
    assert "Tilskuddsordning for kollektiv kompetanseutvikling (KKU)" in said
    assert "barnehage, skole, PPT" in said
    several = inputs(CARDS["header_old_cycle"])["scheme"]
    titles = [c["title"] for c in several["choices"]]
    assert [c["value"] for c in several["choices"]] == ["DEKOM", "REKOM", "KOMPL"]
    assert all(" – " in t for t in titles) and "i barnehagen" in titles[1]
    assert "Dekom heter ikke lenger det." in texts_of(CARDS["header_notice"])


def test_typed_markdown_is_shown_literally() -> None:
    for name in ("review_two", "receipt", "notice", "list", "measure_new", "continue"):
        said = texts_of(CARDS[name])
        assert "[lenke](http" not in said and "\\[lenke\\]" in said, name


def test_confirm_receipt_and_notice() -> None:
    assert "Send inn behovsmeldingen for KKU, 2 tiltak?" in texts_of(CARDS["confirm"])
    assert set(buttons(CARDS["confirm"])) == {"Send inn", "Avbryt"}
    assert buttons(CARDS["confirm"])["Send inn"]["data"]["action"] == "needs.submit.confirm"
    assert "sendt for sent" in texts_of(CARDS["confirm_late"])
    assert "sendt for sent" not in texts_of(CARDS["confirm"])
    receipt = texts_of(CARDS["receipt"])
    assert "Referanse: BM-2026-FOS-KKU-0003" in receipt
    assert "Sendt: 10\\. desember 2026 kl. 13:00" in receipt and "Tiltak: 2" in receipt
    assert "merket som sendt for sent" not in receipt
    assert "merket som sendt for sent" in texts_of(CARDS["receipt_late"])
    notice = texts_of(CARDS["notice"])
    assert "har sendt inn behovsmeldingen for KKU: 2 tiltak, referanse BM-2026-FOS-KKU-0003" \
        in notice


def test_lists() -> None:
    listing = texts_of(CARDS["list"])
    assert "utkast · 2 tiltak · endret 1. desember 2026 kl. 01:00" in listing
    assert "sendt inn · 2 tiltak · BM-2026-FOS-KKU-0003" in listing
    assert [b["data"]["action"] for b in walk(CARDS["list"])
            if b.get("type") == "Action.Execute"] == ["needs.open", "needs.open"]
    assert "meld behov" in texts_of(CARDS["list_empty"])
    offer = buttons(CARDS["continue"])
    assert offer["Fortsett"]["data"]["action"] == "needs.open"
    assert offer["Start en ny"]["data"]["action"] == "needs.start"


def test_a_refused_measure_names_the_fields_beside_the_button() -> None:
    """The form is long: the fields to fix are named at the bottom, next to «Lagre
    tiltaket», not only in the line at the top."""
    report = NeedsReport(header=make_header())
    errors = {"title": "Skriv en tittel.", "amount": "Skriv beløpet i hele kroner."}
    card = cards.measure_card(report, errors=errors, rules=RULES)
    check_card(card)
    last = card["body"][-1]
    said = last["items"][0]["text"]
    assert last["style"] == "attention"
    assert said == (f"Ikke lagret. Rett {texts.LABELS['title']} og "
                    f"{texts.LABELS['amount']}.")
    assert "Ikke lagret" not in str(cards.measure_card(report, rules=RULES))
    step2 = cards.measure_card(report, step=2, pending=pending(), rules=RULES,
                               errors={"period_end": "Slutt før start."})
    assert step2["body"][-1]["items"][0]["text"] == \
        f"Ikke lagret. Rett {texts.LABELS['period_end']}."
    assert step2["actions"][0]["title"] == "Lagre tiltaket"  # right below it


def test_the_measure_comes_in_two_short_steps() -> None:
    """Step 1 «what and who», step 2 «money, period and criteria»: each says which step
    it is, neither is long, and together they ask for every field of a measure."""
    one, two = inputs(CARDS["measure_new"]), inputs(CARDS["measure_step2"])
    assert set(one) == set(WHAT_FIELDS) and set(two) == set(MONEY_FIELDS)
    assert len(one) <= 9 and len(two) <= 6
    assert "Steg 1 av 2" in texts_of(CARDS["measure_new"])
    assert "Steg 2 av 2" in texts_of(CARDS["measure_step2"])
    assert list(buttons(CARDS["measure_new"])) == ["Neste", "Avbryt"]
    assert list(buttons(CARDS["measure_step2"])) == ["Lagre tiltaket", "Tilbake til steg 1",
                                                     "Avbryt"]
    said = texts_of(CARDS["measure_step2"])  # what step 1 said, shown above step 2
    assert GOOD_MEASURE["title"] in said and "Felt: skole" in said


def test_a_measure_half_made_is_on_the_review_and_the_confirmation() -> None:
    said = texts_of(CARDS["review_pending"])
    assert GOOD_MEASURE["title"] in said and "steg 2 mangler" in said
    offered = buttons(CARDS["review_pending"])
    assert offered["Fortsett"]["data"]["action"] == "needs.measure.resume"
    assert offered["Forkast"]["data"]["measure_id"] == "abcd1234"
    assert "1 tiltak under arbeid er ikke med" in texts_of(CARDS["confirm_pending"])
    assert "under arbeid" not in texts_of(CARDS["confirm"])


@pytest.mark.parametrize(("days", "said"), [(0, "(i dag)"), (1, "(i morgen)"),
                                            (2, "(2 dager igjen)")])
def test_days_left_are_said_in_words_on_the_cards(days: int, said: str) -> None:
    """«(1 dager igjen)» nowhere: the review counts days in words; a reopened report's
    measure steps carry the «not sent» warning."""
    deadline = TODAY + timedelta(days=days)
    card = review(make_report(1), deadline=deadline, **REVIEW)
    assert said in texts_of(card) and "1 dager" not in texts_of(card)
    reopened = make_report(1)
    reopened.submit(BEFORE, DEADLINE)
    reopened.reopen(BEFORE, DEADLINE)
    warning = cards.not_sent_text(deadline, TODAY)
    for shown in (cards.measure_card(reopened, warning=warning),
                  cards.measure_card(reopened, step=2, pending=pending(), warning=warning)):
        assert "Endringene er ikke sendt inn" in texts_of(shown)
