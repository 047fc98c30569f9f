// What the observability layer makes of each audit action: which live
// statistic it counts towards, and whether it is a state change announced on
// the booking_events channel (and with which status).
//
// The audit log has one row per thing that happened; write_audit() is the one
// place every change passes, so counting and announcing happen there, driven
// by this table.
#pragma once

#include <optional>
#include <string_view>

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

struct ActionFacts {
    std::optional<Tally> tally;  // what it counts towards, if anything
    // The reservation's status after the action when the action changes the
    // reservation (status or time) and is announced; null otherwise.
    const char *event_status;
};

// The facts of an audit action; otp_result is details.result of an
// otp_attempt row (empty for other actions).
ActionFacts facts_of(std::string_view action, std::string_view otp_result);

}  // namespace booking::core::observed
