// The waitlist: join_waitlist, leave_waitlist, waitlist_status, and the
// offers made when time is freed (operations/waitlist.hpp says where and
// under which lock).
#include "pg/operations/waitlist.hpp"

#include "core/answer_codes.hpp"
#include "core/uuid_text.hpp"
#include "pg/answer/answers.hpp"
#include "pg/calendar/free_search.hpp"
#include "pg/calendar/rules.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/kernel/ids.hpp"
#include "pg/kernel/scale_out.hpp"
#include "pg/operations/operations.hpp"
#include "pg/operations/pool_path.hpp"
#include "pg/operations/write_path.hpp"
#include "pg/policy/org_policy.hpp"
#include "pg/settings/settings.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/contact_bookings.hpp"
#include "pg/store/contact_locks.hpp"
#include "pg/store/calendar_lock.hpp"
#include "pg/store/stale_holds.hpp"
#include "pg/store/waitlist.hpp"

namespace booking::pg {

namespace {

using core::waitlist::Status;

// How many waiting entries one freeing write considers: those whose window
// meets the freed range, in the order they joined. Enough for any real list;
// the rest wait for the next freed time.
constexpr int kCandidates = 16;

char *offer_caller_ref(const pg_uuid_t *waitlist_id) {
    char text[37];
    core::format_uuid(waitlist_id->data, text);
    text[36] = '\0';
    return psprintf("%s%s", core::waitlist::kOfferCallerRefPrefix, text);
}

Jsonb *offer_details(const char *calendar_id, const char *pool_id, const pg_uuid_t *waitlist_id,
                     core::TimeRange slot, TimestampTz expires_at) {
    JsonOut d;
    d.begin_object();
    d.put_string("calendar_id", calendar_id);
    if (pool_id != nullptr)
        d.put_string("pool_id", pool_id);
    d.put_uuid("waitlist_id", waitlist_id);
    d.put_timestamp("starts_at", slot.start);
    d.put_timestamp("ends_at", slot.end);
    d.put_timestamp("expires_at", expires_at);
    d.end_object();
    return d.finish(CurrentMemoryContext);
}

// The hold offered to entry on slot, under the calendar lock; false when the
// slot is taken after all (a writer that bypassed the lock), and nothing
// changed. The search counted lapsed holds as free; one still in the way is
// expired, as a claim does, only when the write meets it (the common case
// pays no scan for them).
bool make_offer(const CallContext *ctx, const WaitlistEntry &entry, const char *calendar_id,
                const CalendarRules &rules, core::TimeRange slot) {
    NewHold hold;
    hold.r.id = new_id(ctx->now);
    hold.r.calendar_id = calendar_id;
    hold.r.slot = slot;
    hold.r.buffer_before = rules.buffer_before;
    hold.r.buffer_after = rules.buffer_after;
    hold.r.capacity = rules.capacity;
    hold.r.set_id = nullptr;
    hold.r.series_id = nullptr;
    hold.expires_at = ctx->now + settings::waitlist_offer_ttl();
    hold.caller_ref = offer_caller_ref(&entry.id);
    hold.patient_phone = entry.patient_phone;
    hold.patient_name = entry.patient_name;
    PendingAudit claimed = pending_audit(ctx, ctx->org_id, Action::claimed, &hold.r.id,
                                         range_details(calendar_id, slot.start, slot.end));
    if (!insert_hold(ctx, hold, &claimed)) {
        ConflictScan scan = clear_stale_conflicts(ctx, calendar_id, blocked_range(rules, slot),
                                                  nullptr, rules.capacity);
        if (scan.full || !insert_hold(ctx, hold, &claimed))
            return false;
    }
    mark_waitlist_offered(ctx, &entry.id, &hold.r.id, slot, hold.expires_at);
    // An entry of a pool offered a member's time: an assignment from the
    // pool, as a booking of it would be.
    const char *pool_id = strcmp(entry.calendar_id, calendar_id) == 0 ? nullptr : entry.calendar_id;
    if (pool_id != nullptr)
        count_pool_offer(ctx, pool_id, calendar_id);
    // The event a consumer texts the offer from (README: "Texting waitlist offers").
    write_audit(ctx, ctx->org_id, Action::waitlist_offered, &hold.r.id,
                offer_details(calendar_id, pool_id, &entry.id, slot, hold.expires_at));
    return true;
}

// The organisation's contact cap holds for offers as for claims: an offer is
// a hold of the caller's phone, which the cap counts as it counts a claim's
// (a hold carries no contact_id; the phone's digits are its contact). The
// contact's lock is only tried: the freeing write holds the calendar's, and
// waiting for the contact's would take them against a claim's order
// (contact, then calendars). A caller at the cap, or busy with a call of
// their own right now, is passed over this time and stays waiting; the next
// in line is offered.
bool within_contact_cap(const CallContext *ctx, const WaitlistEntry &e) {
    const int cap = org_limits(ctx).max_active_per_contact;
    char key[kContactKeyLength + 1];
    if (cap <= 0 || !contact_key(nullptr, e.patient_phone, key))
        return true;
    if (!try_lock_contact(ctx, key))
        return false;
    const int held = count_contact_bookings(ctx, nullptr, e.patient_phone, nullptr, nullptr);
    return !core::policy::over_cap(held, 1, cap);
}

Jsonb *entry_not_found(const CallContext *ctx) {
    return failure_answer(ctx, core::codes::kWaitlistNotFound, "no waitlist entry with that id",
                          nullptr);
}

Jsonb *entry_not_active(const CallContext *ctx, const pg_uuid_t *id, Status status) {
    JsonOut j;
    begin_failure(&j, core::codes::kWaitlistNotActive,
                  psprintf("the waitlist entry is %s", core::waitlist::status_name(status)),
                  nullptr);
    j.put_uuid("waitlist_id", id);
    j.put_string("status", core::waitlist::status_name(status));
    return answer(ctx, &j);
}

Jsonb *joined_answer(const CallContext *ctx, const WaitlistEntry &e, bool existing) {
    Status status = core::waitlist::effective_status(e.status, e.window.end, e.offer_expires_at,
                                                     ctx->now);
    JsonOut j;
    begin_success(&j);
    j.put_uuid("waitlist_id", &e.id);
    j.put_int("position", waitlist_position(ctx, e.calendar_id, &e.id));
    j.put_string("status", core::waitlist::status_name(status));
    if (existing)
        j.put_bool("existing", true);
    return answer(ctx, &j);
}

// An offered entry's hold given back as the entry leaves, and its calendar
// (a member's when the entry waits for a pool) in *calendar_id; false when
// the hold was confirmed meanwhile (the entry is booked, not left).
bool give_back_offer(const CallContext *ctx, const WaitlistEntry &e, const char **calendar_id) {
    Reservation hold;
    *calendar_id = nullptr;
    if (!find_reservation(ctx, &e.hold_id, true, &hold))
        return true;
    *calendar_id = hold.calendar_id;
    if (hold.status == core::Status::confirmed || hold.status == core::Status::completed) {
        mark_waitlist_entry(ctx, &e.id, Status::booked);
        return false;
    }
    const bool holding = hold.status == core::Status::held ||
                         hold.status == core::Status::requires_manual_followup;
    if (holding && !expire_if_stale(ctx, hold)) {
        mark_released(ctx, &hold.id, "left the waitlist");
        write_audit(ctx, ctx->org_id, Action::released, &hold.id, reservation_details(hold));
    }
    return true;
}

}  // namespace

// The offers on calendar_id for the waiting entries whose window meets range:
// the calendar's own and those of the pools it is a member of, in the order
// they joined. A pool's entry is offered the freed member's time only: its
// other members' locks are not taken (a pool's booking holds them all, in
// their order, and may be waiting for this one), and their time, when it
// is freed, comes through here too.
void pass_freed_time(const CallContext *ctx, const char *calendar_id, core::TimeRange range) {
    WaitlistEntry *waiting = nullptr;
    int n = waiting_overlapping(ctx, calendar_id, range, kCandidates, &waiting);
    if (n == 0)
        return;
    // Every writer adding time to the calendar takes this lock first, so
    // from here until commit nobody else can claim what is found free. Where
    // the tenant's shard is on another node (a call not delegated), the
    // overlap guard takes it there as the hold goes in (write_path's lock_set).
    if (!tenant_elsewhere(ctx->org_id) &&
        !lock_calendar(ctx->org_id, calendar_id, static_cast<int>(strlen(calendar_id))))
        ereport(ERROR,
                (errcode(ERRCODE_LOCK_NOT_AVAILABLE),
                 errmsg("calendar \"%s\" is busy: the time freed could not be offered to its "
                        "waitlist",
                        calendar_id),
                 errhint("Retry the call; nothing was changed.")));
    const CalendarRules rules = calendar_rules(ctx, calendar_id);
    int offers = 0;
    for (int i = 0; i < n; ++i) {
        const WaitlistEntry &e = waiting[i];
        core::TimeRange window = core::waitlist::offer_window(e.window, ctx->now);
        // The first in line is offered the earliest free slot of its window;
        // those after it only what the freed time makes possible (a slot
        // meeting it), so one write's freed time is shared out, not every
        // free slot of the calendar.
        if (offers > 0)
            window = core::waitlist::meeting_window(window, range, e.duration);
        core::TimeRange slot;
        if (window.empty() || search_free_slots(ctx, calendar_id, rules, window.start, window.end,
                                                e.duration, 1, &slot, nullptr) == 0)
            continue;
        // An entry being left right now is skipped, not waited for.
        if (!lock_waiting_entry(ctx, &e.id) || !within_contact_cap(ctx, e))
            continue;
        if (make_offer(ctx, e, calendar_id, rules, slot))
            ++offers;
    }
}

void pass_freed_reservation(const CallContext *ctx, const Reservation &r) {
    if (!r.has_set) {
        pass_freed_time(ctx, r.calendar_id, {r.starts_at, r.ends_at});
        return;
    }
    Reservation *rows = nullptr;
    int n = find_set(ctx, &r.set_id, &rows);
    for (int i = 0; i < n; ++i)
        pass_freed_time(ctx, rows[i].calendar_id, {rows[i].starts_at, rows[i].ends_at});
}

void settle_offer(const CallContext *ctx, const pg_uuid_t *hold_id, bool booked) {
    (void)settle_waitlist_offer(ctx, hold_id, booked ? Status::booked : Status::lapsed);
}

void expire_met_hold(const CallContext *ctx, const Reservation &r) {
    if (expire_if_stale(ctx, r))
        pass_freed_reservation(ctx, r);
}

void pass_lapsed_holds(const CallContext *ctx, const LapsedHold *holds, int n) {
    for (int i = 0; i < n; ++i) {
        const LapsedHold &h = holds[i];
        // The sweep may span organisations: each hold's own is the call's.
        CallContext own = *ctx;
        own.org_id = &h.org_id;
        settle_offer(&own, &h.id, false);
        pass_freed_time(&own, h.calendar_id, {h.starts_at, h.ends_at});
    }
}

Jsonb *join_waitlist(const JoinWaitlistRequest &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        const core::TimeRange window{req.from_ts, req.until_ts};
        if (const char *problem = core::waitlist::window_problem(window, req.duration, ctx->now))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s", problem)));
        WaitlistEntry existing;
        // One live entry per caller_ref: a retried join answers it again.
        if (req.caller_ref.present() &&
            find_live_by_caller_ref(ctx, req.caller_ref.str, &existing))
            return joined_answer(ctx, existing, true);
        NewWaitlistEntry entry;
        entry.id = new_id(ctx->now);
        entry.calendar_id = req.calendar_id.str;
        entry.window = window;
        entry.duration = req.duration;
        entry.patient_phone = req.patient_phone.str;
        entry.patient_name = req.patient_name.str;
        entry.contact_id = req.contact_id;
        entry.caller_ref = req.caller_ref.str;
        if (!insert_waitlist_entry(ctx, entry)) {
            // A rival join of the same caller_ref committed in between.
            if (req.caller_ref.present() &&
                find_live_by_caller_ref(ctx, req.caller_ref.str, &existing))
                return joined_answer(ctx, existing, true);
            raise_concurrent_writer();
        }
        WaitlistEntry joined;
        if (!find_waitlist_entry(ctx, &entry.id, false, &joined))
            raise_concurrent_writer();
        return joined_answer(ctx, joined, false);
    });
}

