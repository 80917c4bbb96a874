// Starts a demo eimza (its own database, CA and port) and headless Chromium
// for one test file; stops both by PID afterwards.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const BIN = process.env.EIMZA_BIN || path.join(ROOT, 'build', 'eimza');
export const ARTIFACTS = path.join(here, 'artifacts');

// EIMZA_TEST_DB=pg: each demo gets its own database on the PostgreSQL server
// at EIMZA_TEST_PG_URL (scripts/pg-cluster.sh), as in the integration tests.
const ON_PG = process.env.EIMZA_TEST_DB === 'pg';
const PG_URL = (process.env.EIMZA_TEST_PG_URL || '').replace(/\/$/, '');
let pgDatabases = 0;

// The --db argument of the demo in `dir`, creating its database on PostgreSQL.
function makeDb(dir) {
  if (!ON_PG) return path.join(dir, 'eimza.db');
  const name = `e2e_${process.pid}_${++pgDatabases}`;
  execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', PG_URL + '/postgres', '-c',
    `CREATE DATABASE ${name}`]);
  return `${PG_URL}/${name}`;
}

// Runs SQL against the demo's database; returns what it printed (one value
// per line, no headers), like the sqlite3 shell does.
export function sql(env, text) {
  if (ON_PG) {
    return execFileSync('psql', ['-q', '-At', '-v', 'ON_ERROR_STOP=1', env.db, '-c', text],
      { encoding: 'utf8' });
  }
  return execFileSync('sqlite3', [env.db, text], { encoding: 'utf8' });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function cli(dir, db, args) {
  return execFileSync(BIN, ['--db', db, '--config',
    path.join(dir, 'eimza.conf'), ...args], { cwd: dir, encoding: 'utf8' });
}

async function waitForPort(port, proc) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error('eimza exited with ' + proc.exitCode);
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('eimza did not start');
}

// The demo identities printed by `init --demo` ("T.C. Kimlik No: ..." lines).
function parseIdentities(out) {
  return [...out.matchAll(/T\.C\. Kimlik No\D*(\d{11})/g)].map((m) => m[1]);
}

export async function startEimza() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eimza-e2e-'));
  writeFileSync(path.join(dir, 'eimza.conf'),
    `[ca]\ndir = ${path.join(dir, 'ca')}\nkey_type = p256\n` +
    `[server]\nsecret_file = ${path.join(dir, 'secret.key')}\n[outbox]\npoll_ms = 100\n`);
  const db = makeDb(dir);
  const initOutput = cli(dir, db, ['init', '--demo']);
  const port = await freePort();
  const proc = spawn(BIN, ['--db', db, '--config',
    path.join(dir, 'eimza.conf'), 'serve', '--dev', '--listen', `127.0.0.1:${port}`],
  { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port, proc);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    dir, db, port, base: `http://127.0.0.1:${port}`, browser, initOutput,
    tckns: parseIdentities(initOutput),
    cli: (args) => cli(dir, db, args),
    async stop() {
      await browser.close();
      if (proc.exitCode === null) {
        process.kill(proc.pid, 'SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
    },
  };
}

// Newest message of the dev outbox matching `pred`, waiting for it briefly.
export async function outboxFind(request, base, pred) {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const res = await request.get(base + '/dev/outbox.json');
    const list = await res.json();
    const hit = list.find(pred);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no matching message in /dev/outbox.json');
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, name + '.png'), fullPage: true });
}
