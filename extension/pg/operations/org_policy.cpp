// An organisation's own policy: set_org_policy and org_policy
// (policy/org_policy.hpp holds the limits and their cache).
#include "pg/answer/answers.hpp"
#include "pg/operations/operations.hpp"
#include "pg/store/audit.hpp"

namespace booking::pg {

namespace {

Jsonb *policy_answer(const CallContext *ctx) {
    JsonOut j;
    begin_success(&j);
    put_policy(&j, "policy", effective_policy(ctx));
    return answer(ctx, &j);
}

}  // namespace

Jsonb *set_org_policy(const pg_uuid_t *org_id, const PolicyValues &given) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * {
        check_org_policy(given);
        store_org_policy(ctx, given);
        JsonOut d;
        d.begin_object();
        put_policy(&d, "policy", given);
        d.end_object();
        write_audit(ctx, ctx->org_id, Action::org_policy_set, nullptr,
                    d.finish(CurrentMemoryContext));
        // The trigger's invalidation reaches this backend at once, so the
        // answer is read through the copy, as the next call will be.
        return policy_answer(ctx);
    });
}

Jsonb *org_policy(const pg_uuid_t *org_id) {
    return in_call_scope(org_id, [&](CallContext *ctx) -> Jsonb * { return policy_answer(ctx); });
}

}  // namespace booking::pg
