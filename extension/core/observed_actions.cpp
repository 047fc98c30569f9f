#include "observed_actions.hpp"

namespace booking::core::observed {

namespace {

struct Row {
    const char *action;
    std::optional<Tally> tally;
    const char *event_status;
};

// Every action of booking.audit_log. pii_erased changes no status; OTP sends
// and attempts are not state changes (a matching code also writes confirmed,
// and a last wrong one locked).
const Row kRows[] = {
    {"claimed", Tally::claims, "held"},
    {"booked", Tally::bookings, "confirmed"},
    {"confirmed", Tally::confirms, "confirmed"},
    {"released", Tally::releases, "released"},
    {"extended", Tally::extensions, nullptr},
    {"cancelled", Tally::cancellations, "cancelled"},
    {"rescheduled", Tally::reschedules, "confirmed"},
    {"expired", Tally::expiries, "expired"},
    {"locked", Tally::otp_lockouts, "requires_manual_followup"},
    {"otp_sent", Tally::otp_sends, nullptr},
    {"pii_erased", std::nullopt, nullptr},
    {"role_bound", std::nullopt, nullptr},
    {"role_unbound", std::nullopt, nullptr},
};

}  // namespace

const char *tally_name(Tally t) {
    switch (t) {
    case Tally::claims:
        return "claims";
    case Tally::bookings:
        return "bookings";
    case Tally::confirms:
        return "confirms";
    case Tally::releases:
        return "releases";
    case Tally::extensions:
        return "extensions";
    case Tally::cancellations:
        return "cancellations";
    case Tally::reschedules:
        return "reschedules";
    case Tally::expiries:
        return "expiries";
    case Tally::conflicts:
        return "conflicts";
    case Tally::busy:
        return "busy";
    case Tally::otp_sends:
        return "otp_sends";
    case Tally::otp_matches:
        return "otp_matches";
    case Tally::otp_misses:
        return "otp_misses";
    case Tally::otp_lockouts:
        return "otp_lockouts";
    case Tally::events_sent:
        return "events_sent";
    case Tally::events_unheard:
        return "events_unheard";
    }
    return "?";
}

ActionFacts facts_of(std::string_view action, std::string_view otp_result) {
    if (action == "otp_attempt") {
        // Expired, rotated, unissued and malformed codes are no guess.
        if (otp_result == "match")
            return {Tally::otp_matches, nullptr};
        if (otp_result == "mismatch")
            return {Tally::otp_misses, nullptr};
        return {std::nullopt, nullptr};
    }
    for (const Row &row : kRows) {
        if (action == row.action)
            return {row.tally, row.event_status};
    }
    return {std::nullopt, nullptr};
}

}  // namespace booking::core::observed
