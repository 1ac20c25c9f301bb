// A person subscribes the personal chat to reminders from the annual wheel.
// Still to come (issue 9): the scheduler's `due --send` for a date before a deadline, and
// the reminder appearing here as a proactive message.
'use strict';

// Short, stable snippets of Kompis' texts (dialogs/reminders.py).
const SUBSCRIBED = 'Denne samtalen får nå påminnelser om frister og møter';
const STATUS = 'Denne samtalen får påminnelser for';

module.exports = {
  id: '4-reminders',
  title: 'personlig chat: «abonner på påminnelser» bekreftes, «mine påminnelser» viser abonnementet',
  async run(t) {
    await t.open('Personal Chat');
    await t.say('abonner på påminnelser');
    await t.expectReply(SUBSCRIBED);
    await t.shot('subscribed');

    await t.say('mine påminnelser');
    await t.expectReply(STATUS);
    await t.shot('status');
  },
};
