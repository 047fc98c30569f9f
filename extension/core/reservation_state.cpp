#include "reservation_state.hpp"

#include <array>

namespace booking::core {

namespace {

constexpr std::array<const char *, kStatusCount> kNames = {
    "held", "confirmed", "cancelled", "completed", "released", "expired", "requires_manual_followup",
};

constexpr int index_of(Status s) { return static_cast<int>(s); }

}  // namespace

const char *status_name(Status status) { return kNames[index_of(status)]; }

std::optional<Status> parse_status(std::string_view name) {
    for (int i = 0; i < kStatusCount; ++i) {
        if (name == kNames[i])
            return static_cast<Status>(i);
    }
    return std::nullopt;
}

bool can_transition(Status from, Status to) {
    switch (from) {
    case Status::held:
        return to == Status::confirmed || to == Status::released || to == Status::expired ||
               to == Status::requires_manual_followup;
    case Status::requires_manual_followup:
        return to == Status::confirmed || to == Status::released || to == Status::expired;
    case Status::confirmed:
        return to == Status::cancelled || to == Status::completed;
    case Status::cancelled:
    case Status::completed:
    case Status::released:
    case Status::expired:
        return false;
    }
    return false;
}

bool blocks_calendar(Status status) {
    return status == Status::held || status == Status::confirmed ||
           status == Status::requires_manual_followup;
}

bool is_stale_hold(Status status, Micros expires_at, Micros now) {
    return status == Status::held && expires_at <= now;
}

Status effective_status(Status status, Micros expires_at, Micros now) {
    return is_stale_hold(status, expires_at, now) ? Status::expired : status;
}

bool is_blocking(Status status, Micros expires_at, Micros now) {
    return blocks_calendar(effective_status(status, expires_at, now));
}

bool is_active_hold(Status status, Micros expires_at, Micros now) {
    Status s = effective_status(status, expires_at, now);
    return s == Status::held || s == Status::requires_manual_followup;
}

}  // namespace booking::core
