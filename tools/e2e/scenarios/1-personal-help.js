// A person opens Kompis in a personal chat, asks for help and presses a button on the card.
'use strict';

// Short, stable snippets of Kompis' texts (cards/help.py).
const WELCOME = 'Hei, jeg er Kompis';
const HELP_INTRO = 'Jeg hjelper partnerskap, kompetansenettverk og samarbeidsforum';

module.exports = {
  id: '1-personal-help',
  title: 'personlig chat: velkomstkort, «hjelp» gir hjelpekortet, knappen «hjelp» på kortet svarer',
  async run(t) {
    await t.open('Personal Chat');
    await t.expectCard(WELCOME); // sent when the playground installs Kompis
    await t.shot('welcome');

    await t.say('hjelp');
    const help = await t.expectCard(HELP_INTRO);
    await t.shot('help-card');

    // An Action.Submit with {"action": "say", "text": "hjelp"}: were the data lost, Kompis
    // would answer with the «did not understand» help card, which lacks the intro.
    await t.press(help, 'hjelp');
    await t.expectCard(HELP_INTRO);
    await t.shot('button-pressed');
  },
};
