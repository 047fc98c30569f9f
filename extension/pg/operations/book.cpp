// book: a confirmed appointment in one call (the direct path, seed 002).
#include "core/answer_codes.hpp"
#include "pg/answer/answers.hpp"
#include "pg/calendar/lock_or_refuse.hpp"
#include "pg/operations/new_reservation.hpp"
#include "pg/operations/operations.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/stale_holds.hpp"

namespace booking::pg {

namespace {

Jsonb *booked_answer(const CallContext *ctx, const Reservation &r, bool replayed) {
    JsonOut j;
    begin_success(&j);
    j.put_uuid("appointment_id", &r.id);
    j.put_string("calendar_id", r.calendar_id);
    j.put_timestamp("starts_at", r.starts_at);
    j.put_timestamp("ends_at", r.ends_at);
    j.put_string("status",
                 core::status_name(core::effective_status(r.status, r.expires_at, ctx->now)));
    if (replayed)
        j.put_bool("replayed", true);
    return answer(ctx, &j);
}

}  // namespace

Jsonb *book(const BookRequest &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        CalendarRules rules;
        NewAppointment appt;
        if (Jsonb *refused = open_new_reservation(ctx, req.calendar_id, req.starts_at,
                                                  req.duration, &rules, &appt.r))
            return refused;
        const char *calendar_id = appt.r.calendar_id;
        const core::TimeRange slot = appt.r.slot;
        appt.contact_id = req.contact_id;
        appt.service_id = req.service_id;
        appt.notes = req.notes.str;
        appt.metadata = req.metadata;
        appt.idempotency_key = req.idempotency_key.str;

        for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
            PendingAudit booked = pending_audit(ctx, ctx->org_id, "booked", &appt.r.id,
                                                range_details(calendar_id, slot.start, slot.end));
            if (insert_appointment(ctx, appt, &booked)) {
                Reservation made;
                made.id = appt.r.id;
                made.calendar_id = const_cast<char *>(calendar_id);
                made.starts_at = slot.start;
                made.ends_at = slot.end;
                made.status = core::Status::confirmed;
                made.expires_at = 0;
                return booked_answer(ctx, made, false);
            }

            // A retried call with the same idempotency key answers as the
            // first did; the same key for a different request is refused.
            Reservation earlier;
            if (req.idempotency_key.present() &&
                find_by_idempotency_key(ctx, req.idempotency_key.str, &earlier)) {
                if (strcmp(earlier.calendar_id, calendar_id) == 0 &&
                    earlier.starts_at == slot.start && earlier.ends_at == slot.end)
                    return booked_answer(ctx, earlier, true);
                return failure_answer(ctx, core::codes::kIdempotencyKeyReused,
                                      "this idempotency_key was used for a different booking",
                                      nullptr);
            }

            ConflictScan scan =
                clear_stale_conflicts(ctx, calendar_id, blocked_range(rules, slot), nullptr, rules.capacity);
            if (scan.full)
                return unavailable_answer(ctx, core::codes::kSlotUnavailable,
                                          "that time is already taken", calendar_id, slot,
                                          nullptr, &scan.first_live);
        }
        raise_concurrent_writer();
    });
}

}  // namespace booking::pg
