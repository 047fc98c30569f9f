#include "duration.hpp"

namespace booking::core {

std::optional<Micros> checked_add(Micros a, Micros b) {
    Micros sum = 0;
    if (__builtin_add_overflow(a, b, &sum))
        return std::nullopt;
    return sum;
}

DurationResult fixed_length(const IntervalParts &interval) {
    if (interval.months != 0)
        return {0, DurationError::has_months};
    Micros day_part = 0;
    if (__builtin_mul_overflow(static_cast<Micros>(interval.days), kMicrosPerDay, &day_part))
        return {0, DurationError::overflow};
    auto total = checked_add(day_part, interval.time);
    if (!total)
        return {0, DurationError::overflow};
    return {*total, DurationError::none};
}

}  // namespace booking::core
