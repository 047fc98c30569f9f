// join_waitlist for the agent, and the documented consumer that texts an
// offer: a cancellation hands the freed slot to the first in line as a hold,
// in its own transaction, and the event waitlist_offered tells the consumer
// whom to text (README, "Texting waitlist offers").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/database';
import { ORG_A, startServer, tool, type RunningServer } from './support/server';

describe('the waitlist', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let server: RunningServer;

  before(async () => {
    db = await createTestDatabase('waitlist');
    server = await startServer({ db });
  });

  after(async () => {
    await server?.close();
    await db?.drop();
  });

  test('the agent puts a caller on the list; a cancellation offers them the slot, and the consumer texts it', async () => {
    await db.admin.query("SELECT booking.create_event_consumer($1, 'waitlist-sms')", [ORG_A]);
    const booked = await db.admin.query(
      "SELECT booking.book($1, 'dr-wait', '2031-02-04 09:00Z', '30 minutes')->>'appointment_id' AS id", [ORG_A]);

    const window = { calendarId: 'dr-wait', from: '2031-02-04T09:00:00Z', until: '2031-02-04T09:30:00Z', patientPhone: '+15550100777', patientName: 'Wendy' };
    const joined = await server.post(tool('join-waitlist'), { ...window, callId: 'call-w1' });
    assert.equal(joined.status, 200, joined.text);
    assert.equal(joined.body.success, true, joined.text);
    assert.equal(joined.body.position, 1);
    assert.match(joined.body.waitlistId, /^[0-9a-f-]{36}$/);
    // Vapi retries a tool call: the same call joins once.
    const again = await server.post(tool('join-waitlist'), { ...window, callId: 'call-w1' });
    assert.equal(again.body.waitlistId, joined.body.waitlistId, again.text);
    assert.equal(again.body.existing, true);
    // Another caller is second in line.
    const second = await server.post(tool('join-waitlist'), { ...window, patientPhone: '+15550100778', callId: 'call-w2' });
    assert.equal(second.body.position, 2, second.text);

    // A window that ends before it starts is the caller's mistake: 400.
    const bad = await server.post(tool('join-waitlist'), { ...window, from: window.until, until: window.from, callId: 'call-w3' });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.sqlstate, '22023');

    // The cancel makes the offer, in its transaction: the freed slot, held
    // for the first in line; the second waits on.
    await db.admin.query("SELECT booking.cancel_appointment($1, $2)", [ORG_A, booked.rows[0].id]);
    const status = await db.admin.query('SELECT booking.waitlist_status($1, $2) AS s', [ORG_A, joined.body.waitlistId]);
    assert.equal(status.rows[0].s.status, 'offered');
    const waiting = await db.admin.query('SELECT booking.waitlist_status($1, $2) AS s', [ORG_A, second.body.waitlistId]);
    assert.equal(waiting.rows[0].s.status, 'waiting');
    assert.equal(waiting.rows[0].s.position, 2);

    // The consumer: read, text each offer, acknowledge.
    const texts: { to: string; body: string }[] = [];
    const read = await db.admin.query("SELECT booking.read_events($1, 'waitlist-sms') AS r", [ORG_A]);
    for (const e of read.rows[0].r.events) {
      if (e.event !== 'waitlist_offered') continue;
      const hold = await db.admin.query('SELECT booking.hold_status($1, $2) AS h', [ORG_A, e.hold_id]);
      const phone = await db.admin.query('SELECT patient_phone FROM booking.holds WHERE org_id = $1 AND id = $2', [ORG_A, e.hold_id]);
      texts.push({ to: phone.rows[0].patient_phone, body: `A slot opened at ${e.starts_at}; held for you until ${hold.rows[0].h.expires_at}.` });
    }
    await db.admin.query("SELECT booking.ack_events($1, 'waitlist-sms', $2)", [ORG_A, read.rows[0].r.last_position]);
    assert.equal(texts.length, 1);
    const [offer] = texts;
    assert.equal(offer?.to, '+15550100777');
    assert.match(offer?.body ?? '', /2031-02-04T09:00:00/);
  });
});
