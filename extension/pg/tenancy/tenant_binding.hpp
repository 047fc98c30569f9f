// Which organisation a caller that is not privileged acts in, and the rule
// that keeps it there. Three sources can name it:
//
//   a role binding  booking.bind_role(role, org): the owner binds a login
//                   role (or any role) to one organisation; the session's
//                   role and the current role are looked up, so SET ROLE
//                   does not escape it;
//   the setting     booking.org_id, set for the transaction (SET LOCAL,
//                   set_config(..., true)) by a trusted middle tier;
//   the claims      request.jwt.claims ->> 'org_id', set for the
//                   transaction, as PostgREST does.
//
// Every source present must name the same organisation, or the call raises
// 42501: nothing silently wins, so a bound role cannot be renamed by any
// setting or claim. A value set for the whole session binds nothing: on a
// pooled connection it would outlive the client that set it and rebind the
// next one's requests.
#pragma once

#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

// The organisation a caller acting as role (after any SET ROLE; the
// session's login role is looked up too) is bound to; false when no source
// names one. Raises 42501 when sources disagree or the claims are not JSON.
bool bound_org_id(Oid role, pg_uuid_t *out);

// The same, raising 42501 with the reason when no source names one.
pg_uuid_t require_binding(Oid role);

// Raises 42501 unless the caller is bound to org_id.
void require_bound_to(Oid role, const pg_uuid_t *org_id);

// Whether role may read figures of the whole server (booking.stats(), every
// tenant's counts together): the privileged and members of pg_monitor, and
// any other role granted them (the monitor profile) unless it acts in an
// organisation, whose role must see no other tenant's figures.
bool may_read_server_figures(Oid role);

}  // namespace booking::pg
