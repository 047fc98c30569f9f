// book: a confirmed appointment in one call (the direct path, seed 002).
#include "core/answer_codes.hpp"
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

Jsonb *set_booked_answer(const CallContext *ctx, const ResourceSet &set) {
    const NewReservation &first = set.member[0].row;
    JsonOut j;
    begin_success(&j);
    j.put_uuid("appointment_id", &first.id);
    j.put_string("calendar_id", first.calendar_id);
    j.put_timestamp("starts_at", first.slot.start);
    j.put_timestamp("ends_at", first.slot.end);
    j.put_string("status", "confirmed");
    put_set(&j, set);
    return answer(ctx, &j);
}

Jsonb *set_replayed_answer(const CallContext *ctx, const Reservation &r, const Reservation *rows,
                           int n) {
    JsonOut j;
    begin_success(&j);
    j.put_uuid("appointment_id", &r.id);
    j.put_string("calendar_id", r.calendar_id);
    j.put_timestamp("starts_at", r.starts_at);
    j.put_timestamp("ends_at", r.ends_at);
    j.put_string("status",
                 core::status_name(core::effective_status(r.status, r.expires_at, ctx->now)));
    put_set_rows(&j, &r.set_id, rows, n);
    j.put_bool("replayed", true);
    return answer(ctx, &j);
}

// book with with_calendars: one appointment of several calendars
// (operations/resource_set.hpp). The first row carries the idempotency key,
// the notes and the metadata; every row the contact and the service.
Jsonb *book_set(const BookRequest &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        core::TimeRange slot{req.starts_at, req.starts_at + req.duration};
        ResourceSet set;
        new_set(ctx, req.calendar_id.str, req.with_calendars, req.n_with, slot, &set);
        SetExcludes none;
        if (Jsonb *refused = lock_or_refuse_set(ctx, set, slot, none))
            return refused;
        NewAppointment appts[core::kMaxSetCalendars];
        for (int i = 0; i < set.n; ++i) {
            appts[i].r = set.member[i].row;
            appts[i].contact_id = req.contact_id;
            appts[i].service_id = req.service_id;
            appts[i].notes = i == 0 ? req.notes.str : nullptr;
            appts[i].metadata = i == 0 ? req.metadata : nullptr;
            appts[i].idempotency_key = i == 0 ? req.idempotency_key.str : nullptr;
        }

        for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
            PendingAudit booked[core::kMaxSetCalendars];
            for (int i = 0; i < set.n; ++i)
                booked[i] = pending_audit(
                    ctx, ctx->org_id, Action::booked, &appts[i].r.id,
                    range_details(appts[i].r.calendar_id, slot.start, slot.end, &set.set_id,
                                  nullptr));
            bool whole = all_or_nothing([&] {
                for (int k = 0; k < set.n; ++k) {
                    const int i = set.order[k];
                    if (!insert_appointment_row(ctx, appts[i], &booked[i]))
                        return false;
                }
                link_set(ctx, set);
                return true;
            });
            if (whole) {
                for (int i = 0; i < set.n; ++i)
                    audited(booked[i]);
                return set_booked_answer(ctx, set);
            }

            Reservation earlier;
            if (req.idempotency_key.present() &&
                find_by_idempotency_key(ctx, req.idempotency_key.str, &earlier)) {
                Reservation *rows = nullptr;
                int n = earlier.has_set ? find_set(ctx, &earlier.set_id, &rows) : 0;
                if (earlier.has_set && !earlier.has_series && is_same_set(rows, n, set))
                    return set_replayed_answer(ctx, earlier, rows, n);
                return failure_answer(ctx, core::codes::kIdempotencyKeyReused,
                                      "this idempotency_key was used for a different booking",
                                      nullptr);
            }

            Reservation conflicting;
            int at = full_member(ctx, set, slot, none, &conflicting);
            if (at >= 0)
                return set_unavailable(ctx, core::codes::kSlotUnavailable,
                                       psprintf("that time is already taken on calendar \"%s\"",
                                                set.member[at].row.calendar_id),
                                       set, slot, at, none, &conflicting);
        }
        raise_concurrent_writer();
    });
}

}  // namespace

Jsonb *book(const BookRequest &req) {
    if (req.n_with > 0)
        return book_set(req);
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
            PendingAudit booked = pending_audit(ctx, ctx->org_id, Action::booked, &appt.r.id,
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
                if (!earlier.has_set && !earlier.has_series &&
                    strcmp(earlier.calendar_id, calendar_id) == 0 &&
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
