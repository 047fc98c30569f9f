#include "duration.hpp"

#include <cstdio>

namespace booking::core {

std::optional<Micros> checked_add(Micros a, Micros b) {
    Micros sum = 0;
    if (__builtin_add_overflow(a, b, &sum))
        return std::nullopt;
    return sum;
}

bool whole_minutes(Micros length) {
    return length >= kMicrosPerMinute && length % kMicrosPerMinute == 0;
}

void describe_length(Micros micros, char *out, std::size_t capacity) {
    if (capacity == 0)
        return;
    out[0] = '\0';
    struct Unit {
        Micros size;
        const char *name;
    };
    static const Unit kUnits[] = {{kMicrosPerDay, "day"},
                                  {kMicrosPerHour, "hour"},
                                  {kMicrosPerMinute, "minute"},
                                  {kMicrosPerSecond, "second"},
                                  {kMicrosPerMillisecond, "millisecond"},
                                  {1, "microsecond"}};
    std::size_t used = 0;
    const char *sign = micros < 0 ? "-" : "";
    // The magnitude as unsigned: negating INT64_MIN would overflow.
    std::uint64_t rest = micros < 0 ? 0 - static_cast<std::uint64_t>(micros)
                                    : static_cast<std::uint64_t>(micros);
    for (const Unit &unit : kUnits) {
        std::uint64_t count = rest / static_cast<std::uint64_t>(unit.size);
        if (count == 0)
            continue;
        rest -= count * static_cast<std::uint64_t>(unit.size);
        int n = std::snprintf(out + used, capacity - used, "%s%s%llu %s%s", used ? " " : "", sign,
                              static_cast<unsigned long long>(count), unit.name,
                              count == 1 ? "" : "s");
        if (n < 0 || static_cast<std::size_t>(n) >= capacity - used)
            return;
        used += static_cast<std::size_t>(n);
        sign = "";
    }
    if (used == 0)
        std::snprintf(out, capacity, "0 seconds");
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
