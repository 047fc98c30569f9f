// claim_slot: a hold on a slot while the caller is verified.
#include "core/answer_codes.hpp"
#include "core/caller_hold.hpp"
#include "pg/answer/answers.hpp"
#include "pg/calendar/lock_or_refuse.hpp"
#include "pg/operations/new_reservation.hpp"
#include "pg/operations/operations.hpp"
#include "pg/operations/resource_set.hpp"
#include "pg/store/subtransaction.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/stale_holds.hpp"

namespace booking::pg {

namespace {

Jsonb *hold_answer(const CallContext *ctx, const pg_uuid_t *id, const char *calendar_id,
                   TimestampTz starts_at, TimestampTz ends_at, TimestampTz expires_at) {
    JsonOut j;
    begin_success(&j);
    j.put_uuid("hold_id", id);
    j.put_string("calendar_id", calendar_id);
    j.put_timestamp("starts_at", starts_at);
    j.put_timestamp("ends_at", ends_at);
    j.put_timestamp("expires_at", expires_at);
    j.put_string("status", "held");
    return answer(ctx, &j);
}

bool same_slot(const Reservation &r, const char *calendar_id, core::TimeRange slot) {
    return strcmp(r.calendar_id, calendar_id) == 0 && r.starts_at == slot.start &&
           r.ends_at == slot.end;
}

// The previous hold of a caller, in a set's terms: its rows (one, or its
// set's), and for each member of the new set the row on that member's
// calendar, which must not count against it when the hold moves.
int previous_rows(const CallContext *ctx, const Reservation &previous, Reservation **rows) {
    if (previous.has_set)
        return find_set(ctx, &previous.set_id, rows);
    *rows = static_cast<Reservation *>(palloc(sizeof(Reservation)));
    (*rows)[0] = previous;
    return 1;
}

void exclude_own(const ResourceSet &set, const Reservation *rows, int n, SetExcludes *ex) {
    for (int i = 0; i < set.n; ++i) {
        ex->id[i] = nullptr;
        for (int k = 0; k < n; ++k) {
            if (strcmp(rows[k].calendar_id, set.member[i].row.calendar_id) == 0)
                ex->id[i] = &rows[k].id;
        }
    }
}

Jsonb *set_hold_answer(const CallContext *ctx, const ResourceSet &set, TimestampTz expires_at) {
    const NewReservation &first = set.member[0].row;
    JsonOut j;
    begin_success(&j);
    j.put_uuid("hold_id", &first.id);
    j.put_string("calendar_id", first.calendar_id);
    j.put_timestamp("starts_at", first.slot.start);
    j.put_timestamp("ends_at", first.slot.end);
    j.put_timestamp("expires_at", expires_at);
    j.put_string("status", "held");
    put_set(&j, set);
    return answer(ctx, &j);
}

Jsonb *earlier_hold_answer(const CallContext *ctx, const Reservation &r, const Reservation *rows,
                           int n) {
    JsonOut j;
    begin_success(&j);
    j.put_uuid("hold_id", &r.id);
    j.put_string("calendar_id", r.calendar_id);
    j.put_timestamp("starts_at", r.starts_at);
    j.put_timestamp("ends_at", r.ends_at);
    j.put_timestamp("expires_at", r.expires_at);
    j.put_string("status", "held");
    put_set_rows(&j, &r.set_id, rows, n);
    return answer(ctx, &j);
}

// claim_slot with with_calendars: one hold of several calendars
// (operations/resource_set.hpp), with the caller_ref rule of the one-calendar
// claim: the caller_ref, the patient's name and phone are the first row's.
Jsonb *claim_set(const ClaimRequest &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        core::TimeRange slot{req.starts_at, req.starts_at + req.duration};
        ResourceSet set;
        new_set(ctx, req.calendar_id.str, req.with_calendars, req.n_with, slot, &set);
        SetExcludes none;
        if (Jsonb *refused = lock_or_refuse_set(ctx, set, slot, none))
            return refused;
        const TimestampTz expires_at = ctx->now + req.ttl;
        NewHold holds[core::kMaxSetCalendars];
        for (int i = 0; i < set.n; ++i) {
            holds[i].r = set.member[i].row;
            holds[i].expires_at = expires_at;
            holds[i].caller_ref = i == 0 ? req.caller_ref.str : nullptr;
            holds[i].patient_phone = i == 0 ? req.patient_phone.str : nullptr;
            holds[i].patient_name = i == 0 ? req.patient_name.str : nullptr;
        }

        bool released_previous = false;
        for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
            PendingAudit claimed[core::kMaxSetCalendars];
            for (int i = 0; i < set.n; ++i)
                claimed[i] = pending_audit(
                    ctx, ctx->org_id, Action::claimed, &holds[i].r.id,
                    range_details(holds[i].r.calendar_id, slot.start, slot.end, &set.set_id,
                                  nullptr));
            bool whole = all_or_nothing([&] {
                for (int k = 0; k < set.n; ++k) {
                    const int i = set.order[k];
                    if (!insert_hold_row(ctx, holds[i], &claimed[i]))
                        return false;
                }
                link_set(ctx, set);
                return true;
            });
            if (whole) {
                for (int i = 0; i < set.n; ++i)
                    audited(claimed[i]);
                return set_hold_answer(ctx, set, expires_at);
            }

            // As claim_slot: the caller's own hold, a stale hold, or a full
            // calendar stood in the way.
            Reservation previous;
            bool moving = false;
            SetExcludes excludes;
            if (req.caller_ref.present() && find_caller_hold(ctx, req.caller_ref.str, &previous)) {
                Reservation *rows = nullptr;
                int n = previous_rows(ctx, previous, &rows);
                core::CallerHold existing{previous.status, previous.expires_at,
                                          previous.has_set && is_same_set(rows, n, set)};
                switch (core::plan_caller_hold(existing, ctx->now)) {
                case core::CallerHoldPlan::locked:
                    return failure_answer(
                        ctx, core::codes::kOtpLocked,
                        "this caller's hold awaits staff after failed verification",
                        core::codes::kEscalateToHuman);
                case core::CallerHoldPlan::reuse:
                    return earlier_hold_answer(ctx, previous, rows, n);
                case core::CallerHoldPlan::claim_new:
                    expire_if_stale(ctx, previous);
                    break;
                case core::CallerHoldPlan::move:
                    moving = true;
                    exclude_own(set, rows, n, &excludes);
                    break;
                }
            }

            Reservation conflicting;
            int at = full_member(ctx, set, slot, excludes, &conflicting);
            if (at >= 0) {
                if (released_previous)
                    raise_concurrent_writer();
                return set_unavailable(ctx, core::codes::kSlotUnavailable,
                                       psprintf("that time is already taken on calendar \"%s\"",
                                                set.member[at].row.calendar_id),
                                       set, slot, at, excludes, nullptr);
            }
            if (moving) {
                mark_released(ctx, &previous.id, "moved");
                write_audit(ctx, ctx->org_id, Action::released, &previous.id,
                            reservation_details(previous));
                SetChangeArgs moved;
                moved.reason = "moved";
                (void)follow_set(ctx, previous, SetChange::release, moved, Action::released);
                released_previous = true;
            }
        }
        raise_concurrent_writer();
    });
}

}  // namespace

