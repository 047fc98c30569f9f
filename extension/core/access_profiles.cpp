#include "access_profiles.hpp"

namespace booking::core::access {

namespace {

const char *const kAgentFunctions[] = {
    "claim_slot",   "extend_hold",        "release_hold", "hold_status",       "verify_otp",
    "book",         "check_availability", "free_slots",   "claim_slot_atomic", nullptr,
};

const char *const kSmsSenderFunctions[] = {"issue_otp", "hold_status", nullptr};

const char *const kStaffFunctions[] = {
    "claim_slot",
    "extend_hold",
    "release_hold",
    "hold_status",
    "confirm_hold",
    "book",
    "cancel_appointment",
    "reschedule_appointment",
    "check_availability",
    "free_slots",
    "expire_holds",
    "claim_slot_atomic",
    "confirm_held_slot",
    "book_appointment_with_lock",
    "cleanup_expired_holds",
    "set_calendar",
    "appointments_outside_hours",
    "create_event_consumer",
    "drop_event_consumer",
    "read_events",
    "ack_events",
    nullptr,
};

// Server-wide figures, not one organisation's: for operators, never a tenant.
const char *const kMonitorFunctions[] = {"stats", "lock_wait_histogram", nullptr};
const char *const kMonitorReadable[] = {"stats", nullptr};

const char *const kNothing[] = {nullptr};
const char *const kStaffReadable[] = {"reservations", "audit_log", "holds", "appointments",
                                      "calendars", nullptr};

const Profile kAgent = {"agent", kAgentFunctions, kNothing};
const Profile kSmsSender = {"sms_sender", kSmsSenderFunctions, kNothing};
const Profile kStaff = {"staff", kStaffFunctions, kStaffReadable};
const Profile kMonitor = {"monitor", kMonitorFunctions, kMonitorReadable};

const Profile *const kProfiles[] = {&kAgent, &kSmsSender, &kStaff, &kMonitor, nullptr};

}  // namespace

const Profile *find_profile(std::string_view name) {
    for (const Profile *const *p = kProfiles; *p != nullptr; ++p) {
        if (name == (*p)->name)
            return *p;
    }
    return nullptr;
}

const Profile *const *all_profiles() { return kProfiles; }

}  // namespace booking::core::access
