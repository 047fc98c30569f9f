#include "pg/tenancy/tenant_binding.hpp"

#include "core/uuid_text.hpp"
#include "pg/compat/pg_compat.hpp"
#include "pg/kernel/plain_data.hpp"
#include "pg/kernel/privilege.hpp"
#include "pg/settings/settings.hpp"
#include "pg/tenancy/guc_scope.hpp"
#include "pg/tenancy/role_bindings.hpp"

namespace booking::pg {

namespace {

constexpr const char *kSetting = "booking.org_id";
constexpr const char *kClaims = "request.jwt.claims";

const char *uuid_text(const pg_uuid_t *u) {
    return DatumGetCString(
        DirectFunctionCall1(uuid_out, UUIDPGetDatum(const_cast<pg_uuid_t *>(u))));
}

// One source's answer.
struct Named {
    bool present = false;
    pg_uuid_t org;
    const char *source = nullptr;  // for messages
};
BOOKING_PLAIN_DATA(Named);

// request.jwt.claims is parsed once per distinct value: PostgREST sets it per
// request, and a pooled connection serves many requests of the same user.
char *cached_claims = nullptr;
bool cached_claims_has_org = false;
pg_uuid_t cached_claims_org;

bool org_from_claims(const char *claims, pg_uuid_t *out) {
    if (cached_claims != nullptr && strcmp(cached_claims, claims) == 0) {
        *out = cached_claims_org;
        return cached_claims_has_org;
    }
    if (!compat::is_json(claims))
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("request.jwt.claims is not valid JSON"),
                        errdetail("No organisation can be read from it."),
                        errhint("PostgREST sets it from a verified JWT; set it with "
                                "set_config('request.jwt.claims', '<json>', true).")));
    Jsonb *j = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(claims)));
    bool found = false;
    pg_uuid_t org;
    if (JB_ROOT_IS_OBJECT(j) && !JB_ROOT_IS_SCALAR(j)) {
        JsonbValue *v = getKeyJsonValueFromContainer(&j->root, "org_id", 6, nullptr);
        if (v != nullptr && v->type == jbvString) {
            std::string_view s(v->val.string.val, static_cast<std::size_t>(v->val.string.len));
            found = core::parse_uuid(s, org.data);
        }
    }
    char *copy = MemoryContextStrdup(TopMemoryContext, claims);
    if (cached_claims != nullptr)
        pfree(cached_claims);
    cached_claims = copy;
    cached_claims_has_org = found;
    if (found)
        cached_claims_org = org;
    *out = org;
    return found;
}

Named from_role(Oid role, const char *which) {
    Named n;
    if (role_binding(role, &n.org)) {
        n.present = true;
        n.source = psprintf("the binding of %s \"%s\"", which, GetUserNameFromId(role, false));
    }
    return n;
}

// Whether a session-wide value was left out, for the hint.
struct Sources {
    Named named[4];
    int count = 0;
    const char *session_value = nullptr;  // the setting set for the session only
};
BOOKING_PLAIN_DATA(Sources);

void add(Sources *s, const Named &n) {
    if (n.present)
        s->named[s->count++] = n;
}

Sources gather(Oid current_user) {
    Sources s;
    Oid session_user = GetSessionUserId();
    add(&s, from_role(session_user, "login role"));
    if (current_user != session_user)
        add(&s, from_role(current_user, "role"));

    switch (guc_scope(kSetting)) {
    case GucScope::transaction: {
        Named n;
        n.present = core::parse_uuid(settings::org_id, n.org.data);
        n.source = kSetting;
        add(&s, n);
        break;
    }
    case GucScope::session:
        s.session_value = kSetting;
        break;
    case GucScope::unset:
        break;
    }
    switch (guc_scope(kClaims)) {
    case GucScope::transaction: {
        Named n;
        n.present = org_from_claims(GetConfigOption(kClaims, true, false), &n.org);
        n.source = "the org_id claim of request.jwt.claims";
        add(&s, n);
        break;
    }
    case GucScope::session:
        if (s.session_value == nullptr)
            s.session_value = kClaims;
        break;
    case GucScope::unset:
        break;
    }
    return s;
}

}  // namespace

bool bound_org_id(Oid role, pg_uuid_t *out) {
    Sources s = gather(role);
    if (s.count == 0)
        return false;
    for (int i = 1; i < s.count; ++i) {
        if (memcmp(s.named[i].org.data, s.named[0].org.data, UUID_LEN) != 0)
            ereport(ERROR,
                    (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                     errmsg("conflicting organisations for role \"%s\"",
                            GetUserNameFromId(role, false)),
                     errdetail("%s names organisation %s, but %s names %s.", s.named[0].source,
                               uuid_text(&s.named[0].org), s.named[i].source,
                               uuid_text(&s.named[i].org)),
                     errhint("A bound role acts in its own organisation only; every source "
                             "that names one must agree.")));
    }
    *out = s.named[0].org;
    return true;
}

pg_uuid_t require_binding(Oid role) {
    pg_uuid_t bound;
    if (bound_org_id(role, &bound))
        return bound;
    Sources s = gather(role);
    if (s.session_value != nullptr)
        ereport(ERROR,
                (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                 errmsg("no organisation is set for role \"%s\" in this transaction",
                        GetUserNameFromId(role, false)),
                 errdetail("%s is set for the whole session, which binds nothing: on a pooled "
                           "connection it would outlive the client that set it.",
                           s.session_value),
                 errhint("Inside the transaction, SET LOCAL booking.org_id = '<uuid>' or "
                         "SELECT set_config('booking.org_id', '<uuid>', true).")));
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("no organisation is set for role \"%s\"", GetUserNameFromId(role, false)),
                    errhint("The owner binds a login role with booking.bind_role(); a middle tier "
                            "sets SET LOCAL booking.org_id inside each transaction; PostgREST "
                            "sets an org_id claim in the JWT.")));
    pg_unreachable();
}

void require_bound_to(Oid role, const pg_uuid_t *org_id) {
    pg_uuid_t bound = require_binding(role);
    if (memcmp(bound.data, org_id->data, UUID_LEN) != 0)
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("permission denied for organisation %s", uuid_text(org_id)),
                        errdetail("The caller acts in organisation %s.", uuid_text(&bound))));
}

bool may_read_server_figures(Oid role) {
    if (role_is_privileged(role) || has_privs_of_role(role, ROLE_PG_MONITOR))
        return true;
    pg_uuid_t org;
    return !bound_org_id(role, &org);
}

}  // namespace booking::pg
