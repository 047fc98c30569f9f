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
//
// Many calendars in one transaction (an import, a script booking for every
// tenant). The lock manager's table is shared by the whole server and holds
// a few thousand locks at default settings, so a transaction keeps at most
// a budget of calendar locks to its end: half of max_locks_per_transaction
// (32 by default). Past it a calendar's lock is held only while it is needed:
// by the overlap guard until its row is in the index (it lets go when it
// locks the next calendar, or the statement ends), by a function until the
// call ends. Such a
// transaction's rows are then in the index, uncommitted, with nobody holding
// their calendar's lock; whoever locks the calendar next meets them as
// writers in flight and waits for them (store/overlap_guard.hpp), as an
// exclusion constraint waits for an uncommitted rival.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

// The tags of booking's advisory locks, side by side so they stay distinct.
constexpr uint16 kCalendarLockTagField4 = 0x4243;  // "BC"; below 32768, so objsubid shows it as is
constexpr uint16 kEventLockTagField4 = 0x4245;     // "BE"
constexpr uint16 kContactLockTagField4 = 0x4250;   // "BP": a person (store/contact_locks.hpp)

// True when the lock is held; false when the bound passed first.
bool lock_calendar(const pg_uuid_t *org_id, const char *calendar_id, int calendar_len);

// How the overlap guard holds a calendar's lock for one row: the
// transaction held it already, took it now to its end, or took it now for
// this row alone (past the budget).
enum class CalendarHold { held_before, to_commit, for_row };

// Takes the lock for the guard, waiting as any lock wait does (lock_timeout
// applies), and lets go of the lock the previous row held for itself alone.
CalendarHold lock_calendar_for_row(const pg_uuid_t *org_id, const char *calendar_id,
                                   int calendar_len);

// Lets go of a lock lock_calendar_for_row took now (to_commit or for_row),
// before the guard waits for a writer in flight: a writer waiting while it
// holds a calendar's lock could wait for one waiting for that lock.
void let_go_for_row(const pg_uuid_t *org_id, const char *calendar_id, int calendar_len,
                    CalendarHold how);

// The end of a statement writing reservations (the guard's statement
// trigger): the lock its last row held past the budget is let go.
void statement_rows_written();

// The lock under which queued events get their positions (one transaction
// at a time, until its commit), in the same advisory space with its own tag.
// A reader waits for it up to booking.lock_wait_timeout, so it positions
// what committed before it; the worker only tries. False when not taken.
bool lock_event_positions(bool wait);

}  // namespace booking::pg
