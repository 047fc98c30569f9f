// claim_slot: a hold on a slot (of one calendar or several) while the caller
// is verified, by the write path (operations/write_path.hpp).
#include "core/answer_codes.hpp"
#include "core/caller_hold.hpp"
#include "pg/answer/answers.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/operations/operations.hpp"
#include "pg/operations/pool_path.hpp"
#include "pg/operations/write_path.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/stale_holds.hpp"

namespace booking::pg {

namespace {

Jsonb *new_hold_answer(const CallContext *ctx, const ResourceSet &set, TimestampTz expires_at) {
    const NewReservation &first = set.member[0].row;
    JsonOut j;
    begin_success(&j);
    put_reservation(&j, "hold_id", &first.id, first.calendar_id, first.slot.start,
                    first.slot.end);
    j.put_timestamp("expires_at", expires_at);
    j.put_string("status", "held");
    if (set.n > 1)
        put_set(&j, set);
    return answer(ctx, &j);
}

// The caller's hold claimed before, answered again (its rows: one, or its set's).
Jsonb *earlier_hold_answer(const CallContext *ctx, const Reservation &r, const Reservation *rows,
                           int n) {
    JsonOut j;
    begin_success(&j);
    put_reservation(&j, "hold_id", &r.id, r.calendar_id, r.starts_at, r.ends_at);
    j.put_timestamp("expires_at", r.expires_at);
    j.put_string("status", "held");
    if (r.has_set)
        put_set_rows(&j, &r.set_id, rows, n);
    return answer(ctx, &j);
}

// The rows of a caller's earlier hold: its own, or its set's.
int hold_rows(const CallContext *ctx, const Reservation &hold, Reservation **rows) {
    if (hold.has_set)
        return find_set(ctx, &hold.set_id, rows);
    *rows = static_cast<Reservation *>(palloc(sizeof(Reservation)));
    (*rows)[0] = hold;
    return 1;
}

// Each member's row of the earlier hold, on that member's calendar, which
// must not count against the hold that replaces it.
void exclude_own(const ResourceSet &set, const Reservation *rows, int n, SetExcludes *ex) {
    for (int i = 0; i < set.n; ++i) {
        ex->id[i] = nullptr;
        for (int k = 0; k < n; ++k) {
            if (strcmp(rows[k].calendar_id, set.member[i].row.calendar_id) == 0)
                ex->id[i] = &rows[k].id;
        }
    }
}

// The caller's earlier hold, all its calendars, given back for a move.
void release_moved(const CallContext *ctx, const Reservation &previous) {
    mark_released(ctx, &previous.id, "moved");
    write_audit(ctx, ctx->org_id, Action::released, &previous.id, reservation_details(previous));
    SetChangeArgs moved;
    moved.reason = "moved";
    (void)follow_set(ctx, previous, SetChange::release, moved, Action::released);
}

// The hold's lifetime under the organisation's policy: a ttl given is
// checked against its max_hold_ttl as the argument was against the server's.
core::Micros hold_ttl(const OrgLimits &limits, const ClaimRequest &req) {
    if (!req.ttl_given)
        return std::min(limits.hold_ttl, limits.max_hold_ttl);
    if (req.ttl > limits.max_hold_ttl)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("ttl must be at most %s (the organisation's max_hold_ttl)",
                               format_micros(limits.max_hold_ttl))));
    return req.ttl;
}

