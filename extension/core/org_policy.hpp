// The rules an organisation sets for itself (set_org_policy), as decisions on
// plain values: which of two limits is the stricter, what identifies a
// contact, and the per-phone SMS window.
//
// A clinic may only tighten what the server allows: a call's limit is the
// strictest of the server's value, the organisation's and (for a role bound
// to a tenant, tightening in its own transaction) the session's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "time_range.hpp"

namespace booking::core::policy {

// Which way a limit tightens: TTLs, attempts and sends lower, the resend
// interval and the code's digits higher.
enum class Tighter { lower, higher };

// Whether value would loosen the limit past ceiling.
bool looser(Tighter way, long long value, long long ceiling);
// The strictest of a limit in force and an organisation's value (has_org
// false: the organisation set none).
long long strictest(Tighter way, long long in_force, bool has_org, long long org);

// The contact cap in force: 0 means none, so any cap is stricter than none.
int strictest_cap(int server, bool has_org, int org);
// Whether an organisation's cap loosens the server's (0: none).
bool cap_looser(int org, int server);

// Whether a contact holding `held` bookings may not add `adding` more under
// cap (0: no cap).
bool over_cap(int held, int adding, int cap);

// What a reservation counts as for the cap: its set's id, else its own, so a
// booking of several calendars (one row each, one set id) counts once.
struct BookingKey {
    std::uint8_t bytes[16];
};
// How many bookings the keys of a contact's rows make, each key once; sorts
// the keys in place.
int distinct_bookings(BookingKey *keys, int n);

// A phone number reduced to its ASCII digits ("+49 (30) 123-45" is
// "493012345"), as PostgreSQL's regexp_replace(phone, '[^0-9]', '', 'g')
// reduces a stored one; writes at most cap - 1 digits and a terminating NUL
// and answers how many digits there were (0: no phone to go by).
std::size_t phone_digits(std::string_view phone, char *out, std::size_t cap);

// The SMS guard's window: a rolling hour.
constexpr Micros kPhoneWindow = 3600LL * 1000000LL;

// Sends to one phone in the last hour (sent, n of them, any order) against
// the limit: true when one more may go; otherwise *retry_after is when the
// oldest send in the window leaves it, from now.
bool phone_send_allowed(const Micros *sent, int n, Micros now, int limit, Micros *retry_after);
// Keeps only the sends still in the window at now (in place); answers how many.
int sends_in_window(Micros *sent, int n, Micros now);

}  // namespace booking::core::policy
