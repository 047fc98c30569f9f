#!/usr/bin/env python3
"""Write report.md, the gnuplot data and script, and the PNGs of one
bench/run results directory.

usage: report.py RESULTS_DIR

Reads meta.env, settings.tsv, runs.kv (one line of key=value pairs per
pgbench run), phases.kv, memory.kv. Repetitions are aggregated by their
median; a ratio between two systems is the median of the ratios within each
interleaved round (the runs of one round ran back to back, so slow drift of
the machine cancels).
"""
import math
import os
import statistics
import subprocess
import sys

SYSTEMS = ["book", "book_events_off", "seed", "textbook", "write_limit", "write_limit_narrow"]
NAMES = {
    "book": "booking.book",
    "book_events_off": "booking.book, events off",
    "seed": "seed design",
    "textbook": "textbook",
    "write_limit": "write limit",
    "write_limit_narrow": "write limit, narrow rows",
    "flow_otp": "claim_slot -> issue_otp -> verify_otp",
    "flow_staff": "claim_slot -> confirm_hold",
}


def kv_line(line):
    d = {}
    for item in line.rstrip("\n").split("\t"):
        if "=" in item:
            k, v = item.split("=", 1)
            d[k] = v
    return d


def read_kv_file(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [kv_line(l) for l in f if l.strip()]


def read_env(path):
    d = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    d[k] = v
    return d


def num(x):
    try:
        v = float(x)
        return v if not math.isnan(v) else None
    except (TypeError, ValueError):
        return None


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=0):
    if v is None:
        return "–"
    if digits == 0:
        return "{:,.0f}".format(v)
    return "{:,.{d}f}".format(v, d=digits)


def fmt_ms(v):
    if v is None:
        return "–"
    if v >= 100:
        return "{:,.0f}".format(v)
    if v >= 10:
        return "{:.1f}".format(v)
    return "{:.3f}".format(v)


class Runs:
    def __init__(self, rows):
        self.rows = rows

    def select(self, **kw):
        out = []
        for r in self.rows:
            if all(r.get(k, "") == str(v) for k, v in kw.items()):
                out.append(r)
        return out

    def agg(self, field, **kw):
        return med([num(r.get(field)) for r in self.select(**kw)])

    def paired_ratio(self, field, num_kw, den_kw):
        """Median over repetitions of (numerator run / denominator run)."""
        nums = {r["rep"]: num(r.get(field)) for r in self.select(**num_kw)}
        dens = {r["rep"]: num(r.get(field)) for r in self.select(**den_kw)}
        ratios = [nums[k] / dens[k] for k in nums if k in dens and nums[k] is not None
                  and dens[k] not in (None, 0)]
        return med(ratios), ratios


def confirmed_per_second(r):
    tps, processed, ok = num(r.get("tps")), num(r.get("processed")), num(r.get("successes"))
    if not tps or not processed or ok is None:
        return None
    return tps * ok / processed


