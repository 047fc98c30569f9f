// The appointment life cycle after booking: cancellation (with erasure of
// personal data on request) and atomic rescheduling.
#include "core/answer_codes.hpp"
#include "core/operation_rules.hpp"
#include "pg/answer/answers.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/operations/operations.hpp"
#include "pg/operations/waitlist.hpp"
#include "pg/operations/write_path.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/stale_holds.hpp"

namespace booking::pg {

namespace {

Jsonb *appointment_not_found(const CallContext *ctx) {
    return failure_answer(ctx, core::codes::kAppointmentNotFound,
                          "no appointment with that id (a hold is released with release_hold)",
                          nullptr);
}

Jsonb *appointment_not_active(const CallContext *ctx, const Reservation &r) {
    const char *status = core::status_name(r.status);
    JsonOut j;
    begin_failure(&j, core::codes::kAppointmentNotActive,
                  psprintf("the appointment is %s and cannot be changed", status), nullptr);
    j.put_string("status", status);
    return answer(ctx, &j);
}

// The longest change notice of these rows' calendars that forbids changing
// them now, or -1 when none does (or force, a person's decision, overrides).
core::Micros notice_in_the_way(const CallContext *ctx, const Reservation *rows, int n,
                               bool force) {
    core::Micros worst = -1;
    for (int i = 0; i < n; ++i) {
        CalendarRules rules = calendar_rules(ctx, rows[i].calendar_id);
        if (core::too_late_to_change(rows[i].starts_at, ctx->now, rules.has_change_notice,
                                     rules.change_notice, force) &&
            rules.change_notice > worst)
            worst = rules.change_notice;
    }
    return worst;
}

// The appointment's rows now: its own, or its set's.
int current_rows(const CallContext *ctx, Reservation *r, Reservation **rows) {
    *rows = r;
    return r->has_set ? find_set(ctx, &r->set_id, rows) : 1;
}

Jsonb *too_late_to_change(const CallContext *ctx, const Reservation &r, core::Micros notice) {
    audit_rule_refusal(ctx, "change_notice", core::codes::kTooLateToChange, &r.id, r.calendar_id,
                       r.starts_at);
    JsonOut j;
    begin_failure(&j, core::codes::kTooLateToChange,
                  psprintf("the appointment starts within its calendar's change notice (%s): "
                           "only the clinic's staff may change it now (with force)",
                           format_micros(notice)),
                  core::codes::kEscalateToHuman);
    j.put_timestamp("starts_at", r.starts_at);
    return answer(ctx, &j);
}

// An audit row's details, marked when a person forced the change.
Jsonb *with_forced(Jsonb *details, bool force) {
    if (!force)
        return details;
    Datum forced = DirectFunctionCall1(jsonb_in, CStringGetDatum("{\"forced\": true}"));
    return DatumGetJsonbP(DirectFunctionCall2(jsonb_concat, JsonbPGetDatum(details), forced));
}

// An appointment as it now is; a set's calendars from its rows, or from the
// set that moved, when given.
Jsonb *appointment_answer(const CallContext *ctx, const Reservation &r, TimestampTz starts_at,
                          TimestampTz ends_at, const char *status, const Reservation *rows,
                          int n, const ResourceSet *moved = nullptr) {
    JsonOut j;
    begin_success(&j);
    put_reservation(&j, "appointment_id", &r.id, r.calendar_id, starts_at, ends_at);
    j.put_string("status", status);
    if (r.has_set && moved != nullptr)
        put_set(&j, *moved);
    else if (r.has_set && rows != nullptr)
        put_set_rows(&j, &r.set_id, rows, n);
    return answer(ctx, &j);
}

// Where the appointment would go: the new start with the requested length, or
// its present length.
core::TimeRange target_slot(const RescheduleRequest &req, const Reservation &r) {
    core::Micros duration = req.new_duration > 0 ? req.new_duration : r.ends_at - r.starts_at;
    return core::TimeRange{req.new_starts_at, req.new_starts_at + duration};
}

Jsonb *rescheduled_details(const Reservation &r, core::TimeRange slot) {
    JsonOut details;
    details.begin_object();
    details.put_string("calendar_id", r.calendar_id);
    details.put_timestamp("from_starts_at", r.starts_at);
    details.put_timestamp("from_ends_at", r.ends_at);
    details.put_timestamp("starts_at", slot.start);
    details.put_timestamp("ends_at", slot.end);
    if (r.has_set)
        details.put_uuid("set_id", &r.set_id);
    details.end_object();
    return details.finish(CurrentMemoryContext);
}

}  // namespace

Jsonb *cancel_appointment(const pg_uuid_t *org_id, const pg_uuid_t *appointment_id,
                          TextArg reason, bool erase_pii, bool force) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        Reservation r;
        if (!find_reservation(ctx, appointment_id, true, &r))
            return appointment_not_found(ctx);
        switch (core::decide_cancel_appointment(r.status)) {
        case core::Verdict::proceed: {
            Reservation *rows = nullptr;
            int n = current_rows(ctx, &r, &rows);
            core::Micros notice = notice_in_the_way(ctx, rows, n, force);
            if (notice >= 0)
                return too_late_to_change(ctx, r, notice);
            mark_cancelled(ctx, &r.id, reason.str, erase_pii);
            write_audit(ctx, ctx->org_id, Action::cancelled, &r.id,
                        with_forced(reservation_details(r), force));
            (void)follow_set(ctx, r, erase_pii ? SetChange::erase : SetChange::cancel,
                             {nullptr, nullptr, reason.str, 0}, Action::cancelled);
            pass_freed_reservation(ctx, r);
            break;
        }
        case core::Verdict::already_done:
            // Erasure may be asked for after the fact (a GDPR request).
            if (erase_pii) {
                mark_cancelled(ctx, &r.id, nullptr, true);
                write_audit(ctx, ctx->org_id, Action::pii_erased, &r.id, reservation_details(r));
                (void)follow_set(ctx, r, SetChange::erase, SetChangeArgs{}, Action::pii_erased);
            }
            break;
        case core::Verdict::not_found:
        case core::Verdict::expired:
            return appointment_not_found(ctx);
        case core::Verdict::locked:
        case core::Verdict::not_active:
            return appointment_not_active(ctx, r);
        }
        return appointment_answer(ctx, r, r.starts_at, r.ends_at, "cancelled", nullptr, 0);
    });
}

