// Calendar settings: set_calendar, and finding appointments that a change of
// hours left outside them (changing hours never moves or cancels anything).
#include "pg/answer/answers.hpp"
#include "pg/calendar/pools.hpp"
#include "pg/calendar/rules.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/operations/operations.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/reservations.hpp"

namespace booking::pg {

namespace {

Statement upsert_calendar = {
    "INSERT INTO booking.calendars (org_id, calendar_id, time_zone, slot_step, buffer_before, "
    "buffer_after, min_notice, working_hours, created_at, updated_at, capacity, max_advance, "
    "change_notice, max_per_day, max_per_week) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, $14) "
    "ON CONFLICT (org_id, calendar_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, "
    "slot_step = EXCLUDED.slot_step, buffer_before = EXCLUDED.buffer_before, "
    "buffer_after = EXCLUDED.buffer_after, min_notice = EXCLUDED.min_notice, "
    "working_hours = EXCLUDED.working_hours, updated_at = EXCLUDED.updated_at, "
    "capacity = EXCLUDED.capacity, max_advance = EXCLUDED.max_advance, "
    "change_notice = EXCLUDED.change_notice, max_per_day = EXCLUDED.max_per_day, "
    "max_per_week = EXCLUDED.max_per_week",
    14,
    {UUIDOID, TEXTOID, TEXTOID, INTERVALOID, INTERVALOID, INTERVALOID, INTERVALOID, JSONBOID,
     TIMESTAMPTZOID, INT4OID, INTERVALOID, INTERVALOID, INT4OID, INT4OID},
    nullptr};

// The booking horizon in days and hours ("30 days", not "720:00:00"), as a
// clinic reads it in the table and the answer.
Datum horizon_datum(core::Micros micros) {
    return DirectFunctionCall1(interval_justify_hours, interval_datum(micros));
}

// The booking horizon and change notice as PostgreSQL writes intervals, the
// limits per day and week as numbers; left out without them, as capacity 1
// is, so a calendar without the rules answers as before.
void put_clinic_rules(JsonOut *j, const CalendarSettings &req) {
    if (req.has_max_advance)
        j->put_string("max_advance", DatumGetCString(DirectFunctionCall1(
                                         interval_out, horizon_datum(req.max_advance))));
    if (req.has_change_notice)
        j->put_string("change_notice", DatumGetCString(DirectFunctionCall1(
                                           interval_out, horizon_datum(req.change_notice))));
    if (req.max_per_day > 0)
        j->put_int("max_per_day", req.max_per_day);
    if (req.max_per_week > 0)
        j->put_int("max_per_week", req.max_per_week);
}

}  // namespace

Jsonb *set_calendar(const CalendarSettings &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        // Pools and calendars share one namespace.
        if (pool_kind(ctx, req.calendar_id.str).is_pool)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("\"%s\" is a pool, and pools and calendars share one namespace",
                                   req.calendar_id.str)));
        char nulls[15] = "              ";
        Datum values[14] = {
            UUIDPGetDatum(const_cast<pg_uuid_t *>(req.org_id)),
            CStringGetTextDatum(req.calendar_id.str),
            CStringGetTextDatum(req.time_zone),
            req.has_step ? interval_datum(req.step) : (Datum)0,
            interval_datum(req.buffer_before),
            interval_datum(req.buffer_after),
            interval_datum(req.min_notice),
            req.working_hours ? JsonbPGetDatum(req.working_hours) : (Datum)0,
            TimestampTzGetDatum(ctx->now),
            Int32GetDatum(req.capacity),
            req.has_max_advance ? horizon_datum(req.max_advance) : (Datum)0,
            req.has_change_notice ? horizon_datum(req.change_notice) : (Datum)0,
            Int32GetDatum(req.max_per_day),
            Int32GetDatum(req.max_per_week),
        };
        if (req.max_per_week == 0)
            nulls[13] = 'n';
        if (req.max_per_day == 0)
            nulls[12] = 'n';
        if (!req.has_change_notice)
            nulls[11] = 'n';
        if (!req.has_max_advance)
            nulls[10] = 'n';
        if (!req.has_step)
            nulls[3] = 'n';
        if (req.working_hours == nullptr)
            nulls[7] = 'n';
        run(upsert_calendar, values, nulls);
        // Raised, the capacity reaches the live reservations, so new ones may
        // join them; lowered, it leaves them the places they had (and new
        // ones count against the lower figure, core/capacity.hpp).
        (void)raise_capacity(ctx, req.calendar_id.str, req.capacity);

        JsonOut d;
        d.begin_object();
        d.put_string("calendar_id", req.calendar_id.str);
        d.put_string("time_zone", req.time_zone);
        d.put_bool("working_hours", req.working_hours != nullptr);
        d.put_int("capacity", req.capacity);
        put_clinic_rules(&d, req);
        d.end_object();
        write_audit(ctx, ctx->org_id, Action::calendar_set, nullptr, d.finish(CurrentMemoryContext));

        JsonOut j;
        begin_success(&j);
        j.put_string("calendar_id", req.calendar_id.str);
        j.put_string("time_zone", req.time_zone);
        if (req.capacity != 1)
            j.put_int("capacity", req.capacity);
        put_clinic_rules(&j, req);
        return answer(ctx, &j);
    });
}

int appointments_outside_hours(const OutsideHoursRequest &req, LiveReservation **out) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> int {
        CalendarRules rules = calendar_rules(ctx, req.calendar_id.str);
        LiveReservation *rows = nullptr;
        int n = find_live_starting_in(ctx, req.calendar_id.str, {req.from_ts, req.until_ts},
                                      &rows);
        int kept = 0;
        for (int i = 0; i < n; ++i) {
            if (!within_working_hours(rules, {rows[i].starts_at, rows[i].ends_at}))
                rows[kept++] = rows[i];
        }
        *out = rows;
        return kept;
    });
}

}  // namespace booking::pg
