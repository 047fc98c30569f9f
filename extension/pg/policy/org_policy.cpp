#include "pg/policy/org_policy.hpp"

#include "core/otp.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/kernel/keyed_cache.hpp"
#include "pg/kernel/statement.hpp"
#include "pg/settings/settings.hpp"

namespace booking::pg {

namespace {

using core::policy::Tighter;

struct FieldSpec {
    const char *name;  // set_org_policy's argument, the column and the setting's name
    bool interval;
    Tighter way;
    int64 lo;  // the least value an organisation may give
    int64 hi;  // the most (intervals: the ceiling alone bounds them)
};
BOOKING_PLAIN_DATA(FieldSpec);

constexpr int64 kNoBound = INT64_MAX;

// Indexed by PolicyField.
constexpr FieldSpec kFields[] = {
    {"hold_ttl", true, Tighter::lower, core::kMicrosPerSecond, kNoBound},
    {"max_hold_ttl", true, Tighter::lower, core::kMicrosPerSecond, kNoBound},
    {"otp_digits", false, Tighter::higher, core::otp::kMinDigits, core::otp::kMaxDigits},
    {"otp_ttl", true, Tighter::lower, core::kMicrosPerSecond, kNoBound},
    {"otp_max_attempts", false, Tighter::lower, 1, kNoBound},
    {"otp_max_sends", false, Tighter::lower, 1, kNoBound},
    {"otp_resend_interval", true, Tighter::higher, 0, core::kMicrosPerDay},
    {"max_active_per_contact", false, Tighter::lower, 1, 100000},
    {"otp_sends_per_phone_hour", false, Tighter::lower, 1, kNoBound},
};
static_assert(sizeof(kFields) / sizeof(kFields[0]) == kPolicyFields, "one spec per PolicyField");

int64 micros_of_ms(int ms) { return static_cast<int64>(ms) * core::kMicrosPerMillisecond; }
int64 micros_of_s(int s) { return static_cast<int64>(s) * core::kMicrosPerSecond; }

// The server's value, the ceiling an organisation may only tighten. hold_ttl
// binds no tenant (settings.hpp), so its ceiling is the value in force.
int64 server_value(PolicyField f) {
    using settings::Limit;
    using settings::server_limit;
    switch (f) {
    case PolicyField::hold_ttl:
        return settings::hold_ttl();
    case PolicyField::max_hold_ttl:
        return micros_of_s(server_limit(Limit::max_hold_ttl));
    case PolicyField::otp_digits:
        return server_limit(Limit::otp_digits);
    case PolicyField::otp_ttl:
        return micros_of_ms(server_limit(Limit::otp_ttl));
    case PolicyField::otp_max_attempts:
        return server_limit(Limit::otp_max_attempts);
    case PolicyField::otp_max_sends:
        return server_limit(Limit::otp_max_sends);
    case PolicyField::otp_resend_interval:
        return micros_of_ms(server_limit(Limit::otp_resend_interval));
    case PolicyField::max_active_per_contact:
        return settings::max_active_per_contact;
    case PolicyField::otp_sends_per_phone_hour:
        return server_limit(Limit::otp_sends_per_phone_hour);
    case PolicyField::count_:
        break;
    }
    pg_unreachable();
}

// The value in force for this session: the server's, tightened by a tenant
// role in its own transaction (settings/limits.cpp).
int64 session_value(PolicyField f) {
    switch (f) {
    case PolicyField::hold_ttl:
        return settings::hold_ttl();
    case PolicyField::max_hold_ttl:
        return settings::max_hold_ttl();
    case PolicyField::otp_digits:
        return settings::otp_digits();
    case PolicyField::otp_ttl:
        return settings::otp_ttl();
    case PolicyField::otp_max_attempts:
        return settings::otp_max_attempts();
    case PolicyField::otp_max_sends:
        return settings::otp_max_sends();
    case PolicyField::otp_resend_interval:
        return settings::otp_resend_interval();
    case PolicyField::max_active_per_contact:
        return settings::max_active_per_contact;
    case PolicyField::otp_sends_per_phone_hour:
        return settings::otp_sends_per_phone_hour();
    case PolicyField::count_:
        break;
    }
    pg_unreachable();
}

const char *describe(PolicyField f, int64 value) {
    if (kFields[static_cast<int>(f)].interval)
        return value == 0 ? "0" : format_micros(value);
    if (f == PolicyField::max_active_per_contact && value == 0)
        return "0 (no cap)";
    return psprintf("%lld", static_cast<long long>(value));
}

// ---- the per-backend copy ------------------------------------------------

struct CacheEntry {
    pg_uuid_t org_id;
    PolicyValues stored;
};
BOOKING_PLAIN_DATA(CacheEntry);

KeyedCache policy_cache = {"org_policies", "booking organisation policies", sizeof(pg_uuid_t),
                           sizeof(CacheEntry)};

Statement read_policy = {
    "SELECT hold_ttl, max_hold_ttl, otp_digits, otp_ttl, otp_max_attempts, otp_max_sends, "
    "otp_resend_interval, max_active_per_contact, otp_sends_per_phone_hour "
    "FROM booking.org_policies WHERE org_id = $1",
    1,
    {UUIDOID},
    nullptr};

Statement upsert_policy = {
    "INSERT INTO booking.org_policies (org_id, hold_ttl, max_hold_ttl, otp_digits, otp_ttl, "
    "otp_max_attempts, otp_max_sends, otp_resend_interval, max_active_per_contact, "
    "otp_sends_per_phone_hour, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
    "ON CONFLICT (org_id) DO UPDATE SET hold_ttl = EXCLUDED.hold_ttl, "
    "max_hold_ttl = EXCLUDED.max_hold_ttl, otp_digits = EXCLUDED.otp_digits, "
    "otp_ttl = EXCLUDED.otp_ttl, otp_max_attempts = EXCLUDED.otp_max_attempts, "
    "otp_max_sends = EXCLUDED.otp_max_sends, otp_resend_interval = EXCLUDED.otp_resend_interval, "
    "max_active_per_contact = EXCLUDED.max_active_per_contact, "
    "otp_sends_per_phone_hour = EXCLUDED.otp_sends_per_phone_hour, "
    "updated_at = EXCLUDED.updated_at",
    11,
    {UUIDOID, INTERVALOID, INTERVALOID, INT4OID, INTERVALOID, INT4OID, INT4OID, INTERVALOID,
     INT4OID, INT4OID, TIMESTAMPTZOID},
    nullptr};

Statement delete_policy = {"DELETE FROM booking.org_policies WHERE org_id = $1", 1, {UUIDOID},
                           nullptr};

void load(const CallContext *ctx, PolicyValues *out) {
    for (int i = 0; i < kPolicyFields; ++i) {
        out->has[i] = false;
        out->value[i] = 0;
    }
    Datum values[1] = {uuid_datum(ctx->org_id)};
    if (run(read_policy, values, nullptr, 1) != 1)
        return;
    for (int i = 0; i < kPolicyFields; ++i) {
        bool isnull;
        Datum d = column(0, i + 1, &isnull);
        out->has[i] = !isnull;
        if (isnull)
            continue;
        if (kFields[i].interval) {
            Interval *iv = DatumGetIntervalP(d);
            out->value[i] = core::fixed_length({iv->month, iv->day, iv->time}).micros;
        } else {
            out->value[i] = DatumGetInt32(d);
        }
    }
}

PolicyValues stored_policy(const CallContext *ctx) {
    return keyed_lookup<CacheEntry>(&policy_cache, ctx->org_id, ctx->org_id,
                                    [&](CacheEntry *loaded) {
                                        loaded->org_id = *ctx->org_id;
                                        load(ctx, &loaded->stored);
                                    })
        .stored;
}

int64 effective(PolicyField f, const PolicyValues &stored) {
    int i = static_cast<int>(f);
    if (f == PolicyField::max_active_per_contact)
        return core::policy::strictest_cap(static_cast<int>(session_value(f)), stored.has[i],
                                           static_cast<int>(stored.value[i]));
    return core::policy::strictest(kFields[i].way, session_value(f), stored.has[i],
                                   stored.value[i]);
}

// The answer's form of an interval, in days and hours as set_calendar's.
const char *interval_text(int64 micros) {
    return DatumGetCString(DirectFunctionCall1(
        interval_out, DirectFunctionCall1(interval_justify_hours, interval_datum(micros))));
}

}  // namespace

const char *policy_field_name(PolicyField field) { return kFields[static_cast<int>(field)].name; }
bool policy_field_is_interval(PolicyField field) {
    return kFields[static_cast<int>(field)].interval;
}

OrgLimits org_limits(const CallContext *ctx) {
    PolicyValues p = effective_policy(ctx);
    auto v = [&](PolicyField f) { return p.value[static_cast<int>(f)]; };
    OrgLimits l;
    l.hold_ttl = v(PolicyField::hold_ttl);
    l.max_hold_ttl = v(PolicyField::max_hold_ttl);
    l.otp_digits = static_cast<int>(v(PolicyField::otp_digits));
    l.otp_ttl = v(PolicyField::otp_ttl);
    l.otp_max_attempts = static_cast<int>(v(PolicyField::otp_max_attempts));
    l.otp_max_sends = static_cast<int>(v(PolicyField::otp_max_sends));
    l.otp_resend_interval = v(PolicyField::otp_resend_interval);
    l.max_active_per_contact = static_cast<int>(v(PolicyField::max_active_per_contact));
    l.otp_sends_per_phone_hour = static_cast<int>(v(PolicyField::otp_sends_per_phone_hour));
    return l;
}

PolicyValues effective_policy(const CallContext *ctx) {
    PolicyValues stored = stored_policy(ctx);
    PolicyValues out;
    for (int i = 0; i < kPolicyFields; ++i) {
        out.has[i] = true;
        out.value[i] = effective(static_cast<PolicyField>(i), stored);
    }
    return out;
}

void check_org_policy(const PolicyValues &given) {
    for (int i = 0; i < kPolicyFields; ++i) {
        if (!given.has[i])
            continue;
        const FieldSpec &spec = kFields[i];
        const PolicyField f = static_cast<PolicyField>(i);
        const int64 v = given.value[i];
        if (v < spec.lo || v > spec.hi) {
            if (spec.hi == kNoBound)
                ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                                errmsg("%s must be at least %s", spec.name, describe(f, spec.lo))));
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("%s must be between %s and %s", spec.name,
                                   describe(f, spec.lo), describe(f, spec.hi))));
        }
        const int64 server = server_value(f);
        const bool looser = f == PolicyField::max_active_per_contact
                                ? core::policy::cap_looser(static_cast<int>(v),
                                                           static_cast<int>(server))
                                : core::policy::looser(spec.way, v, server);
        if (looser)
            ereport(ERROR,
                    (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                     errmsg("%s %s is looser than the server's booking.%s = %s", spec.name,
                            describe(f, v), spec.name, describe(f, server)),
                     errdetail("An organisation may only tighten the server's limits."),
                     errhint("Give a stricter value, or NULL for the server's.")));
    }
}

