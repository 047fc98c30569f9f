// Sweeping lapsed holds. Correctness never waits for this: a lapsed hold has
// stopped blocking at its expires_at already. Sweeping keeps the table and
// its index small and gives every expiry its audit row.
#include "operations.hpp"

#include "pg/audit.hpp"
#include "pg/otp_store.hpp"
#include "pg/reservation_store.hpp"

namespace booking::pg {

int expire_holds(int batch_size) {
    CallContext ctx;
    begin_call(&ctx, nullptr);
    // A caller bound to one organisation sweeps only its own holds.
    pg_uuid_t bound;
    const pg_uuid_t *only_org = nullptr;
    if (!ctx.caller_is_privileged) {
        if (!bound_org_id(&bound))
            ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                            errmsg("no organisation is set for this caller"),
                            errhint("Set booking.org_id, or call as the tables' owner.")));
        only_org = &bound;
    }
    LapsedHold *expired = nullptr;
    int n = expire_lapsed_holds(&ctx, only_org, batch_size, &expired);
    for (int i = 0; i < n; ++i)
        write_audit(&ctx, &expired[i].org_id, "expired", &expired[i].id,
                    range_details(expired[i].calendar_id, expired[i].starts_at,
                                  expired[i].ends_at));
    // Lapsed codes can never match again; their hashes go too.
    delete_lapsed_codes(&ctx, only_org, batch_size);
    end_call(&ctx);
    return n;
}

}  // namespace booking::pg
