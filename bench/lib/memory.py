#!/usr/bin/env python3
"""Summarise the memory workload.

usage: memory.py SAMPLES CALLS_PER_TRANSACTION OUT_DAT TOTAL_TRANSACTIONS END_EPOCH AGGREGATE_LOG...

SAMPLES: lines "epoch VmRSS_kB RssAnon_kB VmHWM_kB" read from the backend's
/proc/<pid>/status while pgbench ran. The aggregate logs (pgbench -l
--aggregate-interval=1) give how many transactions had finished by each
second, so each sample gets a call count (pgbench does not always write the
last, partial interval: the run's total and end time close the series). Prints key=value pairs; writes
OUT_DAT (calls, VmRSS MiB, RssAnon MiB) for the plot.

The judged figure is RssAnon, the backend's private memory: VmRSS also
counts shared buffers as the backend touches them, which is not growth of
the backend. The slope is a least-squares fit over the samples after the
first 10% of calls (the warm-up: caches, plans, the first shared pages); the
growth is the median RssAnon of the last tenth of the calls minus that of the
second tenth.
"""
import sys


def main():
    samples_path, per_tx, out_dat = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    total_tx, end_epoch = int(sys.argv[4]), float(sys.argv[5])
    logs = sys.argv[6:]
    per_second = {}
    for path in logs:
        with open(path) as f:
            for line in f:
                p = line.split()
                if len(p) >= 2 and p[0].isdigit():
                    per_second[int(p[0])] = per_second.get(int(p[0]), 0) + int(p[1])
    # Points (time, transactions finished by then), interpolated linearly.
    points = []
    total = 0
    for s in sorted(per_second):
        if not points:
            points.append((float(s), 0))
        total += per_second[s]
        points.append((float(s + 1), total))
    if total_tx > total:
        points.append((max(end_epoch, points[-1][0] if points else end_epoch), total_tx))
        total = total_tx

    def calls_at(t):
        if not points or t <= points[0][0]:
            return 0
        for (t0, c0), (t1, c1) in zip(points, points[1:]):
            if t <= t1:
                return (c0 + (c1 - c0) * (t - t0) / (t1 - t0 if t1 > t0 else 1)) * per_tx
        return points[-1][1] * per_tx

    rows = []
    with open(samples_path) as f:
        for line in f:
            p = line.split()
            if len(p) < 4:
                continue
            t, rss, anon, hwm = float(p[0]), int(p[1]), int(p[2]), int(p[3])
            rows.append((calls_at(t), rss, anon, hwm))
    if not rows:
        print("samples=0")
        return
    total_calls = total * per_tx
    with open(out_dat, "w") as f:
        f.write("# calls VmRSS_MiB RssAnon_MiB\n")
        for c, rss, anon, _ in rows:
            f.write("%d %.3f %.3f\n" % (c, rss / 1024.0, anon / 1024.0))

    tail = [r for r in rows if r[0] >= 0.1 * total_calls] or rows
    n = len(tail)
    xs = [r[0] for r in tail]
    ys = [r[2] * 1024.0 for r in tail]  # bytes of RssAnon
    mx, my = sum(xs) / n, sum(ys) / n
    var = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var if var > 0 else 0.0
    # Growth: the median of the last tenth of the calls against the median of
    # the second tenth (RssAnon moves up and down by a few hundred kB as
    # memory contexts are reset; single samples are noisy).
    def median_between(lo, hi):
        vals = sorted(r[2] for r in rows if lo * total_calls <= r[0] <= hi * total_calls)
        return vals[len(vals) // 2] if vals else None
    early, late = median_between(0.1, 0.2), median_between(0.9, 1.0)
    out = {
        "samples": len(rows),
        "calls": total_calls,
        "rss_first_kb": rows[0][1], "rss_last_kb": rows[-1][1], "rss_max_kb": max(r[1] for r in rows),
        "anon_first_kb": rows[0][2], "anon_last_kb": rows[-1][2], "anon_max_kb": max(r[2] for r in rows),
        "anon_at_10pct_kb": tail[0][2],
        "anon_growth_after_10pct_kb": rows[-1][2] - tail[0][2],
        "anon_median_10_20pct_kb": early if early is not None else "",
        "anon_median_90_100pct_kb": late if late is not None else "",
        "anon_growth_kb": (late - early) if early is not None and late is not None else "",
        "hwm_last_kb": rows[-1][3],
        "anon_slope_bytes_per_call": "%.4f" % slope,
        "anon_slope_kb_per_million_calls": "%.1f" % (slope * 1e6 / 1024.0),
    }
    print("\t".join("%s=%s" % kv for kv in out.items()))


if __name__ == "__main__":
    main()
