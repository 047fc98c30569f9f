#include "settings.hpp"

#include "core/input_limits.hpp"

#include "core/uuid_text.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace booking::pg::settings {

int hold_ttl_s = 600;
int max_hold_ttl_s = 3600;
int lock_wait_timeout_ms = 2000;
int slot_step_s = 900;
int max_duration_s = 86400;
int alternatives_count = 3;
int search_horizon_s = 14 * 86400;
int otp_max_attempts = 3;
int otp_digits = 4;
int otp_ttl_ms = 600000;
int otp_max_sends = 5;
int otp_resend_interval_ms = 30000;
char *otp_key = nullptr;
char *database = nullptr;
int expiry_interval_ms = 1000;
int expiry_batch_size = 1000;
char *org_id = nullptr;

namespace {

bool check_org_id(char **newval, void **, GucSource) {
    if (*newval == nullptr || (*newval)[0] == '\0')
        return true;
    std::uint8_t parsed[16];
    if (!core::parse_uuid(*newval, parsed)) {
        GUC_check_errdetail("booking.org_id must be a UUID or empty.");
        return false;
    }
    return true;
}

void define_seconds(const char *name, const char *description, int *target, int boot, int min,
                    int max) {
    DefineCustomIntVariable(name, description, nullptr, target, boot, min, max, PGC_USERSET,
                            GUC_UNIT_S, nullptr, nullptr, nullptr);
}

}  // namespace

void define_all() {
    define_seconds("booking.hold_ttl", "How long a hold lasts when claim_slot is given no ttl.",
                   &hold_ttl_s, 600, 1, 86400);
    define_seconds("booking.max_hold_ttl",
                   "The longest a hold may live from its claim, extensions included.",
                   &max_hold_ttl_s, 3600, 1, 7 * 86400);
    DefineCustomIntVariable(
        "booking.lock_wait_timeout",
        "How long a call waits for another writer of the same calendar before answering busy.",
        nullptr, &lock_wait_timeout_ms, 2000, 1, 600000, PGC_USERSET, GUC_UNIT_MS, nullptr,
        nullptr, nullptr);
    define_seconds("booking.slot_step",
                   "The grid of alternatives and free slots for calendars that set none.",
                   &slot_step_s, 900, 60, 86400);
    define_seconds("booking.max_duration", "The longest appointment or hold accepted.",
                   &max_duration_s, 86400, 60,
                   static_cast<int>(core::limits::kLongestReservation / core::kMicrosPerSecond));
    DefineCustomIntVariable("booking.alternatives",
                            "How many alternatives a conflict answer offers.", nullptr,
                            &alternatives_count, 3, 0, 20, PGC_USERSET, 0, nullptr, nullptr,
                            nullptr);
    define_seconds("booking.search_horizon",
                   "How far from the requested time alternatives are looked for, and the "
                   "longest window free_slots scans.",
                   &search_horizon_s, 14 * 86400, 3600, 366 * 86400);
    DefineCustomIntVariable("booking.otp_max_attempts",
                            "Wrong codes allowed per hold; the last one locks the hold for staff.",
                            nullptr, &otp_max_attempts, 3, 1, 10, PGC_USERSET, 0, nullptr,
                            nullptr, nullptr);
    DefineCustomIntVariable("booking.otp_digits", "Digits in a one-time code (4 to 8).", nullptr,
                            &otp_digits, 4, 4, 8, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("booking.otp_ttl", "How long a one-time code stays valid.", nullptr,
                            &otp_ttl_ms, 600000, 1, 86400000, PGC_USERSET, GUC_UNIT_MS, nullptr,
                            nullptr, nullptr);
    DefineCustomIntVariable("booking.otp_max_sends", "Codes that may be sent per hold.", nullptr,
                            &otp_max_sends, 5, 1, 100, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("booking.otp_resend_interval",
                            "The least time between two codes sent for one hold.", nullptr,
                            &otp_resend_interval_ms, 30000, 0, 86400000, PGC_USERSET, GUC_UNIT_MS,
                            nullptr, nullptr, nullptr);
    // Superuser-only and hidden from SHOW ALL: tenants must never read it.
    // Set it in postgresql.conf (ALTER DATABASE/ROLE settings are readable in
    // pg_db_role_setting); empty means a random per-database key.
    DefineCustomStringVariable(
        "booking.otp_key", "The key of the one-time codes' keyed hash (superuser only).",
        "Empty: a random key kept per database in booking.otp_secret.", &otp_key, "", PGC_SUSET,
        GUC_SUPERUSER_ONLY | GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE, nullptr, nullptr, nullptr);
    DefineCustomStringVariable(
        "booking.org_id",
        "The organisation a caller that is not the tables' owner acts in.",
        "When empty, the org_id claim of request.jwt.claims (as PostgREST sets it) is used.",
        &org_id, "", PGC_USERSET, 0, check_org_id, nullptr, nullptr);

    DefineCustomStringVariable("booking.database",
                               "The database whose lapsed holds the expiry worker sweeps.",
                               nullptr, &database, "postgres", PGC_SIGHUP, 0, nullptr, nullptr,
                               nullptr);
    DefineCustomIntVariable("booking.expiry_interval",
                            "How long the expiry worker waits between passes.", nullptr,
                            &expiry_interval_ms, 1000, 10, 3600000, PGC_SIGHUP, GUC_UNIT_MS,
                            nullptr, nullptr, nullptr);
    DefineCustomIntVariable("booking.expiry_batch_size",
                            "Lapsed holds the expiry worker expires per transaction.", nullptr,
                            &expiry_batch_size, 1000, 1, 100000, PGC_SIGHUP, 0, nullptr, nullptr,
                            nullptr);

    MarkGUCPrefixReserved("booking");
}

namespace {
core::Micros from_seconds(int s) { return static_cast<core::Micros>(s) * core::kMicrosPerSecond; }
}  // namespace

core::Micros hold_ttl() { return from_seconds(hold_ttl_s); }
core::Micros max_hold_ttl() { return from_seconds(max_hold_ttl_s); }
core::Micros max_duration() { return from_seconds(max_duration_s); }
core::Micros slot_step() { return from_seconds(slot_step_s); }
core::Micros search_horizon() { return from_seconds(search_horizon_s); }
core::Micros otp_ttl() { return static_cast<core::Micros>(otp_ttl_ms) * core::kMicrosPerMillisecond; }
core::Micros otp_resend_interval() {
    return static_cast<core::Micros>(otp_resend_interval_ms) * core::kMicrosPerMillisecond;
}

}  // namespace booking::pg::settings
