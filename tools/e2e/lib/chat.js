// What a person does in the Agents Playground, for scenarios: open a chat or channel, type,
// @mention Kompis, press card buttons, wait for Kompis' answer, take screenshots.
//
// The playground has no test ids, and chats and channels are built differently. What holds
// in both (0.2.28): the message box is the Lexical editor; every message from the bot
// starts with its avatar `[role=img][aria-label=<bot name>]`, and the nearest ancestor that
// also holds a paragraph or a card is the whole message; cards are `.ac-adaptiveCard`; a channel thread is a `[role=group]` with
// the post, its replies and a reply box. Before every action the bot's messages already on
// screen are tagged as seen, so `expectCard` and `expectReply` accept only an answer that
// arrived after the action; the element they find is pinned with a unique attribute.
'use strict';

const path = require('node:path');

const EDITOR = '[data-lexical-editor="true"][role="textbox"]';
const CARD = '.ac-adaptiveCard';

class StepError extends Error {}

/** In the page: the bot's messages (outside the chat list and menus), tagged and filtered. */
function scan({ bot, scope, mark, text, card, inPlace, hit }) {
  const root = scope || document.body;
  const messages = [];
  for (const avatar of root.querySelectorAll(`[role="img"][aria-label="${CSS.escape(bot)}"]`)) {
    if (avatar.closest('[role="tree"], [role="menu"], [role="listbox"]')) continue;
    // Up from the avatar to the first element that also holds the message's content.
    let message = avatar.parentElement;
    while (message && message !== root && !message.querySelector('p, .ac-adaptiveCard')) {
      message = message.parentElement;
    }
    if (message && message !== root && root.contains(message)) messages.push(message);
  }
  if (mark) {
    messages.forEach((m) => m.setAttribute('data-e2e-seen', ''));
    return { found: false };
  }
  const texts = messages.map((m) => m.innerText.replace(/\s+/g, ' ').trim());
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!inPlace && m.hasAttribute('data-e2e-seen')) continue;
    const targets = card ? [...m.querySelectorAll('.ac-adaptiveCard')] : [m];
    const wanted = Array.isArray(text) ? text : [text];
    const target = targets.reverse().find((el) => wanted.some((w) => el.innerText.includes(w)));
    if (target) {
      target.setAttribute('data-e2e-hit', hit);
      return { found: true };
    }
  }
  return { found: false, last: texts.slice(-3) };
}

class Chat {
  /**
   * @param page Playwright page showing the playground
   * @param opts {baseUrl, botName, artifacts, scenario (id), timeoutMs, log}
   */
  constructor(page, opts) {
    this.page = page;
    this.baseUrl = opts.baseUrl;
    this.botName = opts.botName;
    this.artifacts = opts.artifacts;
    this.scenario = opts.scenario;
    this.timeoutMs = opts.timeoutMs;
    this.log = opts.log;
    this.runCommand = opts.run;
    this.shots = [];
    this.scope = null; // null: the whole page; a channel post narrows it to its thread
    this.hits = 0;
    page.setDefaultTimeout(this.timeoutMs);
  }

  /** Load the playground afresh (a reload starts every conversation over). */
  async load() {
    await this.page.goto(this.baseUrl, { waitUntil: 'domcontentloaded' });
    await this.page.locator(EDITOR).first().waitFor();
  }

  /**
   * Open a conversation by its name in the left pane: 'Personal Chat', the group chat's
   * name, or 'Team - Channel' as the playground labels channels.
   */
  async open(name) {
    await this.page.getByRole('treeitem', { name, exact: true }).click();
    this.scope = null;
    await this.page.locator(EDITOR).first().waitFor();
  }

  async _scopeHandle() {
    return this.scope ? this.scope.elementHandle() : null;
  }

  async _markSeen() {
    await this.page.evaluate(scan, { bot: this.botName, scope: await this._scopeHandle(), mark: true });
  }

  async _type(box, text) {
    await box.click();
    await box.pressSequentially(text);
  }

  /** Type `text` into the (first) message box and send it. */
  async say(text) {
    await this._markSeen();
    await this._type(this.page.locator(EDITOR).first(), text);
    await this.page.getByRole('button', { name: 'Send Message' }).first().click();
  }