Jsonb *leave_waitlist(const pg_uuid_t *org_id, const pg_uuid_t *waitlist_id) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        WaitlistEntry e;
        if (!find_waitlist_entry(ctx, waitlist_id, true, &e))
            return entry_not_found(ctx);
        switch (e.status) {
        case Status::waiting:
            mark_waitlist_entry(ctx, &e.id, Status::left);
            break;
        case Status::offered: {
            const char *offered_on = nullptr;
            if (!give_back_offer(ctx, e, &offered_on))
                return entry_not_active(ctx, &e.id, Status::booked);
            mark_waitlist_entry(ctx, &e.id, Status::left);
            // The offered time goes to the next in line.
            if (offered_on != nullptr)
                pass_freed_time(ctx, offered_on, e.offered);
            break;
        }
        case Status::left:
            break;
        case Status::booked:
        case Status::lapsed:
        case Status::expired:
            return entry_not_active(ctx, &e.id, e.status);
        }
        JsonOut j;
        begin_success(&j);
        j.put_uuid("waitlist_id", &e.id);
        j.put_string("status", "left");
        return answer(ctx, &j);
    });
}

Jsonb *waitlist_status(const pg_uuid_t *org_id, const pg_uuid_t *waitlist_id) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        WaitlistEntry e;
        if (!find_waitlist_entry(ctx, waitlist_id, false, &e))
            return entry_not_found(ctx);
        Status status = core::waitlist::effective_status(e.status, e.window.end,
                                                         e.offer_expires_at, ctx->now);
        JsonOut j;
        begin_success(&j);
        j.put_uuid("waitlist_id", &e.id);
        j.put_string("calendar_id", e.calendar_id);
        j.put_string("status", core::waitlist::status_name(status));
        if (core::waitlist::is_live(status))
            j.put_int("position", waitlist_position(ctx, e.calendar_id, &e.id));
        else
            j.put_null("position");
        j.put_uuid("hold_id", e.has_offer ? &e.hold_id : nullptr);
        j.put_optional_timestamp("starts_at", e.offered.start, e.has_offer);
        j.put_optional_timestamp("ends_at", e.offered.end, e.has_offer);
        j.put_optional_timestamp("offer_expires_at", e.offer_expires_at, e.has_offer);
        j.put_timestamp("from_ts", e.window.start);
        j.put_timestamp("until_ts", e.window.end);
        return answer(ctx, &j);
    });
}

}  // namespace booking::pg
