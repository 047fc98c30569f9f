// book: a confirmed appointment (of one calendar or several) in one call, by
// the write path (operations/write_path.hpp); the direct path of seed 002.
#include "core/answer_codes.hpp"
#include "pg/answer/answers.hpp"
#include "pg/operations/operations.hpp"
#include "pg/operations/pool_path.hpp"
#include "pg/operations/write_path.hpp"
#include "pg/store/audit.hpp"

namespace booking::pg {

namespace {

Jsonb *booked_answer(const CallContext *ctx, const ResourceSet &set) {
    const NewReservation &first = set.member[0].row;
    JsonOut j;
    begin_success(&j);
    put_reservation(&j, "appointment_id", &first.id, first.calendar_id, first.slot.start,
                    first.slot.end);
    j.put_string("status", "confirmed");
    if (set.n > 1)
        put_set(&j, set);
    return answer(ctx, &j);
}

// The booking a retried call made before (its rows: one, or its set's).
Jsonb *replayed_answer(const CallContext *ctx, const Reservation &r, const Reservation *rows,
                       int n) {
    JsonOut j;
    begin_success(&j);
    put_reservation(&j, "appointment_id", &r.id, r.calendar_id, r.starts_at, r.ends_at);
    j.put_string("status",
                 core::status_name(core::effective_status(r.status, r.expires_at, ctx->now)));
    if (r.has_set)
        put_set_rows(&j, &r.set_id, rows, n);
    j.put_bool("replayed", true);
    return answer(ctx, &j);
}

// The booking on calendar_id (with the request's others); null when it was
// a pool's member found taken as it was written, to choose another.
Jsonb *book_on(CallContext *ctx, const BookRequest &req, const char *calendar_id,
               core::TimeRange slot) {
    ResourceSet set;
    new_set(ctx, calendar_id, req.with_calendars, req.n_with, slot, &set);
    const SetExcludes none;
    Contact contact;
    contact.contact_id = req.contact_id;
    contact.idempotency_key = req.idempotency_key.str;
    if (Refusal refused = check_and_lock(ctx, set, slot, &contact))
        return refused_answer(ctx, refused, set, slot, none, nullptr);
    // The first row carries the idempotency key, the notes and the
    // metadata; every row the contact and the service.
    NewAppointment appts[core::kMaxSetCalendars];
    for (int i = 0; i < set.n; ++i) {
        appts[i].r = set.member[i].row;
        appts[i].contact_id = req.contact_id;
        appts[i].service_id = req.service_id;
        appts[i].notes = i == 0 ? req.notes.str : nullptr;
        appts[i].metadata = i == 0 ? req.metadata : nullptr;
        appts[i].idempotency_key = i == 0 ? req.idempotency_key.str : nullptr;
    }
    const pg_uuid_t *set_id = set.n > 1 ? &set.set_id : nullptr;

    for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
        PendingAudit booked[core::kMaxSetCalendars];
        for (int i = 0; i < set.n; ++i)
            booked[i] = pending_audit(ctx, ctx->org_id, Action::booked, &appts[i].r.id,
                                      range_details(appts[i].r.calendar_id, slot.start,
                                                    slot.end, set_id, nullptr));
        auto insert = [&](int i) { return insert_appointment_row(ctx, appts[i], &booked[i]); };
        Refusal limited;
        if (write_rows(ctx, set, insert, &limited)) {
            for (int i = 0; i < set.n; ++i)
                audited(booked[i]);
            count_pool_assignment(ctx);
            return booked_answer(ctx, set);
        }
        if (limited)
            return another_pool_member(ctx)
                       ? nullptr
                       : refused_answer(ctx, limited, set, slot, none, nullptr);

        // A retried call with the same idempotency key answers as the
        // first did; the same key for a different request is refused.
        Reservation earlier;
        if (req.idempotency_key.present() &&
            find_by_idempotency_key(ctx, req.idempotency_key.str, &earlier)) {
            Reservation *rows = &earlier;
            int n = 1;
            if (earlier.has_set)
                n = find_set(ctx, &earlier.set_id, &rows);
            if (!earlier.has_series && is_same_set(rows, n, set))
                return replayed_answer(ctx, earlier, rows, n);
            return failure_answer(ctx, core::codes::kIdempotencyKeyReused,
                                  "this idempotency_key was used for a different booking",
                                  nullptr);
        }

        Reservation conflicting;
        if (Refusal refused = full_member(ctx, set, slot, none, &conflicting))
            return another_pool_member(ctx)
                       ? nullptr
                       : refused_answer(ctx, refused, set, slot, none, &conflicting);
    }
    raise_concurrent_writer();
}

}  // namespace

Jsonb *book(const BookRequest &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        const core::TimeRange slot{req.starts_at, req.starts_at + req.duration};
        // A pool's id books one of its calendars (operations/pool_path.hpp).
        return on_pool_member(ctx, req.calendar_id.str, req.with_calendars, req.n_with, slot,
                              RetryKeys{nullptr, req.idempotency_key.str},
                              [&](const char *calendar_id) {
                                  return book_on(ctx, req, calendar_id, slot);
                              });
    });
}

}  // namespace booking::pg
