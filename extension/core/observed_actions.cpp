#include "observed_actions.hpp"

namespace booking::core::observed {

namespace {

struct Row {
    const char *text;
    std::optional<Tally> tally;
    const char *event_status;
};

// In the order of Action. pii_erased changes no status; codes sent,
// withdrawn and attempts are not state changes (a matching code also writes
// confirmed, and a last wrong one locked); bindings and calendars are not
// reservations, and a refusal changes none. A withdrawn code counts towards nothing: otp_sends counts
// codes issued, and the provider's failures are the SMS sender's to count.
constexpr Row kRows[kActions] = {
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
    {"otp_withdrawn", std::nullopt, nullptr},
    {"otp_attempt", Tally::otp_matches, nullptr},
    {"otp_attempt", Tally::otp_misses, nullptr},
    {"otp_attempt", std::nullopt, nullptr},
    {"pii_erased", std::nullopt, nullptr},
    {"role_bound", std::nullopt, nullptr},
    {"role_unbound", std::nullopt, nullptr},
    {"calendar_set", std::nullopt, nullptr},
    {"refused", Tally::rule_refusals, nullptr},
    {"org_policy_set", std::nullopt, nullptr},
    // Announced as its own event (the claim of the offered hold is another),
    // so a consumer texting offers reads exactly these.
    {"waitlist_offered", std::nullopt, "held"},
};

const Row &row_of(Action a) { return kRows[static_cast<int>(a)]; }

}  // namespace

const char *action_text(Action a) { return row_of(a).text; }

ActionFacts facts_of(Action a) { return {row_of(a).tally, row_of(a).event_status}; }

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
    case Tally::rule_refusals:
        return "rule_refusals";
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

}  // namespace booking::core::observed
