// SQL entry points: check_availability, free_slots.
#include "core/input_limits.hpp"
#include "pg/compat/pg_compat.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/operations/operations.hpp"

using namespace booking;
using namespace booking::pg;

BOOKING_SQL_FUNCTION(booking_check_availability) {
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 0, "org_id");
    TextArg calendar_id = text_arg(fcinfo, 1, "calendar_id", core::limits::kCalendarId);
    TimestampTz starts_at = timestamp_arg(fcinfo, 2, "starts_at");
    core::Micros duration =
        length_arg(fcinfo, 3, "duration");
    PG_RETURN_JSONB_P(check_availability(org_id, calendar_id, starts_at, duration));
}

BOOKING_SQL_FUNCTION(booking_free_slots) {
    FreeSlotsRequest req;
    req.org_id = uuid_arg(fcinfo, 0, "org_id");
    req.calendar_id = text_arg(fcinfo, 1, "calendar_id", core::limits::kCalendarId);
    req.from_ts = timestamp_arg(fcinfo, 2, "from_ts");
    req.until_ts = timestamp_arg(fcinfo, 3, "until_ts");
    req.duration = length_arg(fcinfo, 4, "duration");
    req.max_results = int_arg(fcinfo, 5, "max_results", 1, core::limits::kMaxResults);
    if (req.until_ts <= req.from_ts)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("until_ts must be later than from_ts")));

    core::TimeRange *slots = nullptr;
    int *places = nullptr;
    int n = free_slots(req, &slots, &places);

    ReturnSetInfo *rsinfo = compat::materialized_result(fcinfo);
    for (int i = 0; i < n; ++i) {
        Datum values[3] = {TimestampTzGetDatum(slots[i].start), TimestampTzGetDatum(slots[i].end),
                           Int32GetDatum(places[i])};
        bool nulls[3] = {false, false, false};
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}
