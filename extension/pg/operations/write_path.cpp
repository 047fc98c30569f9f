#include "pg/operations/write_path.hpp"

#include "core/answer_codes.hpp"
#include "core/org_policy.hpp"
#include "pg/calendar/alternatives.hpp"
#include "pg/calendar/limits.hpp"
#include "pg/kernel/ids.hpp"
#include "pg/kernel/scale_out.hpp"
#include "pg/policy/org_policy.hpp"
#include "pg/settings/settings.hpp"
#include "pg/shared/stats.hpp"
#include "pg/store/calendar_lock.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/contact_bookings.hpp"
#include "pg/store/contact_locks.hpp"
#include "pg/store/stale_holds.hpp"

namespace booking::pg {

namespace {

void set_member(SetMember *m, const CallContext *ctx, const char *calendar_id,
                core::TimeRange slot) {
    m->rules = calendar_rules(ctx, calendar_id);
    m->row.calendar_id = calendar_id;
    m->row.slot = slot;
    m->row.buffer_before = m->rules.buffer_before;
    m->row.buffer_after = m->rules.buffer_after;
    m->row.capacity = m->rules.capacity;
    m->row.set_id = nullptr;
    m->row.series_id = nullptr;
}

void order_set(ResourceSet *set) {
    std::string_view names[core::kMaxSetCalendars];
    for (int i = 0; i < set->n; ++i)
        names[i] = set->member[i].row.calendar_id;
    core::lock_order({names, static_cast<std::size_t>(set->n)}, set->order);
}

// A refusal's code and message (a set's names the calendar to blame), and
// the clinic's rule that refused, if one did.
struct Wording {
    const char *code;
    const char *message;
    const char *rule = nullptr;
};
BOOKING_PLAIN_DATA(Wording);

Wording wording(const Refusal &refusal, const ResourceSet &set) {
    const bool named = set.n > 1 && refusal.member >= 0;
    const char *calendar = named ? set.member[refusal.member].row.calendar_id : nullptr;
    switch (refusal.kind) {
    case RefusalKind::in_past:
        return {core::codes::kSlotInPast, "the requested time has passed"};
    case RefusalKind::too_soon:
        return {core::codes::kTooSoon,
                named ? psprintf("that time is too soon to book on calendar \"%s\"", calendar)
                      : "that time is too soon to book on this calendar"};
    case RefusalKind::too_far_ahead:
        return {core::codes::kTooFarAhead,
                named ? psprintf("that time is further ahead than calendar \"%s\" books: "
                                 "offer one of the alternatives, which are earlier",
                                 calendar)
                      : "that time is further ahead than this calendar books: "
                        "offer one of the alternatives, which are earlier",
                "max_advance"};
    case RefusalKind::outside_hours:
        return {core::codes::kOutsideWorkingHours,
                named ? psprintf("that time is outside the working hours of calendar \"%s\"",
                                 calendar)
                      : "that time is outside this calendar's working hours"};
    case RefusalKind::full:
        return {core::codes::kSlotUnavailable,
                named ? psprintf("that time is already taken on calendar \"%s\"", calendar)
                      : "that time is already taken"};
    case RefusalKind::limit_reached: {
        const char *period = refusal.period == core::Period::day ? "day" : "week";
        return {core::codes::kLimitReached,
                named ? psprintf("that %s is fully booked on calendar \"%s\": offer one of the "
                                 "alternatives, on days with room",
                                 period, calendar)
                      : psprintf("that %s is fully booked on this calendar: offer one of the "
                                 "alternatives, on days with room",
                                 period),
                limit_name(refusal.period)};
    }
    case RefusalKind::contact_limit:
        return {core::codes::kContactLimitReached,
                "this caller already holds as many upcoming bookings as the clinic allows; "
                "a person should help them change or cancel one first",
                "max_active_per_contact"};
    case RefusalKind::busy:
    case RefusalKind::none:
        break;
    }
    elog(ERROR, "no wording for refusal %d", static_cast<int>(refusal.kind));
    pg_unreachable();
}

// Up to capacity slots near requested that every member has free (nearest
// first); returns how many.
int alternatives_for(const CallContext *ctx, const ResourceSet &set, core::TimeRange requested,
                     const SetExcludes &excludes, core::TimeRange *out, int capacity) {
    if (set.n == 1)
        return find_alternatives(ctx, set.member[0].row.calendar_id, set.member[0].rules,
                                 requested, excludes.id[0], out, capacity);
    SearchCalendar calendars[core::kMaxSetCalendars];
    for (int i = 0; i < set.n; ++i) {
        calendars[i].calendar_id = set.member[i].row.calendar_id;
        calendars[i].rules = &set.member[i].rules;
        calendars[i].exclude = excludes.id[i];
    }
    return find_set_alternatives(ctx, calendars, set.n, requested, out, capacity);
}

}  // namespace

void new_set(const CallContext *ctx, const char *calendar_id, const TextArg *with, int n,
             core::TimeRange slot, ResourceSet *set) {
    set->n = n + 1;
    for (int i = 0; i < set->n; ++i) {
        SetMember *m = &set->member[i];
        set_member(m, ctx, i == 0 ? calendar_id : with[i - 1].str, slot);
        m->row.id = new_id(ctx->now);
    }
    set->set_id = set->member[0].row.id;
    if (set->n > 1) {
        for (int i = 0; i < set->n; ++i)
            set->member[i].row.set_id = &set->set_id;
    }
    order_set(set);
}

void existing_set(const CallContext *ctx, const Reservation &anchor, const Reservation *rows,
                  int n, core::TimeRange slot, ResourceSet *set, SetExcludes *excludes) {
    set->n = 0;
    set->set_id = anchor.has_set ? anchor.set_id : anchor.id;
    // The anchor first, then the others in their order.
    for (int pass = 0; pass < 2; ++pass) {
        for (int i = 0; i < n && set->n < core::kMaxSetCalendars; ++i) {
            bool is_anchor = memcmp(rows[i].id.data, anchor.id.data, UUID_LEN) == 0;
            if (is_anchor != (pass == 0))
                continue;
            SetMember *m = &set->member[set->n];
            set_member(m, ctx, rows[i].calendar_id, slot);
            m->row.id = rows[i].id;
            if (anchor.has_set)
                m->row.set_id = &set->set_id;
            ++set->n;
        }
    }
    for (int i = 0; i < set->n; ++i)
        excludes->id[i] = &set->member[i].row.id;
    order_set(set);
}

Refusal check_and_lock(const CallContext *ctx, const ResourceSet &set, core::TimeRange slot,
                       const Contact *contact) {
    if (Refusal refused = rule_refusal(ctx, set, slot))
        return refused;
    if (contact != nullptr) {
        if (Refusal refused = contact_refusal(ctx, *contact, 1))
            return refused;
    }
    if (!lock_set(ctx, set))
        return {RefusalKind::busy, -1};
    return {};
}

Refusal rule_refusal(const CallContext *ctx, const ResourceSet &set, core::TimeRange slot) {
    if (slot.start < ctx->now)
        return {RefusalKind::in_past, -1};
    for (int i = 0; i < set.n; ++i) {
        const SetMember &m = set.member[i];
        if (slot.start < earliest_start(ctx, m.rules))
            return {RefusalKind::too_soon, i};
        if (core::beyond_horizon(slot.start, latest_start(ctx, m.rules)))
            return {RefusalKind::too_far_ahead, i};
        if (!within_working_hours(m.rules, slot))
            return {RefusalKind::outside_hours, i};
    }
    return {};
}

Refusal contact_refusal(const CallContext *ctx, const Contact &contact, int adding) {
    char key[kContactKeyLength + 1];
    if (!contact_key(contact.contact_id, contact.phone, key))
        return {};
    const int cap = contact.cap >= 0 ? contact.cap : org_limits(ctx).max_active_per_contact;
    if (cap <= 0)
        return {};
    if (!contact.locked)
        lock_contact(ctx, key);
    Reservation earlier;
    if (contact.idempotency_key != nullptr &&
        find_by_idempotency_key(ctx, contact.idempotency_key, &earlier))
        return {};
    const int held = count_contact_bookings(ctx, contact.contact_id, contact.phone,
                                            contact.caller_ref, contact.confirming);
    if (core::policy::over_cap(held, adding, cap))
        return {RefusalKind::contact_limit, -1};
    return {};
}

int lock_confirming_contact(const CallContext *ctx, const pg_uuid_t *contact_id) {
    char key[kContactKeyLength + 1];
    if (contact_id == nullptr || !contact_key(contact_id, nullptr, key))
        return 0;
    const int cap = org_limits(ctx).max_active_per_contact;
    if (cap > 0)
        lock_contact(ctx, key);
    return cap > 0 ? cap : 0;
}

Jsonb *confirm_refused(const CallContext *ctx, const Reservation &hold,
                       const pg_uuid_t *contact_id, int cap) {
    // Without a contact named (cap 0) the hold stays whose it was (its
    // phone's, counted when it was claimed); one that has started adds
    // nothing the cap counts, which is bookings starting in the future.
    if (cap <= 0 || hold.starts_at <= ctx->now)
        return nullptr;
    Contact contact;
    contact.contact_id = contact_id;
    contact.cap = cap;
    contact.locked = true;
    contact.confirming = hold.has_set ? &hold.set_id : &hold.id;
    Refusal refused = contact_refusal(ctx, contact, 1);
    if (!refused)
        return nullptr;
    ResourceSet none;
    none.n = 0;
    Wording w = wording(refused, none);
    audit_rule_refusal(ctx, w.rule, w.code, &hold.id, hold.calendar_id, hold.starts_at);
    // As refused_answer speaks it: no alternatives, a person helps.
    return failure_answer(ctx, w.code, w.message, core::codes::kEscalateToHuman);
}

const char *refusal_code(RefusalKind kind) {
    Refusal refusal{kind, -1};
    ResourceSet none;
    none.n = 0;
    return wording(refusal, none).code;
}

const char *refusal_rule(const Refusal &refusal) {
    if (refusal.kind == RefusalKind::busy || refusal.kind == RefusalKind::none)
        return nullptr;
    ResourceSet none;
    none.n = 0;
    return wording(refusal, none).rule;
}

bool lock_set(const CallContext *ctx, const ResourceSet &set) {
    // Where the tenant's shard is not (the coordinator, or a worker a call
    // was sent to straight), the call was not delegated: its writes meet the
    // overlap guard on the shard's node, which takes the calendar locks there,
    // in the order the rows are written (set.order), where delegated calls
    // take them. Locks here as well would order two locks of two nodes
    // differently from those calls, and Citus's deadlock detector, which sees
    // every delegated call as one transaction, cancels such a wait as a
    // distributed deadlock.
    if (tenant_elsewhere(ctx->org_id))
        return true;
    for (int k = 0; k < set.n; ++k) {
        const char *calendar_id = set.member[set.order[k]].row.calendar_id;
        if (!lock_calendar(ctx->org_id, calendar_id, static_cast<int>(strlen(calendar_id))))
            return false;
    }
    return true;
}

Refusal full_member(const CallContext *ctx, const ResourceSet &set, core::TimeRange slot,
                    const SetExcludes &excludes, Reservation *conflicting) {
    for (int i = 0; i < set.n; ++i) {
        const SetMember &m = set.member[i];
        ConflictScan scan = clear_stale_conflicts(ctx, m.row.calendar_id,
                                                  blocked_range(m.rules, slot), excludes.id[i],
                                                  m.rules.capacity);
        if (scan.full) {
            *conflicting = scan.first_live;
            return {RefusalKind::full, i};
        }
    }
    return {};
}

bool set_has_limits(const ResourceSet &set) {
    for (int i = 0; i < set.n; ++i) {
        if (has_limits(set.member[i].rules))
            return true;
    }
    return false;
}

// A write adds one row to each member's day and week and may take away one
// (the caller's own hold or appointment it moves), so a count before it that
// leaves room for one more means no limit can break: the write then goes in
// as any other, without the subtransaction and the count after it. That
// holds only under the calendar locks held here, where nobody else writes
// in between; where the tenant's shard is elsewhere (no lock here), and
// where a member is full before the write, the count after it decides.
bool limits_to_count(const CallContext *ctx, const ResourceSet &set) {
    if (!set_has_limits(set))
        return false;
    if (tenant_elsewhere(ctx->org_id))
        return true;
    for (int i = 0; i < set.n; ++i) {
        const SetMember &m = set.member[i];
        core::Period period;
        if (has_limits(m.rules) &&
            breaks_limit(ctx, m.row.calendar_id, m.rules, m.row.slot.start, nullptr, 1, &period))
            return true;
    }
    return false;
}

// Why the count is race-proof, and under which lock. It is taken after this
// call's rows are written, in its transaction, so it counts them, and with
// the latest committed data (kernel/statement.hpp's run), so it counts every
// writer that held the calendar's lock before this one and committed:
//
// - On one node, and where the tenant's shard is on this node, lock_set took
//   the calendar lock (store/calendar_lock.hpp) before the write, and every
//   other writer that adds blocking time takes it before its own (the
//   functions in lock_set, any other writer in the overlap guard): the
//   writers of a calendar count one after the other, each seeing the rows of
//   those before, whatever the isolation level.
// - Where the shard is elsewhere (tenant_elsewhere: a Citus coordinator, or a
//   worker a call was sent to straight), no lock is taken here (lock_set says
//   why); the overlap guard takes the calendar lock on the shard's node as
//   the row goes in and holds it to commit. The count is a later statement
//   of the same transaction on that node (Citus keeps the connection that
//   wrote a shard), so in READ COMMITTED its snapshot there is taken after
//   the lock was granted and sees every earlier holder's rows. A remote
//   transaction of REPEATABLE READ or SERIALIZABLE keeps the snapshot it
//   began with, which may predate a rival's commit: no safe count is
//   possible there, and the call raises 0A000 rather than exceed the limit.
//
// Counting after the write is exact on both paths, at the cost of a
// subtransaction; so where the locks are held here, a count before the
// write that leaves room for one more lets it go in without either
// (limits_to_count), and only a day or week that looks full before the
// write (where the caller's own hold or appointment it moves may be the one
// too many) is counted after it.
Refusal limit_refusal(const CallContext *ctx, const ResourceSet &set, TimestampTz start) {
    for (int i = 0; i < set.n; ++i) {
        const SetMember &m = set.member[i];
        if (!has_limits(m.rules))
            continue;
        if (IsolationUsesXactSnapshot() && tenant_elsewhere(ctx->org_id))
            ereport(ERROR,
                    (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                     errmsg("calendar \"%s\" has limits per day or week, which cannot be "
                            "counted in a %s transaction on a node other than the "
                            "organisation's",
                            m.row.calendar_id,
                            IsolationIsSerializable() ? "SERIALIZABLE" : "REPEATABLE READ"),
                     errhint("Book it in a READ COMMITTED transaction, or in a call of its own.")));
        core::Period period;
        bool in_flight = false;
        if (breaks_limit(ctx, m.row.calendar_id, m.rules, start, nullptr, 0, &period,
                         &in_flight)) {
            if (in_flight)
                return {RefusalKind::busy, i};
            Refusal refused{RefusalKind::limit_reached, i};
            refused.period = period;
            return refused;
        }
    }
    return {};
}

Jsonb *refused_answer(const CallContext *ctx, const Refusal &refusal, const ResourceSet &set,
                      core::TimeRange requested, const SetExcludes &excludes,
                      const Reservation *conflicting) {
    if (refusal.kind == RefusalKind::busy)
        return busy_answer(ctx);
    if (refusal.kind == RefusalKind::full)
        stats::count(stats::Tally::conflicts);
    Wording w = wording(refusal, set);
    if (w.rule != nullptr) {
        int blamed = refusal.member >= 0 ? refusal.member : 0;
        audit_rule_refusal(ctx, w.rule, w.code, excludes.id[blamed],
                           set.member[blamed].row.calendar_id, requested.start);
    }
    // Any other time would be refused too: a person helps, with no slots.
    if (refusal.kind == RefusalKind::contact_limit)
        return failure_answer(ctx, w.code, w.message, core::codes::kEscalateToHuman);
    int capacity = settings::alternatives_count;
    core::TimeRange *alternatives =
        static_cast<core::TimeRange *>(palloc(sizeof(core::TimeRange) * (capacity + 1)));
    int n = alternatives_for(ctx, set, requested, excludes, alternatives, capacity);

    JsonOut j;
    begin_failure(&j, w.code, w.message, core::codes::kOfferAlternatives);
    if (refusal.kind == RefusalKind::limit_reached)
        j.put_string("limit", limit_name(refusal.period));
    if (set.n > 1 && refusal.member >= 0)
        j.put_string("conflicting_calendar", set.member[refusal.member].row.calendar_id);
    if (conflicting != nullptr)
        put_conflict(&j, "conflicting_appointment", *conflicting, ctx->now);
    put_alternatives(&j, alternatives, n);
    return answer(ctx, &j);
}

void raise_concurrent_writer() {
    ereport(ERROR,
            (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
             errmsg("could not book: the calendar changed under a concurrent writer"),
             errdetail("A write that bypassed the booking functions touched the same calendar."),
             errhint("Retry the call.")));
    pg_unreachable();
}

void link_set(const CallContext *ctx, const ResourceSet &set) {
    pg_uuid_t link_ids[core::kMaxSetCalendars];
    pg_uuid_t linked[core::kMaxSetCalendars];
    for (int i = 0; i < set.n; ++i) {
        link_ids[i] = set.set_id;
        linked[i] = set.member[i].row.id;
    }
    link_reservations(ctx, link_ids, linked, set.n);
}

void put_set(JsonOut *j, const ResourceSet &set) {
    j->put_uuid("set_id", &set.set_id);
    j->begin_array("calendars");
    for (int i = 0; i < set.n; ++i) {
        j->begin_element_object();
        j->put_string("calendar_id", set.member[i].row.calendar_id);
        j->put_uuid("reservation_id", &set.member[i].row.id);
        j->end_object();
    }
    j->end_array();
}

void put_set_rows(JsonOut *j, const pg_uuid_t *set_id, const Reservation *rows, int n) {
    j->put_uuid("set_id", set_id);
    j->begin_array("calendars");
    for (int i = 0; i < n; ++i) {
        j->begin_element_object();
        j->put_string("calendar_id", rows[i].calendar_id);
        j->put_uuid("reservation_id", &rows[i].id);
        j->end_object();
    }
    j->end_array();
}

bool is_same_set(const Reservation *rows, int n, const ResourceSet &set) {
    if (n != set.n || n == 0 || rows[0].has_set != (set.n > 1))
        return false;
    const SetMember &first = set.member[0];
    if (strcmp(rows[0].calendar_id, first.row.calendar_id) != 0 ||
        rows[0].starts_at != first.row.slot.start || rows[0].ends_at != first.row.slot.end)
        return false;
    std::string_view had[core::kMaxSetCalendars];
    std::string_view asked[core::kMaxSetCalendars];
    for (int i = 0; i < n; ++i) {
        had[i] = rows[i].calendar_id;
        asked[i] = set.member[i].row.calendar_id;
    }
    return core::same_calendars({had, static_cast<std::size_t>(n)},
                                {asked, static_cast<std::size_t>(n)});
}

}  // namespace booking::pg
