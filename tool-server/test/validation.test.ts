// Bad input answers 400 {success:false, error:"invalid_request", message}
// naming the field, whether fastify's schema or the extension caught it;
// never a 5xx, and nothing changes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/database';
import { futureSlot, KEY_A, startServer, tool, type RunningServer } from './support/server';

const HOLD = '00000000-0000-4000-8000-000000000000';

describe('bad input', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let server: RunningServer;

  before(async () => {
    db = await createTestDatabase('input');
    server = await startServer({ db });
  });

  after(async () => {
    await server?.close();
    await db?.drop();
  });

  const reserve = (over: Record<string, unknown>) => ({ slotId: futureSlot(), calendarId: 'primary', patientPhone: '+15550100400', ...over });
  const drop = (key: string) => {
    const b = reserve({});
    delete (b as Record<string, unknown>)[key];
    return b;
  };

  // [what, endpoint, body, the field the message must name]
  const cases: [string, string, () => unknown, RegExp][] = [
    ['a missing slotId', 'reserve-atomic', () => drop('slotId'), /slotId/],
    ['a missing calendarId', 'reserve-atomic', () => drop('calendarId'), /calendarId/],
    ['a missing patientPhone', 'reserve-atomic', () => drop('patientPhone'), /patientPhone/],
    ['a missing holdId', 'send-otp', () => ({}), /holdId/],
    ['a missing providedOTP', 'verify-otp', () => ({ holdId: HOLD }), /providedOTP/],
    ['a missing until', 'check-availability', () => ({ calendarId: 'primary', from: futureSlot(), durationMinutes: 30 }), /until/],
    ['a missing appointmentId', 'cancel', () => ({}), /appointmentId/],
    ['a missing newSlotId', 'reschedule', () => ({ appointmentId: HOLD }), /newSlotId/],
    ['a time in words', 'reserve-atomic', () => reserve({ slotId: 'tomorrow at 3pm' }), /slotId/],
    ['a time without an offset', 'reserve-atomic', () => reserve({ slotId: '2031-01-07T10:00:00' }), /slotId/],
    ['a day that does not exist', 'reserve-atomic', () => reserve({ slotId: '2031-02-30T10:00:00Z' }), /slotId/],
    ['an unparseable from', 'check-availability', () => ({ calendarId: 'primary', from: '10am', until: futureSlot(), durationMinutes: 30 }), /from/],
    ['an unparseable newSlotId', 'reschedule', () => ({ appointmentId: HOLD, newSlotId: 'soon' }), /newSlotId/],
    ['a malformed holdId', 'hold-status', () => ({ holdId: 'abc' }), /holdId/],
    ['a urn: holdId', 'release', () => ({ holdId: `urn:uuid:${HOLD}` }), /holdId/],
    ['a malformed tenantId', 'hold-status', () => ({ tenantId: 'clinic-1', holdId: HOLD }), /tenantId/],
    ['a malformed contactId', 'verify-otp', () => ({ holdId: HOLD, providedOTP: '1234', contactId: '42' }), /contactId/],
    ['durationMinutes in words', 'reserve-atomic', () => reserve({ durationMinutes: 'thirty' }), /durationMinutes/],
    ['durationMinutes zero', 'reserve-atomic', () => reserve({ durationMinutes: 0 }), /durationMinutes/],
    ['durationMinutes fractional', 'reserve-atomic', () => reserve({ durationMinutes: 1.5 }), /durationMinutes/],
    ['a phone that is not one', 'reserve-atomic', () => reserve({ patientPhone: 'call me maybe' }), /patientPhone/],
    ['an empty calendarId', 'reserve-atomic', () => reserve({ calendarId: '' }), /calendarId/],
    ['erasePii not a boolean', 'cancel', () => ({ appointmentId: HOLD, erasePii: 'please' }), /erasePii/],
    ['a body that is an array', 'hold-status', () => [HOLD], /body/],
    ['maxResults over 100 (a reply Retell reads whole)', 'check-availability', () => ({ calendarId: 'primary', from: futureSlot(), until: futureSlot(), durationMinutes: 30, maxResults: 5000 }), /maxResults/],
    // Caught by the extension (SQLSTATE 22xxx), not the schema:
    ['a duration over booking.max_duration (22023)', 'reserve-atomic', () => reserve({ durationMinutes: 100_000 }), /duration/],
    ['a start before 1970 (22008)', 'reserve-atomic', () => reserve({ slotId: '1960-01-07T10:00:00Z' }), /starts_at/],
  ];

  for (const [what, endpoint, body, names] of cases) {
    test(`${endpoint}: ${what} is a 400 naming the field`, async () => {
      const res = await server.post(tool(endpoint), body());
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.success, false);
      assert.equal(res.body.error, 'invalid_request');
      assert.match(res.body.message, names);
    });
  }

  test('malformed JSON is a 400', async () => {
    const res = await server.postRaw(tool('reserve-atomic'), '{"slotId": "2031-01-07T10:00:00Z",', {
      'content-type': 'application/json',
      'x-vapi-secret': KEY_A,
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_request');
    assert.match(res.body.message, /JSON/);
  });

  test('an empty JSON body is a 400', async () => {
    const res = await server.postRaw(tool('send-otp'), '', { 'content-type': 'application/json', 'x-vapi-secret': KEY_A });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_request');
  });

  test('nothing was reserved by any refused call', async () => {
    const rows = await db.admin.query('SELECT count(*)::int AS n FROM booking.reservations');
    assert.equal(rows.rows[0].n, 0);
    assert.ok(server.logs.every((l) => !/"statusCode":5\d\d/.test(l)), 'no 5xx was logged');
  });

  test('an unknown path is a 404 in the same shape', async () => {
    const res = await server.post(tool('teleport'), {});
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'not_found');
  });
});
