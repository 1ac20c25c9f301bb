// Child processes for `make e2e`: started in their own process group, logged to a file,
// and always ended (SIGTERM to the whole group, SIGKILL after a grace period), also when a
// step fails or the run is interrupted.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');

const running = new Set();

/** A TCP port that was free a moment ago on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start `command args` detached (own process group) with stdout+stderr appended to `logFile`.
 * `onLine` sees every output line (to read "Listening on N").
 */
function start(name, command, args, { cwd, env, logFile, onLine, hint } = {}) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, {
    cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = { name, child, logFile, hint: hint || logFile, exited: false, code: null };
  let pending = '';
  const feed = (chunk) => {
    fs.writeSync(log, chunk);
    if (!onLine) return;
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) onLine(line);
  };
  child.stdout.on('data', feed);
  child.stderr.on('data', feed);
  // The last line may lack its newline: hand it over once both streams have ended.
  let open = 2;
  const ended = () => {
    open -= 1;
    if (open === 0 && onLine && pending) { onLine(pending); pending = ''; }
  };
  child.stdout.on('end', ended);
  child.stderr.on('end', ended);
  // 'close': the process has exited and its output is read to the end.
  proc.closed = new Promise((resolve) => { child.on('close', resolve); child.on('error', resolve); });
  proc.done = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      proc.exited = true;
      proc.code = code ?? signal;
      running.delete(proc);
      resolve(proc.code);
    });
    child.on('error', (err) => {
      fs.writeSync(log, `\n[e2e] could not start ${command}: ${err.message}\n`);
      proc.exited = true;
      proc.code = err.code;
      running.delete(proc);
      resolve(err.code);
    });
  });
  // Output can still arrive after 'exit': the log is closed only when the pipes are.
  proc.closed.then(() => fs.closeSync(log));
  running.add(proc);
  return proc;
}

function signalGroup(proc, signal) {
  if (proc.exited || !proc.child.pid) return;
  try {
    process.kill(-proc.child.pid, signal);
  } catch {
    try { proc.child.kill(signal); } catch { /* already gone */ }
  }
}

/** End one process group: SIGTERM, then SIGKILL after `graceMs`. */
async function stop(proc, graceMs = 5000) {
  if (proc.exited) return proc.code;
  signalGroup(proc, 'SIGTERM');
  let timer;
  const grace = new Promise((resolve) => { timer = setTimeout(resolve, graceMs, 'timeout'); });
  const outcome = await Promise.race([proc.done, grace]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    signalGroup(proc, 'SIGKILL');
    await proc.done;
  }
  return proc.code;
}

/** End every process this run started (newest first). */
async function stopAll() {
  for (const proc of [...running].reverse()) await stop(proc);
}

/** Last resort when node itself is leaving: SIGKILL whatever is left, synchronously. */
function killAllNow() {
  for (const proc of running) signalGroup(proc, 'SIGKILL');
}

function get(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Poll `url` until it answers 200; fail early if `proc` exits. */
async function waitHttp(url, proc, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.exited) {
      throw new Error(`${proc.name} exited (${proc.code}) before ${url} answered; see ${proc.hint}`);
    }
    if ((await get(url)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s; see ${proc.hint}`);
}

module.exports = { freePort, start, stop, stopAll, killAllNow, waitHttp };
