#!/usr/bin/env node
// make e2e: Kompis driven through the Microsoft 365 Agents Playground in Debian's Chromium.
//
// Starts Kompis (SQLite in a temporary directory) and the playground pointed at it, launches
// /usr/bin/chromium through playwright-core with every non-loopback request blocked, parses
// every card from tools/dump_cards.py with the `adaptivecards` renderer, then runs the
// scenarios in scenarios/ and saves screenshots to tests/e2e/artifacts/. A scenario may also
// run a command beside Kompis with Kompis' own environment (`python -m scheduler due …`).
// Every process it started is ended, also on failure; the exit code is 0 only if every step
// passed.
//
//   node tools/e2e/run.js [--only 1-personal-help,5-channel-mention] [--skip-cards]
//                         [--card-shots] [--keep]
//
// Environment: E2E_PYTHON (default .venv/bin/python), E2E_CHROMIUM (default /usr/bin/chromium),
// E2E_STEP_TIMEOUT (seconds per expectation, default 20), E2E_TIMEOUT (whole run, default 300).
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const { checkCards } = require('./lib/cardcheck');
const { Chat } = require('./lib/chat');
const procs = require('./lib/processes');
const scenarios = require('./scenarios');

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'tests', 'e2e', 'artifacts');
const CONFIG = path.join(ROOT, 'tests', 'e2e', '.m365agentsplayground.yml');
const PLAYGROUND_CLI = require.resolve('@microsoft/m365agentsplayground/cli.js');
const PYTHON = process.env.E2E_PYTHON || path.join(ROOT, '.venv', 'bin', 'python');
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const STEP_TIMEOUT_MS = Number(process.env.E2E_STEP_TIMEOUT || 20) * 1000;
const RUN_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT || 300) * 1000;
const COMMAND_TIMEOUT_MS = 120_000; // one command a scenario runs (the scheduler's `due`)
const BOT_NAME = 'Kompis'; // bot.name in tests/e2e/.m365agentsplayground.yml
// Chromium here: root needs --no-sandbox; without the background-networking flags it keeps
// trying to reach Google's hosts, which this closed network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-default-apps', '--disable-extensions', '--lang=nb-NO',
];
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

const started = Date.now();
// What cleanup() must undo, whichever way the run ends.
const state = {
  tmp: null, browser: null, playgroundDir: null, keep: false, cleaned: null, aborted: false,
};
function log(line, { always = false } = {}) {
  // After an interrupt, the steps still in flight fail noisily: keep quiet about them.
  if (state.aborted && !always) return;
  console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);
}

function parseArgs(argv) {
  const args = { only: null, skipCards: false, cardShots: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') args.only = new Set((argv[++i] || '').split(','));
    else if (a.startsWith('--only=')) args.only = new Set(a.slice(7).split(','));
    else if (a === '--skip-cards') args.skipCards = true;
    else if (a === '--card-shots') args.cardShots = true;
    else if (a === '--keep') args.keep = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

function cleanArtifacts() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const name of fs.readdirSync(ARTIFACTS)) {
    if (/\.(png|log|json)$/.test(name) || name === 'cards') {
      fs.rmSync(path.join(ARTIFACTS, name), { recursive: true, force: true });
    }
  }
}

