// The network's part, as Statsforvalteren's Kari (an admin, so she may act for Fosen and
// read across networks): she assesses the measures of the report sent in scenario 3, sends
// Fosen's compiled needs report after the checklist, and opens samarbeidsforum's overview.
'use strict';

const { check } = require('../lib/chat');

// Short, stable snippets of Kompis' texts (cards/coordinator.py, cards/network.py).
const SCHEME = 'KKU'; // the scheme scenario 3 reports in
const STATUS = 'Status for Fosen';
const ASSESS = 'Nettverkets vurdering: Fosen skoler';
const SAID = 'Felles behov med Ørland; NTNU har kapasitet til veiledning.';
const CHECKLIST = 'Sammenstilt behovsmelding: Fosen';
const SENT = 'Sammenstilt behovsmelding sendt';
const OVERVIEW = 'Felles tiltak: hva sier behovsmeldingene?';

module.exports = {
  id: '8-network',
  title: 'nettverkets del: vurdering av tiltak, sammenstilt behovsmelding med sjekkliste, samarbeidsforums oversikt',
  async run(t) {
    await t.open('Personal Chat');
    await t.say('status for Fosen');
    const status = await t.expectCard(STATUS);
    await t.press(status, 'Vurder', { within: 'Fosen skoler' });
    const card = await t.expectCard(ASSESS, { inPlace: true });
    await t.fill(card, { 'Nettverkets vurdering av tiltak 1': SAID });
    await t.shot('assessment-filled');
    await t.press(card, 'Lagre vurderingene');
    const saved = await t.expectCard('Lagret.', { inPlace: true });
    check((await t.value(saved, 'Nettverkets vurdering av tiltak 1')) === SAID,
      'the saved assessment is not on the card');
    await t.shot('assessment-saved');

    await t.say(`send sammenstilt behovsmelding ${SCHEME} for Fosen`);
    const checklist = await t.expectCard(CHECKLIST);
    const listed = await t.text(checklist);
    check(listed.includes('Sendt inn (1)') && listed.includes('Fosen skoler'),
      `the checklist does not list the submitted report: ${listed.slice(0, 300)}`);
    await t.shot('checklist');
    await t.press(checklist, 'Send inn');
    const receipt = await t.expectCard(SENT, { inPlace: true });
    const said = await t.text(receipt);
    const reference = /SBM-\d{4}-FOS-[A-Z]+/.exec(said);
    check(reference, `the receipt has no SBM reference: ${said}`);
    t.log(`    sent ${reference[0]}`);
    await t.shot('compiled-receipt');

    await t.say('oversikt');
    const overview = await t.expectCard(OVERVIEW);
    const seen = await t.text(overview);
    check(seen.includes('Fosen: sendt'), `the overview does not show Fosen as sent: ${seen.slice(0, 300)}`);
    await t.shot('forum-overview');
  },
};
