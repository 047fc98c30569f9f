// Appointments: book (direct, no code: in the agent profile), cancel and
// reschedule (in the staff profile, which this server's role may lack).
import { leading, toolAnswer } from '../answers';
import { HttpError } from '../errors/http-error';
import { BOUND_ORG, TENANT_BINDING, type Tx } from '../db/tenant-transaction';
import { body, minutes, text, time, uuid } from './schema';
import type { Tool } from './tool';

interface BookBody {
  calendarId: string;
  slotId: string;
  durationMinutes: number;
  contactId?: string;
  serviceId?: string;
  notes?: string;
  idempotencyKey?: string;
}

export const book: Tool<BookBody> = {
  path: 'book',
  name: 'book_appointment',
  description:
    'Book an appointment directly, without a hold or a code. Only for clinics that do not verify callers by SMS; ' +
    'otherwise use reserve_slot, send_otp and verify_otp. OFFER_ALTERNATIVES: offer the times in alternatives; ' +
    'ESCALATE_TO_HUMAN: hand over to staff.',
  body: body(['calendarId', 'slotId'], {
    calendarId: text('The calendar (practitioner, room), e.g. "primary".', { maxLength: 200 }),
    slotId: time('The start, ISO 8601 with a time zone offset.'),
    durationMinutes: minutes('Length of the appointment in minutes.', 30),
    contactId: uuid('The patient\'s contact record, if known.'),
    serviceId: uuid('The service booked, if known.'),
    notes: text('Notes for the clinic.', { maxLength: 4000 }),
    idempotencyKey: text('Makes a retried request book once and answer as the first did.', { maxLength: 200 }),
  }),
  hidden: ['idempotencyKey'],
  async run({ db }, ctx, b) {
    // A platform's retried request carries the same key (platforms/call-facts.ts).
    const key = b.idempotencyKey ?? null;
    const a = await db.answer(ctx.orgId, {
      name: 'tool_book',
      text:
        `SELECT booking.book(org_id => ${BOUND_ORG}, calendar_id => $2, starts_at => $3, duration => make_interval(mins => $4::int), ` +
        `contact_id => $5, service_id => $6, notes => $7, idempotency_key => $8) AS answer FROM ${TENANT_BINDING}`,
      values: [b.calendarId, b.slotId, b.durationMinutes, b.contactId ?? null, b.serviceId ?? null, b.notes ?? null, key],
    });
    const out = toolAnswer(a, 'The appointment is booked.');
    if (out.success === true) return leading(out, { appointmentId: out.appointmentId, slotTime: out.startsAt });
    return out;
  },
};

// Checked before the call so the refusal can say which profile is missing;
// PostgreSQL's own "permission denied" would be a bare 42501.
async function requireStaffFunction(tx: Tx, statement: string, signature: string, what: string): Promise<void> {
  const [row] = await tx.query<{ ok: boolean; role: string }>({
    name: statement,
    text: "SELECT has_function_privilege($1, 'EXECUTE') AS ok, current_user AS role",
    values: [signature],
  });
  if (row?.ok) return;
  const role = row?.role ?? 'the tool server role';
  throw new HttpError(403, {
    success: false,
    error: 'forbidden',
    action: 'ESCALATE_TO_HUMAN',
    message:
      `this tool server may not ${what}: its database role ${role} lacks the staff profile ` +
      `(SELECT booking.grant_access('${role}', 'staff'))`,
  });
}

interface CancelBody {
  appointmentId: string;
  reason?: string;
  erasePii: boolean;
}

export const cancel: Tool<CancelBody> = {
  path: 'cancel',
  name: 'cancel_appointment',
  description:
    'Cancel a confirmed appointment, freeing its time. With erasePii the patient\'s name and phone are removed from it. ' +
    'ESCALATE_TO_HUMAN (too_late_to_change: it starts sooner than the clinic\'s change notice) means hand over to staff.',
  body: body(['appointmentId'], {
    appointmentId: uuid('The appointment to cancel.'),
    reason: text('Why it is cancelled.', { maxLength: 1000 }),
    erasePii: { type: 'boolean', default: false, description: 'Also erase the patient\'s personal data from the appointment.' },
  }),
  async run({ db }, ctx, b) {
    const a = await db.inTenant(ctx.orgId, async (tx) => {
      await requireStaffFunction(tx, 'tool_may_cancel', 'booking.cancel_appointment(uuid,uuid,text,boolean,boolean)', 'cancel appointments');
      return tx.answer({
        name: 'tool_cancel_appointment',
        text: 'SELECT booking.cancel_appointment(org_id => $1, appointment_id => $2, reason => $3, erase_pii => $4) AS answer',
        values: [ctx.orgId, b.appointmentId, b.reason ?? null, b.erasePii],
      });
    });
    return toolAnswer(a, 'The appointment is cancelled.');
  },
};

interface RescheduleBody {
  appointmentId: string;
  newSlotId: string;
  durationMinutes?: number;
}

export const reschedule: Tool<RescheduleBody> = {
  path: 'reschedule',
  name: 'reschedule_appointment',
  description:
    'Move a confirmed appointment to a new start. Either it moves, or nothing changes and alternatives are offered (OFFER_ALTERNATIVES). ' +
    'ESCALATE_TO_HUMAN (too_late_to_change: it starts sooner than the clinic\'s change notice) means hand over to staff.',
  body: body(['appointmentId', 'newSlotId'], {
    appointmentId: uuid('The appointment to move.'),
    newSlotId: time('The new start, ISO 8601 with a time zone offset.'),
    durationMinutes: minutes('A new length in minutes; by default it keeps its length.'),
  }),
  async run({ db }, ctx, b) {
    const a = await db.inTenant(ctx.orgId, async (tx) => {
      await requireStaffFunction(tx, 'tool_may_reschedule', 'booking.reschedule_appointment(uuid,uuid,timestamptz,interval,boolean)', 'reschedule appointments');
      return tx.answer({
        name: 'tool_reschedule_appointment',
        text:
          'SELECT booking.reschedule_appointment(org_id => $1, appointment_id => $2, new_starts_at => $3, ' +
          'new_duration => make_interval(mins => $4::int)) AS answer',
        values: [ctx.orgId, b.appointmentId, b.newSlotId, b.durationMinutes ?? null],
      });
    });
    const out = toolAnswer(a, 'The appointment is moved.');
    if (out.success === true) return leading(out, { appointmentId: out.appointmentId, slotTime: out.startsAt });
    return out;
  },
};
