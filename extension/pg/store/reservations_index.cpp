#include "pg/store/reservations_index.hpp"

#include "pg/compat/pg_compat.hpp"

namespace booking::pg {

namespace {

ReservationColumns columns = {};

// The blocking index last found, and the relation it was found for.
Oid blocking_index_relid = InvalidOid;
Oid blocking_index_oid = InvalidOid;

bool is_blocking_index(const ReservationColumns &c, Oid index_oid) {
    HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index_oid));
    if (!HeapTupleIsValid(tup))
        return false;
    Form_pg_index index = reinterpret_cast<Form_pg_index>(GETSTRUCT(tup));
    bool shape = index->indnkeyatts == 3 && index->indkey.values[0] == c.org_id &&
                 index->indkey.values[1] == c.calendar_id && index->indkey.values[2] == 0 &&
                 !heap_attisnull(tup, Anum_pg_index_indpred, nullptr) &&
                 !heap_attisnull(tup, Anum_pg_index_indexprs, nullptr) && !index->indisunique &&
                 index->indisvalid && index->indisready;
    ReleaseSysCache(tup);
    return shape;
}

}  // namespace

const ReservationColumns &reservation_columns(Relation rel) {
    TupleDesc desc = RelationGetDescr(rel);
    if (columns.relid == RelationGetRelid(rel) && columns.natts == desc->natts)
        return columns;
    auto number = [desc](const char *name) {
        int n = SPI_fnumber(desc, name);
        if (n <= 0)
            elog(ERROR, "booking.reservations has no column \"%s\"", name);
        return n;
    };
    auto optional = [desc](const char *name) {
        int n = SPI_fnumber(desc, name);
        return n > 0 ? n : 0;
    };
    columns.org_id = number("org_id");
    columns.id = number("id");
    columns.calendar_id = number("calendar_id");
    columns.starts_at = number("starts_at");
    columns.ends_at = number("ends_at");
    columns.buffer_before = number("buffer_before");
    columns.buffer_after = number("buffer_after");
    columns.status = number("status");
    columns.blocks = number("blocks");
    columns.expires_at = number("expires_at");
    columns.caller_ref = number("caller_ref");
    columns.capacity = optional("capacity");
    columns.set_id = optional("set_id");
    Oid status_type = TupleDescAttr(desc, columns.status - 1)->atttypid;
    for (int i = 0; i < core::kStatusCount; ++i) {
        const char *label = core::status_name(static_cast<core::Status>(i));
        columns.status_oid[i] = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
                                                ObjectIdGetDatum(status_type),
                                                CStringGetDatum(label));
    }
    columns.relid = RelationGetRelid(rel);
    columns.natts = desc->natts;
    return columns;
}

std::optional<core::Status> status_of(const ReservationColumns &c, Datum value) {
    Oid oid = DatumGetObjectId(value);
    for (int i = 0; i < core::kStatusCount; ++i) {
        if (c.status_oid[i] == oid)
            return static_cast<core::Status>(i);
    }
    return std::nullopt;
}

std::optional<core::Status> slot_status(const ReservationColumns &c, TupleTableSlot *slot) {
    bool isnull;
    Datum value = slot_getattr(slot, c.status, &isnull);
    if (isnull)
        return std::nullopt;
    return status_of(c, value);
}

Oid reservations_relid() {
    Oid schema = get_namespace_oid("booking", true);
    if (!OidIsValid(schema))
        return InvalidOid;
    return get_relname_relid("reservations", schema);
}

Oid blocking_index_of(Relation heap) {
    List *indexes = RelationGetIndexList(heap);
    Oid heap_oid = RelationGetRelid(heap);
    if (blocking_index_relid == heap_oid && list_member_oid(indexes, blocking_index_oid)) {
        list_free(indexes);
        return blocking_index_oid;
    }
    const ReservationColumns &c = reservation_columns(heap);
    Oid found = InvalidOid;
    ListCell *lc;
    foreach (lc, indexes) {
        if (is_blocking_index(c, lfirst_oid(lc))) {
            found = lfirst_oid(lc);
            break;
        }
    }
    list_free(indexes);
    if (OidIsValid(found)) {
        blocking_index_relid = heap_oid;
        blocking_index_oid = found;
    }
    return found;
}

LatestScan begin_latest_scan(Relation heap, Relation index, ScanKey keys, int nkeys) {
    CommandCounterIncrement();
    LatestScan s;
    s.snapshot = RegisterSnapshot(GetLatestSnapshot());
    s.slot = table_slot_create(heap, nullptr);
    s.scan = compat::begin_index_scan(heap, index, s.snapshot, nkeys);
    index_rescan(s.scan, keys, nkeys, nullptr, 0);
    return s;
}

LatestScan begin_blocking_scan(Relation heap, Relation index, const pg_uuid_t *org_id,
                               Datum calendar_id, TimestampTz after, TimestampTz until) {
    ScanKeyData keys[4];
    ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_UUID_EQ,
                UUIDPGetDatum(const_cast<pg_uuid_t *>(org_id)));
    ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_TEXTEQ, calendar_id);
    keys[1].sk_collation = index->rd_indcollation[1];
    ScanKeyInit(&keys[2], 3, BTGreaterStrategyNumber, F_TIMESTAMPTZ_GT, TimestampTzGetDatum(after));
    ScanKeyInit(&keys[3], 3, BTLessStrategyNumber, F_TIMESTAMPTZ_LT, TimestampTzGetDatum(until));
    return begin_latest_scan(heap, index, keys, 4);
}

bool next_row(LatestScan *s) { return index_getnext_slot(s->scan, ForwardScanDirection, s->slot); }

void end_latest_scan(LatestScan *s) {
    index_endscan(s->scan);
    ExecDropSingleTupleTableSlot(s->slot);
    UnregisterSnapshot(s->snapshot);
}

}  // namespace booking::pg
