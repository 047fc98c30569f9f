// Calendar settings: set_calendar, and finding appointments that a change of
// hours left outside them (changing hours never moves or cancels anything).
#include "pg/answer/answers.hpp"
#include "pg/calendar/rules.hpp"
#include "pg/operations/operations.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/statement.hpp"

namespace booking::pg {

namespace {

Statement upsert_calendar = {
    "INSERT INTO booking.calendars (org_id, calendar_id, time_zone, slot_step, buffer_before, "
    "buffer_after, min_notice, working_hours, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) "
    "ON CONFLICT (org_id, calendar_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, "
    "slot_step = EXCLUDED.slot_step, buffer_before = EXCLUDED.buffer_before, "
    "buffer_after = EXCLUDED.buffer_after, min_notice = EXCLUDED.min_notice, "
    "working_hours = EXCLUDED.working_hours, updated_at = EXCLUDED.updated_at",
    9,
    {UUIDOID, TEXTOID, TEXTOID, INTERVALOID, INTERVALOID, INTERVALOID, INTERVALOID, JSONBOID,
     TIMESTAMPTZOID},
    nullptr};

Statement live_in_window = {
    "SELECT id, starts_at, ends_at, status::text FROM booking.reservations "
    "WHERE org_id = $1 AND calendar_id = $2 AND pg_catalog.upper(blocks) > $3 "
    "AND status IN ('held', 'requires_manual_followup', 'confirmed') "
    "AND starts_at >= $3 AND starts_at < $4 ORDER BY starts_at",
    4,
    {UUIDOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID},
    nullptr};

Datum interval_datum(core::Micros micros) {
    Interval *iv = static_cast<Interval *>(palloc(sizeof(Interval)));
    iv->month = 0;
    iv->day = 0;
    iv->time = micros;
    return IntervalPGetDatum(iv);
}

}  // namespace

Jsonb *set_calendar(const CalendarSettings &req) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> Jsonb * {
        char nulls[10] = "         ";
        Datum values[9] = {
            UUIDPGetDatum(const_cast<pg_uuid_t *>(req.org_id)),
            CStringGetTextDatum(req.calendar_id.str),
            CStringGetTextDatum(req.time_zone),
            req.has_step ? interval_datum(req.step) : (Datum)0,
            interval_datum(req.buffer_before),
            interval_datum(req.buffer_after),
            interval_datum(req.min_notice),
            req.working_hours ? JsonbPGetDatum(req.working_hours) : (Datum)0,
            TimestampTzGetDatum(ctx->now),
        };
        if (!req.has_step)
            nulls[3] = 'n';
        if (req.working_hours == nullptr)
            nulls[7] = 'n';
        run(upsert_calendar, values, nulls);

        JsonOut d;
        d.begin_object();
        d.put_string("calendar_id", req.calendar_id.str);
        d.put_string("time_zone", req.time_zone);
        d.put_bool("working_hours", req.working_hours != nullptr);
        d.end_object();
        write_audit(ctx, ctx->org_id, "calendar_set", nullptr, d.finish(CurrentMemoryContext));

        JsonOut j;
        begin_success(&j);
        j.put_string("calendar_id", req.calendar_id.str);
        j.put_string("time_zone", req.time_zone);
        return answer(ctx, &j);
    });
}

int appointments_outside_hours(const OutsideHoursRequest &req, OutsideHours **out) {
    return in_call_scope(req.org_id, [&](CallContext *ctx) -> int {
        CalendarRules rules = calendar_rules(ctx, req.calendar_id.str);
        Datum values[4] = {UUIDPGetDatum(const_cast<pg_uuid_t *>(req.org_id)),
                           CStringGetTextDatum(req.calendar_id.str),
                           TimestampTzGetDatum(req.from_ts), TimestampTzGetDatum(req.until_ts)};
        uint64 n = run(live_in_window, values, nullptr);
        OutsideHours *rows = static_cast<OutsideHours *>(
            MemoryContextAlloc(ctx->caller_context, sizeof(OutsideHours) * (n > 0 ? n : 1)));
        // Copy the rows first: checking hours converts times, which is not SPI,
        // but keep the tuple table untouched while reading it.
        for (uint64 i = 0; i < n; ++i) {
            rows[i].id = column_uuid(i, 1);
            rows[i].starts_at = column_timestamp(i, 2);
            rows[i].ends_at = column_timestamp(i, 3);
            rows[i].status = MemoryContextStrdup(ctx->caller_context, column_text(i, 4));
        }
        int kept = 0;
        for (uint64 i = 0; i < n; ++i) {
            if (!within_working_hours(rules, {rows[i].starts_at, rows[i].ends_at}))
                rows[kept++] = rows[i];
        }
        *out = rows;
        return kept;
    });
}

}  // namespace booking::pg
