// SMS delivery: a provider failure or silence answers sms_failed/RETRY and
// leaves no code issued (withdrawn, its send given back, so the retry is
// immediate), a hold without a phone answers no_phone, and the log provider
// never prints a code. (A slow provider: slow-provider.test.ts.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { logSender } from '../src/sms/log-provider';
import { createTestDatabase, type TestDatabase } from './support/database';
import { assertNothingLeaked, futureSlot, KEY_A, ORG_A, startServer, tool, TWILIO_TOKEN, type RunningServer } from './support/server';
import { codeIn, startTwilioStandIn, type TwilioStandIn } from './support/twilio-stand-in';

describe('sending codes by SMS', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let twilio: TwilioStandIn;
  let server: RunningServer;

  before(async () => {
    db = await createTestDatabase('sms');
    twilio = await startTwilioStandIn();
    server = await startServer({ db, twilio, env: { SMS_TIMEOUT_MS: '800' } });
  });

  after(async () => {
    await server?.close();
    await twilio?.close();
    await db?.drop();
  });

  async function hold(phone: string): Promise<string> {
    const r = await server.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'primary', patientPhone: phone });
    assert.equal(r.body.success, true, r.text);
    return r.body.holdId;
  }

  async function codesIssued(holdId: string): Promise<number> {
    const r = await db.admin.query('SELECT otp_sends FROM booking.reservations WHERE id = $1', [holdId]);
    return r.rows[0].otp_sends;
  }

  for (const mode of ['fail', 'hang'] as const) {
    test(`a provider that ${mode === 'fail' ? 'answers 500' : 'never answers'}: sms_failed, RETRY, nothing issued`, async () => {
      const holdId = await hold('+15550100600');
      twilio.mode = mode;
      const started = Date.now();
      const failed = await server.post(tool('send-otp'), { holdId });
      twilio.mode = 'accept';
      assert.equal(failed.status, 200);
      assert.deepEqual(
        { success: failed.body.success, error: failed.body.error, action: failed.body.action },
        { success: false, error: 'sms_failed', action: 'RETRY' },
      );
      assert.ok(Date.now() - started < 5_000, 'the SMS call is bounded by SMS_TIMEOUT_MS');
      assert.equal(await codesIssued(holdId), 0, 'the failed send was withdrawn');
      const status = await server.post(tool('hold-status'), { holdId });
      assert.equal(status.body.otpSentAt, null);
      // Were the send not given back, this would be otp_too_soon for 30 seconds.
      const retry = await server.post(tool('send-otp'), { holdId });
      assert.equal(retry.body.success, true, retry.text);
      assert.equal(await codesIssued(holdId), 1);
    });
  }

  test('a provider that cannot be reached: sms_failed', async () => {
    const unreachable = await startServer({
      db,
      env: { SMS_PROVIDER: 'twilio', TWILIO_API_BASE: 'http://127.0.0.1:9', SMS_TIMEOUT_MS: '800' },
    });
    try {
      const r = await unreachable.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'primary', patientPhone: '+15550100601' });
      const sent = await unreachable.post(tool('send-otp'), { holdId: r.body.holdId });
      assert.equal(sent.status, 200);
      assert.equal(sent.body.error, 'sms_failed');
      assert.equal(await codesIssued(r.body.holdId), 0);
    } finally {
      await unreachable.close();
    }
  });

  test('a hold without a phone: no_phone, and nothing is texted or issued', async () => {
    // Only a direct SQL claim can make one: the endpoint requires patientPhone.
    const claimed = await db.admin.query<{ id: string }>(
      "SELECT (booking.claim_slot($1, 'primary', $2::timestamptz) ->> 'hold_id') AS id",
      [ORG_A, futureSlot()],
    );
    const holdId = claimed.rows[0]!.id;
    const before = twilio.messages.length;
    const res = await server.post(tool('send-otp'), { holdId });
    assert.equal(res.status, 200);
    assert.equal(res.body.success, false);
    assert.equal(res.body.error, 'no_phone');
    assert.equal(typeof res.body.message, 'string');
    assert.equal(twilio.messages.length, before);
    assert.equal(await codesIssued(holdId), 0);
  });

  test('Twilio gets Basic auth, To, From and Body; the answer never the code', async () => {
    const holdId = await hold('+44 20 7946 0958');
    const res = await server.post(tool('send-otp'), { holdId });
    assert.equal(res.body.success, true);
    const sms = twilio.messages.at(-1)!;
    assert.equal(sms.to, '+442079460958');
    assert.ok(sms.body?.includes(codeIn(sms)));
    assert.ok(!res.text.includes(codeIn(sms)));
  });

  test('the log provider says a code was sent, never which', async () => {
    const lines: string[] = [];
    const { server: quiet } = buildApp(
      loadConfig({ DATABASE_URL: db.roleUrl, TOOL_SERVER_KEYS: `${ORG_A}=${KEY_A}`, SMS_PROVIDER: 'log' }),
      { logStream: { write: (l: string) => lines.push(l) } },
    );
    await logSender().send({ to: '+15550100777', body: 'Your code is 48151623.' }, quiet.log);
    await quiet.close();
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /sms code sent/);
    assert.match(lines[0]!, /77/);
    assert.ok(!lines[0]!.includes('48151623'));
    assert.ok(!lines[0]!.includes('5550100777'), 'the full number is not logged');
  });

  test('no code and no credential in any log line or answer', () => {
    const codes = twilio.messages.filter((m) => m.body).map((m) => codeIn(m));
    assert.ok(codes.length >= 3);
    assertNothingLeaked(server, [...codes, KEY_A, TWILIO_TOKEN]);
    assert.ok(server.logs.some((l) => l.includes('sms not sent')), 'the failures were logged');
    assert.ok(server.logs.every((l) => !l.includes('+15550100600')), 'phones are logged masked');
  });
});
