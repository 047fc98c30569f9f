#include "pg/kernel/json_out.hpp"

namespace booking::pg {

namespace {

JsonbValue string_value(const char *s) {
    JsonbValue v;
    v.type = jbvString;
    v.val.string.val = const_cast<char *>(s);
    v.val.string.len = static_cast<int>(strlen(s));
    return v;
}

void push_key(JsonbParseState **state, const char *key) {
    JsonbValue k = string_value(key);
    pushJsonbValue(state, WJB_KEY, &k);
}

void push_value(JsonOut *out, const char *key, JsonbValue *v) {
    push_key(&out->state, key);
    pushJsonbValue(&out->state, WJB_VALUE, v);
}

}  // namespace

void JsonOut::begin_object() { result = pushJsonbValue(&state, WJB_BEGIN_OBJECT, nullptr); }

void JsonOut::end_object() { result = pushJsonbValue(&state, WJB_END_OBJECT, nullptr); }

void JsonOut::begin_object(const char *key) {
    push_key(&state, key);
    pushJsonbValue(&state, WJB_BEGIN_OBJECT, nullptr);
}

void JsonOut::begin_array(const char *key) {
    push_key(&state, key);
    pushJsonbValue(&state, WJB_BEGIN_ARRAY, nullptr);
}

void JsonOut::end_array() { pushJsonbValue(&state, WJB_END_ARRAY, nullptr); }

void JsonOut::begin_element_object() { pushJsonbValue(&state, WJB_BEGIN_OBJECT, nullptr); }

void JsonOut::put_string(const char *key, const char *value) {
    if (value == nullptr) {
        put_null(key);
        return;
    }
    JsonbValue v = string_value(value);
    push_value(this, key, &v);
}

void JsonOut::put_bool(const char *key, bool value) {
    JsonbValue v;
    v.type = jbvBool;
    v.val.boolean = value;
    push_value(this, key, &v);
}

void JsonOut::put_int(const char *key, int64 value) {
    JsonbValue v;
    v.type = jbvNumeric;
    v.val.numeric = int64_to_numeric(value);
    push_value(this, key, &v);
}

void JsonOut::put_null(const char *key) {
    JsonbValue v;
    v.type = jbvNull;
    push_value(this, key, &v);
}

void JsonOut::put_timestamp(const char *key, TimestampTz value) {
    char buf[MAXDATELEN + 1];
    JsonEncodeDateTime(buf, TimestampTzGetDatum(value), TIMESTAMPTZOID, nullptr);
    put_string(key, pstrdup(buf));
}

void JsonOut::put_optional_timestamp(const char *key, TimestampTz value, bool present) {
    if (present)
        put_timestamp(key, value);
    else
        put_null(key);
}

void JsonOut::put_uuid(const char *key, const pg_uuid_t *value) {
    if (value == nullptr) {
        put_null(key);
        return;
    }
    put_string(key, DatumGetCString(DirectFunctionCall1(
                        uuid_out, UUIDPGetDatum(const_cast<pg_uuid_t *>(value)))));
}

void JsonOut::put_jsonb(const char *key, Jsonb *value) {
    if (value == nullptr) {
        put_null(key);
        return;
    }
    JsonbValue v;
    v.type = jbvBinary;
    v.val.binary.data = &value->root;
    v.val.binary.len = static_cast<int>(VARSIZE(value) - VARHDRSZ);
    push_value(this, key, &v);
}

Jsonb *JsonOut::finish(MemoryContext target) {
    MemoryContext old = MemoryContextSwitchTo(target);
    Jsonb *out = JsonbValueToJsonb(result);
    MemoryContextSwitchTo(old);
    return out;
}

}  // namespace booking::pg
