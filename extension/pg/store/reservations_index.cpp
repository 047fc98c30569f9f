#include "pg/store/reservations_index.hpp"

#include "pg/compat/pg_compat.hpp"

namespace booking::pg {

namespace {

ReservationColumns columns = {};

// An index found by its shape, and the relation it was found for.
struct FoundIndex {
    Oid relid;
    Oid index;
};
BOOKING_PLAIN_DATA(FoundIndex);

FoundIndex found_blocking = {InvalidOid, InvalidOid};
FoundIndex found_contact = {InvalidOid, InvalidOid};
FoundIndex found_contact_phone = {InvalidOid, InvalidOid};

bool is_btree(Oid index_oid) {
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(index_oid));
    if (!HeapTupleIsValid(tup))
        return false;
    const bool btree = reinterpret_cast<Form_pg_class>(GETSTRUCT(tup))->relam == BTREE_AM_OID;
    ReleaseSysCache(tup);
    return btree;
}

// Whether index_oid is a btree over these three key columns (0: an
// expression), partial, not unique, valid and ready: the shape of one of
// the schema's partial indexes, which no other index of the table shares.
bool has_shape(Oid index_oid, const AttrNumber (&keys)[3]) {
    HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index_oid));
    if (!HeapTupleIsValid(tup))
        return false;
    Form_pg_index index = reinterpret_cast<Form_pg_index>(GETSTRUCT(tup));
    bool expression = false;
    bool shape = index->indnkeyatts == 3;
    for (int i = 0; shape && i < 3; ++i) {
        shape = index->indkey.values[i] == keys[i];
        expression = expression || keys[i] == 0;
    }
    shape = shape && !heap_attisnull(tup, Anum_pg_index_indpred, nullptr) &&
            heap_attisnull(tup, Anum_pg_index_indexprs, nullptr) == !expression &&
            !index->indisunique && index->indisvalid && index->indisready;
    ReleaseSysCache(tup);
    return shape && is_btree(index_oid);
}

// The index of heap with that shape, among heap's own indexes (kept per
// relation in *found while it is still one of them), else InvalidOid.
Oid index_by_shape(Relation heap, const AttrNumber (&keys)[3], FoundIndex *found) {
    List *indexes = RelationGetIndexList(heap);
    Oid heap_oid = RelationGetRelid(heap);
    Oid index = InvalidOid;
    if (found->relid == heap_oid && list_member_oid(indexes, found->index)) {
        index = found->index;
    } else {
        ListCell *lc;
        foreach (lc, indexes) {
            if (has_shape(lfirst_oid(lc), keys)) {
                index = lfirst_oid(lc);
                *found = {heap_oid, index};
                break;
            }
        }
    }
    list_free(indexes);
    return index;
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
    columns.contact_id = optional("contact_id");
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
    const ReservationColumns &c = reservation_columns(heap);
    const AttrNumber keys[3] = {AttrNumber(c.org_id), AttrNumber(c.calendar_id), 0};
    return index_by_shape(heap, keys, &found_blocking);
}

Oid contact_index_of(Relation heap, bool by_phone) {
    const ReservationColumns &c = reservation_columns(heap);
    if (c.contact_id == 0)
        return InvalidOid;
    if (by_phone) {
        const AttrNumber keys[3] = {AttrNumber(c.org_id), 0, AttrNumber(c.starts_at)};
        return index_by_shape(heap, keys, &found_contact_phone);
    }
    const AttrNumber keys[3] = {AttrNumber(c.org_id), AttrNumber(c.contact_id),
                                AttrNumber(c.starts_at)};
    return index_by_shape(heap, keys, &found_contact);
}

LatestScan begin_latest_scan(Relation heap, Relation index, ScanKey keys, int nkeys,
                             bool want_keys) {
    CommandCounterIncrement();
    LatestScan s;
    s.snapshot = RegisterSnapshot(GetLatestSnapshot());
    s.dirty = false;
    s.slot = table_slot_create(heap, nullptr);
    s.scan = compat::begin_index_scan(heap, index, s.snapshot, nkeys);
    // Before the rescan: btree sets up its copy of the entries there.
    s.scan->xs_want_itup = want_keys;
    index_rescan(s.scan, keys, nkeys, nullptr, 0);
    return s;
}

namespace {

void blocking_keys(ScanKeyData *keys, Relation index, const pg_uuid_t *org_id, Datum calendar_id,
                   TimestampTz after, TimestampTz until) {
    ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_UUID_EQ,
                UUIDPGetDatum(const_cast<pg_uuid_t *>(org_id)));
    ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_TEXTEQ, calendar_id);
    keys[1].sk_collation = index->rd_indcollation[1];
    ScanKeyInit(&keys[2], 3, BTGreaterStrategyNumber, F_TIMESTAMPTZ_GT, TimestampTzGetDatum(after));
    ScanKeyInit(&keys[3], 3, BTLessStrategyNumber, F_TIMESTAMPTZ_LT, TimestampTzGetDatum(until));
}

}  // namespace

LatestScan begin_blocking_scan(Relation heap, Relation index, const pg_uuid_t *org_id,
                               Datum calendar_id, TimestampTz after, TimestampTz until,
                               bool want_keys) {
    ScanKeyData keys[4];
    blocking_keys(keys, index, org_id, calendar_id, after, until);
    return begin_latest_scan(heap, index, keys, 4, want_keys);
}

LatestScan begin_dirty_blocking_scan(Relation heap, Relation index, const pg_uuid_t *org_id,
                                     Datum calendar_id, TimestampTz after, TimestampTz until) {
    ScanKeyData keys[4];
    blocking_keys(keys, index, org_id, calendar_id, after, until);
    LatestScan s;
    s.snapshot = static_cast<Snapshot>(palloc0(sizeof(SnapshotData)));
    InitDirtySnapshot(*s.snapshot);
    s.dirty = true;
    s.slot = table_slot_create(heap, nullptr);
    s.scan = compat::begin_index_scan(heap, index, s.snapshot, 4);
    index_rescan(s.scan, keys, 4, nullptr, 0);
    return s;
}

TimestampTz entry_end(const LatestScan &s) {
    bool isnull;
    Datum end = index_getattr(s.scan->xs_itup, 3, s.scan->xs_itupdesc, &isnull);
    // The key is upper(blocks) of a range with both bounds: never null.
    return isnull ? DT_NOEND : DatumGetTimestampTz(end);
}

bool next_row(LatestScan *s) { return index_getnext_slot(s->scan, ForwardScanDirection, s->slot); }

void end_latest_scan(LatestScan *s) {
    index_endscan(s->scan);
    ExecDropSingleTupleTableSlot(s->slot);
    if (s->dirty)
        pfree(s->snapshot);
    else
        UnregisterSnapshot(s->snapshot);
}

}  // namespace booking::pg
