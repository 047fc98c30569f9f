#include "pg/store/blocking_range.hpp"

#include "core/duration.hpp"
#include "core/input_limits.hpp"
#include "pg/compat/pg_compat.hpp"

namespace booking::pg {

core::Micros checked_buffer(const Interval *buffer, const char *name) {
    core::DurationResult r = core::fixed_length({buffer->month, buffer->day, buffer->time});
    if (r.error != core::DurationError::none || r.micros < 0 ||
        r.micros > core::limits::kWidestBuffer)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must be between 0 and 1 day, without months", name)));
    return r.micros;
}

void check_finite(TimestampTz starts_at, TimestampTz ends_at) {
    if (TIMESTAMP_NOT_FINITE(starts_at) || TIMESTAMP_NOT_FINITE(ends_at))
        ereport(ERROR, (errcode(ERRCODE_INVALID_DATETIME_FORMAT),
                        errmsg("a reservation's times must be finite")));
}

RangeType *tstzrange_of(core::TimeRange range) {
    TypeCacheEntry *typcache = lookup_type_cache(TSTZRANGEOID, TYPECACHE_RANGE_INFO);
    RangeBound lower{TimestampTzGetDatum(range.start), false, true, true};
    RangeBound upper{TimestampTzGetDatum(range.end), false, false, false};
    return compat::make_range_value(typcache, &lower, &upper);
}

}  // namespace booking::pg