def main():
    out = sys.argv[1]
    meta = read_env(os.path.join(out, "meta.env"))
    runs = Runs(read_kv_file(os.path.join(out, "runs.kv")))
    for r in runs.rows:
        r["confirmed_per_s"] = str(confirmed_per_second(r))
        r["unavailable"] = str(max(0, int(num(r.get("processed")) or 0) - int(num(r.get("successes")) or 0)
                                   - int(num(r.get("busy")) or 0) - int(num(r.get("other")) or 0)))
        p, w = num(r.get("processed")), num(r.get("wal_bytes"))
        r["wal_per_tx"] = str(w / p) if p and w is not None else ""
        y = num(r.get("wal_syncs"))
        r["syncs_per_tx"] = str(y / p) if p and y is not None else ""
    phases = {}
    for d in read_kv_file(os.path.join(out, "phases.kv")):
        phases.update(d)
    mem = read_kv_file(os.path.join(out, "memory.kv"))
    mem = mem[0] if mem else None
    settings = []
    if os.path.exists(os.path.join(out, "settings.tsv")):
        with open(os.path.join(out, "settings.tsv")) as f:
            settings = [l.rstrip("\n").split("\t") for l in f if l.strip()]

    L = []  # report lines
    targets = []  # (target, measured, threshold, verdict)

    def verdict(ok):
        if ok is None:
            return "n/a"
        return "**PASS**" if ok else "**MISS**"

    # ------------------------------------------------------------ targets
    def free_ratio(workload, other):
        return runs.paired_ratio("tps", dict(workload=workload, system="book", clients=8),
                                 dict(workload=workload, system=other, clients=8))

    for other, threshold in (("seed", 1.0), ("textbook", 0.9), ("write_limit", 0.6)):
        ratio, each = free_ratio("free", other)
        targets.append(("Free slots, 8 clients, synchronous_commit=off: book vs %s" % NAMES[other],
                        ratio_text(ratio, each, runs.agg("tps", workload="free", system="book", clients=8),
                                   runs.agg("tps", workload="free", system=other, clients=8)),
                        ">= %.1fx" % threshold, verdict(None if ratio is None else ratio >= threshold)))
    ratio, each = free_ratio("durable", "write_limit")
    targets.append(("Free slots, 8 clients, durable (synchronous_commit=on): book vs write limit",
                    ratio_text(ratio, each, runs.agg("tps", workload="durable", system="book", clients=8),
                               runs.agg("tps", workload="durable", system="write_limit", clients=8)),
                    ">= 0.9x", verdict(None if ratio is None else ratio >= 0.9)))
    for workload in ("free", "durable"):
        if not runs.select(workload=workload, system="write_limit_narrow", clients=8):
            continue
        ratio, _ = free_ratio(workload, "write_limit_narrow")
        targets.append(("For reference, %s, 8 clients: book vs the write limit with narrow rows (bigint keys, 11 columns)"
                        % ("synchronous_commit=off" if workload == "free" else "durable"),
                        ratio_text(ratio, _, runs.agg("tps", workload=workload, system="book", clients=8),
                                   runs.agg("tps", workload=workload, system="write_limit_narrow", clients=8)),
                        "(not judged)", "–"))
    for workload, others in (("free", ("seed", "textbook", "write_limit")), ("durable", ("write_limit",))):
        if not runs.select(workload=workload, system="book_events_off", clients=8):
            continue
        parts = []
        for other in others:
            ratio, _ = runs.paired_ratio("tps", dict(workload=workload, system="book_events_off", clients=8),
                                         dict(workload=workload, system=other, clients=8))
            parts.append("%s vs %s" % ("%.2fx" % ratio if ratio else "–", NAMES[other]))
        targets.append(("For reference, %s, 8 clients: book with booking.events = off (no NOTIFY)"
                        % ("synchronous_commit=off" if workload == "free" else "durable"),
                        "%s tps: %s" % (fmt(runs.agg("tps", workload=workload, system="book_events_off", clients=8)),
                                        ", ".join(parts)), "(not judged)", "–"))

    for system, judged in (("book", True), ("seed", False)):
        ratio, each = runs.paired_ratio("p50", dict(workload="history", system=system, variant="history"),
                                        dict(workload="history", system=system, variant="fresh"))
        hp = runs.agg("p50", workload="history", system=system, variant="history")
        fp = runs.agg("p50", workload="history", system=system, variant="fresh")
        measured = "p50 %s ms vs %s ms: %s" % (fmt_ms(hp), fmt_ms(fp), ratio_only(ratio, each))
        rows = meta.get("history_rows", "1000000")
        if judged:
            targets.append(("History: book latency, calendar with %s past reservations vs a fresh one"
                            % fmt(num(rows)), measured, "<= 1.1x",
                            verdict(None if ratio is None else ratio <= 1.1)))
        else:
            targets.append(("History: the seed design, the same comparison (for reference)",
                            measured, "(none)", "–"))

    hot = runs.select(workload="hot", system="book")
    if hot:
        busy = sum(int(num(r["busy"]) or 0) for r in hot)
        failed = sum(int(num(r["failed"]) or 0) + int(num(r["aborted"]) or 0) for r in hot)
        other = sum(int(num(r["other"]) or 0) for r in hot)
        calls = sum(int(num(r["processed"]) or 0) for r in hot)
        targets.append(("Hot calendar, 8 clients: no busy answers", "%d busy of %s calls" % (busy, fmt(calls)),
                        "0", verdict(busy == 0)))
        targets.append(("Hot calendar, 8 clients: no SQL errors (and no unexpected answers)",
                        "%d failed/aborted, %d unexpected" % (failed, other), "0",
                        verdict(failed == 0 and other == 0)))
        p99 = runs.agg("p99", workload="hot", system="book")
        worst = max(num(r["p99"]) or 0 for r in hot)
        targets.append(("Hot calendar, 8 clients: p99 latency", "%s ms (worst run %s ms)" % (fmt_ms(p99), fmt_ms(worst)),
                        "< 5 ms", verdict(None if p99 is None else p99 < 5.0)))
        hot_tps = runs.agg("tps", workload="hot", system="book")
        free_tps = runs.agg("tps", workload="free", system="book", clients=8)
        ratio = hot_tps / free_tps if hot_tps and free_tps else None
        targets.append(("Hot calendar, 8 clients: throughput vs free slots (book, 8 clients, off)",
                        "%s vs %s tps: %s" % (fmt(hot_tps), fmt(free_tps), "%.2fx" % ratio if ratio else "–"),
                        ">= 0.3x", verdict(None if ratio is None else ratio >= 0.3)))

    if runs.select(workload="flow", system="flow_otp"):
        ratio, each = runs.paired_ratio("confirmed_per_s", dict(workload="flow", system="flow_otp"),
                                        dict(workload="flow", system="book"))
        a = runs.agg("confirmed_per_s", workload="flow", system="flow_otp")
        b = runs.agg("confirmed_per_s", workload="flow", system="book")
        targets.append(("Verified flow (claim_slot -> issue_otp -> verify_otp), 8 clients: confirmed appointments/s vs book",
                        ratio_text(ratio, each, a, b, unit="/s"), ">= 0.3x",
                        verdict(None if ratio is None else ratio >= 0.3)))
    elif "flow_otp" in phases:
        targets.append(("Verified flow (claim_slot -> issue_otp -> verify_otp) vs book",
                        "not available: booking.issue_otp / verify_otp not installed", ">= 0.3x", "n/a"))

    if mem and num(mem.get("anon_growth_kb")) is not None:
        growth = int(num(mem["anon_growth_kb"]))
        targets.append(("Memory: a backend's private resident memory (RssAnon) over %s calls" % fmt(num(mem["calls"])),
                        "median %s kB in the 2nd tenth of the calls, %s kB in the last: %+d kB "
                        "(slope %s kB per 1M calls; max %s kB)"
                        % (fmt(num(mem["anon_median_10_20pct_kb"])), fmt(num(mem["anon_median_90_100pct_kb"])),
                           growth, mem["anon_slope_kb_per_million_calls"], fmt(num(mem["anon_max_kb"]))),
                        "no growth (<= 1 MiB)", verdict(growth <= 1024)))
    elif mem is None and "memory" in phases:
        targets.append(("Memory", phases["memory"], "no growth", "n/a"))

    # ------------------------------------------------------------- header
    L.append("# booking benchmark: %s" % meta.get("started", ""))
    L.append("")
    L.append("```")
    L.append(meta.get("command", ""))
    L.append("```")
    L.append("")
    L.append("| machine | |")
    L.append("| --- | --- |")
    for key, label in (("nproc", "CPUs (nproc)"), ("cpu", "CPU model (lscpu)"), ("memory", "memory"),
                       ("kernel", "kernel"), ("server", "server"), ("pgbench", "client"),
                       ("booking_version", "booking extension version"), ("booking_so", "booking.so"),
                       ("git", "source tree (git HEAD)"), ("elapsed_seconds", "suite wall time (s)")):
        if key in meta:
            L.append("| %s | %s |" % (label, meta[key].replace("|", "/")))
    L.append("| cluster | %s |" % ("given by --dsn" if meta.get("dsn") else
                                    "throwaway (initdb by bench/run), Unix socket, pgbench on the same machine"))
    L.append("")
    if "booking_so_changed" in meta:
        L.append("> **Warning:** %s." % meta["booking_so_changed"])
        L.append("")
    busy_runs = [r for r in runs.rows if (num(r.get("other_cpu")) or 0) > 10.0]
    if busy_runs:
        L.append("> **Note:** in %d of %d runs more than 10%% of the machine's CPU went to work other than "
                 "the benchmark (other builds and tests, hypervisor steal; column \"other CPU %%\" below, "
                 "worst %.0f%%). Interleaving spreads that noise over the systems, but those runs are less "
                 "certain." % (len(busy_runs), len(runs.rows), max(num(r["other_cpu"]) for r in busy_runs)))
        L.append("")
    if settings:
        L.append("Server settings (synchronous_commit is set per run through PGOPTIONS, see each table):")
        L.append("")
        L.append("| setting | value |")
        L.append("| --- | --- |")
        for row in settings:
            if len(row) >= 2:
                L.append("| %s | %s |" % (row[0], row[1]))
        L.append("")

    # ------------------------------------------------------------ targets
    L.append("## Targets")
    L.append("")
    L.append("Ratios are medians of the ratios within each interleaved round (the runs of a round ran "
             "back to back); the figures beside them are medians over repetitions.")
    L.append("")
    L.append("| target | measured | threshold | verdict |")
    L.append("| --- | --- | --- | --- |")
    for t in targets:
        L.append("| %s | %s | %s | %s |" % t)
    L.append("")

    # ------------------------------------------------------ free / durable
    for workload, title in (("free", "Free slots, synchronous_commit=off (CPU cost)"),
                            ("durable", "Free slots, synchronous_commit=on (durable)")):
        rows = runs.select(workload=workload)
        if not rows:
            continue
        clients = sorted({int(r["clients"]) for r in rows})
        reps = max(int(r["rep"]) for r in rows)
        L.append("## %s" % title)
        L.append("")
        L.append("%s tenants, random 30-minute slots on a 10-year grid, pgbench -M prepared, %s s per run, "
                 "%d repetition(s) of each round (book, seed, textbook, the two write limits); medians. "
                 "Latency from pgbench's per-transaction log (-l). \"booking.book, events off\" is book with "
                 "booking.events = off (no NOTIFY booking_events per change; every notifying transaction "
                 "takes PostgreSQL's notify lock through its commit): not the default, shown for what the "
                 "events cost."
                 % (meta.get("tenants", "?"), rows[0].get("seconds", "?"), reps))
        L.append("")
        L.append("| clients | system | tps | p50 ms | p99 ms | book / system | conflicts | busy | other | failed | WAL bytes/tx | WAL syncs/tx |")
        L.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for c in clients:
            for s in SYSTEMS:
                sel = runs.select(workload=workload, system=s, clients=c)
                if not sel:
                    continue
                ratio = None
                if s != "book":
                    ratio, _ = runs.paired_ratio("tps", dict(workload=workload, system="book", clients=c),
                                                 dict(workload=workload, system=s, clients=c))
                L.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    c, NAMES[s], fmt(runs.agg("tps", workload=workload, system=s, clients=c)),
                    fmt_ms(runs.agg("p50", workload=workload, system=s, clients=c)),
                    fmt_ms(runs.agg("p99", workload=workload, system=s, clients=c)),
                    "%.2fx" % ratio if ratio else "",
                    sum_of(sel, "unavailable"), sum_of(sel, "busy"), sum_of(sel, "other"),
                    sum_failed(sel), fmt(runs.agg("wal_per_tx", workload=workload, system=s, clients=c)),
                    fmt(runs.agg("syncs_per_tx", workload=workload, system=s, clients=c), 2)))
        L.append("")
        L.append("![throughput](throughput.png)" if workload == "free" else "")
        L.append("")

    if runs.select(workload="free") or runs.select(workload="durable"):
        L.append("![latency](latency.png)")
        L.append("")

    # ---------------------------------------------------------------- hot
    rows = runs.select(workload="hot")
    if rows:
        L.append("## Hot calendar")
        L.append("")
        L.append("One calendar of one tenant, 8 clients, random 15-90 minute requests starting at any minute of "
                 "a 4-hour window; the window moves to the next day every %s s so the calendar keeps filling "
                 "(otherwise, after the first few bookings, every call would be a conflict). "
                 "synchronous_commit=off, %s s per run. Conflicts = calls that were told the slot is taken; "
                 "overlaps = pairs of confirmed appointments whose times overlap afterwards (the seed's "
                 "check is per organisation)." % (meta.get("hot_period", "?"), rows[0].get("seconds", "?")))
        L.append("")
        L.append("| system | tps | p50 ms | p99 ms | max ms | booked | conflicts | busy | other | failed (SQL errors) | overlapping pairs |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for s in ("book", "seed", "textbook"):
            sel = runs.select(workload="hot", system=s)
            if not sel:
                continue
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                NAMES[s], fmt(runs.agg("tps", workload="hot", system=s)),
                fmt_ms(runs.agg("p50", workload="hot", system=s)), fmt_ms(runs.agg("p99", workload="hot", system=s)),
                fmt_ms(max(num(r["max"]) or 0 for r in sel)),
                sum_of(sel, "successes"), sum_of(sel, "unavailable"), sum_of(sel, "busy"), sum_of(sel, "other"),
                sum_failed(sel), sum_of(sel, "overlaps")))
        L.append("")
        odd = [(r["system"], r["rep"], r.get("odd", "")) for r in rows if r.get("odd")]
        errs = [(r["system"], r["rep"], r.get("first_error", "")) for r in rows if r.get("first_error")]
        if odd or errs:
            L.append("Odd answers and errors per run:")
            L.append("")
            for s, rep, text in odd:
                L.append("- %s, round %s: %s" % (NAMES[s], rep, text))
            for s, rep, text in errs:
                L.append("- %s, round %s, pgbench: `%s`" % (NAMES[s], rep, text))
            L.append("")

    # --------------------------------------------------------------- flow
    rows = runs.select(workload="flow")
    if rows or "flow_otp" in phases:
        L.append("## Hold -> OTP -> confirm")
        L.append("")
        L.append("8 clients, free slots over %s tenants, synchronous_commit=off, %s s per run. One pgbench "
                 "transaction is one caller's whole flow (three calls, three round trips, chained with "
                 "\\gset); confirmed/s counts the appointments in the table afterwards."
                 % (meta.get("tenants", "?"), rows[0].get("seconds", "?") if rows else "?"))
        L.append("")
        if "flow_otp" in phases:
            L.append("claim_slot -> issue_otp -> verify_otp: **%s**." % phases["flow_otp"])
            L.append("")
        if rows:
            L.append("| flow | flows/s | confirmed/s | vs book | p50 ms (whole flow) | p99 ms | odd answers | failed |")
            L.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
            for s in ("book", "flow_otp", "flow_staff"):
                sel = runs.select(workload="flow", system=s)
                if not sel:
                    continue
                ratio = None
                if s != "book":
                    ratio, _ = runs.paired_ratio("confirmed_per_s", dict(workload="flow", system=s),
                                                 dict(workload="flow", system="book"))
                L.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    NAMES[s], fmt(runs.agg("tps", workload="flow", system=s)),
                    fmt(runs.agg("confirmed_per_s", workload="flow", system=s)),
                    "%.2fx" % ratio if ratio else "", fmt_ms(runs.agg("p50", workload="flow", system=s)),
                    fmt_ms(runs.agg("p99", workload="flow", system=s)),
                    "; ".join(r["odd"] for r in sel if r.get("odd")) or "none", sum_failed(sel)))
            L.append("")

    # ------------------------------------------------------------ history
    rows = runs.select(workload="history")
    if rows:
        L.append("## History")
        L.append("")
        L.append("Tenant 900001's calendar holds %s past reservations (loaded by INSERT ... SELECT "
                 "generate_series: 15-minute, back to back, 90%% confirmed and 10%% completed), and %s other "
                 "tenants hold a few each; tenant 900002 is fresh. One client books random future 30-minute "
                 "slots on a 100-year grid, %s s per run, the four runs of a round interleaved; before each run "
                 "the future bookings of earlier runs are deleted and the tables vacuumed, so every run meets "
                 "the same calendar. Load times: book %s s, seed %s s."
                 % (fmt(num(meta.get("history_rows"))), meta.get("tenants", "?"), rows[0].get("seconds", "?"),
                    phases.get("history_load_book", "?"), phases.get("history_load_seed", "?")))
        L.append("")
        L.append("| system | calendar | calls | tps | p50 ms | p99 ms | mean ms | history / fresh (p50) |")
        L.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for s in ("book", "seed"):
            for v in ("history", "fresh"):
                sel = runs.select(workload="history", system=s, variant=v)
                if not sel:
                    continue
                ratio = None
                if v == "history":
                    ratio, _ = runs.paired_ratio("p50", dict(workload="history", system=s, variant="history"),
                                                 dict(workload="history", system=s, variant="fresh"))
                L.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    NAMES[s], "%s past" % fmt(num(meta.get("history_rows"))) if v == "history" else "fresh",
                    sum_of(sel, "processed"), fmt(runs.agg("tps", workload="history", system=s, variant=v), 1),
                    fmt_ms(runs.agg("p50", workload="history", system=s, variant=v)),
                    fmt_ms(runs.agg("p99", workload="history", system=s, variant=v)),
                    fmt_ms(runs.agg("mean", workload="history", system=s, variant=v)),
                    "%.2fx" % ratio if ratio else ""))
        L.append("")

    # ------------------------------------------------------------- memory
    if mem:
        L.append("## Memory")
        L.append("")
        if "anon_first_kb" in mem:
            L.append("One client, one connection, one backend (pid %s): %s calls, book and claim_slot "
                     "alternating on random free slots, synchronous_commit=off; /proc/<pid>/status sampled "
                     "%s times. RssAnon is the backend's private memory (what a leak grows); VmRSS also counts "
                     "the shared buffers it has touched. %s calls/s."
                     % (mem.get("pid"), fmt(num(mem["calls"])), mem["samples"],
                        fmt(2 * (num(mem.get("tps")) or 0))))
            L.append("")
            L.append("| | first | at 10% of calls | median, 2nd tenth | median, last tenth | last | max |")
            L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
            L.append("| RssAnon kB | %s | %s | %s | %s | %s | %s |" % (
                fmt(num(mem["anon_first_kb"])), fmt(num(mem["anon_at_10pct_kb"])),
                fmt(num(mem.get("anon_median_10_20pct_kb"))), fmt(num(mem.get("anon_median_90_100pct_kb"))),
                fmt(num(mem["anon_last_kb"])), fmt(num(mem["anon_max_kb"]))))
            L.append("| VmRSS kB | %s | | | | %s | %s |" % (fmt(num(mem["rss_first_kb"])), fmt(num(mem["rss_last_kb"])),
                                                           fmt(num(mem["rss_max_kb"]))))
            L.append("")
            L.append("RssAnon slope after warm-up: %s bytes per call (%s kB per 1M calls). VmHWM at the end: %s kB."
                     % (mem["anon_slope_bytes_per_call"], mem["anon_slope_kb_per_million_calls"],
                        fmt(num(mem["hwm_last_kb"]))))
            L.append("")
            L.append("![memory](memory.png)")
            L.append("")

    # ------------------------------------------------------------ all runs
    L.append("## Every run")
    L.append("")
    L.append("| workload | system | variant | sync | clients | round | tps | p50 ms | p99 ms | calls | ok | conflicts | busy | other | failed | WAL B/tx | other CPU % |")
    L.append("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in runs.rows:
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["workload"], r["system"], r.get("variant", ""), r["sync"], r["clients"], r["rep"],
            fmt(num(r.get("tps"))), fmt_ms(num(r.get("p50"))), fmt_ms(num(r.get("p99"))),
            fmt(num(r.get("processed"))), fmt(num(r.get("successes"))), r["unavailable"], r.get("busy", ""),
            r.get("other", ""), int(num(r.get("failed")) or 0) + int(num(r.get("aborted")) or 0),
            fmt(num(r.get("wal_per_tx"))), r.get("other_cpu", "")))
    L.append("")
    L.append("pgbench's own output for every run is in `pgbench/`; the per-run figures in `runs.kv`.")
    L.append("")
    L.append("## Method")
    L.append("")
    L.append(METHOD)

    with open(os.path.join(out, "report.md"), "w") as f:
        f.write("\n".join(L) + "\n")

    plot(out, runs, mem)


