// In a team channel Kompis answers only when @mentioned, in the thread of the post; a
// form asked for there («@Kompis meld behov») goes to the person's personal chat with
// Kompis (created through the playground's POST /v3/conversations), and the channel gets
// one line without personal data (#19).
'use strict';

const { check } = require('../lib/chat');

// Short, stable snippets of Kompis' texts (cards/help.py, dialogs/texts.py,
// domain/needs/texts.py).
const WELCOME_SHARED = 'Her svarer jeg når noen nevner meg';
const HELP_INTRO = 'Jeg hjelper partnerskap, kompetansenettverk og samarbeidsforum';
const SENT_FORM = 'Jeg har sendt deg skjemaet i en personlig chat med Kompis.';
const HEADER_INTRO = 'Først litt om partnerskapet';
// After 3-needs-report in the same run Kari's partnership has a report: «meld behov»
// offers it first (domain/needs/texts.py CONTINUE_TITLE), in the personal chat all the same.
const CONTINUE_TITLE = 'Fortsette der dere slapp?';
const EMAIL = 'kari@fosen.example.no'; // currentUser's e-mail in .m365agentsplayground.yml
// Kompis already knows Kari's personal chat (the playground installs Kompis there when it
// starts) and would simply post there. To have the playground's own POST /v3/conversations
// make it, the stored chat is marked unusable first, as Kompis marks a chat it was removed
// from; Kompis then creates it anew and stores it as usable again (SQLite of this run).
const PERSONAL_CHATS = (installed) => [
  '-c', 'import os, sqlite3; db = sqlite3.connect(os.environ["DATABASE_URL"].split(":///", 1)[1]); '
    + (installed === null
      ? 'print(db.execute("select count(*) from conversations where conversation_type = '
        + '\'personal\' and installed").fetchone()[0])'
      : `db.execute("update conversations set installed = ${installed} where `
        + 'conversation_type = \'personal\'"); db.commit(); print("ok")'),
];

module.exports = {
  id: '5-channel-mention',
  title: 'kanal: velkomstkortet for team, «@Kompis hjelp» i tråden, «@Kompis meld behov» '
    + 'besvart i den personlige chatten',
  async run(t) {
    await t.open('Kompetansenettverk Fosen - Koordinatorer');
    await t.expectCard(WELCOME_SHARED); // sent when the playground adds Kompis to the team
    await t.shot('welcome');

    await t.post('hjelp'); // later expectations look inside this post's thread only
    await t.expectCard(HELP_INTRO);
    await t.shot('help-in-thread');

    const unusable = await t.run(PERSONAL_CHATS(0));
    check(unusable.code === 0, `could not mark the stored personal chat: ${unusable.output}`);
    const thread = await t.post('meld behov');
    const line = await t.expectReply(SENT_FORM);
    const said = await t.text(line);
    check(!said.includes('@'), `the channel reply shows an e-mail address: «${said}»`);
    check(await thread.locator('.ac-adaptiveCard').count() === 0,
      'the thread of «meld behov» in the channel shows a card');
    await t.shot('meld-behov-channel-reply');
    const created = await t.run(PERSONAL_CHATS(null));
    check(created.code === 0 && created.output.trim() === '1',
      `the personal chat was not created and stored anew: ${created.output}`);

    await t.open('Personal Chat');
    const form = await t.expectCard([HEADER_INTRO, CONTINUE_TITLE]);
    if ((await t.text(form)).includes(HEADER_INTRO)) {
      check(await t.value(form, 'E-post til kontaktperson') === EMAIL,
        'the form in the personal chat is not pre-filled with the e-mail Teams knows');
    }
    await t.shot('meld-behov-personal-chat');
  },
};