// The appointment moves whole, by the write path (operations/write_path.hpp):
// every calendar's rules and lock (in the canonical order), then every row,
// each with its calendar's current buffers and capacity; its own rows never
// count against it, so it may move onto a range overlapping where it was.
Jsonb *reschedule_appointment(const RescheduleRequest &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        // Lock order is calendar first, then row, as on every path that takes
        // both (claim_slot locks the caller's previous hold under the calendar
        // lock); taking the row first deadlocks against a claim. So the row is
        // read unlocked to learn its calendars, and read again, locked, under
        // the calendar locks, where it can no longer move.
        Reservation r;
        if (!find_reservation(ctx, req.appointment_id, false, &r))
            return appointment_not_found(ctx);
        core::TimeRange slot{};
        core::TimeRange checked{};
        ResourceSet set;
        SetExcludes own;
        Reservation *rows = &r;
        int n = 1;
        for (bool locked = false;; locked = true) {
            switch (core::decide_reschedule_appointment(r.status)) {
            case core::Verdict::proceed:
                break;
            case core::Verdict::locked:
            case core::Verdict::not_active:
                return appointment_not_active(ctx, r);
            default:
                return appointment_not_found(ctx);
            }
            slot = target_slot(req, r);
            if (slot.start == r.starts_at && slot.end == r.ends_at) {
                if (r.has_set)
                    n = find_set(ctx, &r.set_id, &rows);
                return appointment_answer(ctx, r, r.starts_at, r.ends_at, "confirmed", rows, n);
            }
            // Checked on each read, the last one locked: the start it was
            // checked for is the one that moves.
            {
                Reservation *now_rows = nullptr;
                int now_n = current_rows(ctx, &r, &now_rows);
                core::Micros notice = notice_in_the_way(ctx, now_rows, now_n, req.force);
                if (notice >= 0)
                    return too_late_to_change(ctx, r, notice);
            }
            // A rival that changed its length in between changed the slot the
            // checks were made for; nothing changes it once every lock is held.
            if (locked && slot.end == checked.end)
                break;
            rows = &r;
            n = 1;
            if (r.has_set)
                n = find_set(ctx, &r.set_id, &rows);
            existing_set(ctx, r, rows, n, slot, &set, &own);
            if (Refusal refused = check_and_lock(ctx, set, slot))
                return refused_answer(ctx, refused, set, slot, own, nullptr);
            checked = slot;
            // Under every lock: the rows, locked, the one named first.
            if (!find_reservation(ctx, req.appointment_id, true, &r))
                return appointment_not_found(ctx);
            if (r.has_set) {
                for (int i = 0; i < n; ++i) {
                    Reservation other;
                    if (!find_reservation(ctx, &rows[i].id, true, &other))
                        return appointment_not_found(ctx);
                    if (other.status != core::Status::confirmed)
                        return appointment_not_active(ctx, other);
                    rows[i] = other;
                }
            } else {
                rows = &r;
            }
        }

        Reservation conflicting;
        if (Refusal refused = full_member(ctx, set, slot, own, &conflicting))
            return refused_answer(ctx, refused, set, slot, own, &conflicting);
        // Under the calendar locks nothing can have come in between; a writer
        // that bypassed the functions would have been held by the same locks.
        pg_uuid_t orgs[core::kMaxSetCalendars];
        pg_uuid_t ids[core::kMaxSetCalendars];
        Jsonb *details[core::kMaxSetCalendars];
        int moved = 0;
        auto move_rows = [&] {
            for (int k = 0; k < set.n; ++k) {
                const SetMember &m = set.member[set.order[k]];
                const Reservation *was = nullptr;
                for (int i = 0; i < n; ++i) {
                    if (memcmp(rows[i].id.data, m.row.id.data, UUID_LEN) == 0)
                        was = &rows[i];
                }
                if (was == nullptr)
                    continue;
                if (!move_reservation(ctx, &m.row.id, slot.start, slot.end, m.rules.buffer_before,
                                      m.rules.buffer_after, m.rules.capacity)) {
                    // A writer in flight where it goes: busy (the moves
                    // before it are undone with the caller's subtransaction).
                    if (overlap_skip_met_writer())
                        return false;
                    raise_concurrent_writer();
                }
                orgs[moved] = *ctx->org_id;
                ids[moved] = m.row.id;
                details[moved] = with_forced(rescheduled_details(*was, slot), req.force);
                ++moved;
            }
            return true;
        };
        // With limits per day or week that a count before the move cannot
        // clear (limits_to_count, as for a new booking), the rows are counted
        // where they moved (each once, at its new start: the appointment
        // never counts twice) and moved back when that breaks one
        // (write_path's limit_refusal).
        if (limits_to_count(ctx, set)) {
            Refusal limited;
            if (!all_or_nothing([&] {
                    if (!move_rows()) {
                        limited = Refusal{RefusalKind::busy, -1};
                        return false;
                    }
                    limited = limit_refusal(ctx, set, slot.start);
                    return !limited;
                }))
                return refused_answer(ctx, limited, set, slot, own, nullptr);
        } else if (set.n == 1 ? !move_rows() : !all_or_nothing(move_rows)) {
            return busy_answer(ctx);
        }
        write_audits(ctx, Action::rescheduled, moved, orgs, ids, details);
        // Where it was is free now (what it still covers is found busy).
        for (int i = 0; i < n; ++i)
            pass_freed_time(ctx, rows[i].calendar_id, {rows[i].starts_at, rows[i].ends_at});
        return appointment_answer(ctx, r, slot.start, slot.end, "confirmed", rows, n, &set);
    });
}

}  // namespace booking::pg
