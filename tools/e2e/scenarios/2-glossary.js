// A person asks the glossary in a personal chat, follows a related term and says the
// answer was useful.
'use strict';

// Short, stable snippets of Kompis' texts: the definitions in content/ordliste.yaml
// (entries `innstilling` and `vedtak`) and domain/glossary/texts.py.
const INNSTILLING = 'Forslaget til hvilke tiltak som skal få midler';
const VEDTAK = 'Den formelle avgjørelsen om hvilke tiltak som får midler';
const THANKS = 'Takk for tilbakemeldingen';

module.exports = {
  id: '2-glossary',
  title: 'personlig chat: «hva er innstilling?» gir svarkortet, et relatert begrep, «Nyttig» takkes',
  async run(t) {
    await t.open('Personal Chat');
    await t.say('hva er innstilling?');
    const answer = await t.expectCard(INNSTILLING);
    await t.shot('answer');

    // Action.Submit {"action": "glossary.show", "entry": "vedtak"}: a new answer card.
    await t.press(answer, 'vedtak');
    const vedtak = await t.expectCard(VEDTAK);
    await t.shot('related-term');

    // Action.Execute {"action": "glossary.feedback", "entry": "vedtak", "useful": true}:
    // the thanks is the answer to the press, shown as a note on the pressed card.
    await t.press(vedtak, 'Nyttig');
    await t.expectNotice(THANKS);
    await t.shot('feedback');
  },
};
