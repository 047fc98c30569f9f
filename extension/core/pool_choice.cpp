#include "core/pool_choice.hpp"

#include <algorithm>
#include <cstring>

namespace booking::core {

bool parse_pool_strategy(const char *text, PoolStrategy *out) {
    if (std::strcmp(text, "round_robin") == 0) {
        *out = PoolStrategy::round_robin;
        return true;
    }
    if (std::strcmp(text, "first_free") == 0) {
        *out = PoolStrategy::first_free;
        return true;
    }
    return false;
}

const char *pool_strategy_name(PoolStrategy strategy) {
    return strategy == PoolStrategy::first_free ? "first_free" : "round_robin";
}

namespace {

// Never assigned (turn 0) is older than any turn.
bool older(const PoolMemberCount &a, const PoolMemberCount &b) { return a.last_turn < b.last_turn; }

// Smooth weighted round robin (nginx's), its state derived from the
// counters instead of kept: after N assignments a member's "current weight"
// is N * weight - total * assigned, and the next goes to the highest
// (N + 1) * weight - total * assigned. Derived, it needs no state besides
// what the pool counts, survives a member being busy (its credit waits for
// it) and keeps each member within one booking of its share. Weights are at
// most kMaxPoolWeight and members kMaxPoolMembers: no overflow before 2^40
// bookings.
int64_t credit(const PoolMemberCount &m, int64_t next, int64_t total) {
    return next * m.weight - total * m.assigned;
}

}  // namespace

void pool_order(PoolStrategy strategy, bool weighted, Span<PoolMemberCount> members, int *order) {
    const int n = static_cast<int>(members.size);
    for (int i = 0; i < n; ++i)
        order[i] = i;
    if (strategy == PoolStrategy::first_free)
        return;
    int64_t next = 1;
    int64_t total = 0;
    for (const PoolMemberCount &m : members) {
        next += m.assigned;
        total += m.weight;
    }
    // stable_sort keeps the pool's order among equals: the last tie-break.
    std::stable_sort(order, order + n, [&](int x, int y) {
        const PoolMemberCount &a = members[static_cast<std::size_t>(x)];
        const PoolMemberCount &b = members[static_cast<std::size_t>(y)];
        if (weighted) {
            const int64_t ca = credit(a, next, total);
            const int64_t cb = credit(b, next, total);
            if (ca != cb)
                return ca > cb;
        }
        return older(a, b);
    });
}

int64_t next_pool_turn(Span<PoolMemberCount> members) {
    int64_t latest = 0;
    for (const PoolMemberCount &m : members)
        latest = std::max(latest, m.last_turn);
    return latest + 1;
}

}  // namespace booking::core

namespace booking::core {

namespace {

Micros distance(Micros a, Micros b) { return a > b ? a - b : b - a; }

}  // namespace

std::size_t merge_nearest(TimeRange *slots, std::size_t n, Micros requested, std::size_t capacity) {
    std::sort(slots, slots + n, [&](const TimeRange &a, const TimeRange &b) {
        const Micros da = distance(a.start, requested);
        const Micros db = distance(b.start, requested);
        return da != db ? da < db : a.start < b.start;
    });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < n && kept < capacity; ++i) {
        bool seen = false;
        for (std::size_t k = 0; k < kept && !seen; ++k)
            seen = slots[k] == slots[i];
        if (!seen)
            slots[kept++] = slots[i];
    }
    return kept;
}

std::size_t merge_free_slots(TimeRange *slots, std::size_t n, int *places, std::size_t capacity) {
    std::sort(slots, slots + n, [](const TimeRange &a, const TimeRange &b) {
        return a.start != b.start ? a.start < b.start : a.end < b.end;
    });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (kept > 0 && slots[kept - 1] == slots[i]) {
            ++places[kept - 1];
            continue;
        }
        if (kept == capacity)
            break;
        slots[kept] = slots[i];
        places[kept] = 1;
        ++kept;
    }
    return kept;
}

}  // namespace booking::core
