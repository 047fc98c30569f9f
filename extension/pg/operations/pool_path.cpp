#include "pg/operations/pool_path.hpp"

#include <string_view>

#include "core/answer_codes.hpp"
#include "core/resource_set.hpp"
#include "pg/answer/answers.hpp"
#include "pg/calendar/alternatives.hpp"
#include "pg/calendar/limits.hpp"
#include "pg/calendar/pools.hpp"
#include "pg/kernel/scale_out.hpp"
#include "pg/operations/write_path.hpp"
#include "pg/settings/settings.hpp"
#include "pg/shared/stats.hpp"
#include "pg/store/calendar_lock.hpp"
#include "pg/store/overlap_guard.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

namespace {

// Every member's lock in the canonical order; false when one was not granted
// within booking.lock_wait_timeout. Not where the tenant's shard is
// elsewhere (lock_set in write_path.cpp says why).
bool lock_members(const CallContext *ctx, const PoolMember *members, int n) {
    if (tenant_elsewhere(ctx->org_id))
        return true;
    std::string_view names[core::kMaxPoolMembers];
    for (int i = 0; i < n; ++i)
        names[i] = members[i].calendar_id;
    int order[core::kMaxPoolMembers];
    core::lock_order({names, static_cast<std::size_t>(n)}, order);
    for (int k = 0; k < n; ++k) {
        const PoolMember &m = members[order[k]];
        if (!lock_calendar(ctx->org_id, m.calendar_id, static_cast<int>(strlen(m.calendar_id))))
            return false;
    }
    return true;
}

// Whether the member would take the booking: the gate's rules, a place left
// (stale holds in the way cleared), room in its limits per day and week.
bool member_free(const CallContext *ctx, const char *calendar_id, core::TimeRange slot) {
    ResourceSet one;
    new_set(ctx, calendar_id, nullptr, 0, slot, &one);
    if (rule_refusal(ctx, one, slot))
        return false;
    const CalendarRules &rules = one.member[0].rules;
    // The guard's own probe first (one index read); only a member it finds
    // taken is read through the statement, which also expires a lapsed hold
    // in the way (the probe counts one as taken).
    if (!guard_admits(ctx, calendar_id, blocked_range(rules, slot), rules.capacity)) {
        Reservation conflicting;
        const SetExcludes none;
        if (full_member(ctx, one, slot, none, &conflicting))
            return false;
    }
    core::Period period;
    return !(has_limits(rules) &&
             breaks_limit(ctx, calendar_id, rules, slot.start, nullptr, 1, &period));
}

// The member a retried call's first write took for this very slot (see
// pool_path.hpp): a book's booking of its idempotency key, a claim's live
// hold of its caller_ref; -1 when there is none.
int earlier_member(const CallContext *ctx, RetryKeys keys, const PoolMember *members, int n,
                   core::TimeRange slot) {
    Reservation earlier;
    bool found = false;
    if (keys.idempotency_key != nullptr) {
        found = find_by_idempotency_key(ctx, keys.idempotency_key, &earlier);
    } else if (keys.caller_ref != nullptr && find_caller_hold(ctx, keys.caller_ref, &earlier)) {
        const core::Status now =
            core::effective_status(earlier.status, earlier.expires_at, ctx->now);
        found = now == core::Status::held || now == core::Status::requires_manual_followup;
    }
    if (!found || earlier.has_set || earlier.has_series || earlier.starts_at != slot.start ||
        earlier.ends_at != slot.end)
        return -1;
    for (int i = 0; i < n; ++i) {
        if (strcmp(members[i].calendar_id, earlier.calendar_id) == 0)
            return i;
    }
    return -1;
}

bool taken(const CallContext *ctx, int index) {
    return (ctx->pool_members_taken & (uint64{1} << index)) != 0;
}

void choose(CallContext *ctx, const PoolMember *members, int index, int64 turn,
            const char **calendar_id) {
    ctx->pool_member = members[index].calendar_id;
    ctx->pool_member_index = index;
    ctx->pool_turn = turn;
    *calendar_id = members[index].calendar_id;
}

void counts_of(const PoolMember *members, int n, core::PoolMemberCount *out) {
    for (int i = 0; i < n; ++i)
        out[i] = members[i].count;
}

// No member free: slot_unavailable, with the nearest slots of any member.
Jsonb *none_free_answer(const CallContext *ctx, const PoolMember *members, int n,
                        core::TimeRange slot) {
    stats::count(stats::Tally::conflicts);
    core::TimeRange *all = nullptr;
    const int kept = pool_alternatives(ctx, members, n, slot, &all);
    JsonOut j;
    begin_failure(&j, core::codes::kSlotUnavailable,
                  psprintf("no calendar of pool \"%s\" is free at that time", ctx->pool_id),
                  core::codes::kOfferAlternatives);
    put_alternatives(&j, all, kept);
    return answer(ctx, &j);
}

}  // namespace

