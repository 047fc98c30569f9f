// SQL entry points: set_pool, drop_pool.
#include "core/input_limits.hpp"
#include "core/pool_choice.hpp"
#include "pg/kernel/guard.hpp"
#include "pg/operations/operations.hpp"

using namespace booking;
using namespace booking::pg;

BOOKING_SQL_FUNCTION(booking_set_pool) {
    PoolSettings req;
    req.org_id = uuid_arg(fcinfo, 0, "org_id");
    req.pool_id = text_arg(fcinfo, 1, "pool_id", core::limits::kCalendarId);
    TextArg *calendars = nullptr;
    // One more than a pool may have is read, so that too many is told as such.
    req.n = optional_text_array_arg(fcinfo, 2, "calendars", core::kMaxPoolMembers + 1,
                                    core::limits::kCalendarId, &calendars);
    if (req.n < core::kMinPoolMembers || req.n > core::kMaxPoolMembers)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("a pool has %d to %d calendars", core::kMinPoolMembers,
                               core::kMaxPoolMembers)));
    req.calendars = calendars;
    TextArg strategy = text_arg(fcinfo, 3, "strategy", 32);
    if (!core::parse_pool_strategy(strategy.str, &req.strategy))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("strategy must be round_robin or first_free")));
    req.weights = optional_object_arg(fcinfo, 4, "weights", std::size_t{64} * 1024);
    if (req.weights != nullptr && req.strategy != core::PoolStrategy::round_robin)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("weights apply to the round_robin strategy only")));
    PG_RETURN_JSONB_P(set_pool(req));
}

BOOKING_SQL_FUNCTION(booking_drop_pool) {
    const pg_uuid_t *org_id = uuid_arg(fcinfo, 0, "org_id");
    TextArg pool_id = text_arg(fcinfo, 1, "pool_id", core::limits::kCalendarId);
    PG_RETURN_JSONB_P(drop_pool(org_id, pool_id));
}
