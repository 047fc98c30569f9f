// The key decides the tenant: 401 without a valid key, 403 for a body that
// names another organisation, neither touching the database; and a key
// sees only its own organisation's holds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from './support/database';
import { futureSlot, KEY_A, KEY_B, ORG_A, ORG_B, startServer, tool, type RunningServer } from './support/server';

// A real pool that counts every use, so a test can prove a refusal never
// reached the database.
class CountingPool extends Pool {
  uses = 0;
  override connect(...args: any[]): any {
    this.uses += 1;
    return (super.connect as (...a: any[]) => any)(...args);
  }
  override query(...args: any[]): any {
    this.uses += 1;
    return (super.query as (...a: any[]) => any)(...args);
  }
}

describe('keys and tenants', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let server: RunningServer;
  let pool: CountingPool;

  before(async () => {
    db = await createTestDatabase('auth');
    pool = new CountingPool({ connectionString: db.roleUrl, max: 4 });
    server = await startServer({ db, pool });
  });

  after(async () => {
    await server?.close();
    await db?.drop();
  });

  const refusals: [string, Record<string, string>, unknown, number, string][] = [
    ['no key', {}, { holdId: '00000000-0000-4000-8000-000000000000' }, 401, 'unauthorized'],
    ['a wrong x-vapi-secret', { 'x-vapi-secret': 'not-a-key' }, { holdId: '00000000-0000-4000-8000-000000000000' }, 401, 'unauthorized'],
    ['a wrong Bearer', { authorization: 'Bearer nope' }, { holdId: '00000000-0000-4000-8000-000000000000' }, 401, 'unauthorized'],
    ['a key with a suffix', { 'x-vapi-secret': `${KEY_A}x` }, { holdId: '00000000-0000-4000-8000-000000000000' }, 401, 'unauthorized'],
    ['Basic instead of Bearer', { authorization: `Basic ${KEY_A}` }, { holdId: '00000000-0000-4000-8000-000000000000' }, 401, 'unauthorized'],
    ['another tenant in the body', { 'x-vapi-secret': KEY_A }, { tenantId: ORG_B, holdId: '00000000-0000-4000-8000-000000000000' }, 403, 'forbidden'],
  ];

  for (const [what, headers, body, status, error] of refusals) {
    test(`${what} answers ${status} without touching the database`, async () => {
      const before = pool.uses;
      const res = await server.post(tool('hold-status'), body, headers);
      assert.equal(res.status, status);
      assert.equal(res.body.success, false);
      assert.equal(res.body.error, error);
      assert.equal(pool.uses, before, 'no connection was taken from the pool');
      if (status === 401) assert.match(res.headers.get('www-authenticate') ?? '', /Bearer/);
    });
  }

  test('a 401 on the webhook touches nothing either', async () => {
    const before = pool.uses;
    const res = await server.post('/api/vapi/tool-calls', { message: { type: 'tool-calls', toolCallList: [] } }, {});
    assert.equal(res.status, 401);
    assert.equal(pool.uses, before);
  });

  test('x-vapi-secret and Bearer both work, and tenantId may be given in any case', async () => {
    const viaSecret = await server.post(tool('hold-status'), { holdId: '00000000-0000-4000-8000-000000000000' }, { 'x-vapi-secret': KEY_A });
    assert.equal(viaSecret.status, 200);
    assert.equal(viaSecret.body.error, 'hold_not_found');
    const viaBearer = await server.post(
      tool('hold-status'),
      { tenantId: ORG_A.toUpperCase(), holdId: '00000000-0000-4000-8000-000000000000' },
      { authorization: `Bearer ${KEY_A}` },
    );
    assert.equal(viaBearer.status, 200);
  });

  test('one clinic\'s key cannot see or release another clinic\'s hold', async () => {
    const slot = futureSlot();
    const held = await server.post(tool('reserve-atomic'), { slotId: slot, calendarId: 'primary', patientPhone: '+15550100300' }, { 'x-vapi-secret': KEY_A });
    assert.equal(held.body.success, true);
    const asB = { 'x-vapi-secret': KEY_B };
    const seen = await server.post(tool('hold-status'), { holdId: held.body.holdId }, asB);
    assert.equal(seen.body.error, 'hold_not_found');
    const released = await server.post(tool('release'), { holdId: held.body.holdId }, asB);
    assert.equal(released.body.error, 'hold_not_found');
    const sent = await server.post(tool('send-otp'), { holdId: held.body.holdId }, asB);
    assert.equal(sent.body.error, 'hold_not_found');
    const row = await db.admin.query('SELECT status, org_id FROM booking.reservations WHERE id = $1', [held.body.holdId]);
    assert.equal(row.rows[0].status, 'held');
    assert.equal(row.rows[0].org_id, ORG_A);
    // Tenants never conflict: B holds the same calendar and time in its own organisation.
    const bHolds = await server.post(tool('reserve-atomic'), { slotId: slot, calendarId: 'primary', patientPhone: '+15550100301' }, asB);
    assert.equal(bHolds.body.success, true);
    const bRow = await db.admin.query('SELECT org_id FROM booking.reservations WHERE id = $1', [bHolds.body.holdId]);
    assert.equal(bRow.rows[0].org_id, ORG_B);
  });

  test('health and metrics need no key', async () => {
    assert.equal((await server.get('/healthz')).status, 200);
    assert.equal((await server.get('/metrics')).status, 200);
  });
});
