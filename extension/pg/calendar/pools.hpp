// Pools as stored (booking.pools, booking.pool_members): whether an id names
// a pool, its members with their fairness counters, and the counter a
// booking moves. Which member a call takes is operations/pool_path.hpp's.
//
// Whether an id is a pool is asked by every call that takes a calendar id,
// so it is cached per backend (kernel/keyed_cache.hpp: dropped when
// booking.pools changes, seen by every session at its next transaction); a
// plain calendar's call then reads no table for it. The members and their
// counters are read at each pool call, after the members' locks are held,
// so the read sees every earlier assignment committed.
#pragma once

#include "core/pool_choice.hpp"
#include "pg/call/call_scope.hpp"
#include "pg/kernel/plain_data.hpp"

namespace booking::pg {

struct PoolMember {
    const char *calendar_id;  // palloc'd
    core::PoolMemberCount count;
};
BOOKING_PLAIN_DATA(PoolMember);

struct PoolKind {
    bool is_pool;
    core::PoolStrategy strategy;
    bool weighted;
};
BOOKING_PLAIN_DATA(PoolKind);

// Whether id names a pool of the call's organisation, and how it chooses.
PoolKind pool_kind(const CallContext *ctx, const char *id);

// The pool's members in its order, with their counters; writes at most
// core::kMaxPoolMembers to out and returns how many (0: no such pool).
int read_pool_members(const CallContext *ctx, const char *pool_id, PoolMember *out);

// The members of id when it names a pool (palloc'd, in the pool's order),
// and how many; 0 when id is no pool. For the reads (check_availability,
// free_slots), which lock nothing.
int pool_members(const CallContext *ctx, const char *id, PoolMember **out);

// The pool's own lock, to the end of the transaction: the calendar lock
// keyed by the pool's id, which no calendar has (pools and calendars share
// one namespace). A booking of the pool takes it before its members'
// locks and reads the members and their counters under it, so it reads
// them once, as the last booking of the pool or set_pool left them; set_pool
// and drop_pool take it before they write. A direct booking of a member
// never takes it, so it adds no cycle to the calendar locks' order. False
// when booking.lock_wait_timeout passed first; true without locking where
// the tenant's shard is on another node (no calendar lock is taken there:
// write_path's lock_set says why).
bool lock_pool(const CallContext *ctx, const char *pool_id);

// Moves member's counter: one more assignment, taking turn.
void record_pool_assignment(const CallContext *ctx, const char *pool_id, const char *member,
                            int64 turn);

}  // namespace booking::pg