def ratio_text(ratio, each, a, b, unit=" tps"):
    return "%s vs %s%s: %s" % (fmt(a), fmt(b), unit, ratio_only(ratio, each))


def ratio_only(ratio, each):
    if ratio is None:
        return "–"
    if len(each) > 1:
        return "**%.2fx** (rounds: %s)" % (ratio, ", ".join("%.2f" % e for e in each))
    return "**%.2fx**" % ratio


def sum_of(rows, field):
    vals = [num(r.get(field)) for r in rows]
    vals = [v for v in vals if v is not None]
    return fmt(sum(vals)) if vals else "–"


def sum_failed(rows):
    return str(sum(int(num(r.get("failed")) or 0) + int(num(r.get("aborted")) or 0) for r in rows))


METHOD = """\
- Each system has its own schema and tables (bench/sql): `booking` (the extension), `seed_design`
  (seed 002's book_appointment_with_lock in PL/pgSQL), `textbook` (exclusion constraint + PL/pgSQL
  catching 23P01), `write_limit` (the rows booking writes, in tables of booking's shape with their
  primary keys only, in one statement, no checks) and `write_limit_narrow` (a leaner schema's rows:
  bigint identity keys, 11 columns; for reference).
- Before every run (but the history runs) the system's tables are emptied and given a small baseline (2 past appointments per
  tenant, analysed), then a CHECKPOINT; autovacuum is off, so nothing else runs during a measurement.
- Runs are interleaved: for each client count, round 1 runs book, seed, textbook, the write limits back to
  back, then round 2 the same, and so on. Figures are medians over rounds; ratios are medians of the
  within-round ratios.
- pgbench runs on the same machine as the server (it takes CPU from the server on 2 cores, equally for
  every system), with -M prepared, -j = min(clients, nproc), one connection per client for the whole run.
- Latency percentiles are nearest-rank over every successful transaction in pgbench's per-transaction log
  (-l); tps is pgbench's (without connection time).
- An answer is classified in SQL (bench.outcome): success, slot taken, busy (booking's `busy`, the seed's
  "Slot being booked"), or other; busy and other answers are written down with their error code
  (bench.odd_answers). Conflicts = calls - booked - busy - other. Failed = pgbench's failed (deadlock,
  serialization) plus aborted clients (any other SQL error).
- WAL bytes/tx: pg_current_wal_insert_lsn() before and after the run, divided by transactions; WAL
  syncs/tx: pg_stat_wal.wal_sync before and after (every process's WAL flushes), divided by transactions.
- Other CPU %: the machine's busy CPU time during the run (/proc/stat, steal included) minus the
  cluster's and the clients' own, as a share of all CPUs: how much other work competed (bench/lib/cpu.py).
"""


