// Pooled connections never carry a tenant from one request to the next:
// the binding lives in each request's transaction, whatever its outcome.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from './support/database';
import { futureSlot, KEY_A, KEY_B, ORG_A, ORG_B, startServer, tool, type RunningServer } from './support/server';
import { startTwilioStandIn, type TwilioStandIn } from './support/twilio-stand-in';

describe('tenants on pooled connections', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let server: RunningServer;
  let twilio: TwilioStandIn;
  let pool: Pool;

  before(async () => {
    db = await createTestDatabase('pool');
    twilio = await startTwilioStandIn();
    // One connection: every request, of either clinic, reuses it.
    pool = new Pool({ connectionString: db.roleUrl, max: 1 });
    server = await startServer({ db, twilio, pool });
  });

  after(async () => {
    await server?.close();
    await twilio?.close();
    await db?.drop();
  });

  async function sessionState(): Promise<{ pid: number; org: string | null; bound: string | null }> {
    const c = await pool.connect();
    try {
      const r = await c.query(
        `SELECT pg_backend_pid() AS pid, nullif(current_setting('booking.org_id', true), '') AS org,
                booking.current_org_id()::text AS bound`,
      );
      return r.rows[0];
    } finally {
      c.release();
    }
  }

  test('after every kind of request the connection is bound to nobody', async () => {
    const { pid } = await sessionState();
    const asA = { 'x-vapi-secret': KEY_A };
    const asB = { 'x-vapi-secret': KEY_B };
    const held = await server.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'primary', patientPhone: '+15550100700' }, asA);
    assert.equal(held.body.success, true);
    const steps: [string, () => Promise<unknown>][] = [
      ['a success', async () => server.post(tool('hold-status'), { holdId: held.body.holdId }, asA)],
      ['a business refusal', async () => server.post(tool('hold-status'), { holdId: held.body.holdId }, asB)],
      ['a raised 22023', async () => server.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'primary', patientPhone: '+15550100701', durationMinutes: 100_000 }, asA)],
      ['an SMS failure, its code withdrawn', async () => {
        twilio.mode = 'fail';
        try {
          return await server.post(tool('send-otp'), { holdId: held.body.holdId }, asA);
        } finally {
          twilio.mode = 'accept';
        }
      }],
      ['a 403 for missing privileges', async () => server.post(tool('cancel'), { appointmentId: held.body.holdId }, asB)],
      ['a webhook call', async () => server.post('/api/vapi/tool-calls', { message: { type: 'tool-calls', call: { id: 'p' }, toolCallList: [{ id: '1', name: 'hold_status', arguments: { holdId: held.body.holdId } }] } }, asB)],
    ];
    for (const [what, step] of steps) {
      await step();
      const s = await sessionState();
      assert.equal(s.pid, pid, `${what}: the same pooled connection served it`);
      assert.equal(s.org, null, `${what}: booking.org_id is unset afterwards`);
      assert.equal(s.bound, null, `${what}: the extension sees no tenant afterwards`);
    }
  });

  test('alternating clinics on one connection each act in their own organisation', async () => {
    const made = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        server.post(
          tool('reserve-atomic'),
          { slotId: futureSlot(), calendarId: 'shared', patientPhone: '+15550100710', callId: `alt-${i}` },
          { 'x-vapi-secret': i % 2 === 0 ? KEY_A : KEY_B },
        ),
      ),
    );
    const ids = made.map((m) => {
      assert.equal(m.body.success, true, m.text);
      return m.body.holdId as string;
    });
    const rows = await db.admin.query<{ id: string; org_id: string; caller_ref: string }>(
      'SELECT id, org_id, caller_ref FROM booking.reservations WHERE id = ANY($1::uuid[])',
      [ids],
    );
    assert.equal(rows.rows.length, 12);
    for (const r of rows.rows) {
      const i = Number(r.caller_ref.split('-')[1]);
      assert.equal(r.org_id, i % 2 === 0 ? ORG_A : ORG_B, `hold of ${r.caller_ref} is in its key's organisation`);
    }
    const s = await sessionState();
    assert.equal(s.org, null);
  });
});
