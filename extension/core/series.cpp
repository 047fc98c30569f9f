#include "series.hpp"

namespace booking::core {

Micros nominal_length(const IntervalParts &every) {
    constexpr Micros kMonth = 30 * kMicrosPerDay;
    // At most 2^31 months of 30 days: about 5.6e21 microseconds, past int64.
    // Saturate at the bound instead.
    constexpr Micros kMax = INT64_MAX;
    long double total = static_cast<long double>(every.months) * kMonth +
                        static_cast<long double>(every.days) * kMicrosPerDay +
                        static_cast<long double>(every.time);
    if (total >= static_cast<long double>(kMax))
        return kMax;
    if (total <= static_cast<long double>(INT64_MIN))
        return INT64_MIN;
    return static_cast<Micros>(total);
}

StepError check_step(const IntervalParts &every, Micros duration) {
    if (every.months < 0 || every.days < 0 || every.time < 0 ||
        (every.months == 0 && every.days == 0 && every.time == 0))
        return StepError::not_positive;
    if (every.time % kMicrosPerMinute != 0)
        return StepError::not_whole_minutes;
    if (nominal_length(every) < duration)
        return StepError::shorter_than_duration;
    return StepError::none;
}

}  // namespace booking::core