void store_org_policy(const CallContext *ctx, const PolicyValues &given) {
    bool any = false;
    for (int i = 0; i < kPolicyFields; ++i)
        any = any || given.has[i];
    if (!any) {
        Datum key[1] = {uuid_datum(ctx->org_id)};
        run(delete_policy, key, nullptr);
        return;
    }
    Datum values[2 + kPolicyFields];
    char nulls[2 + kPolicyFields + 1];
    memset(nulls, ' ', sizeof(nulls) - 1);
    nulls[sizeof(nulls) - 1] = '\0';
    values[0] = uuid_datum(ctx->org_id);
    for (int i = 0; i < kPolicyFields; ++i) {
        values[i + 1] = (Datum)0;
        if (!given.has[i]) {
            nulls[i + 1] = 'n';
            continue;
        }
        values[i + 1] = kFields[i].interval ? interval_datum(given.value[i])
                                            : Int32GetDatum(static_cast<int32>(given.value[i]));
    }
    values[kPolicyFields + 1] = TimestampTzGetDatum(ctx->now);
    run(upsert_policy, values, nulls);
}

void put_policy(JsonOut *j, const char *key, const PolicyValues &values) {
    j->begin_object(key);
    for (int i = 0; i < kPolicyFields; ++i) {
        if (!values.has[i])
            continue;
        if (kFields[i].interval)
            j->put_string(kFields[i].name, interval_text(values.value[i]));
        else
            j->put_int(kFields[i].name, values.value[i]);
    }
    j->end_object();
}

}  // namespace booking::pg