function dumpCards() {
  const res = spawnSync(PYTHON, [path.join(ROOT, 'tools', 'dump_cards.py'), '--strict'], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw new Error(`could not run ${PYTHON}: ${res.error.message}`);
  if (res.status !== 0) {
    const tail = res.stderr.trim().split('\n').slice(-8).join('\n');
    throw new Error(`tools/dump_cards.py failed (exit ${res.status}):\n${tail}`);
  }
  return JSON.parse(res.stdout);
}

async function startKompis(tmp) {
  const port = await procs.freePort();
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: `sqlite+aiosqlite:///${path.join(tmp, 'kompis.db')}`,
    SCHEDULER_ENABLED: 'false',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SHUTDOWN_TIMEOUT: '2',
    // Local mode whatever a developer's .env says: no app id, no tenant filter; the one
    // admin is the playground's current user, named by her UPN (tests/e2e/.m365agentsplayground.yml).
    MicrosoftAppId: '', MicrosoftAppPassword: '', ALLOWED_TENANTS: '',
    KOMPIS_ADMINS: 'kari@fosen.example.no',
    PYTHONUNBUFFERED: '1',
  };
  const bot = procs.start('Kompis', PYTHON, ['-m', 'bot'], {
    cwd: ROOT, env, logFile: path.join(ARTIFACTS, 'kompis.log'),
    hint: 'tests/e2e/artifacts/kompis.log',
  });
  await procs.waitHttp(`http://127.0.0.1:${port}/healthz`, bot, 60_000);
  return { proc: bot, port, env };
}

/**
 * What a scenario runs beside Kompis, as an operator would (`python -m scheduler due …`):
 * the same environment as the running Kompis (database, wheel, local mode), output in
 * commands.log, stopped like everything else on failure; gives {code, output}.
 */
function commandRunner(env) {
  const logFile = path.join(ARTIFACTS, 'commands.log');
  return async (args, { timeoutMs = COMMAND_TIMEOUT_MS } = {}) => {
    fs.appendFileSync(logFile, `\n$ python ${args.join(' ')}\n`);
    const lines = [];
    const proc = procs.start(`python ${args.join(' ')}`, PYTHON, args, {
      cwd: ROOT, env, logFile, onLine: (line) => lines.push(line),
    });
    let timer;
    const late = new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs, 'timeout'); });
    const outcome = await Promise.race([proc.closed.then(() => 'done'), late]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      await procs.stop(proc);
      throw new Error(`python ${args.join(' ')} took over ${timeoutMs / 1000} s; see commands.log`);
    }
    const code = await proc.done;
    return { code, output: lines.join('\n') };
  };
}

