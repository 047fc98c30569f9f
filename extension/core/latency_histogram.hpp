// A log-linear histogram of durations in microseconds, small enough for
// shared memory and exact enough for percentiles (p50, p99) of lock waits.
//
// Values 0..15 us have a bucket each. Above that every power of two
// [2^e, 2^(e+1)) is cut into 8 equal buckets, so a bucket is never wider than
// 1/8 of its lower bound: a percentile read from it is within 12.5% of the
// truth (and, interpolated inside the bucket, usually much closer). The last
// bucket also takes everything from 2^40 us (about 12.7 days) up.
//
// The functions work over a plain array of counts; the PostgreSQL layer keeps
// its counts as atomics in shared memory and hands a snapshot of them here.
#pragma once

#include <cstddef>
#include <cstdint>

namespace booking::core::histogram {

constexpr int kLinearBuckets = 16;  // 0..15 us, one each
constexpr int kSubBucketBits = 3;   // 8 buckets per power of two
constexpr int kSubBuckets = 1 << kSubBucketBits;
constexpr int kFirstExponent = 4;   // 16 us = 2^4
constexpr int kLastExponent = 39;   // up to 2^40 us
constexpr int kBuckets = kLinearBuckets + (kLastExponent - kFirstExponent + 1) * kSubBuckets;

// The bucket a duration falls in; negative durations count as 0.
int bucket_of(std::int64_t micros);

// The bucket's range [lower, upper) in microseconds.
std::uint64_t bucket_lower(int bucket);
std::uint64_t bucket_upper(int bucket);

// The total of all counts.
std::uint64_t total(const std::uint64_t *counts, int n);

// The q-quantile (0 < q <= 1) of the recorded durations, in microseconds:
// the value at rank ceil(q * total), interpolated linearly inside its bucket
// and never above max_seen (the largest duration recorded, when known; pass
// UINT64_MAX otherwise). 0 when nothing was recorded.
double quantile(const std::uint64_t *counts, int n, double q, std::uint64_t max_seen);

}  // namespace booking::core::histogram
