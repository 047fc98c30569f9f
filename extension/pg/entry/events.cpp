// SQL entry points: create_event_consumer, drop_event_consumer, read_events,
// ack_events. org_id NULL names a consumer of every organisation (the
// owner's).
#include "core/input_limits.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/operations/operations.hpp"

using namespace booking;
using namespace booking::pg;

namespace {

constexpr std::size_t kConsumerName = 200;

}  // namespace

BOOKING_SQL_FUNCTION(booking_create_event_consumer) {
    const pg_uuid_t *org_id = optional_uuid_arg(fcinfo, 0);
    TextArg consumer = text_arg(fcinfo, 1, "consumer", kConsumerName);
    PG_RETURN_JSONB_P(create_event_consumer(org_id, consumer));
}

BOOKING_SQL_FUNCTION(booking_drop_event_consumer) {
    const pg_uuid_t *org_id = optional_uuid_arg(fcinfo, 0);
    TextArg consumer = text_arg(fcinfo, 1, "consumer", kConsumerName);
    PG_RETURN_JSONB_P(drop_event_consumer(org_id, consumer));
}

BOOKING_SQL_FUNCTION(booking_read_events) {
    const pg_uuid_t *org_id = optional_uuid_arg(fcinfo, 0);
    TextArg consumer = text_arg(fcinfo, 1, "consumer", kConsumerName);
    int max_events = int_arg(fcinfo, 2, "max_events", 1, core::limits::kMaxResults);
    PG_RETURN_JSONB_P(read_events(org_id, consumer, max_events));
}

BOOKING_SQL_FUNCTION(booking_ack_events) {
    const pg_uuid_t *org_id = optional_uuid_arg(fcinfo, 0);
    TextArg consumer = text_arg(fcinfo, 1, "consumer", kConsumerName);
    if (arg_is_null(fcinfo, 2))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("up_to must not be null")));
    int64 up_to = PG_GETARG_INT64(2);
    if (up_to < 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("up_to must not be negative")));
    PG_RETURN_JSONB_P(ack_events(org_id, consumer, up_to));
}
