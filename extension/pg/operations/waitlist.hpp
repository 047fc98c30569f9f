// The waitlist as the other operations meet it: each write that frees
// blocking time hands it on here, in its own transaction, and each that
// settles a hold tells the entry the hold was offered to.
//
// Where an offer is made: every write that frees time on a calendar calls
// pass_freed_time() after its change and before it answers (cancel, release,
// reschedule away, a lockout released by staff through release_hold, a hold
// met lapsed by a call, and the sweep's expiries). With nobody waiting whose
// window meets the freed range, that costs one probe of the partial index
// waitlist_waiting and nothing else. Otherwise it takes the calendar lock,
// which every writer adding blocking time takes before writing, so no other
// claimer can see the freed time free before the offer's hold is in place
// and committed with the write that freed it.
//
// Calendars or pools: an entry waits for a calendar or a pool. Time freed on
// a calendar is offered, in join order, to the calendar's entries and to
// those of every pool it is a member of, always on that calendar and under
// its lock alone (pass_freed_time in waitlist.cpp says why).
#pragma once

#include "core/time_range.hpp"
#include "core/waitlist.hpp"
#include "pg/call/call_scope.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

// Blocking time [range) was freed on calendar_id by this transaction: the
// earliest-joined waiting entries whose window meets it and still holds a
// free slot of their duration get an offer, each a hold on its earliest such
// slot. 55P03 when the calendar's lock is not granted within
// booking.lock_wait_timeout (nothing is changed: the freeing write rolls
// back with it rather than free time nobody was offered).
void pass_freed_time(const CallContext *ctx, const char *calendar_id, core::TimeRange range);

// The same for a reservation that stopped blocking, and every other row of
// its set.
void pass_freed_reservation(const CallContext *ctx, const Reservation &r);

// A hold stopped being held: if it was a waitlist offer, its entry becomes
// booked (confirmed or verified) or lapsed (released, expired).
void settle_offer(const CallContext *ctx, const pg_uuid_t *hold_id, bool booked);

// A lapsed hold met by a call (confirm, release, extend, a code) is expired
// on the spot; its time, free since its TTL passed, goes to the waitlist now
// rather than at the sweep, which will not meet it again.
void expire_met_hold(const CallContext *ctx, const Reservation &r);

// The sweep's expiries, each of its organisation: offers settled as lapsed
// and their time passed on.
void pass_lapsed_holds(const CallContext *ctx, const LapsedHold *holds, int n);

}  // namespace booking::pg
