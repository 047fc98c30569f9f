#!/usr/bin/env python3
"""How busy the machine was with work that is not the benchmark's.

usage: cpu.py snapshot POSTMASTER_PID SHELL_PID
       cpu.py other BEFORE AFTER SECONDS

`snapshot` prints "busy ours" in clock ticks: busy is every CPU's
non-idle time (user, nice, system, irq, softirq, steal) from /proc/stat;
ours is the CPU time of the benchmark's cluster (the postmaster, its
children alive now, and through the postmaster's cumulative child times the
backends that have exited) plus the children the suite's shell has waited for
(pgbench, psql). `other` prints the share of all CPUs (in percent) that went
to anything else between two snapshots: other builds, test suites, steal by
the hypervisor. A run with a large share was measured on a busy machine.
"""
import os
import sys


def stat_fields(pid):
    with open("/proc/%s/stat" % pid) as f:
        data = f.read()
    # comm may contain spaces: split after the closing parenthesis.
    rest = data[data.rindex(")") + 2:].split()
    # rest[0] is field 3 (state); utime is field 14, cstime field 17.
    ppid = int(rest[1])
    utime, stime, cutime, cstime = (int(x) for x in rest[11:15])
    return ppid, utime, stime, cutime, cstime


def snapshot(postmaster, shell):
    with open("/proc/stat") as f:
        cpu = f.readline().split()[1:]
    user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in cpu[:8])
    busy = user + nice + system + irq + softirq + steal
    ours = 0
    try:
        _, u, s, cu, cs = stat_fields(postmaster)
        ours += u + s + cu + cs
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                ppid, u, s, _, _ = stat_fields(pid)
            except (OSError, ValueError):
                continue
            if ppid == int(postmaster):
                ours += u + s
    except (OSError, ValueError):
        pass
    try:
        _, _, _, cu, cs = stat_fields(shell)
        ours += cu + cs
    except (OSError, ValueError):
        pass
    print(busy, ours)


def other(before, after, seconds):
    b0, o0 = (int(x) for x in before.split())
    b1, o1 = (int(x) for x in after.split())
    ticks = os.sysconf("SC_CLK_TCK")
    total = float(seconds) * ticks * os.cpu_count()
    if total <= 0:
        print("")
        return
    share = max(0.0, ((b1 - b0) - (o1 - o0)) / total * 100.0)
    print("%.1f" % share)


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        snapshot(sys.argv[2], sys.argv[3])
    else:
        other(sys.argv[2], sys.argv[3], sys.argv[4])
