// A slow SMS provider holds nothing of the database (issue 21 §5). The
// stand-in for Twilio takes SLOW_MS to answer; while sends wait for it, on a
// pool smaller than the sends in flight, every other tool (a claim in either
// clinic, the status, the verification and the release of a hold whose code
// is on its way, a send of another hold) answers within QUICK_MS, far below
// SLOW_MS, and no send answers 503 for want of a connection. A send that
// fails slowly is withdrawn afterwards, leaving no counted send, no resend
// wait and no usable code; a verification that came first keeps its hold.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/database';
import { assertNothingLeaked, futureSlot, KEY_A, KEY_B, startServer, tool, TWILIO_TOKEN, type Answer, type RunningServer } from './support/server';
import { codeIn, startTwilioStandIn, type TwilioStandIn } from './support/twilio-stand-in';

const SLOW_MS = 5_000;
// Far below SLOW_MS, and far above what any of these calls takes on a
// loaded two-core machine (milliseconds): a call that waited for the
// provider cannot pass, one that did not cannot fail.
const QUICK_MS = 1_500;
const POOL = 4;
const SENDS = 10;

describe('a slow SMS provider', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  let twilio: TwilioStandIn;
  let server: RunningServer;
  let phoneSerial = 0;

  before(async () => {
    db = await createTestDatabase('slow');
    twilio = await startTwilioStandIn();
    server = await startServer({
      db,
      twilio,
      env: {
        SMS_TIMEOUT_MS: String(SLOW_MS * 3),
        DB_POOL_MAX: String(POOL),
        // Shorter than the provider's answer: a request that waited for a
        // connection held across an SMS answers 503.
        DB_CONNECT_TIMEOUT_MS: String(SLOW_MS / 2),
      },
    });
  });

  after(async () => {
    await server?.close();
    await twilio?.close();
    await db?.drop();
  });

  const phone = (): string => `+1555030${(1000 + ++phoneSerial).toString()}`;

  async function hold(patientPhone: string, key = KEY_A): Promise<string> {
    const r = await server.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'slow', patientPhone }, { 'x-vapi-secret': key });
    assert.equal(r.body.success, true, r.text);
    return r.body.holdId;
  }

  async function timed(call: () => Promise<Answer>): Promise<{ answer: Answer; ms: number }> {
    const started = performance.now();
    const answer = await call();
    return { answer, ms: Math.round(performance.now() - started) };
  }

  async function sendsOf(holdId: string): Promise<{ otp_sends: number; otp_sent_at: Date | null; status: string; codes: number }> {
    const r = await db.admin.query(
      `SELECT otp_sends, otp_sent_at, status::text,
              (SELECT count(*)::int FROM booking.otp_codes c WHERE c.org_id = r.org_id AND c.hold_id = r.id) AS codes
         FROM booking.reservations r WHERE id = $1`,
      [holdId],
    );
    return r.rows[0];
  }

  test('the first code of a database: a send of another hold does not wait for it', async (t) => {
    assert.equal((await db.admin.query('SELECT count(*)::int AS n FROM booking.otp_secret')).rows[0].n, 0, 'no code key yet');
    const slowPhone = phone();
    const fastPhone = phone();
    const slowHold = await hold(slowPhone);
    const fastHold = await hold(fastPhone);
    twilio.delayMs = (to) => (to === slowPhone ? SLOW_MS : 0);
    try {
      const slow = timed(() => server.post(tool('send-otp'), { holdId: slowHold }));
      await twilio.arrival(slowPhone, QUICK_MS * 2);
      const fast = await timed(() => server.post(tool('send-otp'), { holdId: fastHold }));
      const first = await slow;
      t.diagnostic(`the second send: ${fast.ms} ms; the first, through the slow provider: ${first.ms} ms`);
      assert.equal(fast.answer.body.success, true, fast.answer.text);
      assert.ok(fast.ms < QUICK_MS, `the second send took ${fast.ms} ms while the first code's SMS was on its way`);
      assert.equal(first.answer.body.success, true, first.answer.text);
      assert.ok(first.ms >= SLOW_MS - 100, 'the first send did wait for its provider');
    } finally {
      twilio.delayMs = () => 0;
    }
    assert.equal((await db.admin.query('SELECT count(*)::int AS n FROM booking.otp_secret')).rows[0].n, 1, 'one code key, made once');
  });

  test(`${SENDS} sends in flight on a pool of ${POOL}: every other tool answers at once, no send answers 503`, async (t) => {
    const phones = Array.from({ length: SENDS }, phone);
    const holds: string[] = [];
    for (const p of phones) holds.push(await hold(p));
    const otherClinicPhone = phone();
    twilio.delayMs = () => SLOW_MS;
    try {
      const sends = holds.map((holdId) => timed(() => server.post(tool('send-otp'), { holdId })));
      // The holds the calls below use have their codes on the way.
      const underway = await Promise.allSettled(phones.slice(0, 3).map((p) => twilio.arrival(p, QUICK_MS * 2)));
      const code = (i: number): string => {
        const r = underway[i];
        return r?.status === 'fulfilled' ? codeIn(r.value) : '00000000';
      };

      // All at once, while every code is still on its way.
      const [claim, claimOfAnotherClinic, statusOfAHoldBeingSent, verifyOfAHoldBeingSent, releaseOfAHoldBeingSent] = await Promise.all([
        timed(() => server.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'slow', patientPhone: phone() })),
        timed(() =>
          server.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'slow', patientPhone: otherClinicPhone }, { 'x-vapi-secret': KEY_B }),
        ),
        timed(() => server.post(tool('hold-status'), { holdId: holds[2] })),
        timed(() => server.post(tool('verify-otp'), { holdId: holds[0], providedOTP: code(0) })),
        timed(() => server.post(tool('release'), { holdId: holds[1], reason: 'caller hung up' })),
      ]);
      const during = { claim, claimOfAnotherClinic, statusOfAHoldBeingSent, verifyOfAHoldBeingSent, releaseOfAHoldBeingSent };
      // Every send reached the provider at once: none waited for a
      // connection another send held.
      const reached = await Promise.allSettled(phones.map((p) => twilio.arrival(p, QUICK_MS)));
      const done = await Promise.all(sends);
      const msOf = Object.fromEntries(Object.entries(during).map(([k, v]) => [k, v.ms]));
      t.diagnostic(`while ${SENDS} codes were on their way (ms): ${JSON.stringify(msOf)}`);

      const seen = {
        reachedTheProvider: reached.filter((r) => r.status === 'fulfilled').length,
        claim: [during.claim.answer.status, during.claim.answer.body.success],
        claimOfAnotherClinic: [during.claimOfAnotherClinic.answer.status, during.claimOfAnotherClinic.answer.body.success],
        // The code's send is committed before the SMS goes: the status says so.
        statusOfAHoldBeingSent: [during.statusOfAHoldBeingSent.answer.status, typeof during.statusOfAHoldBeingSent.answer.body.otpSentAt],
        verifyOfAHoldBeingSent: [during.verifyOfAHoldBeingSent.answer.status, during.verifyOfAHoldBeingSent.answer.body.success],
        releaseOfAHoldBeingSent: [during.releaseOfAHoldBeingSent.answer.status, during.releaseOfAHoldBeingSent.answer.body.status],
        slowCalls: Object.entries(during)
          .filter(([, t]) => t.ms >= QUICK_MS)
          .map(([what, t]) => `${what} ${t.ms} ms`),
        sendStatuses: done.map((d) => d.answer.status),
        sendsSucceeded: done.filter((d) => d.answer.body.success === true).length,
      };
      assert.deepEqual(
        seen,
        {
          reachedTheProvider: SENDS,
          claim: [200, true],
          claimOfAnotherClinic: [200, true],
          statusOfAHoldBeingSent: [200, 'string'],
          verifyOfAHoldBeingSent: [200, true],
          releaseOfAHoldBeingSent: [200, 'released'],
          slowCalls: [],
          sendStatuses: Array(SENDS).fill(200),
          sendsSucceeded: SENDS,
        },
        `while ${SENDS} codes were on their way (ms): ${JSON.stringify(msOf)}`,
      );
      assert.ok(done.every((d) => d.ms >= SLOW_MS - 100), 'every send did wait for its provider');
    } finally {
      twilio.delayMs = () => 0;
    }
    assert.equal((await sendsOf(holds[0]!)).status, 'confirmed', 'the code read out while its SMS was on its way confirmed the hold');
    assert.equal((await sendsOf(holds[1]!)).status, 'released');
    for (const h of holds.slice(2)) assert.equal((await sendsOf(h)).otp_sends, 1);
  });

  test('a send that fails slowly is withdrawn: no counted send, no resend wait, no usable code', async () => {
    const p = phone();
    const holdId = await hold(p);
    twilio.mode = 'fail';
    twilio.delayMs = () => SLOW_MS;
    let code: string;
    try {
      const send = timed(() => server.post(tool('send-otp'), { holdId }));
      code = codeIn(await twilio.arrival(p, QUICK_MS * 2));
      const status = await timed(() => server.post(tool('hold-status'), { holdId }));
      assert.ok(status.ms < QUICK_MS, `hold-status took ${status.ms} ms`);
      assert.equal(typeof status.answer.body.otpSentAt, 'string', 'the send is committed while the SMS is on its way');
      const failed = await send;
      assert.deepEqual(
        { status: failed.answer.status, success: failed.answer.body.success, error: failed.answer.body.error, action: failed.answer.body.action },
        { status: 200, success: false, error: 'sms_failed', action: 'RETRY' },
      );
    } finally {
      twilio.mode = 'accept';
      twilio.delayMs = () => 0;
    }
    assert.deepEqual(await sendsOf(holdId), { otp_sends: 0, otp_sent_at: null, status: 'held', codes: 0 }, 'the send was given back');
    const late = await server.post(tool('verify-otp'), { holdId, providedOTP: code });
    assert.equal(late.body.error, 'otp_not_issued', 'the withdrawn code confirms nothing');
    const attempts = await db.admin.query('SELECT otp_attempts FROM booking.reservations WHERE id = $1', [holdId]);
    assert.equal(attempts.rows[0].otp_attempts, 0, 'and is not counted as a wrong guess');
    const retry = await server.post(tool('send-otp'), { holdId });
    assert.equal(retry.body.success, true, `an immediate retry is no resend too soon: ${retry.text}`);
    assert.equal((await sendsOf(holdId)).otp_sends, 1);
    const withdrawn = await db.admin.query("SELECT count(*)::int AS n FROM booking.audit_log WHERE entity_id = $1 AND action = 'otp_withdrawn'", [holdId]);
    assert.equal(withdrawn.rows[0].n, 1, 'the withdrawal has its audit row');
  });

  test('a code verified while its failing SMS was on its way keeps the hold confirmed', async () => {
    const p = phone();
    const holdId = await hold(p);
    twilio.mode = 'fail';
    twilio.delayMs = () => SLOW_MS;
    try {
      const send = server.post(tool('send-otp'), { holdId });
      const code = codeIn(await twilio.arrival(p, QUICK_MS * 2));
      const verified = await timed(() => server.post(tool('verify-otp'), { holdId, providedOTP: code }));
      assert.equal(verified.answer.body.success, true, verified.answer.text);
      assert.ok(verified.ms < QUICK_MS, `verify-otp took ${verified.ms} ms`);
      const failed = await send;
      assert.equal(failed.body.error, 'sms_failed', 'the provider did fail');
    } finally {
      twilio.mode = 'accept';
      twilio.delayMs = () => 0;
    }
    const row = await sendsOf(holdId);
    assert.equal(row.status, 'confirmed', 'the withdrawal undid nothing of the verification');
    assert.equal(row.otp_sends, 1);
  });

  test('no code and no credential in any log line or answer', () => {
    const codes = twilio.messages.filter((m) => m.body).map((m) => codeIn(m));
    assert.ok(codes.length >= SENDS + 4);
    assertNothingLeaked(server, [...codes, KEY_A, KEY_B, TWILIO_TOKEN]);
  });
});
