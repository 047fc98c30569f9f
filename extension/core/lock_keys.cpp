#include "lock_keys.hpp"

#include <boost/container_hash/hash.hpp>
#include <cstdio>

#include "civil_date.hpp"
#include "duration.hpp"
#include "uuid_text.hpp"

namespace booking::core {

namespace {

// A key of the organisation and a name within it.
std::uint64_t tenant_key(const std::uint8_t (&org_id)[16], std::string_view name) {
    std::size_t seed = 0;
    boost::hash_combine(seed, boost::hash_range(org_id, org_id + 16));
    boost::hash_combine(seed, boost::hash_range(name.begin(), name.end()));
    return static_cast<std::uint64_t>(seed);
}

}  // namespace

std::uint64_t calendar_lock_key(const std::uint8_t (&org_id)[16], std::string_view calendar_id) {
    return tenant_key(org_id, calendar_id);
}

std::uint64_t contact_lock_key(const std::uint8_t (&org_id)[16], std::string_view contact_key) {
    return tenant_key(org_id, contact_key);
}


std::size_t seed_slot_key_text(const std::uint8_t (&org_id)[16], Micros starts_at, char *out,
                               std::size_t capacity) {
    char buf[kSeedSlotKeyMaxLength + 16];
    format_uuid(org_id, buf);
    std::size_t len = 36;
    buf[len++] = '_';

    // JavaScript dates have millisecond precision: truncate toward the past.
    const std::optional<Micros> unix_micros = checked_add(starts_at, kPostgresEpochInUnixMicros);
    if (!unix_micros)
        return 0;
    const std::int64_t unix_ms = floor_div(*unix_micros, kMicrosPerMillisecond);
    const std::int64_t ms_per_day = 86400000;
    const std::int64_t days = floor_div(unix_ms, ms_per_day);
    std::int64_t ms_of_day = unix_ms - days * ms_per_day;
    const CivilDate date = civil_from_days(days);
    const unsigned hour = static_cast<unsigned>(ms_of_day / 3600000);
    ms_of_day %= 3600000;
    const unsigned minute = static_cast<unsigned>(ms_of_day / 60000);
    ms_of_day %= 60000;
    const unsigned second = static_cast<unsigned>(ms_of_day / 1000);
    const unsigned milli = static_cast<unsigned>(ms_of_day % 1000);

    int written;
    if (date.year >= 0 && date.year <= 9999) {
        written = std::snprintf(buf + len, sizeof(buf) - len, "%04lld", static_cast<long long>(date.year));
    } else {
        const long long y = static_cast<long long>(date.year);
        written = std::snprintf(buf + len, sizeof(buf) - len, "%c%06lld", y < 0 ? '-' : '+',
                                y < 0 ? -y : y);
    }
    if (written < 0)
        return 0;
    len += static_cast<std::size_t>(written);
    written = std::snprintf(buf + len, sizeof(buf) - len, "-%02u-%02uT%02u:%02u:%02u.%03uZ",
                            date.month, date.day, hour, minute, second, milli);
    if (written < 0)
        return 0;
    len += static_cast<std::size_t>(written);
    if (len > capacity)
        return 0;
    for (std::size_t i = 0; i < len; ++i)
        out[i] = buf[i];
    return len;
}

std::int64_t int64_from_big_endian(const std::uint8_t *bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | bytes[i];
    return static_cast<std::int64_t>(v);
}

}  // namespace booking::core
