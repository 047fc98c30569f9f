// Time on the core's side of the house: plain 64-bit microsecond counts, the
// same representation as PostgreSQL's TimestampTz (microseconds since
// 2000-01-01 00:00 UTC), so values cross the layer boundary without conversion.
#pragma once

#include <cstddef>
#include <cstdint>

namespace booking::core {

using Micros = std::int64_t;

constexpr Micros kMicrosPerMillisecond = 1000;
constexpr Micros kMicrosPerSecond = 1000 * kMicrosPerMillisecond;
constexpr Micros kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr Micros kMicrosPerHour = 60 * kMicrosPerMinute;
constexpr Micros kMicrosPerDay = 24 * kMicrosPerHour;

// Seconds between the Unix epoch and PostgreSQL's epoch (2000-01-01).
constexpr Micros kPostgresEpochInUnixMicros = 946684800LL * kMicrosPerSecond;

// A half-open range [start, end). Reservations, busy periods and candidate
// slots are all of this shape; half-open means back-to-back ranges do not
// overlap, which is what "10:00-10:30 then 10:30-11:00" must mean.
struct TimeRange {
    Micros start = 0;
    Micros end = 0;

    constexpr bool empty() const { return end <= start; }
    constexpr Micros length() const { return end - start; }
    // As in PostgreSQL, an empty range overlaps nothing.
    constexpr bool overlaps(const TimeRange &other) const {
        return !empty() && !other.empty() && start < other.end && other.start < end;
    }
    constexpr bool contains(const TimeRange &other) const {
        return start <= other.start && other.end <= end;
    }
    constexpr bool operator==(const TimeRange &other) const {
        return start == other.start && end == other.end;
    }
    constexpr bool operator!=(const TimeRange &other) const { return !(*this == other); }
};

// A read-only view over a contiguous array; the core takes its inputs this
// way so the PostgreSQL layer can hand over palloc'd arrays without copying.
template <typename T>
struct Span {
    const T *data = nullptr;
    std::size_t size = 0;

    constexpr const T *begin() const { return data; }
    constexpr const T *end() const { return data + size; }
    constexpr const T &operator[](std::size_t i) const { return data[i]; }
    constexpr bool empty() const { return size == 0; }
};

// Floor division that rounds toward negative infinity, for grid arithmetic on
// timestamps before an anchor.
constexpr Micros floor_div(Micros a, Micros b) {
    Micros q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace booking::core
