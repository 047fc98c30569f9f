#include "pg/settings/settings.hpp"

#include "core/duration.hpp"
#include "core/uuid_text.hpp"
#include "pg/kernel/hooks.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/settings/limits.hpp"

namespace booking::pg::settings {

int hold_ttl_s = 600;
int waitlist_offer_ttl_s = 900;
int lock_wait_timeout_ms = 2000;
int slot_step_s = 900;
int alternatives_count = 3;
char *otp_key = nullptr;
char *database = nullptr;
int expiry_interval_ms = 1000;
int expiry_batch_size = 1000;
int expiry_batch_pause_percent = 1000;
bool events_enabled = true;
bool event_notify = true;
int max_active_per_contact = 0;
char *org_id = nullptr;

namespace {

bool check_org_id(char **newval, GucSource) {
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
    define_limits();

    define_seconds("booking.hold_ttl", "How long a hold lasts when claim_slot is given no ttl.",
                   &hold_ttl_s, 600, 1, 86400);
    define_seconds("booking.waitlist_offer_ttl",
                   "How long the hold offered to the next on a waitlist lasts.",
                   &waitlist_offer_ttl_s, 900, 1, 86400);
    DefineCustomIntVariable(
        "booking.lock_wait_timeout",
        "How long a call waits for another writer of the same calendar before answering busy.",
        nullptr, &lock_wait_timeout_ms, 2000, 1, 600000, PGC_USERSET, GUC_UNIT_MS, nullptr,
        nullptr, nullptr);
    define_seconds("booking.slot_step",
                   "The grid of alternatives and free slots for calendars that set none.",
                   &slot_step_s, 900, 60, 86400);
    DefineCustomIntVariable("booking.alternatives",
                            "How many alternatives a conflict answer offers.", nullptr,
                            &alternatives_count, 3, 0, 20, PGC_USERSET, 0, nullptr, nullptr,
                            nullptr);
    // Superuser-only and hidden from SHOW ALL: tenants must never read it.
    // Set it in postgresql.conf (ALTER DATABASE/ROLE settings are readable in
    // pg_db_role_setting); empty means a random per-database key.
    DefineCustomStringVariable(
        "booking.otp_key", "The key of the one-time codes' keyed hash (superuser only).",
        "Empty: a random key kept per database in booking.otp_secret.", &otp_key, "", PGC_SUSET,
        GUC_SUPERUSER_ONLY | GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE, nullptr, nullptr, nullptr);
    DefineCustomStringVariable(
        "booking.org_id",
        "The organisation a caller that is not the tables' owner acts in, for one transaction.",
        "Set it with SET LOCAL or set_config(..., true): a session-wide value binds nothing. "
        "Otherwise the org_id claim of request.jwt.claims (as PostgREST sets it) is used.",
        &org_id, "", PGC_USERSET, 0, hooks::string_check<check_org_id>, nullptr, nullptr);

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
    DefineCustomIntVariable(
        "booking.expiry_batch_pause",
        "The expiry worker's pause after each batch of a pass while claims, bookings or "
        "reschedules are running, as a percentage of the batch's own time.",
        "Spreads a large sweep out so that the callers keep most of the server.",
        &expiry_batch_pause_percent, 1000, 0, 10000, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);

    DefineCustomBoolVariable(
        "booking.events", "Records every reservation state change for registered event consumers.",
        "Off: nothing is recorded, even for consumers (they miss what happens meanwhile).",
        &events_enabled, true, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomBoolVariable(
        "booking.event_notify",
        "Wakes listening consumers with NOTIFY booking_events when events were recorded.",
        "A notifying commit takes PostgreSQL's notification queue lock; turn this off when "
        "consumers poll read_events() instead of listening.",
        &event_notify, true, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomBoolVariable(
        "booking.citus_generic_plans",
        "Distributed with Citus, plans the statements Citus routes on its fast path once, "
        "with the organisation as a parameter, so Citus caches each shard's plan.",
        "Off: every statement is planned with its values at each run. Turn it on only with a "
        "Citus release whose local plan cache reuses the plan it made (citusdata/citus#8824): "
        "Citus 13.2.2 plans the shard again at every run and keeps every plan it made.",
        &citus_generic_plans, false, PGC_SUSET, 0, nullptr, nullptr, nullptr);

    // No rule is on by default: a cap nobody chose would refuse bookings a
    // clinic expects to take.
    DefineCustomIntVariable(
        "booking.max_active_per_contact",
        "The most blocking reservations starting in the future one contact may hold in an "
        "organisation, across its calendars; 0 means no cap.",
        "A contact is its contact_id, else its patient_phone reduced to digits. An organisation "
        "may set a stricter cap with set_org_policy.",
        &max_active_per_contact, 0, 0, 100000, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);

    MarkGUCPrefixReserved("booking");
}

namespace {
core::Micros from_seconds(int s) { return static_cast<core::Micros>(s) * core::kMicrosPerSecond; }
core::Micros from_ms(int ms) { return static_cast<core::Micros>(ms) * core::kMicrosPerMillisecond; }
}  // namespace

core::Micros hold_ttl() { return from_seconds(hold_ttl_s); }
core::Micros waitlist_offer_ttl() { return from_seconds(waitlist_offer_ttl_s); }
core::Micros max_hold_ttl() { return from_seconds(limit(Limit::max_hold_ttl)); }
core::Micros max_duration() { return from_seconds(limit(Limit::max_duration)); }
core::Micros slot_step() { return from_seconds(slot_step_s); }
core::Micros search_horizon() { return from_seconds(limit(Limit::search_horizon)); }
core::Micros otp_ttl() { return from_ms(limit(Limit::otp_ttl)); }
core::Micros otp_resend_interval() { return from_ms(limit(Limit::otp_resend_interval)); }
int otp_digits() { return limit(Limit::otp_digits); }
int otp_max_attempts() { return limit(Limit::otp_max_attempts); }
int otp_max_sends() { return limit(Limit::otp_max_sends); }
int max_series_count() { return limit(Limit::max_series_count); }
int otp_sends_per_phone_hour() { return limit(Limit::otp_sends_per_phone_hour); }

}  // namespace booking::pg::settings
