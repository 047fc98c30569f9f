// What the observability layer makes of each audit action: which live
// statistic it counts towards, and whether it is a state change announced on
// the booking_events channel (and with which status).
//
// The audit log has one row per thing that happened; write_audit() is the one
// place every change passes, so counting and announcing happen there, driven
// by this table.
#pragma once

#include <optional>

namespace booking::core::observed {

// The live statistics (booking.stats()), in the order they are reported.
enum class Tally : int {
    claims,         // holds created (claimed)
    bookings,       // appointments booked directly (booked)
    confirms,       // holds confirmed, by staff or by a matching code (confirmed)
    releases,       // holds released (released)
    extensions,     // holds extended (extended)
    cancellations,  // appointments cancelled (cancelled)
    reschedules,    // appointments moved (rescheduled)
    expiries,       // holds moved to expired, by anyone (expired)
    conflicts,      // slot_unavailable answers
    busy,           // busy answers (the calendar lock's bound passed)
    rule_refusals,  // calls refused by a rule a clinic sets (refused)
    otp_sends,      // codes issued (otp_sent)
    otp_matches,    // verification attempts that matched (otp_attempt, result match)
    otp_misses,     // wrong codes (otp_attempt, result mismatch)
    otp_lockouts,   // holds locked for staff after the last wrong code (locked)
    events_sent,    // state changes recorded for event consumers
    events_unheard, // state changes of organisations no consumer asked for
};
constexpr int kTallies = static_cast<int>(Tally::events_unheard) + 1;

// The column name of a tally in booking.stats().
const char *tally_name(Tally t);

// Every action booking.audit_log records, as a type: the writers name one,
// and what it counts towards and announces follows from it, with nothing
// read back from the row. A verification attempt is one action in the log
// (otp_attempt, its result in the details) and three here, by what it tells
// the statistics.
enum class Action : int {
    claimed,
    booked,
    confirmed,
    released,
    extended,
    cancelled,
    rescheduled,
    expired,
    locked,
    otp_sent,
    otp_withdrawn,  // a code taken back because its SMS could not be sent (withdraw_otp)
    otp_match,      // otp_attempt, result match
    otp_mismatch,   // otp_attempt, result mismatch
    otp_unjudged,   // otp_attempt, any other result (expired, rotated, unissued or malformed
                    // codes are no guess)
    pii_erased,
    role_bound,
    role_unbound,
    calendar_set,
    refused,  // a call refused by a rule a clinic sets (details.rule); nothing else changed
    org_policy_set,
    waitlist_offered,  // a freed slot held for the next on a waitlist (entity: the hold)
};
constexpr int kActions = static_cast<int>(Action::waitlist_offered) + 1;

// What booking.audit_log.action says for it.
const char *action_text(Action a);

struct ActionFacts {
    std::optional<Tally> tally;  // what it counts towards, if anything
    // The reservation's status after the action when the action changes the
    // reservation (status or time) and is announced; null otherwise.
    const char *event_status;
};

ActionFacts facts_of(Action a);

}  // namespace booking::core::observed
