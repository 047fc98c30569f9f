// A pool on the write path: a call naming a pool books one member free for
// the whole request, chosen inside its transaction.
//
// 1. Every member's calendar lock, in the canonical order of sets
//    (core/resource_set.hpp: the ids' byte order), so two pool calls, or a
//    pool call and a set, never hold one lock each while waiting for the
//    other, and a direct booking of one member simply queues.
// 2. Under the locks, the members' counters are read again (a fresh
//    statement in READ COMMITTED sees every assignment committed before the
//    locks were granted), core/pool_choice.hpp orders the members, and the
//    first free for the whole request takes it: a start the clinic's rules
//    allow (notice, horizon, working hours), a place left once stale holds
//    are cleared, room in its limits per day and week.
// 3. The call then books that member by the same path as a calendar
//    (check_and_lock takes its lock again, a no-op); a booking made moves
//    the member's counter in the same transaction (count_pool_assignment).
//
// None free: slot_unavailable, with the nearest slots of any member. A
// second racer for the same slot waits on the locks, then finds the first
// member taken and books the next.
//
// A retried call goes back to the member its first write took: a claim
// whose caller_ref holds a live hold of a member for this very slot, or a
// book whose idempotency key booked a member for it, is sent to that
// member, where the path answers as the first time did (the hold reused,
// the booking replayed) and no counter moves. Chosen afresh, the retry
// would find that member taken by itself and move the hold to another, or
// refuse the key as used for a different booking.
//
// On a Citus node without the tenant's shard (a call in a transaction block
// through the coordinator) no lock is taken here (lock_set says why): the
// choice is made from what is committed, and the overlap guard on the
// shard's node keeps the guarantee. Two such racers may both choose one
// member; the later waits for the earlier's lock on the shard's node, finds
// the member taken as it writes, and chooses again among the others
// (another_pool_member), now seeing the earlier's booking committed.
//
// Not for a set or a series: with_calendars naming a pool, or a pool given
// to book_series, raises 0A000. A set would pick members of several pools
// at once, and a series would pick one member per occurrence (a different
// clinician each week) or one for all (a search over every occurrence of
// every member); neither is what a caller asking "any clinician" means
// without saying which, so they are refused rather than guessed.
#pragma once

#include "pg/call/args.hpp"
#include "pg/call/call_scope.hpp"
#include "pg/calendar/pools.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

// What ties a call to an earlier write of its own (either may be null).
struct RetryKeys {
    const char *caller_ref;       // a claim's
    const char *idempotency_key;  // a book's
};
BOOKING_PLAIN_DATA(RetryKeys);

// For a call naming id (with n_with others): when id is a pool, chooses a
// member as above and writes it to *calendar_id, or answers (busy, none
// free); when id is no pool, *calendar_id = id and null. Raises 0A000 for
// a pool in a set. Called again after another_pool_member, it chooses among
// the members not yet found taken.
Jsonb *choose_pool_member(CallContext *ctx, const char *id, const TextArg *with, int n_with,
                          core::TimeRange slot, RetryKeys keys, const char **calendar_id);

// The call on id, or on the member of the pool id names: write_on(calendar)
// writes there and answers, or null when it found a pool's member taken as it
// wrote (another_pool_member), and a member is chosen again among the rest.
template <typename WriteOn>
Jsonb *on_pool_member(CallContext *ctx, const char *id, const TextArg *with, int n_with,
                      core::TimeRange slot, RetryKeys keys, WriteOn write_on) {
    for (;;) {
        const char *calendar_id = nullptr;
        if (Jsonb *ended = choose_pool_member(ctx, id, with, n_with, slot, keys, &calendar_id))
            return ended;
        if (Jsonb *answered = write_on(calendar_id))
            return answered;
    }
}

// The member chosen was found taken as the booking was written: true when
// the call should choose again (a pool call on a node without the tenant's
// shard, which chose without the members' locks), the member set aside.
// Under the locks a member chosen is never taken, so elsewhere false.
bool another_pool_member(CallContext *ctx);

// 0A000 when id names a pool: for the calls that do not take one.
void refuse_pool(const CallContext *ctx, const char *id, const char *function);

// The nearest free slots of any of the pool's members around slot (at most
// booking.alternatives_count, nearest first, in *out, palloc'd): what a
// refused call over the pool offers, and check_availability over a full pool.
int pool_alternatives(const CallContext *ctx, const PoolMember *members, int n,
                      core::TimeRange slot, core::TimeRange **out);

// After a booking of the chosen member is written: its counter moves.
void count_pool_assignment(const CallContext *ctx);

// A waitlist offer from the pool placed on member (operations/waitlist.hpp):
// the member's counter moves as for a booking, taking the pool's next turn.
// Called under the member's lock, which every booking of the pool takes
// before it moves a counter.
void count_pool_offer(const CallContext *ctx, const char *pool_id, const char *member);

}  // namespace booking::pg
