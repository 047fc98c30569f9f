// Recurring series: book_series books count occurrences of one booking
// (each of one calendar or of several) whole or not at all; cancel_series
// cancels the rest of one.
//
// The occurrences are stepped in the first calendar's local time
// (calendar/rules.hpp's local_step). Each is checked as book checks a
// booking (past, notice, hours of every calendar), every calendar's lock is
// taken once, in the canonical order, and all rows go in under one
// subtransaction. When anything refuses, nothing stays booked and the answer
// lists every refused occurrence, found the way the overlap guard decides:
// what is committed, less the stale holds in the way, and the series' own
// earlier occurrences (an occurrence's buffers, or a short daylight-saving
// day, may make it meet the one before).
#include "core/answer_codes.hpp"
#include "core/capacity.hpp"
#include "core/input_limits.hpp"
#include "pg/answer/answers.hpp"
#include "pg/kernel/ids.hpp"
#include "pg/kernel/subtransaction.hpp"
#include "pg/operations/operations.hpp"
#include "pg/operations/pool_path.hpp"
#include "pg/operations/waitlist.hpp"
#include "pg/operations/write_path.hpp"
#include "pg/shared/stats.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/stale_holds.hpp"

namespace booking::pg {

namespace {

// A refused occurrence.
struct RefusedOccurrence {
    int occurrence;
    const char *error;
    int member;        // the calendar to blame, or -1
    const char *rule;  // the clinic's rule that refused it (refusal_rule), or null
};
BOOKING_PLAIN_DATA(RefusedOccurrence);

RefusedOccurrence refused_occurrence(int k, const Refusal &refused) {
    return {k, refusal_code(refused.kind), refused.member, refusal_rule(refused)};
}

Jsonb *series_answer(const CallContext *ctx, const pg_uuid_t *series_id, const ResourceSet &set,
                     const core::TimeRange *slots, const pg_uuid_t *first_ids, int count,
                     bool replayed) {
    JsonOut j;
    begin_success(&j);
    j.put_uuid("series_id", series_id);
    j.put_string("calendar_id", set.member[0].row.calendar_id);
    if (set.n > 1) {
        j.begin_array("calendars");
        for (int i = 0; i < set.n; ++i) {
            j.begin_element_object();
            j.put_string("calendar_id", set.member[i].row.calendar_id);
            j.end_object();
        }
        j.end_array();
    }
    j.begin_array("appointments");
    for (int k = 0; k < count; ++k) {
        j.begin_element_object();
        j.put_uuid("appointment_id", &first_ids[k]);
        j.put_timestamp("starts_at", slots[k].start);
        j.put_timestamp("ends_at", slots[k].end);
        j.end_object();
    }
    j.end_array();
    if (replayed)
        j.put_bool("replayed", true);
    return answer(ctx, &j);
}

// A series refused by a clinic's rule (its horizon, its limits per day or
// week) is audited as one refused row for the call, not one per occurrence:
// staff read refused rows as the callers a rule turned away and why, and
// rule_refusals counts them as calls, as for a single booking. A weekly
// series of a year that runs past the horizon is one caller turned away,
// not forty; the answer's conflicts list every occurrence for the agent.
// The row names the earliest occurrence a rule refused (its rule, calendar
// and start) and how many a rule refused of how many. Written with the
// answer, after the series' subtransaction was rolled back (the limits are
// counted inside it), so the row stays.
void audit_refused_series(const CallContext *ctx, const ResourceSet &set,
                          const core::TimeRange *slots, int count,
                          const RefusedOccurrence *refusals, int n) {
    const RefusedOccurrence *first = nullptr;
    int by_rule = 0;
    for (int i = 0; i < n; ++i) {
        if (refusals[i].rule == nullptr)
            continue;
        ++by_rule;
        if (first == nullptr || refusals[i].occurrence < first->occurrence)
            first = &refusals[i];
    }
    if (first == nullptr)
        return;
    const int blamed = first->member >= 0 ? first->member : 0;
    audit_series_refusal(ctx, first->rule, first->error, set.member[blamed].row.calendar_id,
                         slots[first->occurrence].start, by_rule, count);
}

Jsonb *refused_series_answer(const CallContext *ctx, const ResourceSet &set,
                             const core::TimeRange *slots, int count,
                             const RefusedOccurrence *refusals, int n) {
    audit_refused_series(ctx, set, slots, count, refusals, n);
    stats::count(stats::Tally::conflicts);
    JsonOut j;
    begin_failure(&j, core::codes::kSlotUnavailable,
                  psprintf(n == 1 ? "%d occurrence of the series cannot be booked; nothing was"
                                  : "%d occurrences of the series cannot be booked; nothing was",
                           n),
                  nullptr);
    j.begin_array("conflicts");
    for (int i = 0; i < n; ++i) {
        const RefusedOccurrence &r = refusals[i];
        j.begin_element_object();
        j.put_timestamp("starts_at", slots[r.occurrence].start);
        j.put_timestamp("ends_at", slots[r.occurrence].end);
        j.put_string("error", r.error);
        if (set.n > 1 && r.member >= 0)
            j.put_string("conflicting_calendar", set.member[r.member].row.calendar_id);
        j.end_object();
    }
    j.end_array();
    return answer(ctx, &j);
}


// Under the locks: the occurrences (not refused by the rules already) that
// find a calendar full, counting the series' own earlier occurrences. Adds
// them to refusals; returns the new count.
int full_occurrences(const CallContext *ctx, const ResourceSet &set, const core::TimeRange *slots,
                     int count, const bool *ruled_out, RefusedOccurrence *refusals, int n) {
    core::Occupant *earlier =
        static_cast<core::Occupant *>(palloc(sizeof(core::Occupant) * (count + 1)));
    for (int i = 0; i < set.n; ++i) {
        const SetMember &m = set.member[i];
        int nearlier = 0;
        for (int k = 0; k < count; ++k) {
            core::TimeRange blocked = blocked_range(m.rules, slots[k]);
            // Occurrences come in time order: only the last few can meet this one.
            int first = nearlier;
            while (first > 0 && earlier[first - 1].blocks.end > blocked.start)
                --first;
            if (!ruled_out[k]) {
                bool already = false;
                for (int r = 0; r < n; ++r)
                    already = already || refusals[r].occurrence == k;
                if (!already) {
                    ConflictScan scan =
                        clear_stale_conflicts(ctx, m.row.calendar_id, blocked, nullptr,
                                              m.rules.capacity, earlier + first, nearlier - first);
                    if (scan.full)
                        refusals[n++] = {k, core::codes::kSlotUnavailable, i, nullptr};
                }
            }
            earlier[nearlier].blocks = blocked;
            earlier[nearlier].capacity = m.rules.capacity;
            ++nearlier;
        }
    }
    pfree(earlier);
    return n;
}

// Once every occurrence is written (and counts itself): those whose day or
// week breaks a calendar's limits (write_path's limit_refusal, one calendar
// named each). Writes them to refusals; returns how many.
int over_limit_occurrences(const CallContext *ctx, const ResourceSet &set,
                           const core::TimeRange *slots, int count, RefusedOccurrence *refusals) {
    int n = 0;
    for (int k = 0; k < count; ++k) {
        if (Refusal limited = limit_refusal(ctx, set, slots[k].start))
            refusals[n++] = refused_occurrence(k, limited);
    }
    return n;
}

void sort_refusals(RefusedOccurrence *refusals, int n) {
    std::sort(refusals, refusals + n,
              [](const RefusedOccurrence &a, const RefusedOccurrence &b) {
                  return a.occurrence < b.occurrence;
              });
}

// A retried call: the earlier series is this one when its occurrences are
// these slots on these calendars.
bool is_same_series(const Reservation *rows, int nrows, const ResourceSet &set,
                    const core::TimeRange *slots, int count, pg_uuid_t *first_ids) {
    if (nrows != count * set.n)
        return false;
    int k = 0;
    for (int i = 0; i < nrows; ++i) {
        const Reservation &r = rows[i];
        bool first = !r.has_set || memcmp(r.set_id.data, r.id.data, UUID_LEN) == 0;
        if (!first)
            continue;
        if (k >= count || strcmp(r.calendar_id, set.member[0].row.calendar_id) != 0 ||
            r.starts_at != slots[k].start || r.ends_at != slots[k].end)
            return false;
        first_ids[k++] = r.id;
    }
    if (k != count)
        return false;
    if (set.n == 1)
        return true;
    // The calendars of the first occurrence.
    Reservation firsts[core::kMaxSetCalendars];
    int m = 0;
    for (int i = 0; i < nrows && m < set.n; ++i) {
        if (rows[i].has_set && memcmp(rows[i].set_id.data, first_ids[0].data, UUID_LEN) == 0)
            firsts[m++] = rows[i];
    }
    return is_same_set(firsts, m, set);
}

}  // namespace

Jsonb *book_series(const SeriesRequest &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        const int count = req.count;
        core::TimeRange first{req.first_starts_at, req.first_starts_at + req.duration};
        ResourceSet set;
        // No pool in a series (operations/pool_path.hpp says why).
        refuse_pool(ctx, req.calendar_id.str, "book_series");
        for (int i = 0; i < req.n_with; ++i)
            refuse_pool(ctx, req.with_calendars[i].str, "book_series");
        new_set(ctx, req.calendar_id.str, req.with_calendars, req.n_with, first, &set);
        const int n = set.n;

        // The occurrences, in the first calendar's local time.
        core::TimeRange *slots =
            static_cast<core::TimeRange *>(palloc(sizeof(core::TimeRange) * count));
        for (int k = 0; k < count; ++k) {
            TimestampTz start = local_step(set.member[0].rules.zone, req.first_starts_at, k,
                                           req.every_months, req.every_days, req.every_micros);
            if (start < core::limits::kEarliestTimestamp ||
                start + req.duration >= core::limits::kLatestTimestamp)
                ereport(ERROR, (errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                                errmsg("occurrence %d of the series is out of range", k + 1),
                                errdetail("Timestamps from 1970 up to 2200 are accepted.")));
            slots[k] = {start, start + req.duration};
        }

        // Every occurrence's rules, before any lock.
        RefusedOccurrence *refusals = static_cast<RefusedOccurrence *>(
            palloc(sizeof(RefusedOccurrence) * (count + 1)));
        bool *ruled_out = static_cast<bool *>(palloc0(sizeof(bool) * count));
        int nrefused = 0;
        for (int k = 0; k < count; ++k) {
            if (Refusal refused = rule_refusal(ctx, set, slots[k])) {
                refusals[nrefused++] = refused_occurrence(k, refused);
                ruled_out[k] = true;
            }
        }
        // The contact's lock before the calendars' (write_path.hpp); every
        // occurrence counts against the cap.
        if (nrefused == 0) {
            Contact contact;
            contact.contact_id = req.contact_id;
            contact.idempotency_key = req.idempotency_key.str;
            if (Refusal refused = contact_refusal(ctx, contact, count))
                return refused_answer(ctx, refused, set, first, SetExcludes{}, nullptr);
        }
        // Every calendar's lock, once for all occurrences.
        if (!lock_set(ctx, set))
            return busy_answer(ctx);

        // One id per row; each occurrence's first row is its set's id.
        pg_uuid_t series_id = new_id(ctx->now);
        // Row i of occurrence k is at(k, i) of the arrays below.
        auto at = [n](int k, int i) {
            return static_cast<std::size_t>(k) * static_cast<std::size_t>(n) +
                   static_cast<std::size_t>(i);
        };
        const std::size_t rows = at(count, 0);
        pg_uuid_t *ids = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * rows));
        pg_uuid_t *first_ids = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * count));
        for (int k = 0; k < count; ++k) {
            for (int i = 0; i < n; ++i)
                ids[at(k, i)] = new_id(ctx->now);
            first_ids[k] = ids[at(k, 0)];
        }
        PendingAudit *booked =
            static_cast<PendingAudit *>(palloc(sizeof(PendingAudit) * rows));

        const bool limits = set_has_limits(set);
        for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
            if (nrefused == 0) {
                for (int k = 0; k < count; ++k) {
                    for (int i = 0; i < n; ++i)
                        booked[at(k, i)] = pending_audit(
                            ctx, ctx->org_id, Action::booked, &ids[at(k, i)],
                            range_details(set.member[i].row.calendar_id, slots[k].start,
                                          slots[k].end, n > 1 ? &first_ids[k] : nullptr,
                                          &series_id));
                }
                bool whole = all_or_nothing([&] {
                    for (int k = 0; k < count; ++k) {
                        for (int o = 0; o < n; ++o) {
                            const int i = set.order[o];
                            NewAppointment appt;
                            appt.r = set.member[i].row;
                            appt.r.id = ids[at(k, i)];
                            appt.r.slot = slots[k];
                            appt.r.set_id = n > 1 ? &first_ids[k] : nullptr;
                            appt.r.series_id = &series_id;
                            appt.contact_id = req.contact_id;
                            appt.service_id = req.service_id;
                            appt.notes = i == 0 ? req.notes.str : nullptr;
                            appt.metadata = i == 0 ? req.metadata : nullptr;
                            appt.idempotency_key =
                                i == 0 && k == 0 ? req.idempotency_key.str : nullptr;
                            if (!insert_appointment_row(ctx, appt, &booked[at(k, i)]))
                                return false;
                        }
                    }
                    // Every row to the series, and each occurrence's rows to
                    // its set.
                    const std::size_t nlinks = n > 1 ? 2 * rows : rows;
                    pg_uuid_t *link_ids =
                        static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * nlinks));
                    pg_uuid_t *linked = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * nlinks));
                    std::size_t l = 0;
                    for (int k = 0; k < count; ++k) {
                        for (int i = 0; i < n; ++i) {
                            link_ids[l] = series_id;
                            linked[l++] = ids[at(k, i)];
                            if (n > 1) {
                                link_ids[l] = first_ids[k];
                                linked[l++] = ids[at(k, i)];
                            }
                        }
                    }
                    link_reservations(ctx, link_ids, linked, static_cast<int>(nlinks));
                    if (limits)
                        nrefused = over_limit_occurrences(ctx, set, slots, count, refusals);
                    return nrefused == 0;
                });
                if (whole) {
                    for (std::size_t r = 0; r < rows; ++r)
                        audited(booked[r]);
                    return series_answer(ctx, &series_id, set, slots, first_ids, count, false);
                }
                // A writer in flight where an occurrence goes
                // (store/overlap_guard.hpp): busy, as for a lock held.
                if (overlap_skip_met_writer())
                    return busy_answer(ctx);

                // A retried call with the same key answers as the first did.
                Reservation earlier;
                if (req.idempotency_key.present() &&
                    find_by_idempotency_key(ctx, req.idempotency_key.str, &earlier)) {
                    Reservation *rows = nullptr;
                    int nrows = earlier.has_series ? find_series(ctx, &earlier.series_id, &rows) : 0;
                    pg_uuid_t *had = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * count));
                    if (earlier.has_series && is_same_series(rows, nrows, set, slots, count, had))
                        return series_answer(ctx, &earlier.series_id, set, slots, had, count, true);
                    return failure_answer(ctx, core::codes::kIdempotencyKeyReused,
                                          "this idempotency_key was used for a different booking",
                                          nullptr);
                }
            }
            nrefused = full_occurrences(ctx, set, slots, count, ruled_out, refusals, nrefused);
            if (nrefused > 0) {
                sort_refusals(refusals, nrefused);
                return refused_series_answer(ctx, set, slots, count, refusals, nrefused);
            }
        }
        raise_concurrent_writer();
    });
}

Jsonb *cancel_series(const pg_uuid_t *org_id, const pg_uuid_t *series_id, bool has_from,
                     TimestampTz from_starts_at, TextArg reason) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        TimestampTz from = has_from ? from_starts_at : ctx->now;
        Reservation *cancelled = nullptr;
        bool known = false;
        int n = cancel_series_from(ctx, series_id, from, reason.str, &cancelled, &known);
        if (!known)
            return failure_answer(ctx, core::codes::kSeriesNotFound,
                                  "no series with that id in this organisation", nullptr);
        for (int i = 0; i < n; ++i)
            pass_freed_reservation(ctx, cancelled[i]);
        JsonOut j;
        begin_success(&j);
        j.put_uuid("series_id", series_id);
        j.put_string("status", "cancelled");
        j.begin_array("cancelled");
        for (int i = 0; i < n; ++i) {
            j.begin_element_object();
            j.put_uuid("appointment_id", &cancelled[i].id);
            j.put_timestamp("starts_at", cancelled[i].starts_at);
            j.put_timestamp("ends_at", cancelled[i].ends_at);
            j.end_object();
        }
        j.end_array();
        return answer(ctx, &j);
    });
}

}  // namespace booking::pg