  async _mention(box) {
    await this._type(box, `@${this.botName.slice(0, 3)}`);
    await this.page.getByRole('menuitem', { name: new RegExp(this.botName) }).first().click();
  }

  /** Group chat: "@Kompis text" (the playground then sends `<at>Kompis</at> text`). */
  async mention(text) {
    await this._markSeen();
    const box = this.page.locator(EDITOR).first();
    await this._mention(box);
    await box.pressSequentially(` ${text}`);
    await this.page.getByRole('button', { name: 'Send Message' }).first().click();
  }

  /**
   * Channel: start a new post "@Kompis text". From then on expectations look inside that
   * post's thread only; returns the thread.
   */
  async post(text) {
    await this._markSeen();
    const box = this.page.locator(EDITOR).first();
    await this._mention(box);
    await box.pressSequentially(` ${text}`);
    await this.page.getByRole('button', { name: 'Post', exact: true }).click();
    const shown = `${this.botName} ${text}`;
    this.scope = this.page.getByRole('group')
      .filter({ has: this.page.getByText(shown, { exact: true }) }).first();
    await this.scope.waitFor();
    return this.scope;
  }

  /**
   * Press the button named `name` on `card` (a locator from expectCard). With `{within:
   * text}` the button is the one in the innermost part of the card (a Container) that
   * also shows `text`, for cards with one «Endre» per row.
   */
  async press(card, name, { within } = {}) {
    await this._markSeen();
    const button = { name, exact: true };
    let scope = card;
    if (within) {
      scope = card.locator('.ac-container')
        .filter({ hasText: within }).filter({ has: this.page.getByRole('button', button) })
        .last();
    }
    await scope.getByRole('button', button).click();
  }

  /** The field labelled `label` on `card`, and what kind it is (text, choice, date, toggle). */
  async _field(card, label) {
    const name = { name: label, exact: true };
    // A choice in an expanded multi-select: the renderer (adaptivecards 3) labels each box
    // with the set's label and every box before it, so its own title ends the name.
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const choice = { name: new RegExp(`(^|\\s)${escaped}$`) };
    const field = card.getByRole('textbox', name).or(card.getByRole('combobox', name))
      .or(card.getByRole('checkbox', name)).or(card.getByRole('switch', name))
      .or(card.getByRole('checkbox', choice));
    try {
      await field.waitFor();
    } catch {
      throw new StepError(`no field «${label}» on the card`);
    }
    const { kind, id } = await field.evaluate((el) => {
      const role = el.getAttribute('role');
      let k = 'text';
      if (el.type === 'checkbox' || role === 'checkbox' || role === 'switch') k = 'toggle';
      else if (role === 'combobox') k = el.getAttribute('aria-haspopup') === 'dialog' ? 'date' : 'choice';
      return { kind: k, id: el.id };
    });
    // Pinned by its id from here on: while a popup (date picker, choice list) is open, the
    // rest of the page can be hidden from the accessibility tree, and a role lookup waits.
    return { field: id ? this.page.locator(`[id="${id}"]`) : field, kind, id };
  }

  async _closed(id) {
    await this.page.waitForFunction(
      (fieldId) => document.getElementById(fieldId)?.getAttribute('aria-expanded') !== 'true', id);
  }

  /**
   * Fill a form as a person does, each field found by its label (accessible name):
   * `{label: text}` types into a text field, picks the option with that title in a choice
   * set, or types an ISO date (2027-01-04) into a date picker; `{label: true|false}` sets a
   * toggle. Each field is read back afterwards; a field that does not show what was
   * entered fails the step.
   */
  async fill(card, fields) {
    for (const [label, value] of Object.entries(fields)) {
      const { field, kind, id } = await this._field(card, label);
      let shown;
      let wanted = value;
      if (kind === 'toggle') {
        await field.setChecked(Boolean(value));
        shown = await field.isChecked();
      } else if (kind === 'choice') {
        await field.click();
        // The list opens in a popup outside the card.
        await this.page.getByRole('option', { name: value, exact: true }).click();
        if (id) await this._closed(id);
        shown = await field.inputValue();
      } else if (kind === 'date') {
        // Typed as an ISO date; the picker shows it as «4. januar 2027» (nb-NO).
        await field.fill(value);
        await field.press('Enter');
        await field.press('Escape'); // the calendar stays open otherwise, over other fields
        if (id) await this._closed(id);
        wanted = new Intl.DateTimeFormat('nb-NO', { day: 'numeric', month: 'long', year: 'numeric',
          timeZone: 'UTC' }).format(new Date(`${value}T00:00:00Z`));
        shown = await field.inputValue();
      } else {
        await field.fill(value);
        shown = await field.inputValue();
      }
      if (shown !== wanted) {
        throw new StepError(`field «${label}» shows ${JSON.stringify(shown)} after entering `
          + `${JSON.stringify(value)}`);
      }
    }
  }

