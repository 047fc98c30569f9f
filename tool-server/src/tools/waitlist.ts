// Putting a caller on a calendar's waitlist: join_waitlist. When time is
// freed there, the extension holds the earliest fitting slot for the first in
// line, in the transaction that freed it, and records the event
// waitlist_offered; a consumer of the events texts the caller (README,
// "Texting waitlist offers").
import { leading, toolAnswer } from '../answers';
import { BOUND_ORG, TENANT_BINDING } from '../db/tenant-transaction';
import { body, minutes, text, time } from './schema';
import type { Tool } from './tool';

interface JoinWaitlistBody {
  calendarId: string;
  from: string;
  until: string;
  durationMinutes: number;
  patientPhone: string;
  patientName?: string;
  callId?: string;
}

export const joinWaitlist: Tool<JoinWaitlistBody> = {
  path: 'join-waitlist',
  name: 'join_waitlist',
  description:
    'Put the caller on the waitlist for a calendar when no time they want is free ("shall I put you on the list for Tuesday morning?"). ' +
    'from and until bound the window they can come in. If a slot frees up in it, it is held for them and they get a text message; ' +
    'tell them so, and their place in line (position). Only after check_availability found nothing suitable.',
  body: body(['calendarId', 'from', 'until', 'patientPhone'], {
    calendarId: text('The calendar (practitioner, room), e.g. "primary".', { maxLength: 200 }),
    from: time('The earliest start the caller can take, ISO 8601 with a time zone offset.'),
    until: time('The latest end the caller can take, ISO 8601 with a time zone offset.'),
    durationMinutes: minutes('Length of the appointment in minutes.', 30),
    patientPhone: { type: 'string', format: 'phone', description: 'The caller\'s mobile number, where the offer is texted, in international format, e.g. +15550123.' },
    patientName: text('The caller\'s name.', { maxLength: 200 }),
    callId: text('The call this entry belongs to; the same call joining again gets the same entry back.', { maxLength: 200 }),
  }),
  hidden: ['callId'],
  async run({ db }, ctx, b) {
    const callerRef = b.callId ?? null;
    const a = await db.answer(ctx.orgId, {
      name: 'tool_join_waitlist',
      text:
        `SELECT booking.join_waitlist(org_id => ${BOUND_ORG}, calendar_id => $2, from_ts => $3, until_ts => $4, ` +
        `duration => make_interval(mins => $5::int), patient_phone => $6, patient_name => $7, caller_ref => $8) AS answer ` +
        `FROM ${TENANT_BINDING}`,
      values: [b.calendarId, b.from, b.until, b.durationMinutes, b.patientPhone, b.patientName ?? null, callerRef],
    });
    const out = toolAnswer(a, 'On the waitlist. If a slot frees up, it is held for the caller and texted to them.');
    if (out.success === true) return leading(out, { waitlistId: out.waitlistId, position: out.position });
    return out;
  },
};
