#include "pg/call/args.hpp"

#include "core/duration.hpp"
#include "core/input_limits.hpp"
#include "core/resource_set.hpp"
#include "pg/kernel/datums.hpp"
#include "pg/settings/settings.hpp"

namespace booking::pg {

namespace {

void require_not_null(FunctionCallInfo fcinfo, int argno, const char *name) {
    if (PG_ARGISNULL(argno))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("%s must not be null", name)));
}

bool is_blank(const char *s, int len) {
    for (int i = 0; i < len; ++i) {
        if (!isspace(static_cast<unsigned char>(s[i])))
            return false;
    }
    return true;
}

TextArg read_text(FunctionCallInfo fcinfo, int argno, const char *name, std::size_t max_chars) {
    text *t = PG_GETARG_TEXT_PP(argno);
    const char *data = VARDATA_ANY(t);
    int len = VARSIZE_ANY_EXHDR(t);
    if (static_cast<std::size_t>(pg_mbstrlen_with_len(data, len)) > max_chars)
        ereport(ERROR, (errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
                        errmsg("%s is too long", name),
                        errdetail("The limit is %zu characters.", max_chars)));
    TextArg out;
    out.str = pnstrdup(data, len);
    out.len = len;
    return out;
}

}  // namespace

bool arg_is_null(FunctionCallInfo fcinfo, int argno) { return PG_ARGISNULL(argno); }

pg_uuid_t *uuid_arg(FunctionCallInfo fcinfo, int argno, const char *name) {
    require_not_null(fcinfo, argno, name);
    return PG_GETARG_UUID_P(argno);
}

pg_uuid_t *optional_uuid_arg(FunctionCallInfo fcinfo, int argno) {
    return PG_ARGISNULL(argno) ? nullptr : PG_GETARG_UUID_P(argno);
}

TextArg text_arg(FunctionCallInfo fcinfo, int argno, const char *name, std::size_t max_chars) {
    require_not_null(fcinfo, argno, name);
    TextArg out = read_text(fcinfo, argno, name, max_chars);
    if (is_blank(out.str, out.len))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must not be empty", name)));
    return out;
}

TextArg optional_text_arg(FunctionCallInfo fcinfo, int argno, const char *name,
                          std::size_t max_chars) {
    if (PG_ARGISNULL(argno))
        return TextArg{};
    TextArg out = read_text(fcinfo, argno, name, max_chars);
    return out.len == 0 ? TextArg{} : out;
}

int optional_text_array_arg(FunctionCallInfo fcinfo, int argno, const char *name,
                            int max_items, std::size_t max_chars, TextArg **out) {
    if (PG_ARGISNULL(argno))
        return -1;
    ArrayType *array = PG_GETARG_ARRAYTYPE_P(argno);
    if (ARR_NDIM(array) > 1)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must be a one-dimensional array", name)));
    Datum *items = nullptr;
    bool *nulls = nullptr;
    int n = 0;
    deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &items, &nulls, &n);
    if (n == 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must not be empty", name),
                        errhint("Leave it NULL for a booking of one calendar.")));
    if (n > max_items)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must not list more than %d calendars", name, max_items)));
    TextArg *texts = static_cast<TextArg *>(palloc(sizeof(TextArg) * n));
    for (int i = 0; i < n; ++i) {
        if (nulls[i])
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                            errmsg("%s must not contain nulls", name)));
        text *t = DatumGetTextPP(items[i]);
        const char *data = VARDATA_ANY(t);
        int len = VARSIZE_ANY_EXHDR(t);
        if (static_cast<std::size_t>(pg_mbstrlen_with_len(data, len)) > max_chars)
            ereport(ERROR, (errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
                            errmsg("an element of %s is too long", name),
                            errdetail("The limit is %zu characters.", max_chars)));
        if (is_blank(data, len))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("%s must not contain an empty calendar_id", name)));
        texts[i].str = pnstrdup(data, len);
        texts[i].len = len;
    }
    *out = texts;
    return n;
}

