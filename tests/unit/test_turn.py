"""dialogs.turn.personal: what of an outcome goes to the person's personal chat."""

from __future__ import annotations

from dialogs.turn import Incoming, Outcome, Reply, personal

CARD = {"type": "AdaptiveCard", "version": "1.5", "body": []}


def turn(conversation_type: str) -> Incoming:
    return Incoming(kind="message", conversation_id="c", conversation_type=conversation_type,
                    user_id="29:1")


def test_in_a_personal_chat_nothing_moves() -> None:
    outcome = Outcome([Reply(text="Hei", card=CARD)])
    assert personal(turn("personal"), outcome, "sendt") is outcome


def test_text_alone_stays_where_it_was_asked() -> None:
    outcome = Outcome.say("Bare koordinatorer kan se dette.")
    assert personal(turn("channel"), outcome, "sendt") is outcome


def test_in_a_shared_chat_cards_and_their_texts_go_to_the_personal_chat() -> None:
    pressed = Outcome([Reply(text="Merk:")], card=CARD)
    moved = personal(turn("groupChat"), pressed, "sendt")
    assert moved.card is None and moved.shared_note == "sendt"
    assert moved.replies == [Reply(card=CARD, to_personal=True),
                             Reply(text="Merk:", to_personal=True)]
    again = personal(turn("channel"), Outcome([Reply(text="Først:"), *moved.replies]), "ny")
    assert all(r.to_personal for r in again.replies) and again.shared_note == "ny"
