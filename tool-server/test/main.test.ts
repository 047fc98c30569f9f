// The process as `npm start` runs it: configuration from the environment,
// refusal of a privileged database role, serving, and a clean SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Pool } from 'pg';
import { checkRole } from '../src/db/startup-check';
import { clusterUrl, createTestDatabase, type TestDatabase } from './support/database';
import { KEY_A, ORG_A } from './support/server';

const MAIN = join(__dirname, '..', 'src', 'main.js');
const PACKAGE_DIR = join(__dirname, '..', '..');

interface Run {
  code: number | null;
  out: string;
}

function run(
  env: Record<string, string>,
  until?: RegExp,
  command: string[] = [process.execPath, MAIN],
): { done: Promise<Run>; stdout: () => string; kill: () => void; ready: Promise<string> } {
  const [file = process.execPath, ...args] = command;
  const child = spawn(file, args, { cwd: PACKAGE_DIR, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let resolveReady: (s: string) => void = () => {};
  const ready = new Promise<string>((r) => (resolveReady = r));
  const onData = (d: Buffer) => {
    out += d.toString();
    const m = until ? until.exec(out) : null;
    if (m) resolveReady(m[1] ?? m[0]);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const done = new Promise<Run>((resolve) => child.on('exit', (code) => resolve({ code, out })));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  done.finally(() => clearTimeout(timer));
  return { done, stdout: () => out, kill: () => child.kill('SIGTERM'), ready };
}

describe('the server process', { timeout: 60_000 }, () => {
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase('main');
  });

  after(async () => {
    await db?.drop();
  });

  test('starts from the environment, serves, and stops cleanly on SIGTERM', async () => {
    const p = run(
      { DATABASE_URL: db.roleUrl, PORT: '0', HOST: '127.0.0.1', TOOL_SERVER_KEYS: `${ORG_A}=${KEY_A}`, SMS_PROVIDER: 'log' },
      /Server listening at (http:\/\/127\.0\.0\.1:\d+)/,
    );
    const url = await Promise.race([p.ready, p.done.then((r) => Promise.reject(new Error(`exited: ${r.out}`)))]);
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    const unauth = await fetch(`${url}/api/vapi/tools/booking/hold-status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(unauth.status, 401);
    p.kill();
    const r = await p.done;
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /staff profile/, 'it reports that cancel and reschedule are not available');
    assert.ok(!r.out.includes(KEY_A), 'the key is not printed');
  });

  test('npm start passes SIGTERM on to the server', async () => {
    // --ignore-scripts skips prestart's tsc (the suite built already, and the
    // test user may not write the tree); what is tested is start's exec.
    const p = run(
      {
        DATABASE_URL: db.roleUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        TOOL_SERVER_KEYS: `${ORG_A}=${KEY_A}`,
        SMS_PROVIDER: 'log',
        npm_config_cache: join(tmpdir(), `npm-cache-${process.pid}`),
        npm_config_update_notifier: 'false',
      },
      /Server listening at (http:\/\/127\.0\.0\.1:\d+)/,
      ['npm', 'start', '--silent', '--ignore-scripts'],
    );
    const url = await Promise.race([p.ready, p.done.then((r) => Promise.reject(new Error(`exited: ${r.out}`)))]);
    // The server's own pid, from its log lines: if npm failed to pass the
    // signal on, the orphan is ended here rather than holding the suite open.
    const serverPid = Number(/"pid":(\d+)/.exec(p.stdout())?.[1]);
    try {
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      p.kill();
      const r = await p.done;
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.match(r.out, /"signal":"SIGTERM".*stopping/, 'the server itself got the signal');
      await assert.rejects(fetch(`${url}/healthz`), 'nothing listens any more');
    } finally {
      try {
        process.kill(serverPid, 'SIGKILL');
      } catch {
        // Gone, as it should be.
      }
    }
  });

  test('a missing or malformed setting stops it at once, naming the variable', async () => {
    const r = await run({ TOOL_SERVER_KEYS: 'not-a-uuid=abc', SMS_PROVIDER: 'carrier-pigeon', PORT: 'eighty' }).done;
    assert.equal(r.code, 2);
    for (const name of ['DATABASE_URL', 'TOOL_SERVER_KEYS', 'SMS_PROVIDER', 'PORT']) assert.match(r.out, new RegExp(name));
    const twilio = await run({ DATABASE_URL: db.roleUrl, TOOL_SERVER_KEYS: `${ORG_A}=${KEY_A}`, SMS_PROVIDER: 'twilio' }).done;
    assert.equal(twilio.code, 2);
    for (const name of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM']) assert.match(twilio.out, new RegExp(name));
  });

  test('the start-up check names a role that may issue codes but not take them back', async () => {
    const check = async (): Promise<string[]> => {
      const pool = new Pool({ connectionString: db.roleUrl, max: 1 });
      try {
        return (await checkRole(pool)).warnings;
      } finally {
        await pool.end();
      }
    };
    assert.deepEqual(await check(), [], 'the agent and sms_sender profiles are all send-otp needs');
    await db.admin.query(`REVOKE EXECUTE ON FUNCTION booking.withdraw_otp FROM ${db.role}`);
    try {
      const warnings = await check();
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0]!, /cannot execute booking\.withdraw_otp: SELECT booking\.grant_access\('[^']+', 'sms_sender'\)/);
    } finally {
      await db.admin.query(`GRANT EXECUTE ON FUNCTION booking.withdraw_otp TO ${db.role}`);
    }
  });

  test('a superuser DATABASE_URL is refused', async () => {
    const su = new URL(db.roleUrl);
    su.username = clusterUrl().username || 'postgres';
    const r = await run({ DATABASE_URL: su.toString(), PORT: '0', HOST: '127.0.0.1', TOOL_SERVER_KEYS: `${ORG_A}=${KEY_A}`, SMS_PROVIDER: 'log' }).done;
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /superuser/);
  });
});
