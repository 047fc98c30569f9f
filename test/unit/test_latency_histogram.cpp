// The lock-wait histogram: bucket edges, and percentiles read from counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/latency_histogram.hpp"

namespace h = booking::core::histogram;

namespace {

struct Recorder {
    std::vector<std::uint64_t> counts = std::vector<std::uint64_t>(h::kBuckets, 0);
    std::vector<std::int64_t> values;
    std::uint64_t max = 0;
    void add(std::int64_t v) {
        ++counts[h::bucket_of(v)];
        values.push_back(v);
        if (v > 0 && static_cast<std::uint64_t>(v) > max)
            max = static_cast<std::uint64_t>(v);
    }
    double quantile(double q) const { return h::quantile(counts.data(), h::kBuckets, q, max); }
    // The exact value at rank ceil(q * n).
    double exact(double q) const {
        std::vector<std::int64_t> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
        return static_cast<double>(sorted[std::max<std::size_t>(rank, 1) - 1]);
    }
};

}  // namespace

TEST(LatencyHistogram, SmallValuesHaveABucketEach) {
    for (int v = 0; v < h::kLinearBuckets; ++v) {
        EXPECT_EQ(h::bucket_of(v), v);
        EXPECT_EQ(h::bucket_lower(v), static_cast<std::uint64_t>(v));
        EXPECT_EQ(h::bucket_upper(v), static_cast<std::uint64_t>(v) + 1);
    }
    EXPECT_EQ(h::bucket_of(-5), 0);
}

TEST(LatencyHistogram, BucketsTileTheRangeWithoutGaps) {
    for (int b = 0; b + 1 < h::kBuckets; ++b) {
        EXPECT_EQ(h::bucket_upper(b), h::bucket_lower(b + 1)) << "bucket " << b;
        EXPECT_LT(h::bucket_lower(b), h::bucket_upper(b));
    }
    EXPECT_EQ(h::bucket_upper(h::kBuckets - 1), std::uint64_t{1} << 40);
}

TEST(LatencyHistogram, EveryValueFallsInsideItsBucket) {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 100000; ++i) {
        std::int64_t v = static_cast<std::int64_t>(rng() >> (24 + rng() % 40));  // 0 .. 2^40
        int b = h::bucket_of(v);
        ASSERT_GE(b, 0);
        ASSERT_LT(b, h::kBuckets);
        EXPECT_LE(h::bucket_lower(b), static_cast<std::uint64_t>(v));
        EXPECT_LT(static_cast<std::uint64_t>(v), h::bucket_upper(b));
    }
    for (int e = 4; e < 40; ++e) {
        std::int64_t edge = std::int64_t{1} << e;
        EXPECT_EQ(h::bucket_lower(h::bucket_of(edge)), static_cast<std::uint64_t>(edge));
        EXPECT_EQ(h::bucket_upper(h::bucket_of(edge - 1)), static_cast<std::uint64_t>(edge));
    }
}

TEST(LatencyHistogram, BucketsAreNarrowRelativeToTheirValues) {
    for (int b = h::kLinearBuckets; b < h::kBuckets; ++b) {
        double width = static_cast<double>(h::bucket_upper(b) - h::bucket_lower(b));
        EXPECT_LE(width / static_cast<double>(h::bucket_lower(b)), 0.125 + 1e-12);
    }
}

TEST(LatencyHistogram, HugeValuesLandInTheLastBucket) {
    EXPECT_EQ(h::bucket_of(std::int64_t{1} << 40), h::kBuckets - 1);
    EXPECT_EQ(h::bucket_of(INT64_MAX), h::kBuckets - 1);
}

TEST(LatencyHistogram, EmptyHistogramHasNoQuantiles) {
    std::vector<std::uint64_t> counts(h::kBuckets, 0);
    EXPECT_EQ(h::quantile(counts.data(), h::kBuckets, 0.99, 0), 0.0);
}

TEST(LatencyHistogram, UncontendedAcquisitionsReadAsZero) {
    Recorder r;
    for (int i = 0; i < 995; ++i)
        r.add(0);
    for (int i = 0; i < 5; ++i)
        r.add(50000);
    EXPECT_EQ(r.quantile(0.5), 0.0);
    EXPECT_EQ(r.quantile(0.99), 0.0);  // 99% waited not at all
    EXPECT_NEAR(r.quantile(0.999), 50000.0, 50000.0 * 0.125);
    EXPECT_EQ(r.quantile(1.0), 50000.0);  // capped at the largest seen
}

TEST(LatencyHistogram, QuantilesAreWithinTheBucketError) {
    std::mt19937_64 rng(11);
    std::lognormal_distribution<double> wait(std::log(2000.0), 1.2);  // median 2 ms
    Recorder r;
    for (int i = 0; i < 200000; ++i)
        r.add(static_cast<std::int64_t>(wait(rng)));
    for (double q : {0.5, 0.9, 0.99, 0.999}) {
        double exact = r.exact(q);
        EXPECT_NEAR(r.quantile(q), exact, exact * 0.125) << "q = " << q;
    }
}

TEST(LatencyHistogram, ExactForSmallIntegers) {
    Recorder r;
    for (int v = 0; v < 10; ++v)
        r.add(v);
    EXPECT_EQ(r.quantile(0.5), 4.0);
    EXPECT_EQ(r.quantile(0.91), 9.0);
}

TEST(LatencyHistogram, QuantileArgumentsAreClamped) {
    Recorder r;
    r.add(100);
    r.add(200);
    EXPECT_EQ(r.quantile(0.0), 0.0);
    EXPECT_LE(r.quantile(2.0), 200.0);
    EXPECT_GE(r.quantile(2.0), 200.0 * 0.875);
}
