// Who may call what: the access profiles a deployment grants to its roles
// with booking.grant_access(role, profile). Nothing is executable by PUBLIC
// beyond the pure helpers; every other right comes from one of these.
//
//   agent       a voice agent or booking widget acting for callers: holds,
//               code verification, availability, direct booking
//   sms_sender  the service that delivers codes: issue_otp (and hold_status)
//   staff       the back office: everything but issuing codes, and reading
//               the tables and views of its own organisation (RLS)
//   monitor     operators and monitoring tools: the live statistics
//               (booking.stats(), the stats view, lock_wait_histogram()),
//               which cover the whole server, so no tenant role gets them
#pragma once

#include <cstddef>
#include <string_view>

namespace booking::core::access {

struct Profile {
    const char *name;
    const char *const *functions;  // names in schema booking, null-terminated list
    const char *const *readable;   // tables and views granted SELECT, null-terminated list
};

// The profile of that name, or null.
const Profile *find_profile(std::string_view name);

// All profiles, for listing in messages; null-terminated.
const Profile *const *all_profiles();

}  // namespace booking::core::access
