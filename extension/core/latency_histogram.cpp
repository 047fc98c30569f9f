#include "latency_histogram.hpp"

#include <cmath>

namespace booking::core::histogram {

namespace {

int floor_log2(std::uint64_t v) {
    int e = 0;
    while (v >>= 1)
        ++e;
    return e;
}

}  // namespace

int bucket_of(std::int64_t micros) {
    if (micros < kLinearBuckets)
        return micros < 0 ? 0 : static_cast<int>(micros);
    std::uint64_t v = static_cast<std::uint64_t>(micros);
    int e = floor_log2(v);
    if (e > kLastExponent)
        return kBuckets - 1;
    int sub = static_cast<int>((v >> (e - kSubBucketBits)) & (kSubBuckets - 1));
    return kLinearBuckets + (e - kFirstExponent) * kSubBuckets + sub;
}

std::uint64_t bucket_lower(int bucket) {
    if (bucket < kLinearBuckets)
        return bucket < 0 ? 0 : static_cast<std::uint64_t>(bucket);
    int k = bucket - kLinearBuckets;
    int e = kFirstExponent + k / kSubBuckets;
    int sub = k % kSubBuckets;
    return (std::uint64_t{1} << e) + static_cast<std::uint64_t>(sub) * (std::uint64_t{1} << (e - kSubBucketBits));
}

std::uint64_t bucket_upper(int bucket) {
    if (bucket < kLinearBuckets)
        return bucket < 0 ? 1 : static_cast<std::uint64_t>(bucket) + 1;
    int e = kFirstExponent + (bucket - kLinearBuckets) / kSubBuckets;
    return bucket_lower(bucket) + (std::uint64_t{1} << (e - kSubBucketBits));
}

std::uint64_t total(const std::uint64_t *counts, int n) {
    std::uint64_t sum = 0;
    for (int i = 0; i < n; ++i)
        sum += counts[i];
    return sum;
}

double quantile(const std::uint64_t *counts, int n, double q, std::uint64_t max_seen) {
    std::uint64_t all = total(counts, n);
    if (all == 0 || !(q > 0.0))
        return 0.0;
    if (q > 1.0)
        q = 1.0;
    auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(all)));
    if (rank < 1)
        rank = 1;
    if (rank > all)
        rank = all;
    std::uint64_t before = 0;
    for (int b = 0; b < n; ++b) {
        if (counts[b] == 0)
            continue;
        if (before + counts[b] >= rank) {
            double lower = static_cast<double>(bucket_lower(b));
            double value = lower;
            if (b >= kLinearBuckets) {
                // The recorded values of a bucket are taken as spread evenly
                // over it.
                double width = static_cast<double>(bucket_upper(b)) - lower;
                double fraction = static_cast<double>(rank - before) / static_cast<double>(counts[b]);
                value = lower + width * fraction;
            }
            double cap = static_cast<double>(max_seen);
            return value > cap ? cap : value;
        }
        before += counts[b];
    }
    return static_cast<double>(max_seen);
}

}  // namespace booking::core::histogram
