#include "pg/kernel/scale_out.hpp"

#include "pg/kernel/invalidation.hpp"
#include "pg/kernel/owner_scope.hpp"
#include "pg/kernel/plain_data.hpp"
#include "pg/kernel/statement.hpp"

namespace booking::pg {

namespace {

constexpr int kMaxDistributedTables = 32;

struct DistributedTable {
    Oid relid;
    AttrNumber column;  // the distribution column
};
BOOKING_PLAIN_DATA(DistributedTable);

// A shard of booking.reservations: the hash values it holds, and whether
// this node holds a placement of it.
struct ShardRange {
    int32 min;
    int32 max;
    bool local;
};
BOOKING_PLAIN_DATA(ShardRange);

// One of this node's shards of a booking table.
struct LocalShard {
    Oid relid;
    Oid table;
};
BOOKING_PLAIN_DATA(LocalShard);

struct Facts {
    bool valid;
    unsigned invalidations;  // seen by the callback, to tell a read overtaken by one
    uint32 generation;
    bool distributed;
    Oid reservations;
    Oid local_group;  // Citus's pg_dist_local_group, whose change says this node's group changed
    int tables;
    DistributedTable table[kMaxDistributedTables];
    int shards;
    ShardRange *shard;  // in facts_memory, ordered by min
    int local_shards;
    LocalShard *local_shard;  // in facts_memory
};
BOOKING_PLAIN_DATA(Facts);

Facts facts = {false, 0, 1, false, InvalidOid, InvalidOid, 0, {}, 0, nullptr, 0, nullptr};
MemoryContext facts_memory = nullptr;

void forget(Oid relid) {
    bool ours = relid == InvalidOid || relid == facts.reservations || relid == facts.local_group;
    for (int i = 0; i < facts.tables && !ours; ++i)
        ours = relid == facts.table[i].relid;
    if (ours) {
        facts.valid = false;
        ++facts.invalidations;
    }
}

// booking's hash-distributed tables and their distribution columns.
const char *const kTablesSql =
    "SELECT p.logicalrelid::pg_catalog.oid, a.attnum "
    "FROM pg_catalog.pg_dist_partition p "
    "JOIN pg_catalog.pg_class c ON c.oid = p.logicalrelid "
    "JOIN pg_catalog.pg_attribute a ON a.attrelid = p.logicalrelid "
    " AND a.attname = pg_catalog.column_to_column_name(p.logicalrelid, p.partkey) "
    "WHERE p.partmethod = 'h' AND c.relnamespace = 'booking'::pg_catalog.regnamespace";

const char *const kShardsSql =
    "SELECT s.shardminvalue::pg_catalog.int4, s.shardmaxvalue::pg_catalog.int4, "
    " EXISTS (SELECT FROM pg_catalog.pg_dist_placement p WHERE p.shardid = s.shardid "
    "  AND p.groupid = (SELECT groupid FROM pg_catalog.pg_dist_local_group)) "
    "FROM pg_catalog.pg_dist_shard s WHERE s.logicalrelid = $1 "
    "ORDER BY 1";

// This node's shards of booking's distributed tables, by the relation each
// is here.
const char *const kLocalShardsSql =
    "SELECT pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid))"
    "::pg_catalog.oid, s.logicalrelid::pg_catalog.oid "
    "FROM pg_catalog.pg_dist_shard s JOIN pg_catalog.pg_dist_placement p USING (shardid) "
    "JOIN pg_catalog.pg_class c ON c.oid = s.logicalrelid "
    "WHERE c.relnamespace = 'booking'::pg_catalog.regnamespace "
    "AND p.groupid = (SELECT groupid FROM pg_catalog.pg_dist_local_group)";

void read_citus_catalog() {
    if (SPI_execute(kTablesSql, true, 0) != SPI_OK_SELECT)
        elog(ERROR, "could not read Citus's distributed tables");
    for (uint64 i = 0; i < SPI_processed && facts.tables < kMaxDistributedTables; ++i) {
        bool isnull;
        Oid relid = DatumGetObjectId(column(i, 1, &isnull));
        AttrNumber attnum = DatumGetInt16(column(i, 2, &isnull));
        facts.table[facts.tables++] = {relid, attnum};
        facts.distributed = facts.distributed || relid == facts.reservations;
    }
    if (!facts.distributed)
        return;
    Oid types[1] = {OIDOID};
    Datum values[1] = {ObjectIdGetDatum(facts.reservations)};
    if (SPI_execute_with_args(kShardsSql, 1, types, values, nullptr, true, 0) != SPI_OK_SELECT)
        elog(ERROR, "could not read the shards of booking.reservations");
    facts.shard = static_cast<ShardRange *>(
        MemoryContextAlloc(facts_memory, sizeof(ShardRange) * (SPI_processed > 0 ? SPI_processed : 1)));
    for (uint64 i = 0; i < SPI_processed; ++i) {
        bool min_null, max_null, isnull;
        Datum min = column(i, 1, &min_null);
        Datum max = column(i, 2, &max_null);
        if (min_null || max_null)
            continue;
        facts.shard[facts.shards++] = {DatumGetInt32(min), DatumGetInt32(max),
                                       DatumGetBool(column(i, 3, &isnull))};
    }
    if (SPI_execute(kLocalShardsSql, true, 0) != SPI_OK_SELECT)
        elog(ERROR, "could not read this node's shards of booking's tables");
    facts.local_shard = static_cast<LocalShard *>(
        MemoryContextAlloc(facts_memory, sizeof(LocalShard) * (SPI_processed > 0 ? SPI_processed : 1)));
    for (uint64 i = 0; i < SPI_processed; ++i) {
        bool null_relid, isnull;
        Datum relid = column(i, 1, &null_relid);
        if (!null_relid)
            facts.local_shard[facts.local_shards++] = {DatumGetObjectId(relid),
                                                       DatumGetObjectId(column(i, 2, &isnull))};
    }
}

const Facts &current() {
    if (facts_memory == nullptr) {
        facts_memory = AllocSetContextCreate(CacheMemoryContext, "booking scale-out facts",
                                             ALLOCSET_SMALL_SIZES);
        listen_to_relcache(forget);
    }
    while (!facts.valid) {
        bool was_distributed = facts.distributed;
        int was_tables = facts.tables;
        unsigned before = facts.invalidations;
        MemoryContextReset(facts_memory);
        facts.distributed = false;
        facts.tables = 0;
        facts.shards = 0;
        facts.shard = nullptr;
        facts.local_shards = 0;
        facts.local_shard = nullptr;
        facts.reservations = get_relname_relid("reservations", get_namespace_oid("booking", true));
        facts.local_group = InvalidOid;
        if (OidIsValid(get_extension_oid("citus", true)) && OidIsValid(facts.reservations)) {
            facts.local_group = get_relname_relid("pg_dist_local_group", PG_CATALOG_NAMESPACE);
            // As the tables' owner with the search path pinned; a scope of its
            // own also keeps the caller's SPI results.
            in_owner_scope([] { read_citus_catalog(); });
            ereport(DEBUG2, (errmsg_internal("booking: read Citus's metadata of booking's tables "
                                             "(distributed: %s, %d shards of reservations)",
                                             facts.distributed ? "yes" : "no", facts.shards)));
        }
        if (facts.distributed != was_distributed || facts.tables != was_tables)
            ++facts.generation;
        // Reading ran SPI, which accepts invalidations: one that arrived
        // meanwhile may describe a change the read missed. Before the
        // extension's tables exist (the sweeper waits for them) nothing
        // would tell of their creation: the answer lasts this read.
        facts.valid = facts.invalidations == before && OidIsValid(facts.reservations);
        if (!OidIsValid(facts.reservations))
            break;
    }
    return facts;
}

AttrNumber distribution_column(Oid relid) {
    const Facts &f = current();
    for (int i = 0; i < f.tables; ++i) {
        if (f.table[i].relid == relid)
            return f.table[i].column;
    }
    return InvalidAttrNumber;
}

const Var *plain_column(const Node *node) {
    while (node != nullptr && IsA(node, RelabelType))
        node = reinterpret_cast<const Node *>(reinterpret_cast<const RelabelType *>(node)->arg);
    return node != nullptr && IsA(node, Var) ? reinterpret_cast<const Var *>(node) : nullptr;
}

bool is_parameter(const Node *node) {
    while (node != nullptr && IsA(node, RelabelType))
        node = reinterpret_cast<const Node *>(reinterpret_cast<const RelabelType *>(node)->arg);
    return node != nullptr && IsA(node, Param) &&
           reinterpret_cast<const Param *>(node)->paramkind == PARAM_EXTERN;
}

// "column = $n", in either order, with the column type's own equality.
bool column_equals_parameter(const Node *node, AttrNumber column) {
    if (node == nullptr || !IsA(node, OpExpr))
        return false;
    const OpExpr *op = reinterpret_cast<const OpExpr *>(node);
    if (list_length(op->args) != 2)
        return false;
    const Node *left = static_cast<const Node *>(linitial(op->args));
    const Node *right = static_cast<const Node *>(lsecond(op->args));
    const Var *var = plain_column(left);
    const Node *other = right;
    if (var == nullptr) {
        var = plain_column(right);
        other = left;
    }
    if (var == nullptr || var->varno != 1 || var->varlevelsup != 0 || var->varattno != column ||
        !is_parameter(other))
        return false;
    return op->opno == lookup_type_cache(var->vartype, TYPECACHE_EQ_OPR)->eq_opr;
}

// Whether the filter is one of the top-level conjuncts of quals.
bool conjunct_filters(const Node *quals, AttrNumber column) {
    if (quals == nullptr)
        return false;
    if (IsA(quals, BoolExpr)) {
        const BoolExpr *b = reinterpret_cast<const BoolExpr *>(quals);
        if (b->boolop != AND_EXPR)
            return false;
        ListCell *lc;
        foreach (lc, b->args) {
            if (conjunct_filters(static_cast<const Node *>(lfirst(lc)), column))
                return true;
        }
        return false;
    }
    return column_equals_parameter(quals, column);
}

int column_uses(Node *quals, AttrNumber column) {
    List *vars = pull_var_clause(quals, 0);
    int n = 0;
    ListCell *lc;
    foreach (lc, vars) {
        const Var *v = static_cast<const Var *>(lfirst(lc));
        if (v->varno == 1 && v->varattno == column)
            ++n;
    }
    return n;
}

bool fast_path_shape(Query *q) {
    if (q->cteList != NIL || q->hasSubLinks || q->setOperations != nullptr || q->hasTargetSRFs ||
        q->hasModifyingCTE || contain_volatile_functions(reinterpret_cast<Node *>(q)))
        return false;
    if (q->commandType == CMD_INSERT) {
        // INSERT ... VALUES is routed by the value it is given; INSERT ...
        // SELECT is not on the fast path.
        ListCell *lc;
        foreach (lc, q->rtable) {
            if (static_cast<RangeTblEntry *>(lfirst(lc))->rtekind == RTE_SUBQUERY)
                return false;
        }
        return distribution_column(rt_fetch(q->resultRelation, q->rtable)->relid) !=
               InvalidAttrNumber;
    }
    if (q->commandType != CMD_SELECT && q->commandType != CMD_UPDATE &&
        q->commandType != CMD_DELETE)
        return false;
    if (list_length(q->rtable) != 1)
        return false;
    RangeTblEntry *rte = static_cast<RangeTblEntry *>(linitial(q->rtable));
    if (rte->rtekind != RTE_RELATION)
        return false;
    AttrNumber column = distribution_column(rte->relid);
    if (column == InvalidAttrNumber || q->jointree == nullptr || q->jointree->quals == nullptr)
        return false;
    return conjunct_filters(q->jointree->quals, column) &&
           column_uses(q->jointree->quals, column) == 1;
}

}  // namespace

void forget_scale_out() { forget(InvalidOid); }

bool distributed_by_tenant() { return current().distributed; }

uint32 scale_out_generation() { return current().generation; }

bool tenant_elsewhere(const pg_uuid_t *org_id) {
    const Facts &f = current();
    if (!f.distributed)
        return false;
    // Citus hashes the distribution column with its type's standard hash
    // function and keeps each shard's range of hash values.
    TypeCacheEntry *uuid_type = lookup_type_cache(UUIDOID, TYPECACHE_HASH_PROC_FINFO);
    int32 hash = DatumGetInt32(FunctionCall1Coll(&uuid_type->hash_proc_finfo, InvalidOid,
                                                 UUIDPGetDatum(const_cast<pg_uuid_t *>(org_id))));
    int low = 0, high = f.shards - 1;
    while (low <= high) {
        int mid = low + (high - low) / 2;
        if (hash < f.shard[mid].min)
            high = mid - 1;
        else if (hash > f.shard[mid].max)
            low = mid + 1;
        else
            return !f.shard[mid].local;
    }
    // No shard holds it (a split in flight): as anywhere the shard is not.
    return true;
}

bool has_local_shard(Oid table) {
    const Facts &f = current();
    for (int i = 0; i < f.local_shards; ++i) {
        if (f.local_shard[i].table == table)
            return true;
    }
    return false;
}

bool may_be_local_shard_of(Oid relid, Oid table) {
    if (!facts.valid)
        return true;
    for (int i = 0; i < facts.local_shards; ++i) {
        if (facts.local_shard[i].relid == relid && facts.local_shard[i].table == table)
            return true;
    }
    return false;
}

bool routes_as_generic_plan(SPIPlanPtr plan) {
    List *sources = SPI_plan_get_plan_sources(plan);
    if (list_length(sources) != 1)
        return false;
    CachedPlanSource *source = static_cast<CachedPlanSource *>(linitial(sources));
    if (list_length(source->query_list) != 1)
        return false;
    return fast_path_shape(static_cast<Query *>(linitial(source->query_list)));
}

namespace {

// This node's shards of booking.reservations.
Statement local_shards = {
    "SELECT s.shardid, pg_catalog.shard_name(s.logicalrelid, s.shardid) "
    "FROM pg_catalog.pg_dist_shard s JOIN pg_catalog.pg_dist_placement p USING (shardid) "
    "WHERE s.logicalrelid = 'booking.reservations'::pg_catalog.regclass "
    "AND p.groupid = (SELECT groupid FROM pg_catalog.pg_dist_local_group) ORDER BY s.shardid",
    0,
    {},
    nullptr};

Statement still_local = {
    "SELECT FROM pg_catalog.pg_dist_placement "
    "WHERE shardid = $1 AND groupid = (SELECT groupid FROM pg_catalog.pg_dist_local_group)",
    1,
    {INT8OID},
    nullptr};

// Citus's own function takes the lock a move takes exclusively on every node
// that keeps metadata (the colocated shards' metadata lock, whose tag Citus
// derives from the colocation group and the shard's index).
Statement lock_shard_metadata = {"SELECT pg_catalog.lock_shard_metadata($1, ARRAY[$2])",
                                 2,
                                 {INT4OID, INT8OID},
                                 nullptr};

}  // namespace

int local_orgs_with_lapsed_holds(TimestampTz now, int limit, pg_uuid_t **out) {
    uint64 shards = run(local_shards, nullptr, nullptr);
    int64 *ids = static_cast<int64 *>(palloc(sizeof(int64) * (shards > 0 ? shards : 1)));
    char **names = static_cast<char **>(palloc(sizeof(char *) * (shards > 0 ? shards : 1)));
    for (uint64 i = 0; i < shards; ++i) {
        bool isnull;
        ids[i] = DatumGetInt64(column(i, 1, &isnull));
        names[i] = column_text(i, 2);
    }
    pg_uuid_t *orgs = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t) * (limit > 0 ? limit : 1)));
    int n = 0;
    Oid types[2] = {TIMESTAMPTZOID, INT4OID};
    for (uint64 i = 0; i < shards && n < limit; ++i) {
        Datum lock_args[2] = {Int32GetDatum(ShareLock), Int64GetDatum(ids[i])};
        (void)run(lock_shard_metadata, lock_args, nullptr);
        // Listed before the lock: a move that finished meanwhile left the
        // shard behind as a copy due for cleanup, which must not be read.
        Datum id_arg[1] = {Int64GetDatum(ids[i])};
        if (run(still_local, id_arg, nullptr) == 0)
            continue;
        // A shard's name is known only here, so its statement is planned
        // each time: once per shard and pass, not per call. It reads the
        // latest committed rows, as every statement here does.
        char *sql = psprintf("SELECT DISTINCT org_id FROM %s WHERE status = 'held' "
                             "AND expires_at <= $1 LIMIT $2",
                             names[i]);
        Datum values[2] = {TimestampTzGetDatum(now), Int32GetDatum(limit - n)};
        if (SPI_execute_with_args(sql, 2, types, values, nullptr, false, 0) != SPI_OK_SELECT)
            elog(ERROR, "could not read shard %s", names[i]);
        for (uint64 r = 0; r < SPI_processed && n < limit; ++r)
            orgs[n++] = column_uuid(r, 1);
    }
    *out = orgs;
    return n;
}

}  // namespace booking::pg