// The hold on calendar_id (with the request's others); null when it was a
// pool's member found taken as it was written, to choose another.
Jsonb *claim_on(CallContext *ctx, const ClaimRequest &req, const char *calendar_id,
                core::TimeRange slot) {
    ResourceSet set;
    new_set(ctx, calendar_id, req.with_calendars, req.n_with, slot, &set);
    const SetExcludes none;
    // Its policy read once, and a ttl it refuses refused before any lock.
    const OrgLimits limits = org_limits(ctx);
    const TimestampTz expires_at = ctx->now + hold_ttl(limits, req);
    Contact contact;
    contact.phone = req.patient_phone.str;
    contact.caller_ref = req.caller_ref.str;
    contact.cap = limits.max_active_per_contact;
    if (Refusal refused = check_and_lock(ctx, set, slot, &contact))
        return refused_answer(ctx, refused, set, slot, none, nullptr);
    // The caller_ref, the patient's name and phone are the first row's.
    NewHold holds[core::kMaxSetCalendars];
    for (int i = 0; i < set.n; ++i) {
        holds[i].r = set.member[i].row;
        holds[i].expires_at = expires_at;
        holds[i].caller_ref = i == 0 ? req.caller_ref.str : nullptr;
        holds[i].patient_phone = i == 0 ? req.patient_phone.str : nullptr;
        holds[i].patient_name = i == 0 ? req.patient_name.str : nullptr;
    }
    const pg_uuid_t *set_id = set.n > 1 ? &set.set_id : nullptr;

    bool released_previous = false;
    // The caller's earlier hold to give back before the next write (a
    // move), and the rows that must not count against the new one.
    bool release_first = false;
    Reservation previous;
    SetExcludes excludes;
    for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
        // Fresh audit ids each attempt: the audit log orders by id, and a
        // move's release is written between attempts.
        PendingAudit claimed[core::kMaxSetCalendars];
        for (int i = 0; i < set.n; ++i)
            claimed[i] = pending_audit(ctx, ctx->org_id, Action::claimed, &holds[i].r.id,
                                       range_details(holds[i].r.calendar_id, slot.start,
                                                     slot.end, set_id, nullptr));
        auto insert = [&](int i) { return insert_hold_row(ctx, holds[i], &claimed[i]); };
        Refusal limited;
        bool written;
        if (release_first) {
            // Given back and replaced together: a move that finds the new
            // day or week full leaves the earlier hold as it was.
            written = all_or_nothing([&] {
                release_moved(ctx, previous);
                return write_rows(ctx, set, insert, &limited);
            });
            released_previous = true;  // tried: a refusal now is a rival's doing
        } else {
            written = write_rows(ctx, set, insert, &limited);
        }
        if (written) {
            for (int i = 0; i < set.n; ++i)
                audited(claimed[i]);
            count_pool_assignment(ctx);
            return new_hold_answer(ctx, set, expires_at);
        }
        if (limited)
            return another_pool_member(ctx)
                       ? nullptr
                       : refused_answer(ctx, limited, set, slot, excludes, nullptr);

        // Something stood in the way: the caller's own hold, a stale hold,
        // or a calendar with no place left. Find out which, under the locks.
        bool moving = false;
        release_first = false;
        excludes = SetExcludes{};
        if (req.caller_ref.present() && find_caller_hold(ctx, req.caller_ref.str, &previous)) {
            Reservation *rows = nullptr;
            int n = hold_rows(ctx, previous, &rows);
            core::CallerHold existing{previous.status, previous.expires_at,
                                      is_same_set(rows, n, set)};
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
        if (Refusal refused = full_member(ctx, set, slot, excludes, &conflicting)) {
            if (released_previous)
                raise_concurrent_writer();
            if (another_pool_member(ctx))
                return nullptr;
            // A hold's rival is not shown to the caller.
            return refused_answer(ctx, refused, set, slot, excludes, nullptr);
        }
        release_first = moving;
    }
    raise_concurrent_writer();
}

}  // namespace

Jsonb *claim_slot(const ClaimRequest &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        const core::TimeRange slot{req.starts_at, req.starts_at + req.duration};
        // A pool's id books one of its calendars (operations/pool_path.hpp).
        return on_pool_member(ctx, req.calendar_id.str, req.with_calendars, req.n_with, slot,
                              RetryKeys{req.caller_ref.str, nullptr},
                              [&](const char *calendar_id) {
                                  return claim_on(ctx, req, calendar_id, slot);
                              });
    });
}

}  // namespace booking::pg
