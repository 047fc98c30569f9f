// The rules a calendar's slots follow: the step grid, buffers, and where
// appointments may lie. A calendar nobody configured is open at all hours in
// UTC, on the booking.slot_step grid anchored at midnight UTC.
#pragma once

#include "call_context.hpp"
#include "core/slot_search.hpp"

namespace booking::pg {

struct CalendarRules {
    core::Micros step;
    core::Micros anchor;
    core::Micros buffer_before;
    core::Micros buffer_after;
};

CalendarRules calendar_rules(const CallContext *ctx, const char *calendar_id);

// The openings (with their grid) that cover candidate starts in bounds for
// slots of the given duration; palloc'd.
core::Opening *calendar_openings(const CalendarRules &rules, core::StartBounds bounds,
                                 core::Micros duration, int *count);

}  // namespace booking::pg
