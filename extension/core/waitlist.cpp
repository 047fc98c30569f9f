#include "core/waitlist.hpp"

#include <cstring>

namespace booking::core::waitlist {

namespace {

constexpr const char *kNames[] = {"waiting", "offered", "booked", "left", "lapsed", "expired"};
constexpr int kStatuses = static_cast<int>(Status::expired) + 1;

}  // namespace

const char *status_name(Status s) { return kNames[static_cast<int>(s)]; }

bool parse_status(const char *name, Status *out) {
    for (int i = 0; i < kStatuses; ++i) {
        if (std::strcmp(name, kNames[i]) == 0) {
            *out = static_cast<Status>(i);
            return true;
        }
    }
    return false;
}

bool is_live(Status s) { return s == Status::waiting || s == Status::offered; }

Status effective_status(Status stored, Micros until, Micros offer_expires_at, Micros now) {
    // An offer is decided by its hold, not by the window: a hold past its
    // TTL can no longer be confirmed.
    if (stored == Status::waiting && until <= now)
        return Status::expired;
    if (stored == Status::offered && offer_expires_at <= now)
        return Status::lapsed;
    return stored;
}

const char *window_problem(TimeRange window, Micros duration, Micros now) {
    if (window.end <= window.start)
        return "until_ts must be later than from_ts";
    if (window.length() < duration)
        return "the window from from_ts to until_ts is shorter than the duration";
    if (window.end - duration < now)
        return "the window has no room left for the duration: its end has passed";
    return nullptr;
}

TimeRange offer_window(TimeRange window, Micros now) {
    if (window.start < now)
        window.start = now;
    return window;
}

TimeRange meeting_window(TimeRange window, TimeRange range, Micros duration) {
    // A slot [s, s + duration) meets range when s > range.start - duration and
    // s < range.end; the window bounds whole slots, so its end is the last
    // start's plus duration.
    const Micros first_start = range.start - duration + 1;
    const Micros last_end = range.end - 1 + duration;
    if (window.start < first_start)
        window.start = first_start;
    if (window.end > last_end)
        window.end = last_end;
    if (window.length() < duration)
        return {window.start, window.start};
    return window;
}

}  // namespace booking::core::waitlist
