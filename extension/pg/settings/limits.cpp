// The limits that protect a promise (settings::Limit): GUCs any role may SET,
// which a role bound to one organisation may only tighten.
#include "pg/settings/limits.hpp"

#include "core/input_limits.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/kernel/hooks.hpp"
#include "pg/kernel/plain_data.hpp"
#include "pg/kernel/privilege.hpp"
#include "pg/settings/settings.hpp"

namespace booking::pg::settings {

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
BOOKING_PLAIN_DATA(LimitSpec);

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
    {"booking.max_series_count", "The most occurrences one book_series call books.", 52, 1,
     core::limits::kMaxSeriesCount, Tighter::lower, Unit::none},
    {"booking.otp_sends_per_phone_hour",
     "Codes that may be sent to one phone number per organisation in a rolling hour, across "
     "its holds.",
     10, 1, 1000, Tighter::lower, Unit::none},
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

// Each limit's check hook knows its limit by a template argument: a hook is
// given only the new value.
template <int Index>
bool check_limit_of(int *newval, GucSource source) {
    return check_limit(Index, newval, source);
}

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

}  // namespace

int limit(Limit which) {
    int i = static_cast<int>(which);
    if (!looser(kLimits[i], values[i], ceilings[i]) || role_is_privileged(GetUserId()))
        return values[i];
    return tighter_of(kLimits[i], values[i], ceilings[i]);
}

int server_limit(Limit which) { return ceilings[static_cast<int>(which)]; }

namespace {

template <int Index>
void define_limit() {
    const LimitSpec &s = kLimits[Index];
    values[Index] = ceilings[Index] = s.boot;
    DefineCustomIntVariable(s.name, s.description,
                            "A role bound to an organisation may tighten it, never loosen it "
                            "past the server-wide value.",
                            &values[Index], s.boot, s.min, s.max, PGC_USERSET, guc_flags(s.unit),
                            hooks::int_check<check_limit_of<Index>>, nullptr, nullptr);
}

template <int... I>
void define_limits_in_order(std::integer_sequence<int, I...>) {
    (define_limit<I>(), ...);
}

}  // namespace

void define_limits() {
    defining = true;
    define_limits_in_order(std::make_integer_sequence<int, kLimitCount>{});
    defining = false;
}

}  // namespace booking::pg::settings
