// ElevenLabs' server tools, replayed as elevenlabs/tools.json makes them
// call: a POST per tool under the neutral prefix, the key as a Bearer
// header, conversationId and callerId filled from the system dynamic
// variables. And the same tool through each platform answers alike.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { retellSignature } from '../src/platforms/retell-signature';
import { createTestDatabase, type TestDatabase } from './support/database';
import { futureSlot, KEY_A, startServer, tool, type RunningServer } from './support/server';

const BEARER = { authorization: `Bearer ${KEY_A}` };
const neutral = (name: string): string => `/api/tools/booking/${name}`;
// What ElevenLabs puts in for system__conversation_id and system__caller_id.
const CONVERSATION = 'conv_01jx4r5t6y7u8i9o0p1a2s3d4f';

describe('ElevenLabs server tools', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let server: RunningServer;

  before(async () => {
    db = await createTestDatabase('elevenlabs');
    server = await startServer({ db, env: { RETELL_API_KEY: 'key_retell_for_the_comparison' } });
  });

  after(async () => {
    await server?.close();
    await db?.drop();
  });

  test('conversationId is the caller_ref and callerId the phone; the same request again answers the same', async () => {
    const slot = futureSlot();
    const body = { slotId: slot, calendarId: 'primary', patientName: 'Elena', conversationId: CONVERSATION, callerId: '+15550100400' };
    const held = await server.post(neutral('reserve-atomic'), body, BEARER);
    assert.equal(held.status, 200, held.text);
    assert.equal(held.body.success, true, held.text);
    const row = await db.admin.query('SELECT caller_ref, patient_phone FROM booking.reservations WHERE id = $1', [held.body.holdId]);
    assert.deepEqual(row.rows[0], { caller_ref: CONVERSATION, patient_phone: '+15550100400' });
    const again = await server.post(neutral('reserve-atomic'), body, BEARER);
    assert.equal(again.body.holdId, held.body.holdId, again.text);

    // Parameters the model left empty, as a platform may send them, take their defaults.
    const empties = await server.post(neutral('reserve-atomic'), { ...body, slotId: futureSlot(), conversationId: 'conv_empty', patientName: '', durationMinutes: null }, BEARER);
    assert.equal(empties.status, 200, empties.text);
    assert.equal(empties.body.success, true, empties.text);
    // A number the model gives wins over the one calling in.
    const other = await server.post(neutral('reserve-atomic'), { ...body, slotId: futureSlot(), conversationId: 'conv_other', patientPhone: '+15550100401' }, BEARER);
    const otherRow = await db.admin.query('SELECT patient_phone FROM booking.reservations WHERE id = $1', [other.body.holdId]);
    assert.equal(otherRow.rows[0].patient_phone, '+15550100401');

    // The waitlist takes the conversation and the number the same way.
    const joined = await server.post(
      neutral('join-waitlist'),
      { calendarId: 'primary', from: slot, until: new Date(Date.parse(slot) + 3_600_000).toISOString(), conversationId: CONVERSATION, callerId: '+15550100400' },
      BEARER,
    );
    assert.equal(joined.body.success, true, joined.text);
    const entry = await db.admin.query('SELECT caller_ref, patient_phone FROM booking.waitlist WHERE id = $1', [joined.body.waitlistId]);
    assert.deepEqual(entry.rows[0], { caller_ref: CONVERSATION, patient_phone: '+15550100400' });
  });

  test('book within a conversation books once for the same request', async () => {
    const slot = futureSlot();
    const body = { calendarId: 'primary', slotId: slot, conversationId: 'conv_book', callerId: '+15550100402' };
    const first = await server.post(neutral('book'), body, BEARER);
    assert.equal(first.body.success, true, first.text);
    const second = await server.post(neutral('book'), body, BEARER);
    assert.equal(second.body.appointmentId, first.body.appointmentId, second.text);
    assert.equal(second.body.replayed, true);
    const rows = await db.admin.query('SELECT count(*)::int AS n FROM booking.reservations WHERE starts_at = $1', [slot]);
    assert.equal(rows.rows[0].n, 1);
  });

  test('a web call has no number: the tool asks for the phone (400 naming it); no key is 401', async () => {
    const res = await server.post(neutral('reserve-atomic'), { slotId: futureSlot(), calendarId: 'primary', conversationId: 'conv_web', callerId: 'anonymous' }, BEARER);
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.message, /patientPhone/);
    const noKey = await server.post(neutral('check-availability'), { calendarId: 'primary' }, {});
    assert.equal(noKey.status, 401);
  });

  test('the same tool answers alike on Vapi, Retell and ElevenLabs', async () => {
    const shapes: Record<string, { keys: string[]; message: unknown; calendarId: unknown }> = {};
    const slots = [futureSlot(), futureSlot(), futureSlot()];
    const vapi = await server.post('/api/vapi/tool-calls', {
      message: {
        type: 'tool-calls',
        call: { id: 'vapi-same', customer: { number: '+15550100410' } },
        toolCallList: [{ id: 'tc-same', name: 'reserve_slot', arguments: { slotId: slots[0], calendarId: 'primary' } }],
      },
    }, BEARER);
    const fromVapi = JSON.parse(vapi.body.results[0].result);
    const raw = JSON.stringify({ name: 'reserve_slot', call: { call_id: 'retell-same', from_number: '+15550100411', direction: 'inbound' }, args: { slotId: slots[1], calendarId: 'primary' } });
    const retell = await server.postRaw('/api/retell/functions', raw, {
      'content-type': 'application/json',
      ...BEARER,
      'x-retell-signature': retellSignature(raw, 'key_retell_for_the_comparison'),
    });
    const eleven = await server.post(neutral('reserve-atomic'), { slotId: slots[2], calendarId: 'primary', conversationId: 'conv_same', callerId: '+15550100412' }, BEARER);
    const seed = await server.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'primary', patientPhone: '+15550100413' }, BEARER);
    for (const [platform, answer] of [['vapi', fromVapi], ['retell', retell.body], ['elevenlabs', eleven.body], ['seed endpoint', seed.body]] as const) {
      assert.equal(answer.success, true, `${platform}: ${JSON.stringify(answer)}`);
      shapes[platform] = { keys: Object.keys(answer), message: answer.message, calendarId: answer.calendarId };
    }
    for (const platform of ['retell', 'elevenlabs', 'seed endpoint']) assert.deepEqual(shapes[platform], shapes.vapi, platform);
    // Each platform's caller: its number, its call.
    const refs = await db.admin.query(
      "SELECT caller_ref, patient_phone FROM booking.reservations WHERE caller_ref IN ('vapi-same', 'retell-same', 'conv_same') ORDER BY caller_ref");
    assert.deepEqual(refs.rows, [
      { caller_ref: 'conv_same', patient_phone: '+15550100412' },
      { caller_ref: 'retell-same', patient_phone: '+15550100411' },
      { caller_ref: 'vapi-same', patient_phone: '+15550100410' },
    ]);
  });
});