  /** What the field labelled `label` on `card` holds now (text, choice title, date, toggle). */
  async value(card, label) {
    const { field, kind } = await this._field(card, label);
    return kind === 'toggle' ? field.isChecked() : field.inputValue();
  }

  /** The text of `card` (a locator from expectCard) as a person reads it, spaces squeezed. */
  async text(card) {
    return (await card.innerText()).replace(/\s+/g, ' ').trim();
  }

  /**
   * Run `python <args>` beside Kompis with its environment (same database and wheel), as
   * an operator would; gives {code, output}. Bot messages on screen count as seen from now.
   */
  async run(args) {
    await this._markSeen();
    this.log(`    $ python ${args.join(' ')}`);
    return this.runCommand(args);
  }

  /**
   * A card from Kompis that arrived after the last action and contains `text`. With
   * `{inPlace: true}` cards already on screen count too (an Action.Execute answer replaces
   * the pressed card). `text` may be a list: a card with any of them.
   */
  async expectCard(text, { inPlace = false } = {}) {
    const what = Array.isArray(text) ? text.join('» or «') : text;
    return this._expect(`a card with «${what}»`, { text, card: true, inPlace });
  }

  /** A message (text or card) from Kompis that arrived after the last action. */
  async expectReply(text) {
    return this._expect(`a reply with «${text}»`, { text, card: false, inPlace: false });
  }

  /**
   * The short answer to an Action.Execute press that Kompis shows on the pressed card
   * itself (an invoke answer of type message: Teams and the playground show it as a note
   * under the card, not as a new message).
   */
  async expectNotice(text) {
    const note = this.page.getByText(text, { exact: false }).last();
    try {
      await note.waitFor({ state: 'visible', timeout: this.timeoutMs });
    } catch {
      throw new StepError(`expected the note «${text}» on the pressed card within `
        + `${this.timeoutMs / 1000} s`);
    }
    await note.scrollIntoViewIfNeeded();
    return note;
  }

  async _expect(what, query) {
    this.hits += 1;
    const hit = `${this.scenario}-${this.hits}`;
    const args = { ...query, bot: this.botName, scope: await this._scopeHandle(), hit };
    const until = Date.now() + this.timeoutMs;
    let result;
    for (;;) {
      result = await this.page.evaluate(scan, args);
      if (result.found || Date.now() > until) break;
      await this.page.waitForTimeout(100);
    }
    if (!result.found) {
      const last = (result.last || []).map((t) => `  | ${t.slice(0, 200)}`);
      throw new StepError(`expected ${what} within ${this.timeoutMs / 1000} s; last messages `
        + `from ${this.botName} there:\n${last.join('\n') || '  | (none)'}`);
    }
    const found = this.page.locator(`[data-e2e-hit="${hit}"]`);
    await found.scrollIntoViewIfNeeded();
    return found;
  }

  /** Screenshot of what the person sees: `<scenario>-<NN>-<step>.png` in artifacts. */
  async shot(step) {
    const file = `${this.scenario}-${String(this.shots.length + 1).padStart(2, '0')}-${step}.png`;
    await this.page.screenshot({ path: path.join(this.artifacts, file) });
    this.shots.push(file);
    this.log(`    screenshot ${file}`);
    return file;
  }
}

/** A scenario's own expectation: fails the step with `message` unless `condition` holds. */
function check(condition, message) {
  if (!condition) throw new StepError(message);
}

module.exports = { Chat, StepError, check, selectors: { EDITOR, CARD } };
