// A reservation's blocking range: its own range widened by its buffers, as
// the overlap guard stores it in booking.reservations.blocks and as
// booking.blocking_range() computes it for anyone else. Days count as 24
// hours, so the range does not depend on the session's time zone.
#pragma once

#include "core/time_range.hpp"
#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

// A buffer's length; 22023 unless it is 0 to 1 day without months.
core::Micros checked_buffer(const Interval *buffer, const char *name);

// 22007 unless both times are finite (a buffer must not overflow them).
void check_finite(TimestampTz starts_at, TimestampTz ends_at);

// [start, end) as a tstzrange.
RangeType *tstzrange_of(core::TimeRange range);

}  // namespace booking::pg
