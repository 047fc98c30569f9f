#include "capacity.hpp"

#include <algorithm>
#include <set>
#include <vector>

namespace booking::core {

namespace {

struct Edge {
    Micros at;
    bool starts;  // an occupant starts here (else it ends)
    int capacity;
};

// Walks the pieces of time between the occupants' edges (clipped to clip) in
// order, calling visit(piece, depth, least_capacity) for each non-empty piece
// that some occupant covers (least_capacity: the least capacity among them).
template <typename Visit>
void sweep(Span<Occupant> occupants, TimeRange clip, Visit visit) {
    std::vector<Edge> edges;
    edges.reserve(occupants.size * 2);
    for (const Occupant &o : occupants) {
        TimeRange r{std::max(o.blocks.start, clip.start), std::min(o.blocks.end, clip.end)};
        if (r.empty())
            continue;
        int cap = o.capacity < 1 ? 1 : o.capacity;
        edges.push_back({r.start, true, cap});
        edges.push_back({r.end, false, cap});
    }
    // Half-open ranges: at one instant, what ends goes before what starts.
    std::sort(edges.begin(), edges.end(), [](const Edge &a, const Edge &b) {
        return a.at != b.at ? a.at < b.at : (!a.starts && b.starts);
    });
    std::multiset<int> covering;
    for (std::size_t i = 0; i < edges.size();) {
        const Micros at = edges[i].at;
        for (; i < edges.size() && edges[i].at == at; ++i) {
            if (edges[i].starts)
                covering.insert(edges[i].capacity);
            else
                covering.erase(covering.find(edges[i].capacity));
        }
        if (i < edges.size() && !covering.empty())
            visit(TimeRange{at, edges[i].at}, static_cast<int>(covering.size()), *covering.begin());
    }
}

}  // namespace

int places_left(Span<Occupant> occupants, TimeRange range, int capacity) {
    int least = capacity;
    if (range.empty())
        return least;
    sweep(occupants, range, [&](TimeRange, int depth, int least_capacity) {
        int places = std::min(capacity, least_capacity) - depth;
        least = std::min(least, places);
    });
    return least;
}

std::size_t full_ranges(Span<Occupant> occupants, int capacity, TimeRange *out,
                        std::size_t room) {
    std::size_t n = 0;
    const TimeRange everything{INT64_MIN, INT64_MAX};
    sweep(occupants, everything, [&](TimeRange piece, int depth, int least_capacity) {
        if (std::min(capacity, least_capacity) - depth > 0)
            return;
        if (n > 0 && out[n - 1].end == piece.start) {
            out[n - 1].end = piece.end;
        } else if (n < room) {
            out[n++] = piece;
        }
    });
    return n;
}

}  // namespace booking::core
