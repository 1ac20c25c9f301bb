// Every card Kompis can send (tools/dump_cards.py), parsed and rendered by Microsoft's
// `adaptivecards` renderer inside the test's Chromium, loaded from the local node_modules.
// A card fails on any parse event (SerializationContext: unknown element or action type,
// invalid value, ...), any validation failure (validateProperties: duplicate ids, too many
// actions, ...), a render that yields nothing, or a button whose action did not render.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const RENDERER = require.resolve('adaptivecards/dist/adaptivecards.min.js');
// Teams renders at most six actions per action set; the renderer's default is five.
const MAX_ACTIONS = 6;

// Broken cards checked beside Kompis' own on every run: if the renderer stopped reporting
// any of these (an upgrade changing its API, say), a clean result would prove nothing.
const canary = (body, actions) => ({
  type: 'AdaptiveCard', version: '1.5', body, ...(actions ? { actions } : {}),
});
const TEXT = { type: 'TextBlock', text: 'Hei', wrap: true };
const CANARIES = [
  ['unknown element', /UnknownElementType/, canary([TEXT, { type: 'TextBlok', text: 'x' }])],
  ['unknown action', /UnknownActionType/, canary([TEXT], [{ type: 'Action.Bogus', title: 'x' }])],
  ['invalid value', /InvalidPropertyValue/, canary([{ ...TEXT, size: 'Huge' }])],
  ['duplicate input id', /DuplicateId/, canary([TEXT, { type: 'Input.Text', id: 'a' },
    { type: 'Input.Text', id: 'a' }])],
  ['seven actions', /TooManyActions/, canary([TEXT], [1, 2, 3, 4, 5, 6, 7].map(
    (i) => ({ type: 'Action.Submit', title: `b${i}`, data: { action: 'x' } })))],
  ['version 1.6', /Teams renders 1.0 to 1.5/, { ...canary([TEXT]), version: '1.6' }],
].map(([name, expect, card]) => ({ name: `canary: ${name}`, expect, card }));

/** Runs in the page: parse, validate and render every card; returns one result per card. */
function checkInPage({ samples, maxActions }) {
  const AC = window.AdaptiveCards;
  const hostConfig = new AC.HostConfig({ supportsInteractivity: true, actions: { maxActions } });
  const enumName = (en, value) => (en && en[value] !== undefined ? en[value] : String(value));
  const titles = (node, out) => {
    if (Array.isArray(node)) node.forEach((n) => titles(n, out));
    else if (node && typeof node === 'object') {
      if (typeof node.type === 'string' && node.type.startsWith('Action.') && node.title) {
        out.push(node.title);
      }
      // Actions inside a ShowCard render only when it is opened: not counted here.
      for (const [key, value] of Object.entries(node)) {
        if (!(node.type === 'Action.ShowCard' && key === 'card')) titles(value, out);
      }
    }
    return out;
  };
  const out = document.getElementById('out');
  return samples.map(({ name, card: json }) => {
    const problems = [];
    // Parse as a 1.5 host: newer elements and properties are reported, not accepted.
    const ctx = new AC.SerializationContext(AC.Versions.v1_5);
    const version = AC.Version.parse(json.version, ctx);
    if (!version || !version.isValid || version.major !== 1 || version.minor > 5) {
      problems.push(`version ${JSON.stringify(json.version)}: Teams renders 1.0 to 1.5`);
    }
    const card = new AC.AdaptiveCard();
    card.hostConfig = hostConfig;
    try {
      card.parse(json, ctx);
    } catch (err) {
      problems.push(`parse threw: ${err && err.message}`);
    }
    for (let i = 0; i < ctx.eventCount; i++) {
      const ev = ctx.getEventAt(i);
      problems.push(`parse ${enumName(AC.ValidationPhase, ev.phase)} `
        + `${enumName(AC.ValidationEvent, ev.event)}: ${ev.message}`);
    }
    for (const ev of card.validateProperties().validationEvents) {
      const owner = ev.source && ev.source.getJsonTypeName ? ev.source.getJsonTypeName() : '?';
      problems.push(`validate ${owner} ${enumName(AC.ValidationEvent, ev.event)}: ${ev.message}`);
    }
    let rendered = null;
    try {
      rendered = card.render();
    } catch (err) {
      problems.push(`render threw: ${err && err.message}`);
    }
    let buttons = 0;
    if (!rendered) {
      problems.push('render returned nothing');
    } else {
      const box = document.createElement('section');
      box.dataset.card = name;
      box.appendChild(rendered);
      out.appendChild(box);
      if (!rendered.innerText.trim()) problems.push('rendered card has no text');
      const shown = [...rendered.querySelectorAll('button, [role="button"]')]
        .map((b) => (b.getAttribute('aria-label') || b.innerText || '').trim());
      buttons = shown.length;
      for (const title of titles(json.actions || [], titles(json.body || [], []))) {
        if (!shown.includes(title)) problems.push(`action «${title}» was not rendered`);
      }
    }
    return { name, problems, buttons, elements: rendered ? rendered.querySelectorAll('*').length : 0 };
  });
}

/**
 * Check `samples` ([{name, card}]) in a new page of `context`. Returns {results, failed,
 * canaries}: a canary whose `caught` is false means the check itself is broken. With
 * `shotsDir`, also saves a screenshot of each rendered card there.
 */
async function checkCards(context, samples, { shotsDir } = {}) {
  const page = await context.newPage();
  try {
    await page.setContent('<!doctype html><html lang="nb"><head><meta charset="utf-8">'
      + '<title>adaptivecards</title><style>body{font-family:sans-serif;width:560px}'
      + 'section{margin:12px 0;border:1px solid #ccc}</style></head>'
      + '<body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: RENDERER });
    const version = await page.evaluate(() => typeof window.AdaptiveCards === 'object');
    if (!version) throw new Error(`adaptivecards did not load from ${RENDERER}`);
    const all = [...samples, ...CANARIES.map(({ name, card }) => ({ name, card }))];
    const checked = await page.evaluate(checkInPage, { samples: all, maxActions: MAX_ACTIONS });
    const results = checked.slice(0, samples.length);
    const canaries = CANARIES.map((c, i) => {
      const { problems } = checked[samples.length + i];
      return { name: c.name, caught: problems.some((p) => c.expect.test(p)), problems };
    });
    if (shotsDir) {
      fs.mkdirSync(shotsDir, { recursive: true });
      for (const { name } of results) {
        const file = path.join(shotsDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
        const section = page.locator(`section[data-card="${name}"]`);
        if (await section.count()) await section.screenshot({ path: file });
      }
    }
    return { results, failed: results.filter((r) => r.problems.length), canaries };
  } finally {
    await page.close();
  }
}

module.exports = { checkCards, CANARIES, MAX_ACTIONS };
