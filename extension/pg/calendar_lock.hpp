// The calendar lock: writers that can add blocking time to one calendar
// (claim, book, reschedule) take it for the rest of their transaction, so
// they never meet inside the exclusion constraint's check and nobody hears
// "taken" because a rival merely held a lock. The wait is bounded by
// booking.lock_wait_timeout; past it the caller hears busy/RETRY.
//
// It is an advisory lock in the lock manager (visible in pg_locks with
// locktype 'advisory' and objsubid 45068), keyed by a hash of
// (org_id, calendar_id), and distinct from every pg_advisory_lock() key.
#pragma once

#include "pg_includes.hpp"

namespace booking::pg {

constexpr uint16 kCalendarLockTagField4 = 0xB00C;

// True when the lock is held; false when the bound passed first.
bool lock_calendar(const pg_uuid_t *org_id, const char *calendar_id, int calendar_len);

}  // namespace booking::pg
