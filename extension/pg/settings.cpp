#include "settings.hpp"

#include "core/duration.hpp"
#include "core/input_limits.hpp"
#include "core/uuid_text.hpp"
#include "args.hpp"
#include "privilege.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace booking::pg::settings {

int hold_ttl_s = 600;
int lock_wait_timeout_ms = 2000;
int slot_step_s = 900;
int alternatives_count = 3;
char *otp_key = nullptr;
char *database = nullptr;
int expiry_interval_ms = 1000;
int expiry_batch_size = 1000;
char *org_id = nullptr;

namespace {

// The limits that protect a promise. Each is a GUC any role may SET, but a
// role bound to a tenant may only tighten it: the server-wide value is the
// ceiling for such roles, however the setting was reached (session, role,
// database, connection options, a function's SET clause). Two locks keep
// that: the check hook refuses, with 42501, a looser value set by such a
// role; and effective() clamps at each use, for a value set by one role and
// used under another (SET ROLE) or reapplied when the library loads.
enum class Tighter { lower, higher };
enum class Unit { none, seconds, milliseconds };

struct LimitSpec {
    const char *name;
    const char *description;
    int boot, min, max;
    Tighter tighter;
    Unit unit;
};

// Indexed by settings::Limit.
constexpr LimitSpec kLimits[] = {
    {"booking.max_hold_ttl", "The longest a hold may live from its claim, extensions included.",
     3600, 1, 7 * 86400, Tighter::lower, Unit::seconds},
    {"booking.max_duration", "The longest appointment or hold accepted.", 86400, 60,
     static_cast<int>(core::limits::kLongestReservation / core::kMicrosPerSecond), Tighter::lower,
     Unit::seconds},
    {"booking.search_horizon",
     "How far from the requested time alternatives are looked for, and the longest window "
     "free_slots scans.",
     14 * 86400, 3600, 366 * 86400, Tighter::lower, Unit::seconds},
    {"booking.otp_digits", "Digits in a one-time code (4 to 8).", 4, 4, 8, Tighter::higher,
     Unit::none},
    {"booking.otp_ttl", "How long a one-time code stays valid.", 600000, 1, 86400000,
     Tighter::lower, Unit::milliseconds},
    {"booking.otp_max_attempts", "Wrong codes allowed per hold; the last one locks the hold for staff.",
     3, 1, 10, Tighter::lower, Unit::none},
    {"booking.otp_max_sends", "Codes that may be sent per hold.", 5, 1, 100, Tighter::lower,
     Unit::none},
    {"booking.otp_resend_interval", "The least time between two codes sent for one hold.", 30000, 0,
     86400000, Tighter::higher, Unit::milliseconds},
};
constexpr int kLimitCount = static_cast<int>(sizeof(kLimits) / sizeof(kLimits[0]));
static_assert(kLimitCount == static_cast<int>(Limit::count_), "one spec per settings::Limit");

int values[kLimitCount];
// The server-wide value of each limit: postgresql.conf, ALTER SYSTEM, the
// command line, or the built-in default. Inherited from the postmaster when
// preloaded; re-read at every reload.
int ceilings[kLimitCount];
// True while _PG_init defines the settings: PostgreSQL then re-applies
// postgresql.conf values inside whatever transaction loaded the library.
bool defining = false;

bool looser(const LimitSpec &spec, int value, int ceiling) {
    return spec.tighter == Tighter::lower ? value > ceiling : value < ceiling;
}

int tighter_of(const LimitSpec &spec, int a, int b) {
    return looser(spec, a, b) ? b : a;
}

const char *describe(const LimitSpec &spec, int value) {
    switch (spec.unit) {
    case Unit::seconds:
        return format_micros(static_cast<core::Micros>(value) * core::kMicrosPerSecond);
    case Unit::milliseconds:
        return value == 0 ? "0"
                          : format_micros(static_cast<core::Micros>(value) *
                                          core::kMicrosPerMillisecond);
    case Unit::none:
        break;
    }
    return psprintf("%d", value);
}

// The sources that make the ceiling. A postgresql.conf value checked inside
// a transaction is ALTER SYSTEM validating what it will write (or
// pg_file_settings reading the file), not a value taking effect; except
// while the library is being loaded, when PostgreSQL re-applies the file's
// values in the loading transaction.
bool sets_ceiling(GucSource source) {
    if (source > PGC_S_ARGV)
        return false;
    return source != PGC_S_FILE || defining || !IsTransactionState();
}

bool check_limit(int index, int *newval, GucSource source) {
    const LimitSpec &spec = kLimits[index];
    if (sets_ceiling(source)) {
        ceilings[index] = *newval;
        return true;
    }
    if (source <= PGC_S_ARGV || !looser(spec, *newval, ceilings[index]))
        return true;
    // Outside a transaction the catalog cannot say who is privileged (a
    // parallel worker restoring its leader's values, already checked
    // there); effective() still applies the ceiling at every use.
    if (!IsTransactionState() || role_is_privileged(GetUserId()))
        return true;
    const char *direction = spec.tighter == Tighter::lower ? "raise" : "lower";
    GUC_check_errcode(ERRCODE_INSUFFICIENT_PRIVILEGE);
    GUC_check_errmsg("permission denied to %s \"%s\" to %s", direction, spec.name,
                     describe(spec, *newval));
    GUC_check_errdetail("Role \"%s\" acts in one organisation: it may tighten this limit, not "
                        "loosen it past the server's %s.",
                        GetUserNameFromId(GetUserId(), false), describe(spec, ceilings[index]));
    GUC_check_errhint("The server-wide value (postgresql.conf or ALTER SYSTEM) is the ceiling "
                      "for such roles.");
    return false;
}

template <int Index>
bool check_limit_hook(int *newval, void **, GucSource source) {
    return check_limit(Index, newval, source);
}

using CheckHook = bool (*)(int *, void **, GucSource);

template <int... I>
constexpr std::array<CheckHook, sizeof...(I)> make_hooks(std::integer_sequence<int, I...>) {
    return {&check_limit_hook<I>...};
}
constexpr auto kCheckHooks = make_hooks(std::make_integer_sequence<int, kLimitCount>{});

int guc_flags(Unit unit) {
    switch (unit) {
    case Unit::seconds:
        return GUC_UNIT_S;
    case Unit::milliseconds:
        return GUC_UNIT_MS;
    case Unit::none:
        break;
    }
    return 0;
}

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

int limit(Limit which) {
    int i = static_cast<int>(which);
    if (!looser(kLimits[i], values[i], ceilings[i]) || role_is_privileged(GetUserId()))
        return values[i];
    return tighter_of(kLimits[i], values[i], ceilings[i]);
}

int server_limit(Limit which) { return ceilings[static_cast<int>(which)]; }

void define_all() {
    defining = true;
    for (int i = 0; i < kLimitCount; ++i) {
        const LimitSpec &s = kLimits[i];
        values[i] = ceilings[i] = s.boot;
        DefineCustomIntVariable(s.name, s.description,
                                "A role bound to an organisation may tighten it, never loosen it "
                                "past the server-wide value.",
                                &values[i], s.boot, s.min, s.max, PGC_USERSET, guc_flags(s.unit),
                                kCheckHooks[static_cast<std::size_t>(i)], nullptr, nullptr);
    }
    defining = false;

    define_seconds("booking.hold_ttl", "How long a hold lasts when claim_slot is given no ttl.",
                   &hold_ttl_s, 600, 1, 86400);
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
core::Micros from_ms(int ms) { return static_cast<core::Micros>(ms) * core::kMicrosPerMillisecond; }
}  // namespace

core::Micros hold_ttl() { return from_seconds(hold_ttl_s); }
core::Micros max_hold_ttl() { return from_seconds(limit(Limit::max_hold_ttl)); }
core::Micros max_duration() { return from_seconds(limit(Limit::max_duration)); }
core::Micros slot_step() { return from_seconds(slot_step_s); }
core::Micros search_horizon() { return from_seconds(limit(Limit::search_horizon)); }
core::Micros otp_ttl() { return from_ms(limit(Limit::otp_ttl)); }
core::Micros otp_resend_interval() { return from_ms(limit(Limit::otp_resend_interval)); }
int otp_digits() { return limit(Limit::otp_digits); }
int otp_max_attempts() { return limit(Limit::otp_max_attempts); }
int otp_max_sends() { return limit(Limit::otp_max_sends); }

}  // namespace booking::pg::settings
