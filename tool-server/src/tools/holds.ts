// Holding a slot while the caller is verified: claim_slot, release_hold,
// hold_status.
import { leading, toolAnswer } from '../answers';
import { BOUND_ORG, TENANT_BINDING } from '../db/tenant-transaction';
import { body, minutes, text, time, uuid } from './schema';
import type { Tool } from './tool';

interface ReserveBody {
  slotId: string;
  calendarId: string;
  patientPhone: string;
  patientName?: string;
  durationMinutes: number;
  callId?: string;
}

export const reserveAtomic: Tool<ReserveBody> = {
  path: 'reserve-atomic',
  name: 'reserve_slot',
  description:
    'Hold a time slot for this caller for a few minutes while they are verified. Call it once the caller has chosen a time. ' +
    'On success say "I\'ve held that for you" and send the verification code next (send_otp). ' +
    'If it answers success=false with action OFFER_ALTERNATIVES, offer the times in alternatives (the slot is taken, too soon, ' +
    'too far ahead, or its day or week is full: error says which); ESCALATE_TO_HUMAN (contact_limit_reached: the caller already ' +
    'has as many upcoming appointments as the clinic allows) means hand over to staff.',
  body: body(['slotId', 'calendarId', 'patientPhone'], {
    slotId: time('The start of the slot, ISO 8601 with a time zone offset, e.g. 2026-01-15T14:00:00Z.'),
    calendarId: text('The calendar (practitioner, room) to book on, e.g. "primary".', { maxLength: 200 }),
    patientPhone: { type: 'string', format: 'phone', description: 'The caller\'s mobile number, where the code is texted, in international format, e.g. +15550123.' },
    patientName: text('The caller\'s name.', { maxLength: 200 }),
    durationMinutes: minutes('Length of the appointment in minutes.', 30),
    callId: text('The call this hold belongs to; the same call claiming again gets the same hold back.', { maxLength: 200 }),
  }),
  hidden: ['callId'],
  async run({ db }, ctx, b) {
    const callerRef = b.callId ?? null;
    const a = await db.answer(ctx.orgId, {
      name: 'tool_claim_slot',
      text:
        `SELECT booking.claim_slot(org_id => ${BOUND_ORG}, calendar_id => $2, starts_at => $3, ` +
        `duration => make_interval(mins => $4::int), caller_ref => $5, patient_phone => $6, patient_name => $7) AS answer ` +
        `FROM ${TENANT_BINDING}`,
      values: [b.calendarId, b.slotId, b.durationMinutes, callerRef, b.patientPhone, b.patientName ?? null],
    });
    const out = toolAnswer(a, 'Slot held. Send the verification code next.');
    if (out.success === true) return leading(out, { holdId: out.holdId, slotTime: out.startsAt });
    return out;
  },
};

interface HoldBody {
  holdId: string;
  reason?: string;
}

export const release: Tool<HoldBody> = {
  path: 'release',
  name: 'release_hold',
  description: 'Give a held slot back, e.g. when the caller changes their mind or wants another time.',
  body: body(['holdId'], {
    holdId: uuid('The hold from reserve_slot.'),
    reason: text('Why the hold is released.', { maxLength: 1000 }),
  }),
  async run({ db }, ctx, b) {
    const a = await db.answer(ctx.orgId, {
      name: 'tool_release_hold',
      text: `SELECT booking.release_hold(org_id => ${BOUND_ORG}, hold_id => $2, reason => $3) AS answer FROM ${TENANT_BINDING}`,
      values: [b.holdId, b.reason ?? null],
    });
    return toolAnswer(a, 'The hold is released; the slot is free again.');
  },
};

export const holdStatus: Tool<HoldBody> = {
  path: 'hold-status',
  name: 'hold_status',
  description: 'Look up a hold: whether it is still held, when it expires, how many code attempts are left, and the appointment once confirmed.',
  body: body(['holdId'], { holdId: uuid('The hold from reserve_slot.') }),
  async run({ db }, ctx, b) {
    const a = await db.answer(ctx.orgId, {
      name: 'tool_hold_status',
      text: `SELECT booking.hold_status(org_id => ${BOUND_ORG}, hold_id => $2) AS answer FROM ${TENANT_BINDING}`,
      values: [b.holdId],
    });
    return toolAnswer(a, 'Hold found.');
  },
};
