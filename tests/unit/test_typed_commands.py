"""Which command typed words start, as the app's router reads them: the needs form's buttons
typed as words, and the compiled report sent «inn» (the longest phrase wins)."""

from __future__ import annotations

import pytest

from bot import compose
from bot.config import Settings
from dialogs.answers import command_infos
from dialogs.needs import TYPED_BUTTONS
from dialogs.router import Router


@pytest.fixture(scope="module")
def router() -> Router:
    settings = Settings(_env_file=None, database_url="sqlite+aiosqlite:///:memory:",
                        public_url="https://kompis.example.no")
    return compose.features(compose.services(settings, compose.database(settings))).router


@pytest.mark.parametrize(("typed", "command", "rest"), [
    ("send inn", "send_inn", ""), ("Send inn behovsmeldingen!", "send_inn", ""),
    ("lever behovsmeldinga for KKU", "send_inn", "for kku"),
    ("send inn sammenstilt behovsmelding", "sammenstilt", ""),
    ("send inn den sammenstilte", "sammenstilt", ""),
    ("endre tiltak 2", "endre_tiltak", "2"),
    ("slett tiltak nummer to", "fjern_tiltak", "nummer to"),
    ("fjern tiltak 1", "fjern_tiltak", "1"), ("avbryt", "avbryt", ""),
    ("start på nytt", "meld_behov", ""),
    # not the form's: the reminders' stop, and a colleague added
    ("stopp påminnelser", "stopp", ""), ("legg til tiltak", "legg_til", "tiltak"),
])
def test_typed_words_start_their_command(router: Router, typed: str, command: str,
                                         rest: str) -> None:
    found = router.commands.find(typed)
    assert found is not None
    assert (found[0].name, found[1]) == (command, rest)


def test_the_question_engine_never_offers_the_typed_buttons(router: Router) -> None:
    offered = {info.name for info in command_infos(router.commands)}
    assert offered.isdisjoint(TYPED_BUTTONS)
    assert set(TYPED_BUTTONS) <= {command.name for command in router.commands}
