// Retell's custom functions, replayed as Retell documents them: the full
// payload {name, call, args} and the "args only" one, each request signed in
// x-retell-signature with the account's API key, and Retell's retries (the
// same request again) answering as the first did with nothing written or
// sent twice.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { retellSignature } from '../src/platforms/retell-signature';
import { createTestDatabase, type TestDatabase } from './support/database';
import { assertNothingLeaked, futureSlot, KEY_A, ORG_A, ORG_B, startServer, type RunningServer } from './support/server';
import { codeIn, startTwilioStandIn, type TwilioStandIn } from './support/twilio-stand-in';

const RETELL = '/api/retell/functions';
const RETELL_KEY = 'key_retell_3f9a1c7e5b2d4068a9e1c3b5d7f90246';

// What Retell sends with every function call (its documented fields; the
// transcript so far among them).
function retellCall(callId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    call_id: callId,
    agent_id: 'agent_5b1e0c7d9a3f',
    call_type: 'phone_call',
    call_status: 'ongoing',
    direction: 'inbound',
    from_number: '+15550100300',
    to_number: '+15550109999',
    transcript: 'Agent: Hello, how can I help?\nUser: I would like an appointment on Tuesday.',
    ...extra,
  };
}

describe('Retell custom functions', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let twilio: TwilioStandIn;
  let server: RunningServer;

  before(async () => {
    db = await createTestDatabase('retell');
    twilio = await startTwilioStandIn();
    server = await startServer({ db, twilio, env: { RETELL_API_KEY: `key_other_account_0000,${RETELL_KEY}` } });
  });

  after(async () => {
    assertNothingLeaked(server, [RETELL_KEY]);
    await server?.close();
    await twilio?.close();
    await db?.drop();
  });

  // A request as Retell makes it: the body signed as sent.
  const send = (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const raw = JSON.stringify(body);
    return server.postRaw(path, raw, {
      'content-type': 'application/json',
      authorization: `Bearer ${KEY_A}`,
      'x-retell-signature': retellSignature(raw, RETELL_KEY),
      ...headers,
    });
  };
  const fn = (callId: string, name: string, args: Record<string, unknown>, call: Record<string, unknown> = {}) =>
    send(RETELL, { name, call: retellCall(callId, call), args });

  test('the full payload: call_id is the caller_ref, from_number the phone; each retry answers as the first and changes nothing', async () => {
    const slot = futureSlot();
    const until = new Date(Date.parse(slot) + 7_200_000).toISOString();
    const avail = await fn('retell-call-1', 'check_availability', { calendarId: 'primary', from: slot, until, durationMinutes: 30 });
    assert.equal(avail.status, 200, avail.text);
    assert.equal(avail.body.success, true, avail.text);
    assert.ok(avail.body.slots.length > 0);

    // No phone in the arguments: the number calling in is the patient's.
    const held = await fn('retell-call-1', 'reserve_slot', { slotId: slot, calendarId: 'primary', patientName: 'Rita' });
    assert.equal(held.status, 200, held.text);
    assert.equal(held.body.success, true, held.text);
    const row = await db.admin.query('SELECT caller_ref, patient_phone, status FROM booking.reservations WHERE id = $1', [held.body.holdId]);
    assert.deepEqual(row.rows[0], { caller_ref: 'retell-call-1', patient_phone: '+15550100300', status: 'held' });
    const heldAgain = await fn('retell-call-1', 'reserve_slot', { slotId: slot, calendarId: 'primary', patientName: 'Rita' });
    assert.equal(heldAgain.text, held.text);
    const holds = await db.admin.query("SELECT count(*)::int AS n FROM booking.reservations WHERE caller_ref = 'retell-call-1'");
    assert.equal(holds.rows[0].n, 1);

    // The code is texted once, however often Retell retries.
    const before = twilio.messages.length;
    const sent = await fn('retell-call-1', 'send_otp', { holdId: held.body.holdId });
    assert.equal(sent.body.success, true, sent.text);
    const sentAgain = await fn('retell-call-1', 'send_otp', { holdId: held.body.holdId });
    assert.equal(sentAgain.text, sent.text);
    assert.equal(twilio.messages.length, before + 1);
    const sms = twilio.messages[twilio.messages.length - 1];
    assert.equal(sms?.to, '+15550100300');

    // A wrong code retried counts one attempt, not two.
    const code = codeIn(sms);
    const wrongCode = `${code.slice(0, -1)}${(Number(code.slice(-1)) + 1) % 10}`;
    const wrong = await fn('retell-call-1', 'verify_otp', { holdId: held.body.holdId, providedOTP: wrongCode });
    assert.equal(wrong.body.error, 'otp_mismatch', wrong.text);
    const wrongAgain = await fn('retell-call-1', 'verify_otp', { holdId: held.body.holdId, providedOTP: wrongCode });
    assert.equal(wrongAgain.text, wrong.text);
    const attempts = await db.admin.query('SELECT booking.hold_status($1, $2) AS h', [ORG_A, held.body.holdId]);
    assert.equal(attempts.rows[0].h.otp_attempts, 1);

    const verified = await fn('retell-call-1', 'verify_otp', { holdId: held.body.holdId, providedOTP: code });
    assert.equal(verified.body.success, true, verified.text);
    const verifiedAgain = await fn('retell-call-1', 'verify_otp', { holdId: held.body.holdId, providedOTP: code });
    assert.equal(verifiedAgain.text, verified.text);

    // book: the call, the tool and its arguments key the booking, so a retry
    // reaching the database again would still book once.
    const slot2 = futureSlot();
    const booked = await fn('retell-call-1', 'book_appointment', { calendarId: 'primary', slotId: slot2 });
    assert.equal(booked.body.success, true, booked.text);
    const bookedAgain = await fn('retell-call-1', 'book_appointment', { calendarId: 'primary', slotId: slot2 });
    assert.equal(bookedAgain.text, booked.text);
    const rows = await db.admin.query('SELECT count(*)::int AS n, min(idempotency_key) AS k FROM booking.reservations WHERE starts_at = $1', [slot2]);
    assert.equal(rows.rows[0].n, 1);
    assert.match(rows.rows[0].k, /^retell:retell-call-1:book_appointment:[0-9a-f]{32}$/);
  });

  test('an outbound call: the number called is the patient\'s', async () => {
    const held = await fn('retell-call-2', 'reserve_slot', { slotId: futureSlot(), calendarId: 'primary' }, {
      direction: 'outbound',
      from_number: '+15550109999',
      to_number: '+15550100301',
    });
    assert.equal(held.body.success, true, held.text);
    const row = await db.admin.query('SELECT patient_phone FROM booking.reservations WHERE id = $1', [held.body.holdId]);
    assert.equal(row.rows[0].patient_phone, '+15550100301');
  });

  test('the "args only" payload: the body is the arguments, the tool in the path', async () => {
    const slot = futureSlot();
    const until = new Date(Date.parse(slot) + 3_600_000).toISOString();
    const avail = await send(`${RETELL}/check_availability`, { calendarId: 'primary', from: slot, until, durationMinutes: 30 });
    assert.equal(avail.status, 200, avail.text);
    assert.equal(avail.body.success, true, avail.text);
    const held = await send(`${RETELL}/reserve_slot`, { slotId: slot, calendarId: 'primary', patientPhone: '+15550100302' });
    assert.equal(held.body.success, true, held.text);
    const unknown = await send(`${RETELL}/book_a_table`, {});
    assert.equal(unknown.status, 200);
    assert.equal(unknown.body.error, 'unknown_tool');
  });

  test('a missing, wrong, stale or foreign signature answers 401 and writes nothing', async () => {
    const body = { name: 'reserve_slot', call: retellCall('retell-sig'), args: { slotId: futureSlot(), calendarId: 'sig', patientPhone: '+15550100303' } };
    const raw = JSON.stringify(body);
    const base = { 'content-type': 'application/json', authorization: `Bearer ${KEY_A}` };
    const cases: [string, Record<string, string>][] = [
      ['none', {}],
      ['another key\'s', { 'x-retell-signature': retellSignature(raw, 'key_not_this_account') }],
      ['another body\'s', { 'x-retell-signature': retellSignature(`${raw} `, RETELL_KEY) }],
      ['ten minutes old', { 'x-retell-signature': retellSignature(raw, RETELL_KEY, Date.now() - 600_000) }],
      ['not Retell\'s format', { 'x-retell-signature': 'sha256=abcdef' }],
    ];
    for (const [what, headers] of cases) {
      const res = await server.postRaw(RETELL, raw, { ...base, ...headers });
      assert.equal(res.status, 401, `${what}: ${res.text}`);
      assert.equal(res.body.error, 'unauthorized');
    }
    const rows = await db.admin.query("SELECT count(*)::int AS n FROM booking.reservations WHERE calendar_id = 'sig'");
    assert.equal(rows.rows[0].n, 0);
    // The same body with its own signature goes through.
    const ok = await server.postRaw(RETELL, raw, { ...base, 'x-retell-signature': retellSignature(raw, RETELL_KEY) });
    assert.equal(ok.body.success, true, ok.text);
  });

  test('answers: outcomes and bad arguments 200 for the agent to read; no key 401, another tenant 403, no Retell request 400', async () => {
    const unknown = await fn('retell-call-3', 'book_a_table', {});
    assert.equal(unknown.status, 200);
    assert.equal(unknown.body.error, 'unknown_tool');
    assert.match(unknown.body.message, /reserve_slot/);

    const bad = await fn('retell-call-3', 'reserve_slot', { slotId: 'tomorrow at two', calendarId: 'primary' });
    assert.equal(bad.status, 200, bad.text);
    assert.equal(bad.body.error, 'invalid_request');
    assert.match(bad.body.message, /slotId/);

    const slot = futureSlot();
    const first = await fn('retell-call-4', 'reserve_slot', { slotId: slot, calendarId: 'primary' });
    assert.equal(first.body.success, true, first.text);
    const taken = await fn('retell-call-5', 'reserve_slot', { slotId: slot, calendarId: 'primary' });
    assert.equal(taken.status, 200);
    assert.equal(taken.body.error, 'slot_unavailable');
    assert.equal(taken.body.action, 'OFFER_ALTERNATIVES');

    const unauthenticated = await send(RETELL, { name: 'check_availability', call: retellCall('x'), args: {} }, { authorization: '' });
    assert.equal(unauthenticated.status, 401);
    const otherTenant = await fn('retell-call-3', 'reserve_slot', { slotId: futureSlot(), calendarId: 'primary', tenantId: ORG_B });
    assert.equal(otherTenant.status, 403, otherTenant.text);
    const noName = await send(RETELL, { call: retellCall('x'), args: {} });
    assert.equal(noName.status, 400, noName.text);
    const argsNotObject = await send(RETELL, { name: 'reserve_slot', call: retellCall('x'), args: [1, 2] });
    assert.equal(argsNotObject.status, 400, argsNotObject.text);
  });

  test('metrics count Retell\'s calls by the tool\'s name, as every platform\'s', async () => {
    const metrics = await server.get('/metrics');
    assert.match(metrics.text, /booking_tool_requests_total\{tool="reserve_slot",outcome="success"\} \d+/);
    assert.match(metrics.text, /booking_tool_requests_total\{tool="reserve_slot",outcome="slot_unavailable"\} 1/);
    assert.match(metrics.text, /booking_tool_requests_total\{tool="unknown",outcome="unknown_tool"\} \d+/);
    assert.doesNotMatch(metrics.text, /tool="retell_functions",outcome="success"/);
  });
});
