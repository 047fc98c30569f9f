#include "pg/operations/resource_set.hpp"

#include "core/answer_codes.hpp"
#include "pg/calendar/alternatives.hpp"
#include "pg/calendar/lock.hpp"
#include "pg/settings/settings.hpp"
#include "pg/stats/stats.hpp"
#include "pg/store/scale_out.hpp"
#include "pg/store/ids.hpp"
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

Jsonb *refuse_at(const CallContext *ctx, const char *code, const char *message,
                 const ResourceSet &set, core::TimeRange slot, int at,
                 const SetExcludes &excludes) {
    return set_unavailable(ctx, code, message, set, slot, at, excludes, nullptr);
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
    for (int i = 0; i < set->n; ++i)
        set->member[i].row.set_id = &set->set_id;
    order_set(set);
}

void existing_set(const CallContext *ctx, const Reservation &anchor, const Reservation *rows,
                  int n, core::TimeRange slot, ResourceSet *set, SetExcludes *excludes) {
    set->n = 0;
    set->set_id = anchor.set_id;
    // The anchor first, then the others in their order.
    for (int pass = 0; pass < 2; ++pass) {
        for (int i = 0; i < n && set->n < core::kMaxSetCalendars; ++i) {
            bool is_anchor = memcmp(rows[i].id.data, anchor.id.data, UUID_LEN) == 0;
            if (is_anchor != (pass == 0))
                continue;
            SetMember *m = &set->member[set->n];
            set_member(m, ctx, rows[i].calendar_id, slot);
            m->row.id = rows[i].id;
            m->row.set_id = &set->set_id;
            ++set->n;
        }
    }
    for (int i = 0; i < set->n; ++i)
        excludes->id[i] = &set->member[i].row.id;
    order_set(set);
}

Jsonb *lock_or_refuse_set(const CallContext *ctx, const ResourceSet &set, core::TimeRange slot,
                          const SetExcludes &excludes) {
    if (slot.start < ctx->now)
        return refuse_at(ctx, core::codes::kSlotInPast, "the requested time has passed", set, slot,
                         -1, excludes);
    for (int i = 0; i < set.n; ++i) {
        const SetMember &m = set.member[i];
        if (slot.start < earliest_start(ctx, m.rules))
            return refuse_at(ctx, core::codes::kTooSoon,
                             psprintf("that time is too soon to book on calendar \"%s\"",
                                      m.row.calendar_id),
                             set, slot, i, excludes);
        if (!within_working_hours(m.rules, slot))
            return refuse_at(ctx, core::codes::kOutsideWorkingHours,
                             psprintf("that time is outside the working hours of calendar \"%s\"",
                                      m.row.calendar_id),
                             set, slot, i, excludes);
    }
    if (!lock_set(ctx, set))
        return busy_answer(ctx);
    return nullptr;
}

bool lock_set(const CallContext *ctx, const ResourceSet &set) {
    // As lock_or_refuse: on a Citus coordinator the guard on the shard's
    // node takes the locks, in the order the rows are written (set.order).
    if (on_coordinator())
        return true;
    // One canonical order for every writer of several calendars.
    for (int k = 0; k < set.n; ++k) {
        const char *calendar_id = set.member[set.order[k]].row.calendar_id;
        if (!lock_calendar(ctx->org_id, calendar_id, static_cast<int>(strlen(calendar_id))))
            return false;
    }
    return true;
}

int full_member(const CallContext *ctx, const ResourceSet &set, core::TimeRange slot,
                const SetExcludes &excludes, Reservation *conflicting) {
    for (int i = 0; i < set.n; ++i) {
        const SetMember &m = set.member[i];
        ConflictScan scan = clear_stale_conflicts(ctx, m.row.calendar_id,
                                                  blocked_range(m.rules, slot), excludes.id[i],
                                                  m.rules.capacity);
        if (scan.full) {
            *conflicting = scan.first_live;
            return i;
        }
    }
    return -1;
}

Jsonb *set_unavailable(const CallContext *ctx, const char *code, const char *message,
                       const ResourceSet &set, core::TimeRange requested, int at,
                       const SetExcludes &excludes, const Reservation *conflicting) {
    if (strcmp(code, core::codes::kSlotUnavailable) == 0)
        stats::count(stats::Tally::conflicts);
    int capacity = settings::alternatives_count;
    core::TimeRange *alternatives =
        static_cast<core::TimeRange *>(palloc(sizeof(core::TimeRange) * (capacity + 1)));
    int n = find_set_alternatives(ctx, set, requested, excludes, alternatives, capacity);

    JsonOut j;
    begin_failure(&j, code, message, core::codes::kOfferAlternatives);
    if (at >= 0)
        j.put_string("conflicting_calendar", set.member[at].row.calendar_id);
    if (conflicting != nullptr)
        put_conflict(&j, "conflicting_appointment", *conflicting, ctx->now);
    put_alternatives(&j, alternatives, n);
    return answer(ctx, &j);
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
    if (n != set.n || n == 0)
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

int find_set_alternatives(const CallContext *ctx, const ResourceSet &set,
                          core::TimeRange requested, const SetExcludes &excludes,
                          core::TimeRange *out, int capacity) {
    SearchCalendar calendars[core::kMaxSetCalendars];
    for (int i = 0; i < set.n; ++i) {
        calendars[i].calendar_id = set.member[i].row.calendar_id;
        calendars[i].rules = &set.member[i].rules;
        calendars[i].exclude = excludes.id[i];
    }
    return find_set_alternatives(ctx, calendars, set.n, requested, out, capacity);
}

}  // namespace booking::pg
