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

// The id no row has, for "exclude nothing".
inline const pg_uuid_t *nil_uuid() {
    static const pg_uuid_t nil = {{0}};
    return &nil;
}

}  // namespace booking::pg