Jsonb *claim_slot(const ClaimRequest &req) {
    if (req.n_with > 0)
        return claim_set(req);
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        CalendarRules rules;
        NewHold hold;
        if (Jsonb *refused = open_new_reservation(ctx, req.calendar_id, req.starts_at, req.duration,
                                                  &rules, &hold.r))
            return refused;
        const char *calendar_id = hold.r.calendar_id;
        const core::TimeRange slot = hold.r.slot;
        hold.expires_at = ctx->now + req.ttl;
        hold.caller_ref = req.caller_ref.str;
        hold.patient_phone = req.patient_phone.str;
        hold.patient_name = req.patient_name.str;

        bool released_previous = false;
        for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
            // A fresh id each attempt: the audit log orders by id, and a
            // move's release is written between attempts.
            PendingAudit claimed = pending_audit(ctx, ctx->org_id, Action::claimed, &hold.r.id,
                                                 range_details(calendar_id, slot.start, slot.end));
            if (insert_hold(ctx, hold, &claimed))
                return hold_answer(ctx, &hold.r.id, calendar_id, slot.start, slot.end,
                                   hold.expires_at);

            // Something stood in the way: the caller's own hold, a stale hold, or
            // a live reservation. Find out which, under the calendar lock.
            Reservation previous;
            bool moving = false;
            const pg_uuid_t *exclude = nullptr;
            if (req.caller_ref.present() && find_caller_hold(ctx, req.caller_ref.str, &previous)) {
                core::CallerHold existing{previous.status, previous.expires_at,
                                          !previous.has_set &&
                                              same_slot(previous, calendar_id, slot)};
                switch (core::plan_caller_hold(existing, ctx->now)) {
                case core::CallerHoldPlan::locked:
                    return failure_answer(
                        ctx, core::codes::kOtpLocked,
                        "this caller's hold awaits staff after failed verification",
                        core::codes::kEscalateToHuman);
                case core::CallerHoldPlan::reuse:
                    return hold_answer(ctx, &previous.id, previous.calendar_id, previous.starts_at,
                                       previous.ends_at, previous.expires_at);
                case core::CallerHoldPlan::claim_new:
                    expire_if_stale(ctx, previous);
                    break;
                case core::CallerHoldPlan::move:
                    moving = true;
                    if (strcmp(previous.calendar_id, calendar_id) == 0)
                        exclude = &previous.id;
                    break;
                }
            }

            ConflictScan scan =
                clear_stale_conflicts(ctx, calendar_id, blocked_range(rules, slot), exclude, rules.capacity);
            if (scan.full) {
                if (released_previous)
                    raise_concurrent_writer();
                return unavailable_answer(ctx, core::codes::kSlotUnavailable,
                                          "that time is already taken", calendar_id, slot, exclude,
                                          nullptr);
            }
            if (moving) {
                mark_released(ctx, &previous.id, "moved");
                write_audit(ctx, ctx->org_id, Action::released, &previous.id,
                            reservation_details(previous));
                // A caller moving from a hold of several calendars gives
                // them all back.
                if (previous.has_set) {
                    SetChangeArgs moved;
                    moved.reason = "moved";
                    (void)follow_set(ctx, previous, SetChange::release, moved, Action::released);
                }
                released_previous = true;
            }
        }
        raise_concurrent_writer();
    });
}

}  // namespace booking::pg
