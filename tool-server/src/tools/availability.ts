// Free slots of a calendar in a window: free_slots, as a list of ranges.
import { toolAnswer } from '../answers';
import { BOUND_ORG, TENANT_BINDING } from '../db/tenant-transaction';
import { body, minutes, text, time } from './schema';
import type { Tool } from './tool';

interface AvailabilityBody {
  calendarId: string;
  from: string;
  until: string;
  durationMinutes: number;
  maxResults: number;
}

export const checkAvailability: Tool<AvailabilityBody> = {
  path: 'check-availability',
  name: 'check_availability',
  description:
    'Find free appointment times on a calendar between two instants. Offer the caller a few of the returned slots; nothing is reserved until reserve_slot.',
  body: body(['calendarId', 'from', 'until', 'durationMinutes'], {
    calendarId: text('The calendar (practitioner, room), e.g. "primary".', { maxLength: 200 }),
    from: time('Earliest start, ISO 8601 with a time zone offset.'),
    until: time('Latest end, ISO 8601 with a time zone offset.'),
    durationMinutes: minutes('Length of the appointment in minutes.'),
    // 100 slots are about 8,000 characters: inside Retell's cap on a reply (about 15,000).
    maxResults: { type: 'integer', minimum: 1, maximum: 100, default: 5, description: 'How many slots to return at most (up to 100).' },
  }),
  async run({ db }, ctx, b) {
    // The rows become the answer's array in SQL, so their times are written
    // exactly as every other answer writes them. LATERAL makes the slots
    // depend on the binding, so it is evaluated first.
    const a = await db.answer(ctx.orgId, {
      name: 'tool_free_slots',
      text:
        "SELECT jsonb_build_object('success', true, 'slots', coalesce(jsonb_agg(" +
        "jsonb_build_object('starts_at', s.starts_at, 'ends_at', s.ends_at) ORDER BY s.starts_at), '[]'::jsonb)) AS answer " +
        `FROM ${TENANT_BINDING}, LATERAL booking.free_slots(org_id => ${BOUND_ORG}, calendar_id => $2, from_ts => $3, until_ts => $4, ` +
        'duration => make_interval(mins => $5::int), max_results => $6::int) s',
      values: [b.calendarId, b.from, b.until, b.durationMinutes, b.maxResults],
    });
    const slots = Array.isArray(a.slots) ? a.slots.length : 0;
    return toolAnswer(a, slots === 0 ? 'No free slots in that window.' : `${slots} free slot${slots === 1 ? '' : 's'}.`);
  },
};
