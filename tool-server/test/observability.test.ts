// /healthz says whether the database answers; /metrics counts answers by
// tool and outcome, times them, and shows the pool, without any tenant.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/database';
import { futureSlot, ORG_A, startServer, tool, type RunningServer } from './support/server';

describe('health and metrics', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let server: RunningServer;

  before(async () => {
    db = await createTestDatabase('obs');
    server = await startServer({ db });
  });

  after(async () => {
    await server?.close();
    await db?.drop();
  });

  test('healthz is 200 while the database answers', async () => {
    const res = await server.get('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ok: true, database: 'reachable' });
  });

  test('healthz is 503 when it does not', async () => {
    const url = new URL(db.roleUrl);
    url.port = '9';
    const broken = await startServer({ db: { ...db, roleUrl: url.toString() }, env: { DB_CONNECT_TIMEOUT_MS: '500' } });
    try {
      const res = await broken.get('/healthz');
      assert.equal(res.status, 503);
      assert.equal(res.body.ok, false);
      const call = await broken.post(tool('hold-status'), { holdId: '00000000-0000-4000-8000-000000000000' });
      assert.equal(call.status, 503, 'a tool call without a database is a 503, not a 500');
      assert.equal(call.body.error, 'database_unavailable');
      assert.equal(call.body.action, 'RETRY');
    } finally {
      await broken.close();
    }
  });

  test('metrics count tools by outcome, time them and show the pool', async () => {
    const slot = futureSlot();
    await server.post(tool('reserve-atomic'), { slotId: slot, calendarId: 'primary', patientPhone: '+15550100900', callId: 'm1' });
    await server.post(tool('reserve-atomic'), { slotId: slot, calendarId: 'primary', patientPhone: '+15550100901', callId: 'm2' });
    await server.post(tool('reserve-atomic'), { slotId: 'never', calendarId: 'primary', patientPhone: '+15550100901' });
    await server.post('/api/vapi/tool-calls', {
      message: { type: 'tool-calls', call: { id: 'm3' }, toolCallList: [{ id: 'x', name: 'hold_status', arguments: { holdId: '00000000-0000-4000-8000-000000000000' } }] },
    });
    const res = await server.get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const text = res.text;
    const value = (line: string) => {
      const m = text.split('\n').find((l) => l.startsWith(line));
      assert.ok(m, `metrics have ${line}`);
      return Number(m.slice(line.length).trim());
    };
    assert.equal(value('booking_tool_requests_total{tool="reserve_slot",outcome="success"}'), 1);
    assert.equal(value('booking_tool_requests_total{tool="reserve_slot",outcome="slot_unavailable"}'), 1);
    assert.equal(value('booking_tool_requests_total{tool="reserve_slot",outcome="invalid_request"}'), 1);
    assert.equal(value('booking_tool_requests_total{tool="hold_status",outcome="hold_not_found"}'), 1);
    assert.equal(value('booking_tool_request_duration_seconds_count{tool="reserve_slot"}'), 3);
    assert.equal(value('booking_tool_request_duration_seconds_bucket{tool="reserve_slot",le="+Inf"}'), 3);
    assert.ok(value('booking_tool_db_pool_connections{state="total"}') >= 1);
    assert.equal(value('booking_tool_db_pool_max'), 10);
    assert.ok(!text.includes(ORG_A), 'no tenant in the metrics');
  });
});
