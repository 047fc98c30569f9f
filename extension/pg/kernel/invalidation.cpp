#include "pg/kernel/invalidation.hpp"

#include "pg/kernel/hooks.hpp"

namespace booking::pg {

namespace {

constexpr int kMaxListeners = 8;
RelcacheListener listeners[kMaxListeners];
int listener_count = 0;

void dispatch(Oid relid) {
    for (int i = 0; i < listener_count; ++i)
        listeners[i](relid);
}

}  // namespace

void listen_to_relcache(RelcacheListener listener) {
    for (int i = 0; i < listener_count; ++i) {
        if (listeners[i] == listener)
            return;
    }
    if (listener_count == kMaxListeners)
        elog(ERROR, "too many booking relcache listeners");
    if (listener_count == 0)
        CacheRegisterRelcacheCallback(hooks::relcache<dispatch>, (Datum)0);
    listeners[listener_count++] = listener;
}

}  // namespace booking::pg
