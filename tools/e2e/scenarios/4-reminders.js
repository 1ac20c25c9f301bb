// A person subscribes the personal chat to reminders from the annual wheel; then the
// scheduler, run as an operator would for a day 2 days before a deadline, sends the
// reminder, and it appears in the chat without the person typing anything.
'use strict';

// Short, stable snippets of Kompis' texts (dialogs/reminders.py, domain/wheel/texts.py).
const SUBSCRIBED = 'Denne samtalen får nå påminnelser om frister og møter';
const STATUS = 'Denne samtalen får påminnelser for';
// content/arshjul.yaml, cycle 2026/2027: `frist-rapportering` is on Thursday 17 June 2027,
// and deadlines are reminded 2 days before at 09:00, so on Tuesday 15 June 2027 at 09:00
// exactly this reminder is due (earlier days also have samarbeidsforum's evaluation
// meeting on 10 June within the grace window). (Not the needs-report deadline: after 3-needs-report this
// person's partnership has submitted, so the personal chat would get a thank-you instead.)
const AT = '2027-06-15T09:00';
const DUE = '2026/2027|frist-rapportering|2';
const REMINDER = 'Frist: Partnerskapene rapporterer på midler tildelt året før';
const WHEN = 'Påminnelse: frist om 2 dager';

module.exports = {
  id: '4-reminders',
  title: 'personlig chat: abonnement, «mine påminnelser», og påminnelsen fra `scheduler due --send` kommer av seg selv',
  async run(t) {
    await t.open('Personal Chat');
    await t.say('abonner på påminnelser');
    await t.expectReply(SUBSCRIBED);
    await t.shot('subscribed');

    await t.say('mine påminnelser');
    await t.expectReply(STATUS);
    await t.shot('status');

    // The running Kompis has SCHEDULER_ENABLED=false: this command alone plans the
    // reminder, writes it to the outbox and delivers it to the conversation's serviceUrl,
    // the playground's connector.
    const { code, output } = await t.run(['-m', 'scheduler', 'due', '--at', AT, '--send']);
    const sent = /levert nå: (\d+)/.exec(output);
    if (code !== 0 || !output.includes(DUE) || !sent || Number(sent[1]) !== 1) {
      throw new Error(`scheduler due --at ${AT} --send (exit ${code}) did not deliver ${DUE} `
        + `once:\n${output}`);
    }
    const reminder = await t.expectCard(REMINDER);
    const said = await t.text(reminder);
    if (!said.includes(WHEN)) throw new Error(`the reminder does not say «${WHEN}»: ${said}`);
    await t.shot('reminder');
  },
};