async function startPlayground(tmp, botPort) {
  const dir = path.join(tmp, 'playground');
  fs.mkdirSync(dir);
  state.playgroundDir = dir; // cleanup() keeps its devTools log, which has the reasons
  fs.copyFileSync(CONFIG, path.join(dir, '.m365agentsplayground.yml'));
  let listening = null;
  let announce;
  const ready = new Promise((resolve) => { announce = resolve; });
  const env = {
    ...process.env,
    TEAMSAPPTESTER_BROWSER: 'none', // do not open a browser of its own
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true', // else it looks for a cloud metadata address
    BOT_ENDPOINT: `http://127.0.0.1:${botPort}/api/messages`,
  };
  const wanted = await procs.freePort();
  const proc = procs.start('Agents Playground', process.execPath,
    [PLAYGROUND_CLI, 'start', '--disable-telemetry', '-p', String(wanted)], {
      cwd: dir, env, logFile: path.join(ARTIFACTS, 'playground.log'),
      hint: 'tests/e2e/artifacts/playground.log and playground-devtools.log',
      onLine: (line) => {
        // A taken port silently becomes a random one: trust only this line.
        const m = /Listening on (\d+)/.exec(line);
        if (m && !listening) { listening = Number(m[1]); announce(); }
      },
    });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(
      'Agents Playground printed no "Listening on N" within 60 s')), 60_000);
  });
  const exited = proc.done.then((code) => {
    if (!listening) {
      throw new Error(`Agents Playground exited (${code}); see playground-devtools.log`);
    }
  });
  try {
    await Promise.race([ready, exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
  await procs.waitHttp(`http://localhost:${listening}/_debug/ping`, proc, 60_000);
  return { proc, port: listening, dir };
}

async function launchBrowser(tmp) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (make e2e does it)`);
  }
  // A fresh profile; Playwright refuses --user-data-dir in args.
  const context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    // Signals are ours: cleanup() closes the browser after the scenario stops using it.
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    viewport: { width: 1400, height: 1100 }, locale: 'nb-NO', timezoneId: 'Europe/Oslo',
  });
  const blocked = new Map();
  const isLoopback = (url) => {
    try {
      const u = new URL(url);
      return !['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol) || LOOPBACK.has(u.hostname);
    } catch { return false; }
  };
  // Offline by construction: the page asks a CDN for fonts and animations; refuse it all.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLoopback(url)) return route.continue();
    const host = new URL(url).host;
    blocked.set(host, (blocked.get(host) || 0) + 1);
    return route.abort('blockedbyclient');
  });
  await context.routeWebSocket(/.*/, (ws) => {
    if (isLoopback(ws.url())) ws.connectToServer();
    else ws.close();
  });
  return { context, blocked };
}

async function runScenario(context, scenario, env) {
  const page = context.pages()[0] || await context.newPage();
  const pageErrors = [];
  const onError = (err) => pageErrors.push(String(err && err.message || err));
  page.on('pageerror', onError);
  const chat = new Chat(page, {
    baseUrl: env.baseUrl, botName: BOT_NAME, artifacts: ARTIFACTS, scenario: scenario.id,
    timeoutMs: STEP_TIMEOUT_MS, log, run: env.run,
  });
  const t0 = Date.now();
  try {
    await chat.load();
    await scenario.run(chat);
    return { id: scenario.id, ok: true, ms: Date.now() - t0, shots: chat.shots, pageErrors };
  } catch (err) {
    let shot = null;
    try { shot = await chat.shot('FAILED'); } catch { /* the page may be gone */ }
    return {
      id: scenario.id, ok: false, ms: Date.now() - t0, shots: chat.shots, pageErrors,
      error: err && err.message ? err.message : String(err), failedShot: shot,
    };
  } finally {
    page.off('pageerror', onError);
  }
}

function firstLines(text, n) {
  const lines = text.split('\n');
  return lines.length > n ? `${lines.slice(0, n).join('\n')}\n    …` : text;
}

/** Close the browser, end Kompis and the playground, keep their logs; once only. */
function cleanup() {
  if (!state.cleaned) {
    state.cleaned = (async () => {
      if (state.browser) await state.browser.context.close().catch(() => {});
      await procs.stopAll();
      if (state.playgroundDir) {
        const devLog = path.join(state.playgroundDir, 'devTools', 'm365agentsplayground.log');
        if (fs.existsSync(devLog)) {
          fs.copyFileSync(devLog, path.join(ARTIFACTS, 'playground-devtools.log'));
        }
      }
      if (state.tmp && state.keep) log(`kept ${state.tmp}`, { always: true });
      else if (state.tmp) fs.rmSync(state.tmp, { recursive: true, force: true });
    })();
  }
  return state.cleaned;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const chosen = scenarios.filter((s) => !args.only || args.only.has(s.id));
  if (args.only && chosen.length !== args.only.size) {
    throw new Error(`unknown scenario in --only; known: ${scenarios.map((s) => s.id).join(', ')}`);
  }
  cleanArtifacts();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kompis-e2e-'));
  Object.assign(state, { tmp, keep: args.keep });
  const summary = { started: new Date().toISOString(), cards: null, scenarios: [] };
  let failures = 0;
  try {
    let samples = [];
    if (!args.skipCards) {
      samples = dumpCards();
      log(`${samples.length} cards from tools/dump_cards.py`);
    }
    const kompis = await startKompis(tmp);
    log(`Kompis on http://127.0.0.1:${kompis.port}/api/messages (SQLite in ${tmp})`);
    const playground = await startPlayground(tmp, kompis.port);
    log(`Agents Playground on http://localhost:${playground.port}`);
    const browser = await launchBrowser(tmp);
    state.browser = browser;
    log(`Chromium ${browser.context.browser() ? browser.context.browser().version() : ''} `
      + `(${CHROMIUM}), headless, non-loopback requests blocked`);
    if (!args.skipCards) {
      const { results, failed, canaries } = await checkCards(browser.context, samples, {
        shotsDir: args.cardShots ? path.join(ARTIFACTS, 'cards') : null,
      });
      summary.cards = { checked: results.length, failed: failed.map((f) => f.name), results,
        canaries };
      for (const f of failed) {
        log(`card ${f.name}: FAILED`);
        for (const p of f.problems) log(`    ${p}`);
      }
      const missed = canaries.filter((c) => !c.caught);
      for (const c of missed) {
        log(`${c.name}: NOT caught, the renderer check is broken (${c.problems.join('; ') || 'no problems'})`);
      }
      log(`adaptivecards: ${results.length} cards parsed and rendered, `
        + `${failed.length} with warnings or errors; ${canaries.length - missed.length}`
        + `/${canaries.length} broken canary cards caught`);
      failures += failed.length + missed.length;
    }

    for (const scenario of chosen) {
      if (state.aborted) break;
      log(`scenario ${scenario.id}: ${scenario.title}`);
      const result = await runScenario(browser.context, scenario,
        { baseUrl: `http://localhost:${playground.port}/`, run: commandRunner(kompis.env) });
      summary.scenarios.push(result);
      if (result.ok) {
        log(`scenario ${scenario.id}: passed in ${(result.ms / 1000).toFixed(1)} s`);
      } else {
        failures += 1;
        log(`scenario ${scenario.id}: FAILED after ${(result.ms / 1000).toFixed(1)} s\n`
          + `    ${firstLines(result.error, 12).replace(/\n/g, '\n    ')}\n`
          + `    see ${result.failedShot || '(no screenshot)'}`
          + ', kompis.log and playground.log in tests/e2e/artifacts/');
      }
      for (const e of result.pageErrors) log(`    page error: ${e}`);
    }
    summary.blocked = Object.fromEntries(browser.blocked);
    if (browser.blocked.size) {
      log(`blocked (offline): ${[...browser.blocked].map(([h, n]) => `${h} ×${n}`).join(', ')}`);
    }
  } catch (err) {
    failures += 1;
    summary.error = err && err.stack ? err.stack : String(err);
    log(`FAILED: ${firstLines(err && err.message ? err.message : String(err), 12)}`);
  } finally {
    await cleanup();
  }
  summary.seconds = (Date.now() - started) / 1000;
  summary.passed = failures === 0;
  fs.writeFileSync(path.join(ARTIFACTS, 'summary.json'), JSON.stringify(summary, null, 1));
  const shots = summary.scenarios.flatMap((s) => s.shots);
  log(`${shots.length} screenshots in tests/e2e/artifacts/`);
  const passed = summary.scenarios.filter((s) => s.ok).length;
  const cards = summary.cards
    ? `, cards ${summary.cards.checked - summary.cards.failed.length}/${summary.cards.checked} clean`
    : '';
  console.log(`e2e ${failures ? 'FAILED' : 'OK'}: scenarios ${passed}/${chosen.length} passed${cards}, `
    + `${summary.seconds.toFixed(1)} s`);
  return failures === 0 ? 0 : 1;
}

// Whatever happens, leave no process behind.
async function abort(reason, code) {
  log(`${reason}: stopping everything`, { always: true });
  state.aborted = true;
  await cleanup();
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => abort(signal, 130));
}
process.on('exit', procs.killAllNow);
const watchdog = setTimeout(() => abort(`the run took over ${RUN_TIMEOUT_MS / 1000} s`, 1),
  RUN_TIMEOUT_MS);

main().then((code) => {
  clearTimeout(watchdog);
  process.exitCode = code;
}, async (err) => {
  clearTimeout(watchdog);
  console.error(err && err.stack ? err.stack : err);
  await cleanup();
  process.exitCode = 1;
});
