#!/usr/bin/env python3
"""Reads the expiry-sweep benchmark's raw data and prints its report.

Inputs (written by bench/expiry_sweep/run):
  --pgbench-logs  pgbench per-transaction logs (-l): one line per claim,
                  "client tx latency_us script epoch_s epoch_us" (the epoch is
                  the claim's end; its start is end - latency)
  --batches       "epoch_s size" per worker batch: the batch's start (the
                  audit rows' time) and how many holds it expired
  --lapse         epoch when the holds lapsed
  --finished      epoch when booking.stats() first counted every expiry
  --bench-start   epoch when pgbench started
"""
import argparse
import glob
import math
import sys


def quantile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pgbench-logs", required=True)
    ap.add_argument("--batches", required=True)
    ap.add_argument("--lapse", type=float, required=True)
    ap.add_argument("--finished", type=float, required=True)
    ap.add_argument("--bench-start", type=float, required=True)
    ap.add_argument("--holds", type=int, required=True)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--target-seconds", type=float, default=10.0)
    ap.add_argument("--target-ratio", type=float, default=2.0)
    args = ap.parse_args()

    claims = []  # (start, latency_ms)
    for path in glob.glob(args.pgbench_logs):
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) < 6:
                    continue
                latency_us = int(fields[2])
                end = int(fields[4]) + int(fields[5]) / 1e6
                claims.append((end - latency_us / 1e6, latency_us / 1000.0))

    batches = []
    with open(args.batches) as f:
        for line in f:
            if line.strip():
                at, size = line.split()
                batches.append((float(at), int(size)))
    batches.sort()
    if not batches:
        sys.exit("no batch of the worker was found in the audit log")
    expired = sum(size for _, size in batches)
    first = batches[0][0]
    finished = args.finished
    if finished <= 0:  # the sweep did not finish while the claims ran
        finished = batches[-1][0]
        print(f"WARNING: the sweep did not finish while the claims ran "
              f"({expired:,} of {args.holds:,} expired); raise --after")
        print()
    sweep_s = finished - first
    gaps = [b[0] - a[0] for a, b in zip(batches, batches[1:])]
    gaps.append(finished - batches[-1][0])

    baseline = sorted(l for s, l in claims if args.bench_start + args.warmup <= s < args.lapse)
    during = sorted(l for s, l in claims if first <= s <= finished)
    base_span = args.lapse - (args.bench_start + args.warmup)

    p50_b, p99_b = quantile(baseline, 0.5), quantile(baseline, 0.99)
    p50_d, p99_d = quantile(during, 0.5), quantile(during, 0.99)
    ratio = p99_d / p99_b if p99_b > 0 else float("inf")
    done_after_lapse = finished - args.lapse

    print("## Expiry sweep")
    print()
    print(f"- holds expired by the worker: {expired:,} in {len(batches)} batches "
          f"(largest {max(s for _, s in batches):,})")
    print(f"- picked up {first - args.lapse:.2f} s after they lapsed (booking.expiry_interval)")
    print(f"- sweep: {sweep_s:.2f} s from the first batch to the last; "
          f"{done_after_lapse:.2f} s after the lapse")
    print(f"- expiry throughput: {expired / sweep_s:,.0f} holds/s")
    print(f"- one batch (one transaction): median {1000 * quantile(sorted(gaps), 0.5):.1f} ms, "
          f"max {1000 * max(gaps):.1f} ms")
    print()
    print("## Claims (4 clients, one claim_slot per transaction)")
    print()
    print("| window | claims | claims/s | p50 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| without the sweep ({base_span:.0f} s before the lapse) | {len(baseline):,} | "
          f"{len(baseline) / base_span:,.0f} | {p50_b:.2f} | {p99_b:.2f} |")
    print(f"| during the sweep ({sweep_s:.1f} s) | {len(during):,} | "
          f"{len(during) / sweep_s:,.0f} | {p50_d:.2f} | {p99_d:.2f} |")
    print()
    print(f"claim p99 during the sweep / without it: {ratio:.2f}x")
    print()
    ok_time = done_after_lapse < args.target_seconds
    ok_ratio = ratio < args.target_ratio
    print(f"target: sweep done within {args.target_seconds:.0f} s of the lapse: "
          f"{'met' if ok_time else 'MISSED'} ({done_after_lapse:.2f} s); "
          f"claim p99 under {args.target_ratio:.0f}x: {'met' if ok_ratio else 'MISSED'} ({ratio:.2f}x)")
    if expired != args.holds:
        print(f"WARNING: expected {args.holds:,} expiries, the audit log has {expired:,}")
    return 0 if ok_time and ok_ratio and expired == args.holds else 1


if __name__ == "__main__":
    sys.exit(main())