def plot(out, runs, mem):
    have = [w for w in ("free", "durable") if runs.select(workload=w)]
    series = [s for s in SYSTEMS if any(runs.select(workload=w, system=s) for w in have)]
    for w in have:
        clients = sorted({int(r["clients"]) for r in runs.select(workload=w)})
        with open(os.path.join(out, "%s.dat" % w), "w") as f:
            f.write("# clients " + " ".join("%s_tps %s_p50 %s_p99" % (s, s, s) for s in series) + "\n")
            for c in clients:
                vals = []
                for s in series:
                    for field in ("tps", "p50", "p99"):
                        v = runs.agg(field, workload=w, system=s, clients=c)
                        vals.append("NaN" if v is None else "%.6g" % v)
                f.write("%d %s\n" % (c, " ".join(vals)))
    titles = {"free": "synchronous\\_commit=off (CPU cost)", "durable": "synchronous\\_commit=on (durable)"}
    colors = {"book": "#d62728", "book_events_off": "#ff7f0e", "seed": "#1f77b4", "textbook": "#2ca02c",
              "write_limit": "#7f7f7f", "write_limit_narrow": "#bcbd22"}
    all_clients = sorted({int(r["clients"]) for r in runs.rows if r["workload"] in have}) or [1]
    gp = ["set terminal pngcairo size %d,520 font 'sans,10'" % (560 * max(1, len(have))),
          "set datafile missing 'NaN'", "set key below", "set grid", "set xlabel 'clients'",
          "set logscale x 2", "set xrange [%g:%g]" % (all_clients[0] / 1.3, all_clients[-1] * 1.3),
          "set xtics (%s)" % ", ".join(str(c) for c in all_clients)]
    if have:
        gp.append("set output '%s'" % os.path.join(out, "throughput.png"))
        gp.append("set multiplot layout 1,%d title 'Free slots: throughput (median of rounds)'" % len(have))
        gp.append("set ylabel 'transactions per second'")
        gp.append("set yrange [0:*]")
        for w in have:
            gp.append("set title '%s'" % titles[w])
            parts = []
            for i, s in enumerate(series):
                parts.append("'%s' using 1:%d with linespoints lw 2 pt 7 lc rgb '%s' title '%s'"
                             % (os.path.join(out, w + ".dat"), 2 + 3 * i, colors[s], NAMES[s]))
            gp.append("plot " + ", ".join(parts))
        gp.append("unset multiplot")
        gp.append("set output '%s'" % os.path.join(out, "latency.png"))
        gp.append("set multiplot layout 1,%d title 'Free slots: latency p50 (solid) and p99 (dashed), from pgbench -l'"
                  % len(have))
        gp.append("set ylabel 'milliseconds'")
        gp.append("set logscale y 10")
        gp.append("set yrange [*:*]")
        for w in have:
            gp.append("set title '%s'" % titles[w])
            parts = []
            for i, s in enumerate(series):
                path = os.path.join(out, w + ".dat")
                parts.append("'%s' using 1:%d with linespoints lw 2 pt 7 lc rgb '%s' title '%s p50'"
                             % (path, 3 + 3 * i, colors[s], NAMES[s]))
                parts.append("'%s' using 1:%d with linespoints lw 2 dt 2 pt 6 lc rgb '%s' title '%s p99'"
                             % (path, 4 + 3 * i, colors[s], NAMES[s]))
            gp.append("plot " + ", ".join(parts))
        gp.append("unset multiplot")
        gp.append("unset logscale y")
    mem_dat = os.path.join(out, "memory.dat")
    if mem and os.path.exists(mem_dat):
        gp += ["set terminal pngcairo size 1120,420 font 'sans,10'",
               "set output '%s'" % os.path.join(out, "memory.png"),
               "unset logscale x", "set xrange [0:*]", "set xtics auto", "unset key",
               "set xlabel 'calls'", "set ylabel 'MiB'", "set yrange [0:*]", "set format x '%.0s%c'",
               "set multiplot layout 1,2 title 'One backend over the calls (book + claim\\_slot, one connection)'",
               "set title 'RssAnon: the backend''s private memory'",
               "plot '%s' using 1:3 with linespoints lw 2 pt 7 ps 0.4 lc rgb '#d62728'" % mem_dat,
               "set title 'VmRSS: private + shared buffers it has touched'",
               "plot '%s' using 1:2 with linespoints lw 2 pt 7 ps 0.4 lc rgb '#1f77b4'" % mem_dat,
               "unset multiplot"]
    with open(os.path.join(out, "plot.gp"), "w") as f:
        f.write("\n".join(gp) + "\n")
    if len(gp) > 7:
        subprocess.run(["gnuplot", os.path.join(out, "plot.gp")], check=False)


if __name__ == "__main__":
    main()
