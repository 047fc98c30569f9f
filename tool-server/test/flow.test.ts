// The voice agent's verified flow over HTTP, seed 000's two phases: hold,
// code by SMS, spoken code, confirmed; and what happens around it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/database';
import {
  assertNothingLeaked,
  futureSlot,
  KEY_A,
  KEY_B,
  ORG_A,
  startServer,
  tool,
  TWILIO_FROM,
  TWILIO_SID,
  TWILIO_TOKEN,
  type RunningServer,
} from './support/server';
import { codeIn, startTwilioStandIn, type TwilioStandIn } from './support/twilio-stand-in';

describe('the verified booking flow', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let twilio: TwilioStandIn;
  let server: RunningServer;
  const spoken: string[] = [];

  before(async () => {
    db = await createTestDatabase('flow');
    twilio = await startTwilioStandIn();
    server = await startServer({ db, twilio });
  });

  after(async () => {
    await server?.close();
    await twilio?.close();
    await db?.drop();
  });

  test('hold, text the code, read it back, confirmed', async (t) => {
    t.diagnostic(
      db.phoneShim
        ? 'issue_otp of the installed build lacks patient_phone: the test stand-in supplies it'
        : 'issue_otp of the installed build answers patient_phone itself',
    );
    const slot = futureSlot();
    const held = await server.post(tool('reserve-atomic'), {
      tenantId: ORG_A,
      slotId: slot,
      calendarId: 'dr-lee',
      patientPhone: '+1 (555) 010-0123',
      patientName: 'Ann Example',
      callId: 'call-flow-1',
    });
    assert.equal(held.status, 200);
    assert.equal(held.body.success, true);
    assert.match(held.body.holdId, /^[0-9a-f-]{36}$/);
    assert.equal(Date.parse(held.body.slotTime), Date.parse(slot));
    assert.equal(Date.parse(held.body.endsAt) - Date.parse(slot), 30 * 60_000, 'durationMinutes defaults to 30');
    assert.ok(Date.parse(held.body.expiresAt) > Date.now(), 'the hold expires in the future');
    assert.equal(typeof held.body.message, 'string');
    const holdId: string = held.body.holdId;

    const status = await server.post(tool('hold-status'), { tenantId: ORG_A, holdId });
    assert.equal(status.body.status, 'held');
    assert.equal(status.body.attemptsLeft, 3);
    assert.equal(status.body.otpSentAt, null);

    const sent = await server.post(tool('send-otp'), { tenantId: ORG_A, holdId });
    assert.equal(sent.status, 200);
    assert.equal(sent.body.success, true, sent.text);
    assert.equal(typeof sent.body.sendsLeft, 'number');
    assert.match(sent.body.message, /23/, 'the message names the last digits of the number texted');
    assert.equal(twilio.messages.length, 1);
    const sms = twilio.messages[0]!;
    assert.equal(sms.path, `/2010-04-01/Accounts/${TWILIO_SID}/Messages.json`);
    assert.equal(sms.to, '+15550100123', 'the hold\'s phone, separators dropped');
    assert.equal(sms.from, TWILIO_FROM);
    assert.equal(sms.user, TWILIO_SID);
    assert.equal(sms.password, TWILIO_TOKEN);
    assert.equal(sms.contentType, 'application/x-www-form-urlencoded');
    const code = codeIn(sms);
    assert.equal(code.length, 8);
    assert.ok(!sent.text.includes(code), 'the answer does not carry the code');

    const wrongCode = code === '73019482' ? '73019483' : '73019482';
    spoken.push(wrongCode);
    const miss = await server.post(tool('verify-otp'), { tenantId: ORG_A, holdId, providedOTP: wrongCode });
    assert.equal(miss.status, 200);
    assert.equal(miss.body.success, false);
    assert.equal(miss.body.error, 'otp_mismatch');
    assert.equal(miss.body.action, 'RETRY');
    assert.equal(miss.body.attemptsLeft, 2);

    // As a transcript delivers it: spaced, dashed, dotted.
    const asSpoken = `${code.slice(0, 2)} ${code.slice(2, 4)}-${code.slice(4, 6)}.${code.slice(6)}`;
    spoken.push(asSpoken);
    const ok = await server.post(tool('verify-otp'), { tenantId: ORG_A, holdId, providedOTP: asSpoken });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.success, true, ok.text);
    assert.equal(ok.body.appointmentId, holdId, 'the hold became the appointment');
    assert.equal(typeof ok.body.message, 'string');

    const row = await db.admin.query('SELECT status, org_id, patient_phone FROM booking.reservations WHERE id = $1', [holdId]);
    assert.equal(row.rows[0].status, 'confirmed');
    assert.equal(row.rows[0].org_id, ORG_A);

    const after = await server.post(tool('hold-status'), { holdId });
    assert.equal(after.body.status, 'confirmed');
    assert.equal(after.body.appointmentId, holdId);

    const free = await server.post(tool('check-availability'), {
      calendarId: 'dr-lee',
      from: new Date(Date.parse(slot) - 3_600_000).toISOString(),
      until: new Date(Date.parse(slot) + 3_600_000).toISOString(),
      durationMinutes: 30,
      maxResults: 20,
    });
    assert.equal(free.body.success, true);
    assert.ok(free.body.slots.length > 0);
    for (const s of free.body.slots) {
      assert.ok(Date.parse(s.endsAt) <= Date.parse(slot) || Date.parse(s.startsAt) >= Date.parse(slot) + 30 * 60_000, `free slot ${s.startsAt} overlaps the appointment`);
    }
  });

  test('a retried reserve-atomic with the same callId gets the same hold', async () => {
    const slot = futureSlot();
    const body = { slotId: slot, calendarId: 'dr-lee', patientPhone: '+15550100124', callId: 'call-retry-1' };
    const first = await server.post(tool('reserve-atomic'), body);
    const second = await server.post(tool('reserve-atomic'), body);
    assert.equal(first.body.success, true);
    assert.equal(second.body.success, true);
    assert.equal(second.body.holdId, first.body.holdId);
    const rows = await db.admin.query("SELECT count(*)::int AS n FROM booking.reservations WHERE caller_ref = 'call-retry-1'");
    assert.equal(rows.rows[0].n, 1);
  });

  test('a taken slot answers slot_unavailable with alternatives', async () => {
    const slot = futureSlot();
    const first = await server.post(tool('reserve-atomic'), { slotId: slot, calendarId: 'dr-lee', patientPhone: '+15550100125', callId: 'c-a' });
    assert.equal(first.body.success, true);
    const second = await server.post(tool('reserve-atomic'), { slotId: slot, calendarId: 'dr-lee', patientPhone: '+15550100126', callId: 'c-b' });
    assert.equal(second.status, 200);
    assert.equal(second.body.success, false);
    assert.equal(second.body.error, 'slot_unavailable');
    assert.equal(second.body.action, 'OFFER_ALTERNATIVES');
    assert.ok(Array.isArray(second.body.alternatives) && second.body.alternatives.length > 0);
    for (const alt of second.body.alternatives) {
      assert.deepEqual(Object.keys(alt).sort(), ['endsAt', 'startsAt']);
      assert.ok(!Number.isNaN(Date.parse(alt.startsAt)));
    }
  });

  test('three wrong codes hand the caller to a person', async () => {
    const held = await server.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'dr-lee', patientPhone: '+15550100127', callId: 'call-3x' });
    const holdId = held.body.holdId;
    const sent = await server.post(tool('send-otp'), { holdId });
    assert.equal(sent.body.success, true, sent.text);
    const code = codeIn(twilio.messages.at(-1));
    const wrong = code === '58203917' ? '58203918' : '58203917';
    spoken.push(wrong);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await server.post(tool('verify-otp'), { holdId, providedOTP: wrong }));
    assert.deepEqual(answers.map((a) => a.body.error), ['otp_mismatch', 'otp_mismatch', 'otp_locked']);
    assert.equal(answers[2]!.body.action, 'ESCALATE_TO_HUMAN');
    assert.equal(answers[2]!.body.status, 'requires_manual_followup');
    const late = await server.post(tool('verify-otp'), { holdId, providedOTP: code });
    assert.equal(late.body.success, false, 'the right code no longer confirms a hold locked for staff');
    const row = await db.admin.query('SELECT status FROM booking.reservations WHERE id = $1', [holdId]);
    assert.equal(row.rows[0].status, 'requires_manual_followup');
  });

  test('a resend too soon answers RETRY and texts nothing', async () => {
    const held = await server.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'dr-lee', patientPhone: '+15550100128' });
    const first = await server.post(tool('send-otp'), { holdId: held.body.holdId });
    assert.equal(first.body.success, true);
    const count = twilio.messages.length;
    const again = await server.post(tool('send-otp'), { holdId: held.body.holdId });
    assert.equal(again.status, 200);
    assert.equal(again.body.error, 'otp_too_soon');
    assert.equal(again.body.action, 'RETRY');
    assert.equal(typeof again.body.retryAfterMs, 'number');
    assert.equal(twilio.messages.length, count);
  });

  test('release gives the slot back', async () => {
    const slot = futureSlot();
    const held = await server.post(tool('reserve-atomic'), { slotId: slot, calendarId: 'dr-lee', patientPhone: '+15550100129', callId: 'c-rel' });
    const released = await server.post(tool('release'), { holdId: held.body.holdId, reason: 'caller changed their mind' });
    assert.equal(released.body.success, true, released.text);
    assert.equal(released.body.status, 'released');
    const row = await db.admin.query('SELECT status FROM booking.reservations WHERE id = $1', [held.body.holdId]);
    assert.equal(row.rows[0].status, 'released');
    const other = await server.post(tool('reserve-atomic'), { slotId: slot, calendarId: 'dr-lee', patientPhone: '+15550100130', callId: 'c-rel-2' });
    assert.equal(other.body.success, true, 'the released slot can be held again');
  });

  test('no code, key or spoken input in any log line or answer', () => {
    const codes = twilio.messages.map((m) => codeIn(m));
    assert.ok(codes.length >= 3, 'codes were sent');
    assert.ok(server.logs.length > 10, 'requests were logged');
    assertNothingLeaked(server, [...codes, ...spoken, KEY_A, KEY_B, TWILIO_TOKEN]);
  });
});
