// The pieces without a database: keys, configuration, answers, metrics.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { camelCase, toolAnswer } from '../src/answers';
import { ConfigError, loadConfig } from '../src/config';
import { httpErrorFromSql } from '../src/errors/sql-errors';
import { parseKeys } from '../src/keys';
import { Metrics } from '../src/metrics';

const A = '0a0a0a0a-1111-4111-8111-0a0a0a0a0a0a';
const B = '0b0b0b0b-2222-4222-8222-0b0b0b0b0b0b';

describe('keys', () => {
  test('each key finds its organisation; anything else finds none', () => {
    const ring = parseKeys(` ${A.toUpperCase()}=alpha-key , ${B}=beta=key-with-equals,${A}=alpha-rotated `);
    assert.equal(ring.lookup('alpha-key'), A);
    assert.equal(ring.lookup('alpha-rotated'), A);
    assert.equal(ring.lookup('beta=key-with-equals'), B);
    for (const k of ['', 'alpha', 'alpha-key ', 'ALPHA-KEY', 'beta']) assert.equal(ring.lookup(k), undefined, k);
    assert.equal(ring.orgs.size, 2);
  });

  test('malformed lists are refused', () => {
    assert.throws(() => parseKeys('clinic-1=abc'), /not an organisation uuid/);
    assert.throws(() => parseKeys(`${A}=`), /empty/);
    assert.throws(() => parseKeys(`${A}=same,${B}=same`), /own/);
  });

  test('short keys are reported', () => {
    assert.equal(parseKeys(`${A}=short`).warnings.length, 1);
    assert.equal(parseKeys(`${A}=${'x'.repeat(32)}`).warnings.length, 0);
  });
});

describe('configuration', () => {
  test('defaults and overrides', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://x@h/db', TOOL_SERVER_KEYS: `${A}=${'k'.repeat(30)}`, SMS_PROVIDER: 'log', PORT: '8080' });
    assert.equal(c.port, 8080);
    assert.equal(c.sms.provider, 'log');
    assert.equal(c.db.poolMax, 10);
    const t = loadConfig({
      DATABASE_URL: 'postgres://x@h/db',
      TOOL_SERVER_KEYS: `${A}=${'k'.repeat(30)}`,
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 't',
      TWILIO_FROM: '+1',
    });
    assert.equal(t.sms.twilio?.apiBase, 'https://api.twilio.com');
  });

  test('every problem is reported at once', () => {
    try {
      loadConfig({ SMS_PROVIDER: 'twilio', DB_POOL_MAX: '0', SMS_TEMPLATE: 'no placeholder' });
      assert.fail('accepted');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      const text = e.message;
      for (const n of ['DATABASE_URL', 'TOOL_SERVER_KEYS', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'DB_POOL_MAX', 'SMS_TEMPLATE']) {
        assert.match(text, new RegExp(n));
      }
    }
  });
});

describe('answers', () => {
  test('snake_case becomes camelCase all the way down; values stay', () => {
    assert.deepEqual(camelCase({ hold_id: 'h', alternatives: [{ starts_at: 's', ends_at: 'e' }], error: 'slot_unavailable' }), {
      holdId: 'h',
      alternatives: [{ startsAt: 's', endsAt: 'e' }],
      error: 'slot_unavailable',
    });
  });

  test('a success gets a message; omitted keys are gone', () => {
    const a = toolAnswer({ success: true, code: '1234', patient_phone: '+1', sends_left: 4 }, 'sent', ['code', 'patientPhone']);
    assert.deepEqual(a, { success: true, message: 'sent', sendsLeft: 4 });
  });
});

describe('SQL errors', () => {
  test('misuse is 400/403, transient trouble 503, the rest not ours to word', () => {
    assert.equal(httpErrorFromSql({ code: '22023', message: 'duration must be positive' })?.statusCode, 400);
    assert.equal(httpErrorFromSql({ code: '22004', message: 'x' })?.statusCode, 400);
    assert.equal(httpErrorFromSql({ code: '22001', message: 'x' })?.statusCode, 400);
    assert.equal(httpErrorFromSql({ code: '22007', message: 'x' })?.statusCode, 400);
    assert.equal(httpErrorFromSql({ code: '22008', message: 'x' })?.statusCode, 400);
    assert.equal(httpErrorFromSql({ code: '42501', message: 'x' })?.statusCode, 403);
    assert.equal(httpErrorFromSql({ code: '40001', message: 'x' })?.statusCode, 503);
    assert.equal(httpErrorFromSql({ code: '57014', message: 'x' })?.answer.error, 'timeout');
    assert.equal(httpErrorFromSql({ code: 'XX000', message: 'x' }), undefined);
    assert.equal(httpErrorFromSql(new Error('timeout exceeded when trying to connect'))?.statusCode, 503);
  });
});

describe('metrics', () => {
  test('counts, cumulative buckets and folded labels', () => {
    const m = new Metrics();
    m.observe('reserve_slot', 'success', 0.003);
    m.observe('reserve_slot', 'success', 0.2);
    m.observe('reserve_slot', 'Bad Label"\n', 0.2);
    const t = m.render();
    assert.match(t, /booking_tool_requests_total\{tool="reserve_slot",outcome="success"\} 2/);
    assert.match(t, /booking_tool_requests_total\{tool="reserve_slot",outcome="other"\} 1/);
    assert.match(t, /booking_tool_request_duration_seconds_bucket\{tool="reserve_slot",le="0.005"\} 1/);
    assert.match(t, /booking_tool_request_duration_seconds_bucket\{tool="reserve_slot",le="0.25"\} 3/);
    assert.match(t, /booking_tool_request_duration_seconds_count\{tool="reserve_slot"\} 3/);
  });
});
