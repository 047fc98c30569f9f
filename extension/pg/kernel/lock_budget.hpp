// A transaction's budget of locks kept to its end, and the locks it holds
// for less past that budget (store/calendar_lock.hpp says why and which).
//
// The lock manager's table is shared by the whole server: at default
// settings it holds max_locks_per_transaction (64) locks per connection on
// average, a few thousand in all, and a transaction that takes more fails,
// or makes another session fail, with "out of shared memory". Half of a
// transaction's share is the budget of locks it keeps; the rest is left to
// the relations it opens and to other sessions. Past it, a lock is held for
// one row (until the next is locked, or the statement ends) or for one call
// (until it ends), by the transaction's resource owner, so that a later
// statement or call can let go of it (LockRelease finds a lock by the owner
// it is given); a subtransaction's abort leaves it held, and the
// transaction's end releases it with every other lock.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg::lock_budget {

// Whether the transaction may take one more lock to its end; counted by
// kept_one (and let go again by let_go_of_kept).
bool room_to_keep();
void kept_one();
void let_go_of_kept(const LOCKTAG *tag);

// Whether the lock is held for a row or a call (past the budget).
bool held_for_less(const LOCKTAG *tag);

// Takes the lock (waiting as any lock wait does) for the row about to be
// written, letting go of the previous row's.
void take_for_row(const LOCKTAG *tag);
// Lets go of the row's lock: before a wait, or when the statement ends.
void let_go_of_row();

// A call's locks past the budget, let go when the call ends
// (call/call_scope.hpp). call_has_room: whether the call may hold one more
// so (a call holds at most a set's calendars and a pool's members; one that
// held more would keep the rest to the end). take_for_call: acquire(tag)
// run under the transaction's owner; true when it was granted.
// adopt_for_call: a lock held for a row becomes the call's.
bool call_has_room();
bool take_for_call(const LOCKTAG *tag, bool (*acquire)(const LOCKTAG *));
void adopt_for_call(const LOCKTAG *tag);
void let_go_of_call_locks();

}  // namespace booking::pg::lock_budget
