// The calendar lock: every writer that adds blocking time to one calendar
// takes it for the rest of its transaction (the functions first, with a
// bounded wait; the overlap guard for any other writer), so writers of a
// calendar are serialised and nobody hears "taken" because a rival merely
// held a lock. The functions' wait is bounded by booking.lock_wait_timeout;
// past it the caller hears busy/RETRY.
//
// It is an advisory lock in the lock manager (visible in pg_locks with
// locktype 'advisory' and objsubid 16963), keyed by a hash of
// (org_id, calendar_id), and distinct from every pg_advisory_lock() key.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

// The tags of booking's advisory locks, side by side so they stay distinct.
constexpr uint16 kCalendarLockTagField4 = 0x4243;  // "BC"; below 32768, so objsubid shows it as is
constexpr uint16 kEventLockTagField4 = 0x4245;     // "BE"
constexpr uint16 kContactLockTagField4 = 0x4250;   // "BP": a person (store/contact_locks.hpp)

// True when the lock is held; false when the bound passed first.
bool lock_calendar(const pg_uuid_t *org_id, const char *calendar_id, int calendar_len);

// Takes the lock, waiting as any lock wait does (lock_timeout applies): for
// the overlap guard, which every writer passes through.
void lock_calendar_unbounded(const pg_uuid_t *org_id, const char *calendar_id, int calendar_len);

// The lock under which queued events get their positions (one transaction
// at a time, until its commit), in the same advisory space with its own tag.
// A reader waits for it up to booking.lock_wait_timeout, so it positions
// what committed before it; the worker only tries. False when not taken.
bool lock_event_positions(bool wait);

}  // namespace booking::pg