int pool_alternatives(const CallContext *ctx, const PoolMember *members, int n,
                      core::TimeRange slot, core::TimeRange **out) {
    const int capacity = settings::alternatives_count;
    core::TimeRange *all =
        static_cast<core::TimeRange *>(palloc(sizeof(core::TimeRange) * (capacity * n + 1)));
    int found = 0;
    for (int i = 0; i < n; ++i) {
        const CalendarRules rules = calendar_rules(ctx, members[i].calendar_id);
        found += find_alternatives(ctx, members[i].calendar_id, rules, slot, nullptr, all + found,
                                   capacity);
    }
    *out = all;
    return static_cast<int>(core::merge_nearest(all, static_cast<std::size_t>(found), slot.start,
                                                static_cast<std::size_t>(capacity)));
}

void refuse_pool(const CallContext *ctx, const char *id, const char *function) {
    if (pool_kind(ctx, id).is_pool)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("%s does not take a pool: \"%s\" is a pool", function, id),
                        errhint("Name one of the pool's calendars.")));
}

Jsonb *choose_pool_member(CallContext *ctx, const char *id, const TextArg *with, int n_with,
                          core::TimeRange slot, RetryKeys keys, const char **calendar_id) {
    *calendar_id = id;
    const PoolKind kind = pool_kind(ctx, id);
    for (int i = 0; i < n_with; ++i)
        refuse_pool(ctx, with[i].str, "with_calendars");
    if (!kind.is_pool)
        return nullptr;
    if (n_with > 0)
        refuse_pool(ctx, id, "a booking of several calendars (with_calendars)");
    // The members and their counters, read once under the pool's lock: as
    // the last booking of the pool (or set_pool) left them.
    if (!lock_pool(ctx, id))
        return busy_answer(ctx);
    PoolMember *members =
        static_cast<PoolMember *>(palloc(sizeof(PoolMember) * core::kMaxPoolMembers));
    const int n = read_pool_members(ctx, id, members);
    if (n == 0)
        return nullptr;  // dropped since the cache said so: a calendar now
    ctx->pool_id = id;
    if (!lock_members(ctx, members, n))
        return busy_answer(ctx);
    core::PoolMemberCount counts[core::kMaxPoolMembers];
    counts_of(members, n, counts);
    int order[core::kMaxPoolMembers];
    core::pool_order(kind.strategy, kind.weighted, {counts, static_cast<std::size_t>(n)}, order);
    const int64 turn = core::next_pool_turn({counts, static_cast<std::size_t>(n)});
    const int earlier = earlier_member(ctx, keys, members, n, slot);
    if (earlier >= 0 && !taken(ctx, earlier)) {
        choose(ctx, members, earlier, turn, calendar_id);
        return nullptr;
    }
    // A start in the past is no member's fault: the path answers it.
    const bool past = slot.start < ctx->now;
    for (int k = 0; k < n; ++k) {
        const int m = order[k];
        if (!taken(ctx, m) && (past || member_free(ctx, members[m].calendar_id, slot))) {
            choose(ctx, members, m, turn, calendar_id);
            return nullptr;
        }
    }
    return none_free_answer(ctx, members, n, slot);
}

bool another_pool_member(CallContext *ctx) {
    static_assert(core::kMaxPoolMembers <= 64, "pool_members_taken holds a bit per member");
    if (ctx->pool_member == nullptr || !tenant_elsewhere(ctx->org_id))
        return false;
    ctx->pool_members_taken |= uint64{1} << ctx->pool_member_index;
    ctx->pool_member = nullptr;
    return true;
}

void count_pool_offer(const CallContext *ctx, const char *pool_id, const char *member) {
    PoolMember members[core::kMaxPoolMembers];
    const int n = read_pool_members(ctx, pool_id, members);
    core::PoolMemberCount counts[core::kMaxPoolMembers];
    counts_of(members, n, counts);
    record_pool_assignment(ctx, pool_id, member,
                           core::next_pool_turn({counts, static_cast<std::size_t>(n)}));
}

void count_pool_assignment(const CallContext *ctx) {
    if (ctx->pool_member != nullptr)
        record_pool_assignment(ctx, ctx->pool_id, ctx->pool_member, ctx->pool_turn);
}

}  // namespace booking::pg
