// book, cancel and reschedule. book is in the agent profile; cancel and
// reschedule are in staff, which the server's role gets only on purpose:
// without it they answer a 403 that names the missing profile.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support/database';
import { futureSlot, startServer, tool, type RunningServer } from './support/server';

describe('appointments', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let server: RunningServer;

  before(async () => {
    db = await createTestDatabase('appt');
    server = await startServer({ db });
  });

  after(async () => {
    await server?.close();
    await db?.drop();
  });

  async function booked(): Promise<{ id: string; slot: string }> {
    const slot = futureSlot();
    const r = await server.post(tool('book'), { calendarId: 'dr-lee', slotId: slot, durationMinutes: 45, notes: 'first visit' });
    assert.equal(r.status, 200);
    assert.equal(r.body.success, true, r.text);
    assert.equal(Date.parse(r.body.endsAt) - Date.parse(slot), 45 * 60_000);
    return { id: r.body.appointmentId, slot };
  }

  test('book books directly; an idempotencyKey makes a retry answer the same', async () => {
    const slot = futureSlot();
    const body = { calendarId: 'dr-lee', slotId: slot, idempotencyKey: 'web-42' };
    const first = await server.post(tool('book'), body);
    const second = await server.post(tool('book'), body);
    assert.equal(first.body.success, true, first.text);
    assert.equal(second.body.appointmentId, first.body.appointmentId);
    const clash = await server.post(tool('book'), { calendarId: 'dr-lee', slotId: slot });
    assert.equal(clash.body.error, 'slot_unavailable');
    assert.equal(clash.body.conflictingAppointment.id, first.body.appointmentId);
  });

  test('without the staff profile cancel and reschedule answer 403 and change nothing', async () => {
    const { id } = await booked();
    const cancelled = await server.post(tool('cancel'), { appointmentId: id });
    assert.equal(cancelled.status, 403);
    assert.equal(cancelled.body.error, 'forbidden');
    assert.match(cancelled.body.message, /staff/);
    assert.match(cancelled.body.message, new RegExp(db.role));
    const moved = await server.post(tool('reschedule'), { appointmentId: id, newSlotId: futureSlot() });
    assert.equal(moved.status, 403);
    assert.equal(moved.body.error, 'forbidden');
    const row = await db.admin.query('SELECT status FROM booking.reservations WHERE id = $1', [id]);
    assert.equal(row.rows[0].status, 'confirmed');
  });

  test('with the staff profile: reschedule moves it, cancel with erasePii erases the patient; a clinic\'s rules answer what to do next', async () => {
    await db.admin.query("SELECT booking.grant_access($1, 'staff')", [db.role]);
    try {
      const { id } = await booked();
      const target = futureSlot();
      const moved = await server.post(tool('reschedule'), { appointmentId: id, newSlotId: target, durationMinutes: 60 });
      assert.equal(moved.body.success, true, moved.text);
      assert.equal(Date.parse(moved.body.slotTime), Date.parse(target));
      const row = await db.admin.query('SELECT starts_at, ends_at FROM booking.reservations WHERE id = $1', [id]);
      assert.equal(row.rows[0].starts_at.getTime(), Date.parse(target));
      assert.equal(row.rows[0].ends_at.getTime() - Date.parse(target), 60 * 60_000);

      const held = await server.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'dr-lee', patientPhone: '+15550100800', patientName: 'Bo' });
      await db.admin.query('SELECT booking.confirm_hold($1, $2)', ['0a0a0a0a-1111-4111-8111-0a0a0a0a0a0a', held.body.holdId]);
      const cancelled = await server.post(tool('cancel'), { appointmentId: held.body.holdId, reason: 'patient asked', erasePii: true });
      assert.equal(cancelled.body.success, true, cancelled.text);
      assert.equal(cancelled.body.status, 'cancelled');
      const erased = await db.admin.query('SELECT status, patient_phone, patient_name FROM booking.reservations WHERE id = $1', [held.body.holdId]);
      assert.deepEqual(erased.rows[0], { status: 'cancelled', patient_phone: null, patient_name: null });

      const missing = await server.post(tool('cancel'), { appointmentId: '00000000-0000-4000-8000-000000000000' });
      assert.equal(missing.status, 200);
      assert.equal(missing.body.error, 'appointment_not_found');

      // A clinic's rules reach the agent as answers it can act on: 200, the
      // code, the action, and a message that says what comes next.
      const org = '0a0a0a0a-1111-4111-8111-0a0a0a0a0a0a';
      await db.admin.query("SELECT booking.set_calendar($1, 'dr-near', change_notice => '3650 days')", [org]);
      await db.admin.query("SELECT booking.set_calendar($1, 'dr-soon', max_advance => '1 day')", [org]);
      const near = await server.post(tool('book'), { calendarId: 'dr-near', slotId: futureSlot() });
      assert.equal(near.body.success, true, near.text);
      for (const [path, body] of [
        ['cancel', { appointmentId: near.body.appointmentId }],
        ['reschedule', { appointmentId: near.body.appointmentId, newSlotId: futureSlot() }],
      ] as const) {
        const late = await server.post(tool(path), body);
        assert.equal(late.status, 200, late.text);
        assert.equal(late.body.error, 'too_late_to_change', late.text);
        assert.equal(late.body.action, 'ESCALATE_TO_HUMAN');
        assert.match(late.body.message, /staff|person|team/);
      }
      const kept = await db.admin.query('SELECT status, starts_at FROM booking.reservations WHERE id = $1', [near.body.appointmentId]);
      assert.equal(kept.rows[0].status, 'confirmed');
      const far = await server.post(tool('reserve-atomic'), { slotId: futureSlot(), calendarId: 'dr-soon', patientPhone: '+15550100801', patientName: 'Al' });
      assert.equal(far.status, 200, far.text);
      assert.equal(far.body.error, 'too_far_ahead', far.text);
      assert.equal(far.body.action, 'OFFER_ALTERNATIVES');
      assert.match(far.body.message, /alternatives|earlier/);
      assert.ok(Array.isArray(far.body.alternatives));
    } finally {
      await db.admin.query('SELECT booking.revoke_access($1)', [db.role]);
      await db.admin.query("SELECT booking.grant_access($1, 'agent'), booking.grant_access($1, 'sms_sender')", [db.role]);
    }
  });
});
