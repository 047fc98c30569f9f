// Vapi's tool-calls webhook: the envelope, results in order as JSON
// strings, the call id as the hold's caller_ref, and one bad call failing
// alone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/database';
import { assertNothingLeaked, futureSlot, KEY_A, ORG_B, startServer, type RunningServer } from './support/server';
import { codeIn, startTwilioStandIn, type TwilioStandIn } from './support/twilio-stand-in';

const WEBHOOK = '/api/vapi/tool-calls';

function envelope(callId: string, calls: unknown[]): unknown {
  return { message: { type: 'tool-calls', call: { id: callId }, toolCallList: calls } };
}

function results(res: { body: Record<string, any> }): { toolCallId: string; answer: Record<string, any> }[] {
  assert.ok(Array.isArray(res.body.results), 'results is an array');
  return res.body.results.map((r: { toolCallId: string; result: unknown }) => {
    assert.equal(typeof r.result, 'string', 'each result is a JSON string');
    return { toolCallId: r.toolCallId, answer: JSON.parse(r.result as string) };
  });
}

describe('the tool-calls webhook', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let twilio: TwilioStandIn;
  let server: RunningServer;

  before(async () => {
    db = await createTestDatabase('hook');
    twilio = await startTwilioStandIn();
    server = await startServer({ db, twilio });
  });

  after(async () => {
    await server?.close();
    await twilio?.close();
    await db?.drop();
  });

  test('several calls answer in order; call.id is the hold\'s caller_ref', async () => {
    const slot = futureSlot();
    const res = await server.post(
      WEBHOOK,
      envelope('vapi-call-1', [
        {
          id: 'tc-1',
          name: 'check_availability',
          arguments: { calendarId: 'primary', from: slot, until: new Date(Date.parse(slot) + 7_200_000).toISOString(), durationMinutes: 30 },
        },
        { id: 'tc-2', name: 'reserve_slot', arguments: { slotId: slot, calendarId: 'primary', patientPhone: '+15550100200' } },
      ]),
    );
    assert.equal(res.status, 200);
    const [avail, reserve] = results(res);
    assert.equal(avail?.toolCallId, 'tc-1');
    assert.equal(avail?.answer.success, true);
    assert.ok(avail?.answer.slots.length > 0);
    assert.equal(reserve?.toolCallId, 'tc-2');
    assert.equal(reserve?.answer.success, true, JSON.stringify(reserve?.answer));
    const row = await db.admin.query('SELECT caller_ref, status FROM booking.reservations WHERE id = $1', [reserve?.answer.holdId]);
    assert.equal(row.rows[0].caller_ref, 'vapi-call-1');
    assert.equal(row.rows[0].status, 'held');

    // Vapi retries the tool call: the same call gets the same hold.
    const retry = await server.post(
      WEBHOOK,
      envelope('vapi-call-1', [{ id: 'tc-2', name: 'reserve_slot', arguments: { slotId: slot, calendarId: 'primary', patientPhone: '+15550100200' } }]),
    );
    assert.equal(results(retry)[0]?.answer.holdId, reserve?.answer.holdId);
  });

  test('the older {id, function: {name, arguments}} items, arguments as a JSON string', async () => {
    const slot = futureSlot();
    const res = await server.post(
      WEBHOOK,
      envelope('vapi-call-2', [
        { id: 'old-1', type: 'function', function: { name: 'reserve_slot', arguments: JSON.stringify({ slotId: slot, calendarId: 'primary', patientPhone: '+15550100201' }) } },
      ]),
    );
    const [r] = results(res);
    assert.equal(r?.toolCallId, 'old-1');
    assert.equal(r?.answer.success, true, JSON.stringify(r?.answer));
  });

  test('an unknown tool or bad arguments fail that one call only', async () => {
    const slot = futureSlot();
    const res = await server.post(
      WEBHOOK,
      envelope('vapi-call-3', [
        { id: 'a', name: 'make_coffee', arguments: {} },
        { id: 'b', name: 'reserve_slot', arguments: { calendarId: 'primary', patientPhone: '+15550100202' } },
        { id: 'c', name: 'hold_status', arguments: { holdId: 'not-a-uuid' } },
        { id: 'd', name: 'reserve_slot', arguments: { slotId: 'next tuesday', calendarId: 'primary', patientPhone: '+15550100202' } },
        { id: 'e', function: { name: 'hold_status', arguments: '{"holdId": ' } },
        { id: 'f', name: 'reserve_slot', arguments: { slotId: slot, calendarId: 'primary', patientPhone: '+15550100202' } },
        { id: 'g', name: 'hold_status', arguments: { tenantId: ORG_B, holdId: '00000000-0000-4000-8000-000000000000' } },
      ]),
    );
    assert.equal(res.status, 200);
    const r = results(res);
    assert.deepEqual(r.map((x) => x.toolCallId), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    assert.equal(r[0]?.answer.error, 'unknown_tool');
    assert.match(r[0]?.answer.message, /make_coffee/);
    assert.equal(r[1]?.answer.error, 'invalid_request');
    assert.match(r[1]?.answer.message, /slotId/);
    assert.equal(r[2]?.answer.error, 'invalid_request');
    assert.match(r[2]?.answer.message, /holdId/);
    assert.equal(r[3]?.answer.error, 'invalid_request');
    assert.match(r[3]?.answer.message, /slotId/);
    assert.equal(r[4]?.answer.error, 'invalid_request');
    assert.match(r[4]?.answer.message, /arguments/);
    assert.equal(r[5]?.answer.success, true, 'the good call among bad ones still runs');
    assert.equal(r[6]?.answer.error, 'forbidden', 'arguments naming another tenant are refused');
  });

  test('the whole verified flow through the webhook', async () => {
    const call = 'vapi-call-flow';
    const reserve = results(
      await server.post(WEBHOOK, envelope(call, [{ id: 'r', name: 'reserve_slot', arguments: { slotId: futureSlot(), calendarId: 'primary', patientPhone: '+15550100203' } }])),
    )[0]!;
    assert.equal(reserve.answer.success, true);
    const holdId = reserve.answer.holdId;
    const sent = results(await server.post(WEBHOOK, envelope(call, [{ id: 's', name: 'send_otp', arguments: { holdId } }])))[0]!;
    assert.equal(sent.answer.success, true, JSON.stringify(sent.answer));
    const code = codeIn(twilio.messages.at(-1));
    const verified = results(
      await server.post(WEBHOOK, envelope(call, [{ id: 'v', name: 'verify_otp', arguments: { holdId, providedOTP: code.split('').join(' ') } }])),
    )[0]!;
    assert.equal(verified.answer.success, true, JSON.stringify(verified.answer));
    assert.equal(verified.answer.appointmentId, holdId);
    const row = await db.admin.query('SELECT status FROM booking.reservations WHERE id = $1', [holdId]);
    assert.equal(row.rows[0].status, 'confirmed');
    assertNothingLeaked(server, [code, code.split('').join(' '), KEY_A]);
  });

  test('a retried book_appointment delivery books once', async () => {
    const slot = futureSlot();
    const call = { id: 'book-1', name: 'book_appointment', arguments: { slotId: slot, calendarId: 'primary', durationMinutes: 45 } };
    const first = results(await server.post(WEBHOOK, envelope('vapi-call-book', [call])))[0]!;
    const second = results(await server.post(WEBHOOK, envelope('vapi-call-book', [call])))[0]!;
    assert.equal(first.answer.success, true, JSON.stringify(first.answer));
    assert.equal(second.answer.success, true, JSON.stringify(second.answer));
    assert.equal(second.answer.appointmentId, first.answer.appointmentId);
    assert.equal(second.answer.replayed, true);
    const rows = await db.admin.query("SELECT count(*)::int AS n FROM booking.reservations WHERE calendar_id = 'primary' AND starts_at = $1", [slot]);
    assert.equal(rows.rows[0].n, 1);
  });

  test('other Vapi messages are acknowledged and do nothing', async () => {
    const before = await db.admin.query('SELECT count(*)::int AS n FROM booking.audit_log');
    const res = await server.post(WEBHOOK, { message: { type: 'status-update', status: 'ended', call: { id: 'x' } } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {});
    const afterRows = await db.admin.query('SELECT count(*)::int AS n FROM booking.audit_log');
    assert.equal(afterRows.rows[0].n, before.rows[0].n);
  });

  test('a malformed envelope is a 400, a missing key a 401', async () => {
    const noMessage = await server.post(WEBHOOK, { toolCallList: [] });
    assert.equal(noMessage.status, 400);
    assert.equal(noMessage.body.error, 'invalid_request');
    assert.match(noMessage.body.message, /message/);
    const noId = await server.post(WEBHOOK, envelope('c', [{ name: 'hold_status', arguments: {} }]));
    assert.equal(noId.status, 400);
    assert.match(noId.body.message, /id/);
    const notJson = await server.postRaw(WEBHOOK, '{"message": {', { 'content-type': 'application/json', 'x-vapi-secret': KEY_A });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.error, 'invalid_request');
    const noKey = await server.post(WEBHOOK, envelope('c', []), {});
    assert.equal(noKey.status, 401);
    const bearer = await server.post(WEBHOOK, envelope('c', []), { authorization: `Bearer ${KEY_A}` });
    assert.equal(bearer.status, 200);
    assert.deepEqual(bearer.body, { results: [] });
  });
});
