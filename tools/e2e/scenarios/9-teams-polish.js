// Issue 19 in a real client, after scenarios 3 and 8 (Kari is a member of Fosen skoler, whose
// report is submitted, and an admin): «hei» gets one line and three buttons; a reopened
// report says on the review and in `mine behovsmeldinger` that its changes are not sent;
// the coordinator renames the partnership with «Endre navn» on status, and sends «Send
// påminnelse nå», which first says to whom and then what was sent.
'use strict';

const { check } = require('../lib/chat');

// Short, stable snippets of Kompis' texts (cards/help.py, domain/needs/texts.py,
// domain/needs/renaming.py, cards/coordinator.py, cards/network.py).
const GREETING = 'Hva vil du gjøre?';
const HELP_INTRO = 'Jeg hjelper partnerskap'; // the whole help card, which a greeting does not get
const LIST = 'Behovsmeldingene deres';
const NOT_SENT = 'Endringene er ikke sendt inn';
const LIST_NOT_SENT = 'endringene er ikke sendt inn';
const STATUS = 'Status for Fosen';
const RENAME = 'Nytt navn på partnerskapet';
const RENAMED = 'Partnerskapet heter nå';
const NEW_NAME = 'Fosen skoler og PPT';
const NUDGE_CONFIRM = 'Disse partnerskapene i Fosen har ikke sendt inn';
const NUDGE_SENT = 'Påminnelse sendt til';

module.exports = {
  id: '9-teams-polish',
  title: 'hilsen, gjenåpnet og ikke sendt, «Endre navn» og «Send påminnelse nå» med bekreftelse',
  async run(t) {
    await t.open('Personal Chat');
    await t.say('hei');
    const greeting = await t.expectCard(GREETING);
    const hello = await t.text(greeting);
    check(!hello.includes(HELP_INTRO), `a greeting got the whole help card: ${hello.slice(0, 200)}`);
    for (const name of ['Status', 'Eksporter', 'Årshjul']) { // Kari is an admin: staff buttons
      check(await greeting.getByRole('button', { name, exact: true }).count() === 1,
        `the greeting has no button «${name}»`);
    }
    await t.shot('greeting');

    await t.say('mine behovsmeldinger');
    const list = await t.expectCard(LIST);
    await t.press(list, 'Åpne', { within: 'Fosen skoler' });
    const review = await t.expectCard('Referanse', { inPlace: true });
    await t.press(review, 'Gjenåpne for endringer');
    const reopened = await t.expectCard(NOT_SENT, { inPlace: true });
    check((await t.text(reopened)).includes('Send inn før fristen'),
      'the warning does not name the deadline');
    await t.shot('reopened-not-sent');
    await t.say('mine behovsmeldinger');
    await t.expectCard(LIST_NOT_SENT);
    await t.shot('list-not-sent');

    await t.say('status for Fosen');
    let status = await t.expectCard(STATUS);
    await t.press(status, 'Endre navn', { within: 'Fosen skoler' });
    const rename = await t.expectCard(RENAME, { inPlace: true });
    check((await t.value(rename, 'Nytt navn')) === 'Fosen skoler', 'the name is not prefilled');
    await t.fill(rename, { 'Nytt navn': NEW_NAME });
    await t.shot('rename-card');
    await t.press(rename, 'Lagre navnet');
    const renamed = await t.expectCard(RENAMED, { inPlace: true });
    await t.shot('renamed');
    await t.press(renamed, 'Tilbake til status');
    status = await t.expectCard(STATUS, { inPlace: true });
    check((await t.text(status)).includes(NEW_NAME), 'status does not show the new name');
    await t.shot('status');

    await t.press(status, 'Send påminnelse nå');
    const confirm = await t.expectCard(NUDGE_CONFIRM, { inPlace: true });
    check((await t.text(confirm)).includes(NEW_NAME), 'the confirmation does not name the partnership');
    await t.shot('nudge-confirm');
    await t.press(confirm, 'Send påminnelse');
    const sent = await t.expectCard(NUDGE_SENT, { inPlace: true });
    check((await t.text(sent)).includes(NEW_NAME), 'the receipt does not say to whom');
    await t.shot('nudge-sent');
  },
};
