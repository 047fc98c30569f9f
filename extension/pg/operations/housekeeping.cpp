// Sweeping lapsed holds. Correctness never waits for this: a lapsed hold has
// stopped blocking at its expires_at already. Sweeping keeps the table and
// its index small and gives every expiry its audit row.
#include "pg/kernel/citus_deadlocks.hpp"
#include "pg/kernel/scale_out.hpp"
#include "pg/operations/operations.hpp"
#include "pg/operations/waitlist.hpp"
#include "pg/store/audit.hpp"
#include "pg/store/contact_locks.hpp"
#include "pg/store/otp_codes.hpp"
#include "pg/store/reservations.hpp"
#include "pg/tenancy/tenant_binding.hpp"

namespace booking::pg {

namespace {

// Up to batch_size lapsed holds of one organisation (or of all, with
// org_id null): expired, one audit row each, their codes deleted.
int sweep(CallContext *ctx, const pg_uuid_t *org_id, int batch_size) {
    LapsedHold *expired = nullptr;
    int n = expire_lapsed_holds(ctx, org_id, batch_size, &expired);
    // One audit row each, written by one statement for the whole batch.
    if (n > 0) {
        pg_uuid_t *orgs = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * n));
        pg_uuid_t *holds = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * n));
        Jsonb **details = static_cast<Jsonb **>(palloc(sizeof(Jsonb *) * n));
        for (int i = 0; i < n; ++i) {
            orgs[i] = expired[i].org_id;
            holds[i] = expired[i].id;
            const LapsedHold &h = expired[i];
            details[i] = range_details(h.calendar_id, h.starts_at, h.ends_at,
                                       h.has_set ? &h.set_id : nullptr,
                                       h.has_series ? &h.series_id : nullptr);
        }
        write_audits(ctx, Action::expired, n, orgs, holds, details);
        // Offers not taken lapse, and every lapsed hold's time goes to the
        // next in line, in this transaction.
        pass_lapsed_holds(ctx, expired, n);
    }
    // Lapsed codes can never match again; their hashes go too.
    delete_lapsed_codes(ctx, org_id, batch_size);
    // So do the rows of contacts and phones nobody called for a day.
    delete_idle_contact_locks(ctx, org_id, batch_size);
    return n;
}

}  // namespace

int expire_holds(int batch_size) {
    return in_call_scope(nullptr, [&](CallContext *ctx) -> int {
        if (!ctx->caller_is_privileged) {
            // A caller bound to one organisation sweeps only its own holds.
            pg_uuid_t bound = require_binding(ctx->caller);
            return sweep(ctx, &bound, batch_size);
        }
        int n = 0;
        if (distributed_by_tenant()) {
            // Distributed: a statement may not lock rows across shards, so
            // the organisations of this node's shards are swept one at a time
            // (each sweep routes to its own shard). Events are positioned by
            // their readers and deleted as their consumers acknowledge them.
            // The row locks it holds are waited for by calls of every kind
            // (kernel/citus_deadlocks.hpp).
            own_distributed_transaction(nullptr);
            pg_uuid_t *orgs = nullptr;
            int count = local_orgs_with_lapsed_holds(ctx->now, batch_size, &orgs);
            for (int i = 0; i < count && n < batch_size; ++i)
                n += sweep(ctx, &orgs[i], batch_size - n);
            return n;
        }
        n = sweep(ctx, nullptr, batch_size);
        // The outbox: queued events get positions, handled ones go. It spans
        // organisations, so only a privileged caller (the worker, a scheduler
        // running as the owner) does it.
        (void)position_queued_events(ctx, nullptr, false);
        (void)delete_handled_events(ctx, batch_size);
        return n;
    });
}

}  // namespace booking::pg
