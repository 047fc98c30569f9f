// The first steps of every call that makes a reservation (claim_slot, book):
// the slot, its calendar's rules, the gate (calendar/lock_or_refuse.hpp) and
// the new row's common fields.
#pragma once

#include "pg/calendar/rules.hpp"
#include "pg/call/args.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

// The refusal to answer, or null with the calendar lock held, *rules read
// and *out filled in (a fresh id, the calendar, the slot, the buffers).
Jsonb *open_new_reservation(const CallContext *ctx, TextArg calendar_id, TimestampTz starts_at,
                            core::Micros duration, CalendarRules *rules, NewReservation *out);

}  // namespace booking::pg
