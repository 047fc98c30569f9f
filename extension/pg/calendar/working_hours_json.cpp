// set_calendar's working_hours, read from jsonb into the core's weekly hours,
// with a message naming the weekday or time at fault.
#include "pg/calendar/rules.hpp"

namespace booking::pg {

bool parse_working_hours(Jsonb *json, core::WeeklyHours *out, const char **problem) {
    *out = core::none_open();
    if (!JB_ROOT_IS_OBJECT(json) || JB_ROOT_IS_SCALAR(json)) {
        *problem = "working_hours must be a JSON object of weekdays";
        return false;
    }
    JsonbIterator *it = JsonbIteratorInit(&json->root);
    JsonbValue v;
    JsonbIteratorToken token;
    int depth = 0;
    int weekday = -1;
    int pair_index = 0;
    int pair[2] = {0, 0};
    char *weekday_name = nullptr;
    while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE) {
        switch (token) {
        case WJB_BEGIN_OBJECT:
        case WJB_BEGIN_ARRAY:
            ++depth;
            if (token == WJB_BEGIN_ARRAY && depth == 3)
                pair_index = 0;
            if (depth > 3 || (token == WJB_BEGIN_OBJECT && depth != 1)) {
                *problem = psprintf("%s: each interval is a pair [\"HH:MM\", \"HH:MM\"]",
                                    weekday_name ? weekday_name : "working_hours");
                return false;
            }
            break;
        case WJB_END_ARRAY:
            if (depth == 3) {
                if (pair_index != 2) {
                    *problem = psprintf("%s: each interval is a pair [\"HH:MM\", \"HH:MM\"]",
                                        weekday_name);
                    return false;
                }
                core::HoursError e = core::add_interval(*out, weekday, pair[0], pair[1]);
                if (e != core::HoursError::none) {
                    *problem = psprintf("%s: %s", weekday_name, core::hours_error_text(e));
                    return false;
                }
            }
            --depth;
            break;
        case WJB_END_OBJECT:
            --depth;
            break;
        case WJB_KEY:
            weekday_name = pnstrdup(v.val.string.val, v.val.string.len);
            weekday = core::weekday_index(weekday_name);
            if (weekday < 0) {
                *problem = psprintf("\"%s\" is not a weekday: %s", weekday_name,
                                    core::hours_error_text(core::HoursError::unknown_weekday));
                return false;
            }
            break;
        case WJB_VALUE:
            // A weekday's value must be an array of intervals.
            *problem = psprintf("%s: give a list of intervals, e.g. [[\"09:00\", \"17:00\"]]",
                                weekday_name);
            return false;
        case WJB_ELEM: {
            if (depth != 3 || v.type != jbvString || pair_index >= 2) {
                *problem = psprintf("%s: each interval is a pair [\"HH:MM\", \"HH:MM\"]",
                                    weekday_name);
                return false;
            }
            std::string_view text(v.val.string.val, static_cast<std::size_t>(v.val.string.len));
            if (core::parse_clock(text, &pair[pair_index]) != core::HoursError::none) {
                *problem = psprintf("%s: \"%.*s\": %s", weekday_name, v.val.string.len,
                                    v.val.string.val,
                                    core::hours_error_text(core::HoursError::bad_time));
                return false;
            }
            ++pair_index;
            break;
        }
        default:
            break;
        }
    }
    core::HoursError e = core::finish(*out);
    if (e != core::HoursError::none) {
        *problem = core::hours_error_text(e);
        return false;
    }
    return true;
}

}  // namespace booking::pg
