#include "pg/kernel/citus_deadlocks.hpp"

#include "pg/kernel/plain_data.hpp"
#include "pg/kernel/scale_out.hpp"

namespace booking::pg {

namespace {

using UseCoordinatedTransactionFn = void (*)();

// Citus's two entry points, looked up once per backend (and again when the
// scale-out changed): its function in the library PostgreSQL already loaded
// (citus is in shared_preload_libraries wherever tables are distributed),
// and its SQL function that answers this backend's distributed transaction.
struct CitusEntryPoints {
    uint32 generation;
    UseCoordinatedTransactionFn use_coordinated_transaction;
    Oid current_transaction_id;
};
BOOKING_PLAIN_DATA(CitusEntryPoints);
CitusEntryPoints citus = {0, nullptr, InvalidOid};

const CitusEntryPoints &entry_points() {
    if (citus.generation != scale_out_generation()) {
        citus.use_coordinated_transaction = reinterpret_cast<UseCoordinatedTransactionFn>(
            load_external_function("$libdir/citus", "UseCoordinatedTransaction", false, nullptr));
        List *name = list_make2(makeString(pstrdup("pg_catalog")),
                                makeString(pstrdup("get_current_transaction_id")));
        citus.current_transaction_id = LookupFuncName(name, 0, nullptr, true);
        citus.generation = scale_out_generation();
    }
    return citus;
}

// Whether this backend already belongs to a distributed transaction: one
// Citus started here, or one a coordinator's connection brought (Citus then
// manages it, and may PREPARE it, which a coordinated transaction started
// here would refuse).
bool in_distributed_transaction(Oid current_transaction_id) {
    Datum row = OidFunctionCall0(current_transaction_id);
    bool isnull = true;
    Datum number = GetAttributeByName(DatumGetHeapTupleHeader(row), "transaction_number", &isnull);
    return isnull || DatumGetInt64(number) != 0;
}

}  // namespace

void own_distributed_transaction(const pg_uuid_t *org_id) {
    if (RecoveryInProgress() || !distributed_by_tenant())
        return;
    if (org_id != nullptr && tenant_elsewhere(org_id))
        return;  // Citus makes it a distributed transaction as it goes remote
    const CitusEntryPoints &e = entry_points();
    if (e.use_coordinated_transaction == nullptr || e.current_transaction_id == InvalidOid)
        return;
    if (!in_distributed_transaction(e.current_transaction_id))
        e.use_coordinated_transaction();
}

}  // namespace booking::pg
