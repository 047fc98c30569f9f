// Values as statements bind them to parameters, and as messages write them.
#pragma once

#include "core/duration.hpp"
#include "core/time_range.hpp"
#include "pg/compat/pg_includes.hpp"

namespace booking::pg {

inline Datum uuid_datum(const pg_uuid_t *u) { return UUIDPGetDatum(const_cast<pg_uuid_t *>(u)); }

// Text, or SQL NULL (setting *null_flag) when s is null.
inline Datum text_or_null(const char *s, char *null_flag) {
    if (s == nullptr) {
        *null_flag = 'n';
        return (Datum)0;
    }
    return CStringGetTextDatum(s);
}

// A fixed length as an interval of hours, minutes and seconds only.
inline Datum interval_datum(core::Micros micros) {
    Interval *iv = static_cast<Interval *>(palloc(sizeof(Interval)));
    iv->month = 0;
    iv->day = 0;
    iv->time = micros;
    return IntervalPGetDatum(iv);
}

// An interval written out for messages ("2 hours").
inline const char *format_micros(core::Micros micros) {
    char buf[128];
    core::describe_length(micros, buf, sizeof(buf));
    return pstrdup(buf);
}

// Arrays of n values, for a statement's uuid[] and bigint[] parameters.
inline Datum uuid_array(const pg_uuid_t *uuids, int n) {
    Datum *items = static_cast<Datum *>(palloc(sizeof(Datum) * (n > 0 ? n : 1)));
    for (int i = 0; i < n; ++i)
        items[i] = uuid_datum(&uuids[i]);
    return PointerGetDatum(construct_array(items, n, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
}
inline Datum int8_array(const int64 *values, int n) {
    Datum *items = static_cast<Datum *>(palloc(sizeof(Datum) * (n > 0 ? n : 1)));
    for (int i = 0; i < n; ++i)
        items[i] = Int64GetDatum(values[i]);
    return PointerGetDatum(construct_array(items, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL,
                                           TYPALIGN_DOUBLE));
}

// The id no row has, for "exclude nothing".
inline const pg_uuid_t *nil_uuid() {
    static const pg_uuid_t nil = {{0}};
    return &nil;
}

}  // namespace booking::pg
