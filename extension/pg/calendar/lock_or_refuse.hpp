// The protocol of every write that adds blocking time to a calendar (claim,
// book, reschedule).
//
// 1. A start in the past, inside the minimum notice, or outside working hours
//    is refused with alternatives.
// 2. The calendar lock is taken (busy/RETRY past booking.lock_wait_timeout).
// 3. Under the lock the writer inserts optimistically; when a constraint
//    refuses, it finds out why, clears what no longer counts (stale holds) and
//    tries again. Since every writer through these functions holds the
//    calendar lock, a repeated refusal means a writer that bypassed the
//    functions (a direct INSERT) got in between: the call then fails with
//    40001 so the client retries, rather than answer from a state it cannot
//    trust. The database constraint is never in doubt either way.
#pragma once

#include "core/time_range.hpp"
#include "pg/calendar/rules.hpp"
#include "pg/call/call_scope.hpp"

namespace booking::pg {

constexpr int kMaxWriteAttempts = 3;

// Steps 1 and 2: the refusal to answer when the call must stop here (built
// in the caller's memory; the call scope stays open), or null with the
// calendar lock held. exclude is the caller's own reservation, if any.
Jsonb *lock_or_refuse(const CallContext *ctx, const char *calendar_id, const CalendarRules &rules,
                      core::TimeRange slot, const pg_uuid_t *exclude);

[[noreturn]] void raise_concurrent_writer();

}  // namespace booking::pg
