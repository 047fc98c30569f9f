#include "core/org_policy.hpp"

#include <algorithm>
#include <cstring>

namespace booking::core::policy {

bool looser(Tighter way, long long value, long long ceiling) {
    return way == Tighter::lower ? value > ceiling : value < ceiling;
}

long long strictest(Tighter way, long long in_force, bool has_org, long long org) {
    if (!has_org || looser(way, org, in_force))
        return in_force;
    return org;
}

int strictest_cap(int server, bool has_org, int org) {
    if (!has_org || org <= 0)
        return server;
    if (server <= 0)
        return org;
    return org < server ? org : server;
}

bool cap_looser(int org, int server) { return server > 0 && (org <= 0 || org > server); }

bool over_cap(int held, int adding, int cap) { return cap > 0 && held + adding > cap; }

int distinct_bookings(BookingKey *keys, int n) {
    auto less = [](const BookingKey &a, const BookingKey &b) {
        return std::memcmp(a.bytes, b.bytes, sizeof(a.bytes)) < 0;
    };
    auto same = [](const BookingKey &a, const BookingKey &b) {
        return std::memcmp(a.bytes, b.bytes, sizeof(a.bytes)) == 0;
    };
    if (n <= 0)
        return 0;
    std::sort(keys, keys + n, less);
    return static_cast<int>(std::unique(keys, keys + n, same) - keys);
}

std::size_t phone_digits(std::string_view phone, char *out, std::size_t cap) {
    std::size_t n = 0;
    for (char c : phone) {
        if (c < '0' || c > '9')
            continue;
        if (n + 1 < cap)
            out[n] = c;
        ++n;
    }
    if (cap > 0)
        out[n + 1 < cap ? n : cap - 1] = '\0';
    return n;
}

int sends_in_window(Micros *sent, int n, Micros now) {
    int kept = 0;
    for (int i = 0; i < n; ++i) {
        if (sent[i] > now - kPhoneWindow)
            sent[kept++] = sent[i];
    }
    return kept;
}

bool phone_send_allowed(const Micros *sent, int n, Micros now, int limit, Micros *retry_after) {
    int in_window = 0;
    Micros oldest = now;
    for (int i = 0; i < n; ++i) {
        if (sent[i] <= now - kPhoneWindow)
            continue;
        ++in_window;
        if (sent[i] < oldest)
            oldest = sent[i];
    }
    if (in_window < limit)
        return true;
    *retry_after = oldest + kPhoneWindow - now;
    return false;
}

}  // namespace booking::core::policy
