#!/usr/bin/env bash
# A crash of the expiry worker or of its launcher (kill -9): the postmaster
# resets the server's processes and shared memory, restarts the launcher, and
# the launcher starts a new worker. Needs a cluster with booking preloaded
# (its worker may be idle); it goes through two crash restarts.
# Connection: PGHOST/PGPORT/PGUSER.
set -euo pipefail

pid_of() { # backend_type -> pid, or nothing (also while the server recovers)
    psql -XAtq -d postgres -c "SELECT pid FROM pg_stat_activity WHERE backend_type = '$1'" 2>/dev/null || true
}

wait_for_new() { # backend_type old_pid -> new pid, within 30 s
    local i pid
    for i in $(seq 300); do
        pid=$(pid_of "$1")
        if [ -n "$pid" ] && [ "$pid" != "$2" ]; then
            echo "$pid"
            return 0
        fi
        sleep 0.1
    done
    return 1
}

for victim in "booking expiry worker" "booking launcher"; do
    launcher=$(wait_for_new "booking launcher" 0) || { echo "no booking launcher"; exit 1; }
    worker=$(wait_for_new "booking expiry worker" 0) || { echo "no booking expiry worker"; exit 1; }
    target=$worker
    [ "$victim" = "booking launcher" ] && target=$launcher
    kill -9 "$target"
    new_launcher=$(wait_for_new "booking launcher" "$launcher") ||
        { echo "the launcher did not come back after kill -9 of the $victim"; exit 1; }
    new_worker=$(wait_for_new "booking expiry worker" "$worker") ||
        { echo "the worker did not come back after kill -9 of the $victim"; exit 1; }
    echo "kill -9 of the $victim ($target): launcher $launcher -> $new_launcher, worker $worker -> $new_worker"
done

# Shared memory was reset with everything else; the statistics are whole again.
state=$(psql -XAtq -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type LIKE 'booking%'")
[ "$state" = 2 ] || { echo "expected one launcher and one worker, found $state processes"; exit 1; }
echo "the worker is back after both crashes"
