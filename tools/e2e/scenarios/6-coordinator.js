// Statsforvalteren's Kari (an admin named by her UPN in KOMPIS_ADMINS) makes the team
// channel the network's coordinator channel, reads the network's status and downloads the
// compiled spreadsheet through the link on the export card.
'use strict';

const { check } = require('../lib/chat');

// Short, stable snippets of Kompis' texts (dialogs/roles.py, cards/coordinator.py).
const ROLES = 'Roller i Kompis';
const REGISTERED = 'er nå koordinatorkanal for Fosen';
const STATUS = 'Status for Fosen, 2026/2027';
const EXPORT = 'Samlet behovsmelding for Fosen';
const DOWNLOAD = 'Last ned regnearket (.xlsx)';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

module.exports = {
  id: '6-coordinator',
  title: 'admin ved UPN: koordinatorkanal i teamet, «status for Fosen», «eksporter» og nedlasting av regnearket',
  async run(t) {
    // The UPN is looked up at the playground's connector: `roller` is for admins only.
    await t.open('Personal Chat');
    await t.say('roller');
    await t.expectReply(ROLES);
    await t.shot('roles');

    await t.open('Kompetansenettverk Fosen - Koordinatorer');
    await t.post('registrer koordinatorkanal for Fosen');
    await t.expectReply(REGISTERED);
    await t.shot('coordinator-channel');

    await t.open('Personal Chat');
    await t.say('status for Fosen');
    const status = await t.expectCard(STATUS);
    const shown = await t.text(status);
    check(shown.includes('Partnerskapenes frist'), `expected the deadline on the status card: ${shown}`);
    await t.shot('status');

    await t.say('eksporter for Fosen');
    const card = await t.expectCard(EXPORT);
    await t.shot('export-card');
    // Action.OpenUrl: the renderer makes it a link, not a button; the playground opens it
    // in a new window, whose request for the link is what the browser really asked for.
    const context = t.page.context();
    const [request] = await Promise.all([
      context.waitForEvent('request', (r) => r.url().includes('/eksport/')),
      card.getByText(DOWNLOAD, { exact: true }).click(),
    ]);
    const url = request.url();
    for (const page of context.pages()) if (page !== t.page) await page.close().catch(() => {});
    check(/^http:\/\/127\.0\.0\.1:\d+\/eksport\/[0-9a-f]{32}\.xlsx\?utloper=\d+&sig=[0-9a-f]{64}$/
      .test(url), `expected a signed export link, got ${url}`);
    const got = await fetch(url);
    const body = Buffer.from(await got.arrayBuffer());
    check(got.status === 200 && got.headers.get('content-type').startsWith(XLSX),
      `expected the workbook (200, ${XLSX}), got ${got.status} ${got.headers.get('content-type')}`);
    check(body.subarray(0, 2).toString() === 'PK', 'expected a zip (xlsx) body');
    const tampered = await fetch(url.replace(/sig=([0-9a-f])/, (m, c) => `sig=${c === '0' ? '1' : '0'}`));
    check(tampered.status === 403, `expected 403 for a tampered link, got ${tampered.status}`);
    t.log(`    downloaded ${body.length} bytes; a tampered link gets ${tampered.status}`);
  },
};
