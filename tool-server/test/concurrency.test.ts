// Twenty callers ask for one slot at the same moment, over HTTP against
// the real server: one hold, nineteen slot_unavailable with alternatives,
// no 5xx, and the database agrees.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/database';
import { futureSlot, ORG_A, startServer, tool, type RunningServer } from './support/server';

describe('concurrent claims of one slot', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let server: RunningServer;

  before(async () => {
    db = await createTestDatabase('race');
    server = await startServer({ db });
  });

  after(async () => {
    await server?.close();
    await db?.drop();
  });

  test('20 concurrent reserve-atomic: exactly one hold, 19 slot_unavailable', async () => {
    const slot = futureSlot();
    // Fill the pool first, so the twenty do not also race to connect.
    await Promise.all(Array.from({ length: 10 }, () => server.get('/healthz')));
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        server.post(tool('reserve-atomic'), {
          tenantId: ORG_A,
          slotId: slot,
          calendarId: 'dr-race',
          durationMinutes: 30,
          patientPhone: `+1555010${(500 + i).toString()}`,
          callId: `race-call-${i}`,
        }),
      ),
    );
    assert.deepEqual(answers.map((a) => a.status), Array(20).fill(200), 'every answer is a 200');
    const winners = answers.filter((a) => a.body.success === true);
    const losers = answers.filter((a) => a.body.success === false);
    assert.equal(winners.length, 1, 'exactly one caller holds the slot');
    assert.equal(losers.length, 19);
    for (const l of losers) {
      assert.equal(l.body.error, 'slot_unavailable', l.text);
      assert.equal(l.body.action, 'OFFER_ALTERNATIVES');
      assert.ok(l.body.alternatives.length > 0, 'alternatives are offered');
      for (const alt of l.body.alternatives) {
        const s = Date.parse(alt.startsAt);
        const e = Date.parse(alt.endsAt);
        assert.ok(e <= Date.parse(slot) || s >= Date.parse(slot) + 30 * 60_000, 'an alternative does not overlap the held slot');
      }
    }
    const rows = await db.admin.query(
      "SELECT id, status, caller_ref FROM booking.reservations WHERE org_id = $1 AND calendar_id = 'dr-race'",
      [ORG_A],
    );
    assert.equal(rows.rows.length, 1, 'the losers left no rows');
    assert.equal(rows.rows[0].id, winners[0]!.body.holdId);
    assert.equal(rows.rows[0].status, 'held');
  });
});
