// Which member of a pool takes a booking: "any clinician is fine". The caller
// names a pool where it would name a calendar; the write path asks each
// member, in the order this file gives, whether it is free for the whole
// request, and the first free one takes it. The order is decided here, from
// plain counters the pool keeps (booking.pool_assignments), so it is the same
// for every caller that reads the same counters, and testable without a
// server.
#pragma once

#include <cstddef>
#include <cstdint>

#include "time_range.hpp"

namespace booking::core {

// A pool has 2 to 50 members (set_pool refuses other counts with 22023).
constexpr int kMinPoolMembers = 2;
constexpr int kMaxPoolMembers = 50;
// A member's weight, when the pool has weights: 1 to this.
constexpr int kMaxPoolWeight = 1000;

enum class PoolStrategy {
    round_robin,  // the member whose last assignment is oldest; by weight when weighted
    first_free,   // the members in the pool's order
};

// "round_robin" or "first_free"; false for anything else.
bool parse_pool_strategy(const char *text, PoolStrategy *out);
const char *pool_strategy_name(PoolStrategy strategy);

// What the pool's counters say of one member.
struct PoolMemberCount {
    int weight;          // 1 without weights
    int64_t assigned;    // bookings this pool gave it since its weights were set
    int64_t last_turn;   // the pool's turn of its last assignment; 0: never
};

// Writes to order the indexes of the n members in the order they are asked:
// - first_free: the pool's order.
// - round_robin without weights: the oldest last assignment first (never
//   assigned before any), ties in the pool's order. Two bookings in a row
//   go to two members while both are free.
// - round_robin with weights: smooth weighted round robin over the counters
//   (pool_choice.cpp), ties by the oldest last assignment, then the pool's
//   order. With every member free, {"dr-a": 2, "dr-b": 1} gives
//   a, b, a, a, b, a, ...: two of every three bookings to dr-a, each member
//   within one booking of its share at every step
//   (test/unit/test_pool_choice.cpp).
void pool_order(PoolStrategy strategy, bool weighted, Span<PoolMemberCount> members, int *order);

// The turn an assignment now takes: one past the latest of the members'.
int64_t next_pool_turn(Span<PoolMemberCount> members);

}  // namespace booking::core

namespace booking::core {

// A pool's alternatives: each member's nearest free slots, n in all, become
// the pool's: nearest to requested first, the earlier on a tie, each start
// once, at most capacity. Sorts slots in place; returns how many are kept.
std::size_t merge_nearest(TimeRange *slots, std::size_t n, Micros requested, std::size_t capacity);

// A pool's free slots: the members' (n in all) in start order, each slot
// once, with how many members have it free (places), at most capacity.
// Sorts slots in place; returns how many are kept.
std::size_t merge_free_slots(TimeRange *slots, std::size_t n, int *places, std::size_t capacity);

}  // namespace booking::core
