#!/usr/bin/env python3
"""Summarise one pgbench run: its standard output and its per-transaction logs.

usage: latency.py PGBENCH_OUTPUT LOG_FILE...

Prints one line of key=value pairs: tps, processed, failed, aborted,
lat_n (transactions with a latency in the logs), p50, p90, p99, max and mean
in milliseconds, and first_error (the first error pgbench printed, if any).

pgbench -l writes one line per transaction (PostgreSQL 15):
    client_id transaction_no time script_no time_epoch time_us [...]
where time is the transaction's latency in microseconds, or "failed" /
"skipped". Percentiles are nearest-rank over every successful transaction.
"""
import math
import re
import sys


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def main():
    out_path, logs = sys.argv[1], sys.argv[2:]
    text = open(out_path, errors="replace").read()
    fields = {}
    m = re.search(r"^tps = ([0-9.]+) \(without initial connection time\)", text, re.M)
    fields["tps"] = m.group(1) if m else "nan"
    m = re.search(r"number of transactions actually processed: (\d+)", text)
    fields["processed"] = m.group(1) if m else "0"
    m = re.search(r"number of failed transactions: (\d+)", text)
    fields["failed"] = m.group(1) if m else "0"
    # PostgreSQL 15: "client 0 script 0 aborted in command 2 query 0: ERROR: ..."
    fields["aborted"] = str(len(re.findall(r"client \d+ (?:script \d+ )?aborted", text)))
    errors = [l.strip() for l in text.splitlines()
              if re.search(r"(ERROR|FATAL|aborted|error):?", l) and "failed transactions" not in l]
    fields["first_error"] = (errors[0] if errors else "").replace("\t", " ")[:300]

    values = []
    failed_in_log = 0
    for path in logs:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) < 3:
                    continue
                t = parts[2]
                if t.isdigit():
                    values.append(int(t))
                else:
                    failed_in_log += 1
    values.sort()
    fields["lat_n"] = str(len(values))
    for name, q in (("p50", 50), ("p90", 90), ("p99", 99)):
        v = percentile(values, q)
        fields[name] = "%.3f" % (v / 1000.0) if values else "nan"
    fields["max"] = "%.3f" % (values[-1] / 1000.0) if values else "nan"
    fields["mean"] = "%.3f" % (sum(values) / len(values) / 1000.0) if values else "nan"
    fields["failed_in_log"] = str(failed_in_log)
    print("\t".join("%s=%s" % kv for kv in fields.items()))


if __name__ == "__main__":
    main()
