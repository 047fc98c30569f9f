#include "resource_set.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

namespace booking::core {

int first_repeated(Span<std::string_view> names) {
    for (std::size_t i = 1; i < names.size; ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (names[i] == names[j])
                return static_cast<int>(i);
        }
    }
    return -1;
}

void lock_order(Span<std::string_view> names, int *order) {
    std::iota(order, order + names.size, 0);
    std::stable_sort(order, order + names.size,
                     [&](int a, int b) { return names[a] < names[b]; });
}

bool same_calendars(Span<std::string_view> a, Span<std::string_view> b) {
    if (a.size != b.size)
        return false;
    std::vector<std::string_view> x(a.begin(), a.end());
    std::vector<std::string_view> y(b.begin(), b.end());
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    return x == y;
}

}  // namespace booking::core
