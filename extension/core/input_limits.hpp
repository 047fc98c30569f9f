// Sane bounds on what callers may send. Text longer than these is refused
// with an error naming the argument, not stored: a voice transcript or a
// widget bug should not put a megabyte into a reservation row.
#pragma once

#include <cstddef>

#include "time_range.hpp"

namespace booking::core::limits {

constexpr std::size_t kCalendarId = 200;
constexpr std::size_t kCallerRef = 200;
constexpr std::size_t kIdempotencyKey = 200;
constexpr std::size_t kPatientName = 200;
constexpr std::size_t kPatientPhone = 32;
constexpr std::size_t kServiceType = 200;
constexpr std::size_t kNotes = 4000;
constexpr std::size_t kReason = 1000;
constexpr std::size_t kCodeInput = 64;  // a transcript with separators
constexpr std::size_t kTimeZone = 64;
constexpr std::size_t kMetadataBytes = std::size_t{16} * 1024;

// Timestamps a booking can carry: from 1970 to 2200 (exclusive). Anything
// outside is a bug in the caller, not an appointment.
constexpr Micros kEarliestTimestamp = -kPostgresEpochInUnixMicros;  // 1970-01-01
constexpr Micros kLatestTimestamp = 6311433600LL * kMicrosPerSecond; // 2200-01-01

// The longest a reservation may last (the ceiling of booking.max_duration)
// and the widest buffer on either side. Every row obeys them, whoever writes
// it: the overlap guard relies on no blocking range being longer than
// kLongestBlocking to bound its probe.
constexpr Micros kLongestReservation = 31 * kMicrosPerDay;
constexpr Micros kWidestBuffer = kMicrosPerDay;
constexpr Micros kLongestBlocking = kLongestReservation + 2 * kWidestBuffer;

constexpr int kMaxResults = 1000;
// A series of bookings (book_series): the most occurrences booking.max_series_count allows.
constexpr int kMaxSeriesCount = 520;
constexpr int kMaxBatch = 100000;

}  // namespace booking::core::limits
