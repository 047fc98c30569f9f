// The waitlist's rules that need no database: an entry's states, which of
// them are live, how the state a caller sees follows from the stored one and
// the clock, and which windows may join at all.
//
// An entry waits for time on one calendar (later: a pool, whose members are
// searched in turn) within [from, until) for a slot of its duration. When
// blocking time is freed there, the earliest-joined waiting entry whose
// window still holds a free slot is offered the earliest one as a hold; the
// hold's fate decides the entry's: confirmed → booked, released or lapsed →
// lapsed (and the time goes to the next in line).
#pragma once

#include "core/time_range.hpp"

namespace booking::core::waitlist {

enum class Status { waiting, offered, booked, left, lapsed, expired };

const char *status_name(Status s);
// False for a name that is not a status (the stored text is checked by the
// table's CHECK, so this only guards the layer boundary).
bool parse_status(const char *name, Status *out);

// Live entries hold a place in line: their caller_ref is taken, and they
// count towards the position of those who joined after them.
bool is_live(Status s);

// What a reader sees: a waiting entry whose window has closed (until <= now)
// is expired, and an offer whose hold has lapsed (offer_expires_at <= now)
// is lapsed, even before anyone stored them so.
Status effective_status(Status stored, Micros until, Micros offer_expires_at, Micros now);

// Why a window cannot join (a message for 22023), or null when it can: it
// must end after it starts, be long enough for the duration, and not have
// closed already.
const char *window_problem(TimeRange window, Micros duration, Micros now);

// The part of a window an offer may still use at now: from now on.
TimeRange offer_window(TimeRange window, Micros now);

// The part of window where a slot of duration would meet range: starts
// after range.start - duration and before range.end. Empty when none.
TimeRange meeting_window(TimeRange window, TimeRange range, Micros duration);

// The caller_ref of an offered hold is this prefix and the entry's id, so
// hold_status and the audit log name the entry the hold was made for.
constexpr const char *kOfferCallerRefPrefix = "waitlist:";

}  // namespace booking::core::waitlist
