#include "slot_search.hpp"

#include <algorithm>
#include <vector>

namespace booking::core {

Micros grid_floor(Micros x, Micros anchor, Micros step) {
    return anchor + floor_div(x - anchor, step) * step;
}

Micros grid_ceil(Micros x, Micros anchor, Micros step) {
    Micros f = grid_floor(x, anchor, step);
    return f == x ? f : f + step;
}

TimeRange blocked_range(const SlotShape &shape, Micros t) {
    return {t - shape.buffer_before, t + shape.duration + shape.buffer_after};
}

namespace {

// Busy ranges sorted by start and merged, so that "the range that blocks a
// candidate" is found by binary search and one jump clears it.
class Timeline {
  public:
    explicit Timeline(Span<TimeRange> busy) {
        merged_.reserve(busy.size);
        for (const TimeRange &r : busy) {
            if (!r.empty())
                merged_.push_back(r);
        }
        std::sort(merged_.begin(), merged_.end(),
                  [](const TimeRange &a, const TimeRange &b) { return a.start < b.start; });
        std::size_t out = 0;
        for (std::size_t i = 0; i < merged_.size(); ++i) {
            if (out > 0 && merged_[i].start <= merged_[out - 1].end)
                merged_[out - 1].end = std::max(merged_[out - 1].end, merged_[i].end);
            else
                merged_[out++] = merged_[i];
        }
        merged_.resize(out);
    }

    // The earliest busy range overlapping r, or null.
    const TimeRange *first_overlap(const TimeRange &r) const {
        auto it = std::upper_bound(merged_.begin(), merged_.end(), r.start,
                                   [](Micros v, const TimeRange &b) { return v < b.end; });
        return (it != merged_.end() && it->start < r.end) ? &*it : nullptr;
    }

    // The latest busy range overlapping r, or null.
    const TimeRange *last_overlap(const TimeRange &r) const {
        auto it = std::lower_bound(merged_.begin(), merged_.end(), r.end,
                                   [](const TimeRange &b, Micros v) { return b.start < v; });
        if (it == merged_.begin())
            return nullptr;
        --it;
        return it->end > r.start ? &*it : nullptr;
    }

  private:
    std::vector<TimeRange> merged_;
};

std::size_t scan_forward(const Timeline &timeline, Span<Opening> openings, const SlotShape &shape,
                         Micros lo, Micros hi, TimeRange *out, std::size_t capacity) {
    std::size_t n = 0;
    lo = std::max(lo, shape.earliest_start);
    hi = std::min(hi, shape.latest_start);
    for (const Opening &opening : openings) {
        if (n >= capacity)
            break;
        if (opening.step <= 0)
            continue;
        Micros first = std::max(lo, opening.range.start);
        Micros last = std::min({hi, opening.range.end - 1, opening.latest_end() - shape.duration});
        Micros t = grid_ceil(first, opening.anchor, opening.step);
        while (t <= last && n < capacity) {
            const TimeRange *conflict = timeline.first_overlap(blocked_range(shape, t));
            if (conflict == nullptr) {
                out[n++] = {t, t + shape.duration};
                t += opening.step;
            } else {
                t = grid_ceil(conflict->end + shape.buffer_before, opening.anchor, opening.step);
            }
        }
    }
    return n;
}

std::size_t scan_backward(const Timeline &timeline, Span<Opening> openings, const SlotShape &shape,
                          Micros lo, Micros hi, TimeRange *out, std::size_t capacity) {
    std::size_t n = 0;
    lo = std::max(lo, shape.earliest_start);
    hi = std::min(hi, shape.latest_start);
    for (std::size_t i = openings.size; i-- > 0 && n < capacity;) {
        const Opening &opening = openings[i];
        if (opening.step <= 0)
            continue;
        Micros first = std::max(lo, opening.range.start);
        Micros last = std::min({hi, opening.range.end - 1, opening.latest_end() - shape.duration});
        Micros t = grid_floor(last, opening.anchor, opening.step);
        while (t >= first && n < capacity) {
            const TimeRange *conflict = timeline.last_overlap(blocked_range(shape, t));
            if (conflict == nullptr) {
                out[n++] = {t, t + shape.duration};
                t -= opening.step;
            } else {
                t = grid_floor(conflict->start - shape.duration - shape.buffer_after,
                               opening.anchor, opening.step);
            }
        }
    }
    return n;
}

Micros distance(Micros a, Micros b) { return a > b ? a - b : b - a; }

}  // namespace

Micros search_center(const SlotShape &shape, Micros requested_start) {
    if (beyond_horizon(requested_start, shape.latest_start))
        return shape.latest_start + 1;
    return std::max(requested_start, shape.earliest_start);
}

Micros latest_start(Micros now, bool has_max_advance, Micros max_advance) {
    if (!has_max_advance || max_advance > SlotShape::kNoLatestStart - now)
        return SlotShape::kNoLatestStart;
    return now + max_advance;
}

std::size_t nearest_free_slots(Span<TimeRange> busy, Span<Opening> openings,
                               const SlotShape &shape, Micros requested_start,
                               StartBounds bounds, TimeRange *out, std::size_t capacity) {
    if (capacity == 0 || shape.duration <= 0)
        return 0;
    Timeline timeline(busy);
    std::vector<TimeRange> before(capacity);
    std::vector<TimeRange> after(capacity);
    std::size_t nb = scan_backward(timeline, openings, shape, bounds.lo,
                                   std::min(bounds.hi, requested_start - 1), before.data(),
                                   capacity);
    std::size_t na = scan_forward(timeline, openings, shape,
                                  std::max(bounds.lo, requested_start + 1), bounds.hi,
                                  after.data(), capacity);
    std::size_t i = 0, j = 0, n = 0;
    while (n < capacity && (i < nb || j < na)) {
        bool take_before =
            j >= na || (i < nb && distance(before[i].start, requested_start) <=
                                      distance(after[j].start, requested_start));
        out[n++] = take_before ? before[i++] : after[j++];
    }
    return n;
}

std::size_t free_slots_forward(Span<TimeRange> busy, Span<Opening> openings,
                               const SlotShape &shape, StartBounds bounds, TimeRange *out,
                               std::size_t capacity) {
    if (capacity == 0 || shape.duration <= 0)
        return 0;
    Timeline timeline(busy);
    return scan_forward(timeline, openings, shape, bounds.lo, bounds.hi, out, capacity);
}

}  // namespace booking::core
