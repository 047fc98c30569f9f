#include "calendar_rules.hpp"

#include "settings.hpp"

namespace booking::pg {

CalendarRules calendar_rules(const CallContext *, const char *) {
    CalendarRules rules;
    rules.step = settings::slot_step();
    rules.anchor = 0;  // PostgreSQL's epoch is a UTC midnight
    rules.buffer_before = 0;
    rules.buffer_after = 0;
    return rules;
}

core::Opening *calendar_openings(const CalendarRules &rules, core::StartBounds bounds,
                                 core::Micros duration, int *count) {
    core::Opening *openings = static_cast<core::Opening *>(palloc(sizeof(core::Opening)));
    openings[0].range = {bounds.lo, bounds.hi + duration};
    openings[0].anchor = rules.anchor;
    openings[0].step = rules.step;
    *count = 1;
    return openings;
}

}  // namespace booking::pg