int with_calendars_arg(FunctionCallInfo fcinfo, int argno, TextArg calendar_id, TextArg **out) {
    if (PG_NARGS() <= argno)
        return 0;  // a previous release's declaration (the call scope refuses it)
    TextArg *with = nullptr;
    int n = optional_text_array_arg(fcinfo, argno, "with_calendars", core::kMaxSetCalendars - 1,
                                    core::limits::kCalendarId, &with);
    if (n < 0)
        return 0;
    std::string_view names[core::kMaxSetCalendars];
    names[0] = std::string_view(calendar_id.str, static_cast<std::size_t>(calendar_id.len));
    for (int i = 0; i < n; ++i)
        names[i + 1] = std::string_view(with[i].str, static_cast<std::size_t>(with[i].len));
    int repeated = core::first_repeated({names, static_cast<std::size_t>(n) + 1});
    if (repeated >= 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("with_calendars lists calendar \"%s\" twice", with[repeated - 1].str),
                        errdetail("calendar_id and with_calendars name each calendar once.")));
    *out = with;
    return n;
}

TimestampTz timestamp_arg(FunctionCallInfo fcinfo, int argno, const char *name) {
    require_not_null(fcinfo, argno, name);
    TimestampTz ts = PG_GETARG_TIMESTAMPTZ(argno);
    if (TIMESTAMP_NOT_FINITE(ts))
        ereport(ERROR, (errcode(ERRCODE_INVALID_DATETIME_FORMAT),
                        errmsg("%s must be a finite timestamp", name)));
    if (ts < core::limits::kEarliestTimestamp || ts >= core::limits::kLatestTimestamp)
        ereport(ERROR, (errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
                        errmsg("%s is out of range", name),
                        errdetail("Timestamps from 1970 up to 2200 are accepted.")));
    return ts;
}

core::Micros duration_arg(FunctionCallInfo fcinfo, int argno, const char *name, core::Micros max,
                          const char *max_setting) {
    require_not_null(fcinfo, argno, name);
    Interval *iv = PG_GETARG_INTERVAL_P(argno);
    core::DurationResult r = core::fixed_length({iv->month, iv->day, iv->time});
    if (r.error == core::DurationError::has_months)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must not have a month or year part", name),
                        errhint("Months have no fixed length; give days or hours.")));
    if (r.error == core::DurationError::overflow || r.micros > max)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must not exceed %s", name, format_micros(max)),
                        errdetail("The limit is set by %s.", max_setting)));
    if (r.micros <= 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must be positive", name)));
    return r.micros;
}

core::Micros optional_duration_arg(FunctionCallInfo fcinfo, int argno, const char *name,
                                   core::Micros fallback, core::Micros max,
                                   const char *max_setting) {
    if (PG_ARGISNULL(argno))
        return fallback < max ? fallback : max;
    return duration_arg(fcinfo, argno, name, max, max_setting);
}

core::Micros length_arg(FunctionCallInfo fcinfo, int argno, const char *name) {
    core::Micros length =
        duration_arg(fcinfo, argno, name, settings::max_duration(), "booking.max_duration");
    if (!core::whole_minutes(length))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must be a whole number of minutes, not %s", name,
                               format_micros(length)),
                        errdetail("A bare number is read as seconds: '30' is 30 seconds."),
                        errhint("Give the unit, e.g. '30 minutes' or '1 hour'.")));
    return length;
}

core::Micros ttl_arg(FunctionCallInfo fcinfo, int argno, const char *name, bool null_is_default) {
    if (null_is_default)
        return optional_duration_arg(fcinfo, argno, name, settings::hold_ttl(),
                                     settings::max_hold_ttl(), "booking.max_hold_ttl");
    return duration_arg(fcinfo, argno, name, settings::max_hold_ttl(), "booking.max_hold_ttl");
}

Jsonb *optional_object_arg(FunctionCallInfo fcinfo, int argno, const char *name,
                           std::size_t max_bytes) {
    if (PG_ARGISNULL(argno))
        return nullptr;
    Jsonb *j = PG_GETARG_JSONB_P(argno);
    if (!JB_ROOT_IS_OBJECT(j) || JB_ROOT_IS_SCALAR(j))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must be a JSON object", name)));
    if (VARSIZE(j) > max_bytes)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s is too large", name),
                        errdetail("The limit is %zu bytes.", max_bytes)));
    return j;
}

int32 int_arg(FunctionCallInfo fcinfo, int argno, const char *name, int32 lo, int32 hi) {
    require_not_null(fcinfo, argno, name);
    int32 v = PG_GETARG_INT32(argno);
    if (v < lo || v > hi)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must be between %d and %d", name, lo, hi)));
    return v;
}

bool bool_arg(FunctionCallInfo fcinfo, int argno, const char *name) {
    require_not_null(fcinfo, argno, name);
    return PG_GETARG_BOOL(argno);
}

}  // namespace booking::pg
