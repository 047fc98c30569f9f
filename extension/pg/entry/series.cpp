// SQL entry points: book_series, cancel_series.
#include "core/input_limits.hpp"
#include "core/series.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/operations/operations.hpp"
#include "pg/settings/settings.hpp"

using namespace booking;
using namespace booking::pg;

namespace {

// every: a step forward in the calendar's local time (core/series.hpp).
void every_arg(FunctionCallInfo fcinfo, int argno, core::Micros duration, SeriesRequest *req) {
    if (arg_is_null(fcinfo, argno))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("every must not be null")));
    Interval *iv = PG_GETARG_INTERVAL_P(argno);
    switch (core::check_step({iv->month, iv->day, iv->time}, duration)) {
    case core::StepError::none:
        break;
    case core::StepError::not_positive:
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("every must be positive"),
                        errdetail("Each part of every (months, days, time) is 0 or more, and one "
                                  "is more.")));
        break;
    case core::StepError::not_whole_minutes:
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("every must be a whole number of minutes"),
                        errhint("Give the unit, e.g. '1 week' or '14 days'.")));
        break;
    case core::StepError::shorter_than_duration:
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("every must not be shorter than duration (%s)",
                               format_micros(duration)),
                        errdetail("The occurrences of a series would overlap one another.")));
        break;
    }
    req->every_months = iv->month;
    req->every_days = iv->day;
    req->every_micros = iv->time;
}

int count_arg(FunctionCallInfo fcinfo, int argno) {
    if (arg_is_null(fcinfo, argno))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("count must not be null")));
    int32 count = PG_GETARG_INT32(argno);
    const int most = settings::max_series_count();
    if (count < 1 || count > most)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("count must be between 1 and %d", most),
                        errdetail("The limit is set by booking.max_series_count.")));
    return count;
}

}  // namespace

BOOKING_SQL_FUNCTION(booking_book_series) {
    SeriesRequest req;
    req.org_id = uuid_arg(fcinfo, 0, "org_id");
    req.calendar_id = text_arg(fcinfo, 1, "calendar_id", core::limits::kCalendarId);
    req.first_starts_at = timestamp_arg(fcinfo, 2, "first_starts_at");
    req.duration = length_arg(fcinfo, 3, "duration");
    every_arg(fcinfo, 4, req.duration, &req);
    req.count = count_arg(fcinfo, 5);
    req.contact_id = optional_uuid_arg(fcinfo, 6);
    req.service_id = optional_uuid_arg(fcinfo, 7);
    req.notes = optional_text_arg(fcinfo, 8, "notes", core::limits::kNotes);
    req.metadata = optional_object_arg(fcinfo, 9, "metadata", core::limits::kMetadataBytes);
    TextArg *with = nullptr;
    req.n_with = with_calendars_arg(fcinfo, 10, req.calendar_id, &with);
    req.with_calendars = with;
    req.idempotency_key =
        optional_text_arg(fcinfo, 11, "idempotency_key", core::limits::kIdempotencyKey);
    PG_RETURN_JSONB_P(book_series(req));
}

BOOKING_SQL_FUNCTION(booking_cancel_series) {
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 0, "org_id");
    const pg_uuid_t *series_id = uuid_arg(fcinfo, 1, "series_id");
    const bool has_from = !arg_is_null(fcinfo, 2);
    TimestampTz from = has_from ? timestamp_arg(fcinfo, 2, "from_starts_at") : 0;
    TextArg reason = optional_text_arg(fcinfo, 3, "reason", core::limits::kReason);
    PG_RETURN_JSONB_P(cancel_series(org_id, series_id, has_from, from, reason));
}
