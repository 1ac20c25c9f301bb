// In a team channel Kompis answers only when @mentioned, in the thread of the post.
'use strict';

// Short, stable snippets of Kompis' texts (cards/help.py).
const WELCOME_SHARED = 'Her svarer jeg når noen nevner meg';
const HELP_INTRO = 'Jeg hjelper partnerskap, kompetansenettverk og samarbeidsforum';

module.exports = {
  id: '5-channel-mention',
  title: 'kanal: velkomstkortet for team, ny post «@Kompis hjelp» gir hjelpekortet i tråden',
  async run(t) {
    await t.open('Kompetansenettverk Fosen - Koordinatorer');
    await t.expectCard(WELCOME_SHARED); // sent when the playground adds Kompis to the team
    await t.shot('welcome');

    await t.post('hjelp'); // later expectations look inside this post's thread only
    await t.expectCard(HELP_INTRO);
    await t.shot('help-in-thread');
  },
};
