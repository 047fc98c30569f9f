// The platform pieces without a database: what a call fills into a tool's
// arguments, the retry key, Retell's signature, the retry memo.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { phoneOf, retryKey, withCallFacts } from '../src/platforms/call-facts';
import { retellSignature, retellSignatureValid } from '../src/platforms/retell-signature';
import { RetryMemo } from '../src/platforms/retry-memo';
import { TOOLS_BY_NAME } from '../src/tools/registry';

const reserve = TOOLS_BY_NAME.get('reserve_slot')!;
const book = TOOLS_BY_NAME.get('book_appointment')!;
const status = TOOLS_BY_NAME.get('hold_status')!;

describe('call facts', () => {
  test('the call fills only what the tool takes and the arguments leave out', () => {
    const facts = { platform: 'retell' as const, callId: 'call-1', callerPhone: '+15550100999' };
    assert.deepEqual(withCallFacts(reserve, { slotId: 's' }, facts), { slotId: 's', callId: 'call-1', patientPhone: '+15550100999' });
    assert.deepEqual(withCallFacts(reserve, { slotId: 's', callId: 'mine', patientPhone: '+15550100111' }, facts), {
      slotId: 's',
      callId: 'mine',
      patientPhone: '+15550100111',
    });
    assert.deepEqual(withCallFacts(status, { holdId: 'h' }, facts), { holdId: 'h' });
    const booked = withCallFacts(book, { slotId: 's', calendarId: 'c' }, facts);
    assert.match(String(booked.idempotencyKey), /^retell:call-1:book_appointment:[0-9a-f]{32}$/);
    assert.equal(withCallFacts(book, { slotId: 's', calendarId: 'c', idempotencyKey: 'k' }, facts).idempotencyKey, 'k');
    // Optional parameters a model sent as null or "" are left out, so they default.
    assert.deepEqual(withCallFacts(reserve, { slotId: 's', patientName: null, durationMinutes: '' }, { platform: 'vapi' }), { slotId: 's' });
    // No call, nothing filled.
    assert.deepEqual(withCallFacts(book, { slotId: 's' }, { platform: 'elevenlabs' }), { slotId: 's' });
  });

  test('the retry key: the same for the same request in any key order, another for other arguments or calls', () => {
    const f = { platform: 'retell' as const, callId: 'c' };
    assert.equal(retryKey(f, 't', { a: 1, b: { x: 1, y: 2 } }), retryKey(f, 't', { b: { y: 2, x: 1 }, a: 1 }));
    assert.notEqual(retryKey(f, 't', { a: 1 }), retryKey(f, 't', { a: 2 }));
    assert.notEqual(retryKey(f, 't', { a: 1 }), retryKey({ ...f, callId: 'd' }, 't', { a: 1 }));
    assert.equal(retryKey({ platform: 'vapi', callId: 'c', requestId: 'tc-1' }, 't', { a: 1 }), 'vapi:c:tc-1');
    assert.ok((retryKey({ platform: 'vapi', callId: 'c'.repeat(300), requestId: 'r' }, 't', {}) ?? '').length <= 200);
    assert.equal(retryKey({ platform: 'retell' }, 't', {}), undefined);
  });

  test('a caller id is a phone only when it looks like one', () => {
    assert.equal(phoneOf(' +1 555 0100 '), '+1 555 0100');
    for (const v of ['anonymous', '', 'client:web-user', undefined, 42]) assert.equal(phoneOf(v), undefined, String(v));
  });
});

describe('Retell\'s signature', () => {
  const body = '{"name":"reserve_slot","args":{}}';
  test('valid under the key within five minutes, and under no other key, body or time', () => {
    const now = 1_800_000_000_000;
    const sig = retellSignature(body, 'key_a', now);
    assert.equal(retellSignatureValid(body, sig, ['key_b', 'key_a'], now + 1_000), true);
    assert.equal(retellSignatureValid(body, sig, ['key_b'], now), false);
    assert.equal(retellSignatureValid(`${body} `, sig, ['key_a'], now), false);
    assert.equal(retellSignatureValid(body, sig, ['key_a'], now + 5 * 60_000 + 1), false);
    assert.equal(retellSignatureValid(body, sig, ['key_a'], now - 5 * 60_000 - 1), false);
    assert.equal(retellSignatureValid(body, sig.replace(/.$/, (c) => (c === '0' ? '1' : '0')), ['key_a'], now), false);
    for (const bad of [undefined, '', 'v=1', 'd=abc', `v=${now},d=zz`]) assert.equal(retellSignatureValid(body, bad, ['key_a'], now), false, String(bad));
  });
});

describe('the retry memo', () => {
  test('a retry gets the first answer, waiting for it while it runs; a failure is not kept', async () => {
    const memo = new RetryMemo();
    let runs = 0;
    let release: (v: { success: boolean }) => void = () => {};
    const first = memo.answer('k', () => {
      runs += 1;
      return new Promise((resolve) => {
        release = resolve;
      });
    });
    const second = memo.answer('k', async () => {
      runs += 1;
      return { success: false };
    });
    release({ success: true });
    assert.deepEqual(await first, { success: true });
    assert.deepEqual(await second, { success: true });
    assert.equal(runs, 1);

    await assert.rejects(memo.answer('f', async () => Promise.reject(new Error('database away'))));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(await memo.answer('f', async () => ({ success: true })), { success: true });
  });

  test('entries expire and the oldest go when it is full', async () => {
    const memo = new RetryMemo(60_000, 2);
    for (const k of ['a', 'b', 'c']) await memo.answer(k, async () => ({ success: true, k }));
    assert.equal(memo.size, 2);
    assert.deepEqual(await memo.answer('a', async () => ({ success: false, again: true })), { success: false, again: true });
    const short = new RetryMemo(0);
    await short.answer('x', async () => ({ success: true, n: 1 }));
    assert.deepEqual(await short.answer('x', async () => ({ success: true, n: 2 })), { success: true, n: 2 });
  });
});
