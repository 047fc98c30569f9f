// SQL entry points: set_calendar, appointments_outside_hours.
#include "core/capacity.hpp"
#include "core/duration.hpp"
#include "core/period_limits.hpp"
#include "core/input_limits.hpp"
#include "pg/calendar/rules.hpp"
#include "pg/compat/pg_compat.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/operations/operations.hpp"

using namespace booking;
using namespace booking::pg;

namespace {

// An interval setting of a calendar: a fixed length from lo to hi.
core::Micros span_arg(FunctionCallInfo fcinfo, int argno, const char *name, core::Micros lo,
                      core::Micros hi) {
    if (arg_is_null(fcinfo, argno))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("%s must not be null", name)));
    Interval *iv = PG_GETARG_INTERVAL_P(argno);
    core::DurationResult r = core::fixed_length({iv->month, iv->day, iv->time});
    if (r.error == core::DurationError::has_months)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must not have a month or year part", name)));
    if (r.error != core::DurationError::none || r.micros < lo || r.micros > hi)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must be between %s and %s", name, format_micros(lo),
                               format_micros(hi))));
    return r.micros;
}

const char *time_zone_arg(FunctionCallInfo fcinfo, int argno) {
    TextArg tz = text_arg(fcinfo, argno, "time_zone", core::limits::kTimeZone);
    // PostgreSQL's own time-zone database decides what a zone is.
    pg_tz *zone = pg_tzset(tz.str);
    if (zone == nullptr || !pg_tz_acceptable(zone))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("time_zone \"%s\" is not a known time zone", tz.str),
                        errhint("Use an IANA name such as \"Europe/Berlin\" or \"UTC\".")));
    return tz.str;
}

}  // namespace

BOOKING_SQL_FUNCTION(booking_set_calendar) {
    CalendarSettings req;
    req.org_id = uuid_arg(fcinfo, 0, "org_id");
    req.calendar_id = text_arg(fcinfo, 1, "calendar_id", core::limits::kCalendarId);
    req.time_zone = time_zone_arg(fcinfo, 2);
    req.has_step = !arg_is_null(fcinfo, 3);
    req.step = req.has_step ? span_arg(fcinfo, 3, "slot_step", core::kMicrosPerMinute,
                                       core::kMicrosPerDay)
                            : 0;
    req.buffer_before = span_arg(fcinfo, 4, "buffer_before", 0, core::kMicrosPerDay);
    req.buffer_after = span_arg(fcinfo, 5, "buffer_after", 0, core::kMicrosPerDay);
    req.min_notice = span_arg(fcinfo, 6, "min_notice", 0, 366 * core::kMicrosPerDay);
    req.working_hours = nullptr;
    if (!arg_is_null(fcinfo, 7)) {
        req.working_hours =
            optional_object_arg(fcinfo, 7, "working_hours", core::limits::kMetadataBytes);
        core::WeeklyHours hours;
        const char *problem = nullptr;
        if (!parse_working_hours(req.working_hours, &hours, &problem))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("working_hours is invalid: %s", problem),
                            errhint("Example: {\"mon\": [[\"09:00\", \"12:00\"], [\"13:00\", "
                                    "\"17:00\"]], \"sat\": []}; a weekday left out is closed.")));
    }
    // A previous release's declaration has no capacity (and the call scope
    // refuses it: call/schema.hpp).
    req.capacity = 1;
    if (PG_NARGS() > 8)
        req.capacity = int_arg(fcinfo, 8, "capacity", 1, core::kMaxCapacity);
    req.has_max_advance = PG_NARGS() > 9 && !arg_is_null(fcinfo, 9);
    req.max_advance = req.has_max_advance
                          ? span_arg(fcinfo, 9, "max_advance", 0, 36525 * core::kMicrosPerDay)
                          : 0;
    req.has_change_notice = PG_NARGS() > 10 && !arg_is_null(fcinfo, 10);
    req.change_notice = req.has_change_notice
                            ? span_arg(fcinfo, 10, "change_notice", 0, 36525 * core::kMicrosPerDay)
                            : 0;
    // 0: no limit (NULL).
    req.max_per_day = PG_NARGS() > 11 && !arg_is_null(fcinfo, 11)
                          ? int_arg(fcinfo, 11, "max_per_day", 1, core::kMaxPerPeriod)
                          : 0;
    req.max_per_week = PG_NARGS() > 12 && !arg_is_null(fcinfo, 12)
                           ? int_arg(fcinfo, 12, "max_per_week", 1, core::kMaxPerPeriod)
                           : 0;
    PG_RETURN_JSONB_P(set_calendar(req));
}

BOOKING_SQL_FUNCTION(booking_appointments_outside_hours) {
    OutsideHoursRequest req;
    req.org_id = uuid_arg(fcinfo, 0, "org_id");
    req.calendar_id = text_arg(fcinfo, 1, "calendar_id", core::limits::kCalendarId);
    req.from_ts = timestamp_arg(fcinfo, 2, "from_ts");
    req.until_ts = timestamp_arg(fcinfo, 3, "until_ts");
    if (req.until_ts <= req.from_ts)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("until_ts must be later than from_ts")));
    if (req.until_ts - req.from_ts > 366 * core::kMicrosPerDay)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("the window from from_ts to until_ts must not exceed 366 days")));
    LiveReservation *rows = nullptr;
    int n = appointments_outside_hours(req, &rows);
    ReturnSetInfo *rsinfo = compat::materialized_result(fcinfo);
    for (int i = 0; i < n; ++i) {
        Datum values[4] = {UUIDPGetDatum(&rows[i].id), TimestampTzGetDatum(rows[i].starts_at),
                           TimestampTzGetDatum(rows[i].ends_at),
                           CStringGetTextDatum(rows[i].status)};
        bool nulls[4] = {false, false, false, false};
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}

