// An organisation's rules reach the agent as answers it can act on (200, the
// code, ESCALATE_TO_HUMAN, a message saying what comes next): the contact cap
// on reserve_slot and the SMS cost guard on send_otp, with several holds of
// one phone. (The horizon and the change notice: appointments.test.ts.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/database';
import { futureSlot, ORG_A, startServer, tool, type RunningServer } from './support/server';

describe("an organisation's rules", { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let server: RunningServer;

  before(async () => {
    db = await createTestDatabase('rules');
    server = await startServer({ db });
    await db.admin.query('SELECT booking.set_org_policy($1, max_active_per_contact => 2, otp_sends_per_phone_hour => 1)', [ORG_A]);
  });

  after(async () => {
    await server?.close();
    await db?.drop();
  });

  test('a third hold for one phone escalates; a second code to it within the hour escalates', async () => {
    const phone = '+15550100901';
    const holds: string[] = [];
    for (const callId of ['call-1', 'call-2']) {
      const r = await server.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'primary', patientPhone: phone, callId });
      assert.equal(r.body.success, true, r.text);
      holds.push(r.body.holdId);
    }
    const capped = await server.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'primary', patientPhone: '+1 555 010 0901', callId: 'call-3' });
    assert.equal(capped.status, 200, capped.text);
    assert.equal(capped.body.error, 'contact_limit_reached', capped.text);
    assert.equal(capped.body.action, 'ESCALATE_TO_HUMAN');
    assert.match(capped.body.message, /person|staff/);
    const live = await db.admin.query("SELECT count(*)::int AS n FROM booking.reservations WHERE org_id = $1 AND status = 'held'", [ORG_A]);
    assert.equal(live.rows[0].n, 2);

    const first = await server.post(tool('send-otp'), { holdId: holds[0] });
    assert.equal(first.body.success, true, first.text);
    const second = await server.post(tool('send-otp'), { holdId: holds[1] });
    assert.equal(second.status, 200, second.text);
    assert.equal(second.body.error, 'otp_phone_limit', second.text);
    assert.equal(second.body.action, 'ESCALATE_TO_HUMAN');
    assert.ok(second.body.retryAfterMs > 0, second.text);
    assert.equal(second.body.code, undefined);
    const sends = await db.admin.query('SELECT otp_sends FROM booking.reservations WHERE id = $1', [holds[1]]);
    assert.equal(sends.rows[0].otp_sends, 0);
    const audited = await db.admin.query(
      "SELECT details->>'rule' AS rule FROM booking.audit_log WHERE org_id = $1 AND action = 'refused' ORDER BY id", [ORG_A]);
    assert.deepEqual(audited.rows.map((r) => r.rule), ['max_active_per_contact', 'otp_sends_per_phone_hour']);
  });
});
