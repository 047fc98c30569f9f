#!/usr/bin/env python3
"""Write report.md, the gnuplot data and script, and the PNGs of one
bench/run results directory.

usage: report.py RESULTS_DIR

Reads meta.env, settings.tsv, runs.kv (one line of key=value pairs per
pgbench run), phases.kv, memory.kv. Repetitions are aggregated by their
median; a ratio between two systems is the median of the ratios within each
interleaved round (the runs of one round ran back to back, so slow drift of
the machine cancels). Every run belongs to an install: "preloaded" (the
server has shared_preload_libraries = 'booking') or "unpreloaded" (the
library loads on the first call in each backend); runs.kv files written
before installs existed are read as preloaded.
"""
import math
import os
import shutil
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
INSTALLS = ["preloaded", "unpreloaded"]
INSTALL_NAMES = {
    "preloaded": "preloaded (shared_preload_libraries = 'booking')",
    "unpreloaded": "unpreloaded (loaded on the first call in each backend)",
}
# The suite's client counts of the free-slot workloads, and the targets.
SUITE_CLIENTS = [1, 2, 4, 8]
HEADLINE_CLIENTS = 8
HEADLINE_TENANTS = 100000
HEADLINE = (("textbook", 1.2), ("seed", 1.3))  # book >= this x the system, free, 8 clients
AHEAD_OF = ("seed", "textbook")  # book > 1.0x these at every client count, free and durable
WORKLOAD_TITLES = {"free": "synchronous_commit=off", "durable": "durable (synchronous_commit=on)"}
FLOW_ACCEPTED = 0.27
LARGE_SYSTEMS = ("book", "textbook", "write_limit")
LARGE_TARGET = ("textbook", 1.2)  # book >= this x the system on the large database, 8 clients, off


def name(system):
    return NAMES.get(system, system)


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


def fmt_x(v):
    return "–" if v is None else "%.2fx" % v


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

    def clients(self, **kw):
        return sorted({int(r["clients"]) for r in self.select(**kw)})

    def installs(self, **kw):
        present = {r["install"] for r in self.select(**kw)}
        return [i for i in INSTALLS if i in present] + sorted(present - set(INSTALLS))


def confirmed_per_second(r):
    tps, processed, ok = num(r.get("tps")), num(r.get("processed")), num(r.get("successes"))
    if not tps or not processed or ok is None:
        return None
    return tps * ok / processed


def verdict(ok):
    if ok is None:
        return "n/a"
    return "**PASS**" if ok else "**MISS**"


def main():
    out = sys.argv[1]
    meta = read_env(os.path.join(out, "meta.env"))
    runs = Runs(read_kv_file(os.path.join(out, "runs.kv")))
    for r in runs.rows:
        r.setdefault("install", "preloaded")
        r["confirmed_per_s"] = str(confirmed_per_second(r))
        r["unavailable"] = str(max(0, int(num(r.get("processed")) or 0) - int(num(r.get("successes")) or 0)
                                   - int(num(r.get("busy")) or 0) - int(num(r.get("other")) or 0)))
        p, w = num(r.get("processed")), num(r.get("wal_bytes"))
        r["wal_per_tx"] = str(w / p) if p and w is not None else ""
        y = num(r.get("wal_syncs"))
        r["syncs_per_tx"] = str(y / p) if p and y is not None else ""
    phases = {}
    reloads = []
    for d in read_kv_file(os.path.join(out, "phases.kv")):
        phases.update(d)
        if "schema_reload" in d:
            reloads.append("%s (install %s)" % (d["schema_reload"], d.get("install", "?")))
    mem = read_kv_file(os.path.join(out, "memory.kv"))
    mem = mem[0] if mem else None
    settings = []
    if os.path.exists(os.path.join(out, "settings.tsv")):
        with open(os.path.join(out, "settings.tsv")) as f:
            settings = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    tenants = num(meta.get("tenants"))
    other_tenants = meta.get("other_tenants", meta.get("tenants", "?"))
    gnuplot = shutil.which("gnuplot")

    L = []  # report lines
    targets = []  # (install, target, measured, threshold, verdict)
    references = []  # (install, what, measured)

    # ------------------------------------------------------------ targets
    def free_ratio(install, workload, other, clients):
        return runs.paired_ratio("tps", dict(install=install, workload=workload, system="book", clients=clients),
                                 dict(install=install, workload=workload, system=other, clients=clients))

    def tps(install, workload, system, clients):
        return runs.agg("tps", install=install, workload=workload, system=system, clients=clients)

    free_installs = runs.installs(workload="free")
    free_installs += [i for i in runs.installs(workload="durable") if i not in free_installs]
    for install in free_installs:
        # The headline: free slots, 8 clients, at 100,000 tenants.
        if runs.select(install=install, workload="free", system="book"):
            for other, threshold in HEADLINE:
                if not runs.select(install=install, workload="free", system="book", clients=HEADLINE_CLIENTS):
                    targets.append((install, "Headline: free slots, %d clients, synchronous_commit=off: book vs %s"
                                    % (HEADLINE_CLIENTS, name(other)), "not run at %d clients" % HEADLINE_CLIENTS,
                                    ">= %.1fx" % threshold, "n/a"))
                    continue
                ratio, each = free_ratio(install, "free", other, HEADLINE_CLIENTS)
                ok = None if ratio is None else ratio >= threshold
                v = verdict(ok)
                if tenants is None or tenants < HEADLINE_TENANTS:
                    v = "n/a (%s tenants; the target is at %s)" % (fmt(tenants), fmt(HEADLINE_TENANTS))
                targets.append((install, "Headline: free slots, %d clients, synchronous_commit=off, %s tenants: "
                                "book vs %s" % (HEADLINE_CLIENTS, fmt(tenants), name(other)),
                                ratio_text(ratio, each, tps(install, "free", "book", HEADLINE_CLIENTS),
                                           tps(install, "free", other, HEADLINE_CLIENTS)),
                                ">= %.1fx" % threshold, v))
        # Ahead of both designs that check, at every client count.
        for workload in ("free", "durable"):
            clients = runs.clients(install=install, workload=workload, system="book")
            if not clients:
                continue
            for other in AHEAD_OF:
                parts, misses, missing = [], [], []
                for c in clients:
                    ratio, _ = free_ratio(install, workload, other, c)
                    if ratio is None:
                        missing.append(c)
                        parts.append("%d: –" % c)
                        continue
                    parts.append("%d: %s%s" % (c, fmt_x(ratio), "" if ratio > 1.0 else " (miss)"))
                    if ratio <= 1.0:
                        misses.append(c)
                threshold = "> 1.0x at each client count"
                if clients != SUITE_CLIENTS:
                    threshold += " (measured: %s; the suite's: %s)" % (
                        ", ".join(map(str, clients)), ", ".join(map(str, SUITE_CLIENTS)))
                if misses:
                    v = "**MISS** (%s)" % ", ".join("%d" % c for c in misses)
                elif missing:
                    v = "n/a (no figure at %s)" % ", ".join("%d" % c for c in missing)
                else:
                    v = verdict(True)
                targets.append((install, "Free slots, %s, %s tenants: book ahead of %s at every client count"
                                % (WORKLOAD_TITLES[workload], fmt(tenants), name(other)),
                                "book / %s by clients: %s" % (name(other), ", ".join(parts)), threshold, v))
        # References: the write limits, at 8 clients.
        for workload in ("free", "durable"):
            c = HEADLINE_CLIENTS if runs.select(install=install, workload=workload, clients=HEADLINE_CLIENTS) else \
                (runs.clients(install=install, workload=workload) or [None])[-1]
            if c is None:
                continue
            for other in ("write_limit", "write_limit_narrow"):
                if not runs.select(install=install, workload=workload, system=other, clients=c):
                    continue
                ratio, each = free_ratio(install, workload, other, c)
                references.append((install, "Free slots, %s, %d clients: book vs the %s" % (
                    WORKLOAD_TITLES[workload], c,
                    "write limit (booking's rows, no checks)" if other == "write_limit" else
                    "write limit with narrow rows (bigint keys, 11 columns)"),
                    ratio_text(ratio, each, tps(install, workload, "book", c), tps(install, workload, other, c))))
    # Unpreloaded against preloaded: different phases of the run, not interleaved.
    for workload in ("free", "durable"):
        if "preloaded" not in runs.installs(workload=workload) or "unpreloaded" not in runs.installs(workload=workload):
            continue
        systems = []
        for system in ("book", "seed", "textbook"):
            parts = []
            for c in runs.clients(install="unpreloaded", workload=workload, system=system):
                a, b = tps("unpreloaded", workload, system, c), tps("preloaded", workload, system, c)
                if a and b:
                    parts.append("%d: %s" % (c, fmt_x(a / b)))
            if parts:
                systems.append("%s %s" % (name(system), ", ".join(parts)))
        if systems:
            references.append(("both", "Free slots, %s: unpreloaded / preloaded tps by clients (medians; the "
                               "installs ran one after the other, not interleaved)" % WORKLOAD_TITLES[workload],
                               "; ".join(systems)))

    for system, judged in (("book", True), ("seed", False)):
        sel = runs.select(workload="history", system=system)
        if not sel:
            continue
        install = sel[0]["install"]
        ratio, each = runs.paired_ratio("p50", dict(workload="history", system=system, variant="history"),
                                        dict(workload="history", system=system, variant="fresh"))
        hp = runs.agg("p50", workload="history", system=system, variant="history")
        fp = runs.agg("p50", workload="history", system=system, variant="fresh")
        measured = "p50 %s ms vs %s ms: %s" % (fmt_ms(hp), fmt_ms(fp), ratio_only(ratio, each))
        rows = meta.get("history_rows", "1000000")
        if judged:
            targets.append((install, "History: book latency, calendar with %s past reservations vs a fresh one"
                            % fmt(num(rows)), measured, "<= 1.1x",
                            verdict(None if ratio is None else ratio <= 1.1)))
        else:
            references.append((install, "History: the seed design, the same comparison", measured))

    large = runs.select(workload="large", system="book")
    if large:
        # The same free slots on tables of large_rows past appointments: book
        # against the textbook (the target) and the write limit, paired by round.
        install = large[0]["install"]
        c = large[0]["clients"]
        other, threshold = LARGE_TARGET
        ratio, each = runs.paired_ratio("tps", dict(workload="large", system="book"),
                                        dict(workload="large", system=other))
        targets.append((install, "Large database: free slots, %s clients, synchronous_commit=off, %s past appointments "
                        "(and their audit rows) over %s tenants: book vs %s"
                        % (c, fmt(num(meta.get("large_rows"))), fmt(tenants), name(other)),
                        ratio_text(ratio, each, runs.agg("tps", workload="large", system="book"),
                                   runs.agg("tps", workload="large", system=other)),
                        ">= %.1fx" % threshold, verdict(None if ratio is None else ratio >= threshold)))
        if runs.select(workload="large", system="write_limit"):
            ratio, each = runs.paired_ratio("tps", dict(workload="large", system="book"),
                                            dict(workload="large", system="write_limit"))
            references.append((install, "Large database, %s clients, off: book vs the write limit (booking's rows, "
                               "no checks)" % c,
                               ratio_text(ratio, each, runs.agg("tps", workload="large", system="book"),
                                          runs.agg("tps", workload="large", system="write_limit"))))
        parts = []
        for s in LARGE_SYSTEMS:
            a, b = large_vs_free(runs, install, s, c)
            if a and b:
                parts.append("%s %s (%s vs %s tps)" % (name(s), fmt_x(a / b), fmt(a), fmt(b)))
        if parts:
            references.append((install, "Large database against free slots (the baseline's small tables), %s clients, "
                               "off: each system's tps (medians; different phases, not interleaved)" % c,
                               "; ".join(parts)))

    hot = runs.select(workload="hot", system="book")
    if hot:
        install = hot[0]["install"]
        busy = sum(int(num(r["busy"]) or 0) for r in hot)
        failed = sum(int(num(r["failed"]) or 0) + int(num(r["aborted"]) or 0) for r in hot)
        other = sum(int(num(r["other"]) or 0) for r in hot)
        calls = sum(int(num(r["processed"]) or 0) for r in hot)
        targets.append((install, "Hot calendar, 8 clients: no busy answers", "%d busy of %s calls" % (busy, fmt(calls)),
                        "0", verdict(busy == 0)))
        targets.append((install, "Hot calendar, 8 clients: no SQL errors (and no unexpected answers)",
                        "%d failed/aborted, %d unexpected" % (failed, other), "0",
                        verdict(failed == 0 and other == 0)))
        p99 = runs.agg("p99", workload="hot", system="book")
        worst = max(num(r["p99"]) or 0 for r in hot)
        targets.append((install, "Hot calendar, 8 clients: p99 latency",
                        "%s ms (worst run %s ms)" % (fmt_ms(p99), fmt_ms(worst)),
                        "< 5 ms", verdict(None if p99 is None else p99 < 5.0)))
        hot_tps = runs.agg("tps", workload="hot", system="book")
        free_tps = runs.agg("tps", install=install, workload="free", system="book", clients=8)
        ratio = hot_tps / free_tps if hot_tps and free_tps else None
        targets.append((install, "Hot calendar, 8 clients: throughput vs free slots (book, 8 clients, off, %s tenants)"
                        % fmt(tenants), "%s vs %s tps: %s" % (fmt(hot_tps), fmt(free_tps), fmt_x(ratio)),
                        ">= 0.3x", verdict(None if ratio is None else ratio >= 0.3)))

    flow_rows = runs.select(workload="flow")
    if runs.select(workload="flow", system="flow_otp"):
        ratio, each = runs.paired_ratio("confirmed_per_s", dict(workload="flow", system="flow_otp"),
                                        dict(workload="flow", system="book"))
        a = runs.agg("confirmed_per_s", workload="flow", system="flow_otp")
        b = runs.agg("confirmed_per_s", workload="flow", system="book")
        references.append((flow_rows[0]["install"], "Verified flow (claim_slot -> issue_otp -> verify_otp), 8 clients: "
                           "confirmed appointments/s vs book (%.2fx accepted; no target)" % FLOW_ACCEPTED,
                           ratio_text(ratio, each, a, b, unit="/s")))
    elif "flow_otp" in phases:
        references.append((flow_rows[0]["install"] if flow_rows else "", "Verified flow vs book",
                           "not available: booking.issue_otp / verify_otp not installed"))

    if mem and num(mem.get("anon_growth_kb")) is not None:
        growth = int(num(mem["anon_growth_kb"]))
        targets.append((mem.get("install", "preloaded"),
                        "Memory: a backend's private resident memory (RssAnon) over %s calls" % fmt(num(mem["calls"])),
                        "median %s kB in the 2nd tenth of the calls, %s kB in the last: %+d kB "
                        "(slope %s kB per 1M calls; max %s kB)"
                        % (fmt(num(mem["anon_median_10_20pct_kb"])), fmt(num(mem["anon_median_90_100pct_kb"])),
                           growth, mem["anon_slope_kb_per_million_calls"], fmt(num(mem["anon_max_kb"]))),
                        "no growth (<= 1 MiB)", verdict(growth <= 1024)))
    elif mem is None and "memory" in phases:
        targets.append(("", "Memory", phases["memory"], "no growth", "n/a"))

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
                                    "throwaway (initdb by bench/run), Unix socket, pgbench on the same machine; "
                                    "restarted between installs"))
    if "raw" in meta:
        L.append("| raw output (pgbench, per-transaction logs) | %s |" % meta["raw"].replace("|", "/"))
    L.append("")
    installs = runs.installs()
    if installs:
        L.append("| install | server | workloads |")
        L.append("| --- | --- | --- |")
        for i in installs:
            ws = []
            for r in runs.select(install=i):
                if r["workload"] not in ws:
                    ws.append(r["workload"])
            if mem and mem.get("install", "preloaded") == i:
                ws.append("memory")
            L.append("| %s | %s | %s |" % (i, meta.get("install_" + i, INSTALL_NAMES.get(i, i)).replace("|", "/"),
                                           ", ".join(ws)))
        L.append("")
        if "unpreloaded" in installs:
            L.append("Unpreloaded, the library loads on the first call in each backend (each pgbench connection); "
                     "the expiry worker and the shared-memory statistics do not exist there.")
            L.append("")
    sums = []
    for r in runs.rows:
        if r.get("so_md5") and r["so_md5"] not in sums:
            sums.append(r["so_md5"])
    if len(sums) > 1:
        firsts = []
        for s in sums:
            r = next(x for x in runs.rows if x.get("so_md5") == s)
            firsts.append("%s from the run `%s %s %s c=%s r=%s` on" % (s, r["install"], r["workload"], r["system"],
                                                                      r["clients"], r["rep"]))
        L.append("> **Warning:** booking.so changed on disk during the run: the runs started with %d different "
                 "files on disk (md5 %s; column so_md5 of runs.kv). An unpreloaded backend loads the file on disk "
                 "at its first call; a preloaded server keeps what it loaded when it (re)started, so its runs may "
                 "have used an older build than the file they met." % (len(sums), "; ".join(firsts)))
        L.append("")
    elif "booking_so_changed" in meta:
        L.append("> **Warning:** %s." % meta["booking_so_changed"])
        L.append("")
    if reloads:
        L.append("> **Warning:** the extension and the comparison points were created again when booking.so "
                 "changed on disk, so that the library the backends load meets the objects of its own script: %s."
                 % "; ".join(reloads))
        L.append("")
    broken = [r for r in runs.rows if num(r.get("tps")) is None or int(num(r.get("aborted")) or 0) > 0]
    if broken:
        L.append("> **Warning:** %d of %d runs failed or had clients aborted (no figures, or partial ones):"
                 % (len(broken), len(runs.rows)))
        for r in broken:
            L.append("> - %s %s %s c=%s r=%s%s: `%s`" % (r["install"], r["workload"], r["system"], r["clients"],
                                                         r["rep"], " " + r["variant"] if r.get("variant") else "",
                                                         (r.get("first_error") or "no pgbench output").replace("|", "/")))
        L.append("")
    busy_runs = [r for r in runs.rows if (num(r.get("other_cpu")) or 0) > 10.0]
    if busy_runs:
        L.append("> **Note:** in %d of %d runs more than 10%% of the machine's CPU went to work other than "
                 "the benchmark (other builds and tests, hypervisor steal; column \"other CPU %%\" below, "
                 "worst %.0f%%). Interleaving spreads that noise over the systems, but those runs are less "
                 "certain." % (len(busy_runs), len(runs.rows), max(num(r["other_cpu"]) for r in busy_runs)))
        L.append("")
    if settings:
        L += settings_table(settings)

    # ------------------------------------------------------------ targets
    L.append("## Targets")
    L.append("")
    L.append("Ratios are medians of the ratios within each interleaved round (the runs of a round ran "
             "back to back on one install); the figures beside them are medians over repetitions. "
             "Free slots: %s tenants. Hot, history, flow and memory: %s tenants."
             % (fmt(tenants), fmt(num(other_tenants))))
    L.append("")
    L.append("| install | target | measured | threshold | verdict |")
    L.append("| --- | --- | --- | --- | --- |")
    for t in targets:
        L.append("| %s | %s | %s | %s | %s |" % t)
    L.append("")
    if references:
        L.append("For reference (not targets):")
        L.append("")
        L.append("| install | what | measured |")
        L.append("| --- | --- | --- |")
        for t in references:
            L.append("| %s | %s | %s |" % t)
        L.append("")
    verdicts = [t[4] for t in targets]
    L.append("%d PASS, %d MISS, %d n/a." % (sum(v.startswith("**PASS") for v in verdicts),
                                          sum(v.startswith("**MISS") for v in verdicts),
                                          sum(v.startswith("n/a") for v in verdicts)))
    L.append("")

    # ------------------------------------------------------ free / durable
    for workload, title in (("free", "Free slots, synchronous_commit=off (CPU cost)"),
                            ("durable", "Free slots, synchronous_commit=on (durable)")):
        rows = runs.select(workload=workload)
        if not rows:
            continue
        reps = max(int(r["rep"]) for r in rows)
        L.append("## %s" % title)
        L.append("")
        L.append("%s tenants, random 30-minute slots on a 10-year grid, pgbench -M prepared, %s s per run, "
                 "%d repetition(s) of each round (book, seed, textbook, the two write limits) on each install; "
                 "medians. Latency from pgbench's per-transaction log (-l). The write limits check nothing: "
                 "they are references, not targets."
                 % (fmt(tenants), rows[0].get("seconds", "?"), reps))
        L.append("")
        for install in runs.installs(workload=workload):
            L.append("### %s" % INSTALL_NAMES.get(install, install))
            L.append("")
            L.append("| clients | system | tps | p50 ms | p99 ms | book / system | conflicts | busy | other | failed | WAL bytes/tx | WAL syncs/tx |")
            L.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
            systems = [s for s in SYSTEMS if runs.select(install=install, workload=workload, system=s)]
            systems += sorted({r["system"] for r in runs.select(install=install, workload=workload)} - set(systems))
            for c in runs.clients(install=install, workload=workload):
                for s in systems:
                    kw = dict(install=install, workload=workload, system=s, clients=c)
                    sel = runs.select(**kw)
                    if not sel:
                        continue
                    ratio = None
                    if s != "book":
                        ratio, _ = free_ratio(install, workload, s, c)
                    L.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                        c, name(s), fmt(runs.agg("tps", **kw)),
                        fmt_ms(runs.agg("p50", **kw)), fmt_ms(runs.agg("p99", **kw)),
                        fmt_x(ratio) if ratio else "",
                        sum_of(sel, "unavailable"), sum_of(sel, "busy"), sum_of(sel, "other"),
                        sum_failed(sel), fmt(runs.agg("wal_per_tx", **kw)),
                        fmt(runs.agg("syncs_per_tx", **kw), 2)))
            L.append("")
        if workload == "free":
            L.append("![throughput](throughput.png)")
            L.append("")

    if runs.select(workload="free") or runs.select(workload="durable"):
        L.append("![latency](latency.png)")
        L.append("")
        if not gnuplot:
            L.append("(The plots were not drawn: gnuplot is not installed here. `plot.gp` and the `.dat` files "
                     "are in this directory; `gnuplot plot.gp` draws them.)")
            L.append("")

    # ---------------------------------------------------------------- hot
    rows = runs.select(workload="hot")
    if rows:
        L.append("## Hot calendar")
        L.append("")
        L.append("Install: %s. One calendar of one tenant, 8 clients, random 15-90 minute requests starting at any "
                 "minute of a 4-hour window; the window moves to the next day every %s s so the calendar keeps "
                 "filling (otherwise, after the first few bookings, every call would be a conflict). "
                 "synchronous_commit=off, %s s per run. Conflicts = calls that were told the slot is taken; "
                 "overlaps = pairs of confirmed appointments whose times overlap afterwards (the seed's "
                 "check is per organisation)." % (rows[0]["install"], meta.get("hot_period", "?"),
                                                  rows[0].get("seconds", "?")))
        L.append("")
        L.append("| system | tps | p50 ms | p99 ms | max ms | booked | conflicts | busy | other | failed (SQL errors) | overlapping pairs |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for s in ("book", "seed", "textbook"):
            sel = runs.select(workload="hot", system=s)
            if not sel:
                continue
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                name(s), fmt(runs.agg("tps", workload="hot", system=s)),
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
                L.append("- %s, round %s: %s" % (name(s), rep, text))
            for s, rep, text in errs:
                L.append("- %s, round %s, pgbench: `%s`" % (name(s), rep, text))
            L.append("")

    # --------------------------------------------------------------- flow
    rows = runs.select(workload="flow")
    if rows or "flow_otp" in phases:
        L.append("## Hold -> OTP -> confirm")
        L.append("")
        L.append("%s8 clients, free slots over %s tenants, synchronous_commit=off, %s s per run. One pgbench "
                 "transaction is one caller's whole flow (three calls, three round trips, chained with "
                 "\\gset); confirmed/s counts the appointments in the table afterwards. A reference: "
                 "%.2fx of book is accepted (three round trips and three commits against one)."
                 % ("Install: %s. " % rows[0]["install"] if rows else "", fmt(num(other_tenants)),
                    rows[0].get("seconds", "?") if rows else "?", FLOW_ACCEPTED))
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
                    name(s), fmt(runs.agg("tps", workload="flow", system=s)),
                    fmt(runs.agg("confirmed_per_s", workload="flow", system=s)),
                    fmt_x(ratio) if ratio else "", fmt_ms(runs.agg("p50", workload="flow", system=s)),
                    fmt_ms(runs.agg("p99", workload="flow", system=s)),
                    "; ".join(r["odd"] for r in sel if r.get("odd")) or "none", sum_failed(sel)))
            L.append("")

    # ------------------------------------------------------------ history
    rows = runs.select(workload="history")
    if rows:
        L.append("## History")
        L.append("")
        L.append("Install: %s. Tenant 900001's calendar holds %s past reservations (loaded by INSERT ... SELECT "
                 "generate_series: 15-minute, back to back, 90%% confirmed and 10%% completed), and %s other "
                 "tenants hold a few each; tenant 900002 is fresh. One client books random future 30-minute "
                 "slots on a 100-year grid, %s s per run, the four runs of a round interleaved; before each run "
                 "the future bookings of earlier runs are deleted and the tables vacuumed, so every run meets "
                 "the same calendar. Load times: book %s s, seed %s s."
                 % (rows[0]["install"], fmt(num(meta.get("history_rows"))), fmt(num(other_tenants)),
                    rows[0].get("seconds", "?"), phases.get("history_load_book", "?"),
                    phases.get("history_load_seed", "?")))
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
                    name(s), "%s past" % fmt(num(meta.get("history_rows"))) if v == "history" else "fresh",
                    sum_of(sel, "processed"), fmt(runs.agg("tps", workload="history", system=s, variant=v), 1),
                    fmt_ms(runs.agg("p50", workload="history", system=s, variant=v)),
                    fmt_ms(runs.agg("p99", workload="history", system=s, variant=v)),
                    fmt_ms(runs.agg("mean", workload="history", system=s, variant=v)),
                    fmt_x(ratio) if ratio else ""))
        L.append("")

    # -------------------------------------------------------------- large
    rows = runs.select(workload="large")
    if rows:
        install, c = rows[0]["install"], rows[0]["clients"]
        large_rows = num(meta.get("large_rows"))
        per_tenant = large_rows / tenants if large_rows and tenants else None
        L.append("## Large database")
        L.append("")
        L.append("Install: %s. Each system's tables hold %s past appointments over %s tenants (%s per tenant; loaded "
                 "by INSERT ... SELECT generate_series: 15-minute, back to back, 90%% confirmed and 10%% completed) "
                 "besides the baseline, and one audit row for each appointment (action 'booked', details "
                 "calendar_id, starts_at, ends_at); vacuumed and analysed after loading. %s clients book random "
                 "free 30-minute slots of random tenants, as in the free-slot workload (the same scripts), "
                 "synchronous_commit=off, "
                 "%s s per run, %d round(s), the systems' order rotated each round; before each run what earlier "
                 "runs booked, and its audit rows, is deleted and the tables vacuumed, so every run meets the same "
                 "tables. Sizes are pg_total_relation_size (table, indexes, TOAST) after loading."
                 % (install, fmt(large_rows), fmt(tenants), fmt(per_tenant, 0 if per_tenant is None or
                                                                per_tenant == int(per_tenant) else 1),
                    c, rows[0].get("seconds", "?"), max(int(r["rep"]) for r in rows)))
        L.append("")
        L.append("| system | appointments (loaded + baseline) | audit rows | tables + indexes MiB | load s | calls | tps "
                 "| p50 ms | p99 ms | book / system | tps vs free slots (%s clients, off) | failed |" % c)
        L.append("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for s in LARGE_SYSTEMS:
            sel = runs.select(workload="large", system=s)
            if not sel:
                continue
            ratio = None
            if s != "book":
                ratio, _ = runs.paired_ratio("tps", dict(workload="large", system="book"),
                                             dict(workload="large", system=s))
            a, b = large_vs_free(runs, install, s, c)
            # One audit row for each appointment in the table, the baseline's too.
            loaded, audit = num(phases.get("large_rows_" + s)), num(phases.get("large_audit_" + s))
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                name(s), "%s + %s" % (fmt(loaded), fmt(audit - loaded)) if loaded is not None and audit is not None
                else fmt(loaded), fmt(audit),
                table_sizes(phases.get("large_bytes_" + s), phases.get("large_tables_" + s)),
                phases.get("large_load_" + s, "–"), sum_of(sel, "processed"),
                fmt(runs.agg("tps", workload="large", system=s)),
                fmt_ms(runs.agg("p50", workload="large", system=s)),
                fmt_ms(runs.agg("p99", workload="large", system=s)),
                fmt_x(ratio) if ratio else "", fmt_x(a / b) if a and b else "–", sum_failed(sel)))
        L.append("")
        L.append("Load s: the appointments, their audit rows, VACUUM ANALYZE. \"book / system\" is the median of "
                 "the ratios within each round; \"vs free slots\" is the large-database tps against the same "
                 "system's free-slot tps (%s tenants, the baseline's small tables) at %s clients, off, in this run "
                 "(medians of different phases)." % (fmt(tenants), c))
        L.append("")

    # ------------------------------------------------------------- memory
    if mem:
        L.append("## Memory")
        L.append("")
        if "anon_first_kb" in mem:
            L.append("Install: %s. One client, one connection, one backend (pid %s): %s calls, book and claim_slot "
                     "alternating on random free slots, synchronous_commit=off; /proc/<pid>/status sampled "
                     "%s times. RssAnon is the backend's private memory (what a leak grows); VmRSS also counts "
                     "the shared buffers it has touched. %s calls/s."
                     % (mem.get("install", "preloaded"), mem.get("pid"), fmt(num(mem["calls"])), mem["samples"],
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
    L.append("| install | workload | system | variant | sync | clients | round | tps | p50 ms | p99 ms | calls | ok | conflicts | busy | other | failed | WAL B/tx | other CPU % |")
    L.append("| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in runs.rows:
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["install"], r["workload"], r["system"], r.get("variant", ""), r["sync"], r["clients"], r["rep"],
            fmt(num(r.get("tps"))), fmt_ms(num(r.get("p50"))), fmt_ms(num(r.get("p99"))),
            fmt(num(r.get("processed"))), fmt(num(r.get("successes"))), r["unavailable"], r.get("busy", ""),
            r.get("other", ""), int(num(r.get("failed")) or 0) + int(num(r.get("aborted")) or 0),
            fmt(num(r.get("wal_per_tx"))), r.get("other_cpu", "")))
    L.append("")
    L.append("The per-run figures are in `runs.kv` (pgbench's first error, if any, in `first_error`); "
             "pgbench's own output and the per-transaction logs went to %s." % meta.get("raw", "the raw directory"))
    L.append("")
    L.append("## Method")
    L.append("")
    L.append(METHOD)

    with open(os.path.join(out, "report.md"), "w") as f:
        f.write("\n".join(L) + "\n")

    plot(out, runs, mem, gnuplot)


def settings_table(settings):
    """settings.tsv: "name value install" lines (older runs: "name value")."""
    installs, values = [], {}
    for row in settings:
        if len(row) < 2:
            continue
        install = row[2] if len(row) >= 3 else ""
        if install not in installs:
            installs.append(install)
        values.setdefault(row[0], {})[install] = row[1]
    L = ["Server settings (synchronous_commit is set per run through PGOPTIONS, see each table):", ""]
    if len(installs) <= 1:
        L += ["| setting | value |", "| --- | --- |"]
        for k in sorted(values):
            L.append("| %s | %s |" % (k, next(iter(values[k].values()))))
    else:
        L += ["| setting | %s |" % " | ".join(installs), "| --- |%s" % (" --- |" * len(installs))]
        for k in sorted(values):
            L.append("| %s | %s |" % (k, " | ".join(values[k].get(i, "–") for i in installs)))
    L.append("")
    return L


def ratio_text(ratio, each, a, b, unit=" tps"):
    return "%s vs %s%s: %s" % (fmt(a), fmt(b), unit, ratio_only(ratio, each))


def ratio_only(ratio, each):
    if ratio is None:
        return "–"
    if len(each) > 1:
        return "**%.2fx** (rounds: %s)" % (ratio, ", ".join("%.2f" % e for e in each))
    return "**%.2fx**" % ratio


def large_vs_free(runs, install, system, clients):
    """A system's median tps on the large database and in the free-slot workload (same install and clients)."""
    return (runs.agg("tps", install=install, workload="large", system=system, clients=clients),
            runs.agg("tps", install=install, workload="free", system=system, clients=clients))


def table_sizes(total, tables):
    """large_bytes_* and large_tables_* ("schema.table:bytes,...") -> "1,234 (table 800, audit_log 434)"."""
    if num(total) is None:
        return "–"
    parts = []
    for item in (tables or "").split(","):
        if ":" in item:
            t, b = item.rsplit(":", 1)
            if (num(b) or 0) >= 1048576:
                parts.append("%s %s" % (t.split(".")[-1], fmt(num(b) / 1048576)))
    return fmt(num(total) / 1048576) + (" (%s)" % ", ".join(parts) if parts else "")


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
- Two installs, one after the other in one run: the cluster with `shared_preload_libraries = 'booking'`
  (the expiry worker, shared-memory statistics) and, restarted, with none (the library loads on the first
  call in each backend). Free and durable run on each; the other workloads on the preloaded one.
- Before every run (but the history and large-database runs) the system's tables are emptied and given a small
  baseline (2 past appointments for each of about 1000 tenants spread over the tenant range, analysed), then a
  CHECKPOINT; autovacuum is off, so nothing else runs during a measurement. The history and large-database runs
  keep their loaded tables: before each, what earlier runs booked is deleted and the tables vacuumed.
- Runs are interleaved: for each install and client count, round 1 runs book, seed, textbook, the write limits
  back to back, then round 2 the same, and so on. Figures are medians over rounds; ratios are medians of the
  within-round ratios. Ratios between installs compare medians of different phases (not interleaved).
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


def plot(out, runs, mem, gnuplot):
    """throughput.png and latency.png: one panel per install (rows) and workload (columns)."""
    have = [w for w in ("free", "durable") if runs.select(workload=w)]
    installs = [i for i in runs.installs() if any(runs.select(install=i, workload=w) for w in have)]
    series = [s for s in SYSTEMS if any(runs.select(workload=w, system=s) for w in have)]
    panels = []  # (install, workload, dat path, the series with figures)
    for i in installs:
        for w in have:
            path = "%s-%s.dat" % (w, i)
            panels.append((i, w, path, [k for k, s in enumerate(series)
                                        if runs.agg("tps", install=i, workload=w, system=s) is not None]))
            clients = runs.clients(install=i, workload=w)
            with open(os.path.join(out, path), "w") as f:
                f.write("# clients " + " ".join("%s_tps %s_p50 %s_p99" % (s, s, s) for s in series) + "\n")
                for c in clients:
                    vals = []
                    for s in series:
                        for field in ("tps", "p50", "p99"):
                            v = runs.agg(field, install=i, workload=w, system=s, clients=c)
                            vals.append("NaN" if v is None else "%.6g" % v)
                    f.write("%d %s\n" % (c, " ".join(vals)))
    titles = {"free": "synchronous\\_commit=off (CPU cost)", "durable": "synchronous\\_commit=on (durable)"}
    colors = {"book": "#d62728", "book_events_off": "#ff7f0e", "seed": "#1f77b4", "textbook": "#2ca02c",
              "write_limit": "#7f7f7f", "write_limit_narrow": "#bcbd22"}
    all_clients = sorted({int(r["clients"]) for r in runs.rows if r["workload"] in have}) or [1]
    cols, rows = max(1, len(have)), max(1, len(installs))
    gp = ["set terminal pngcairo size %d,%d font 'sans,10'" % (560 * cols, 80 + 420 * rows),
          "set datafile missing 'NaN'", "set key below maxrows %d" % max(1, math.ceil(len(series) / 2.0)),
          "set grid", "set xlabel 'clients'",
          "set logscale x 2", "set xrange [%g:%g]" % (all_clients[0] / 1.3, all_clients[-1] * 1.3),
          "set xtics (%s)" % ", ".join(str(c) for c in all_clients)]
    header = len(gp)
    if panels:
        gp.append("set output 'throughput.png'")
        gp.append("set multiplot layout %d,%d title 'Free slots: throughput (median of rounds); rows: installs'"
                  % (rows, cols))
        gp.append("set ylabel 'transactions per second'")
        gp.append("set yrange [0:*]")
        for i, w, path, valid in panels:
            gp.append("set title '%s: %s'" % (i, titles[w]))
            parts = []
            for k, s in enumerate(series):
                if k not in valid:
                    continue
                parts.append("'%s' using 1:%d with linespoints lw 2 pt 7 lc rgb '%s' title '%s'"
                             % (path, 2 + 3 * k, colors.get(s, "#000000"), name(s)))
            gp.append("plot " + ", ".join(parts))
        gp.append("unset multiplot")
        gp.append("set terminal pngcairo size %d,%d font 'sans,10'" % (560 * cols, 80 + 500 * rows))
        gp.append("set key below maxrows %d samplen 2 font ',9'" % max(1, len(series)))
        gp.append("set output 'latency.png'")
        gp.append("set multiplot layout %d,%d title 'Free slots: latency p50 (solid) and p99 (dashed), "
                  "from pgbench -l; rows: installs'" % (rows, cols))
        gp.append("set ylabel 'milliseconds'")
        gp.append("set logscale y 10")
        gp.append("set yrange [*:*]")
        for i, w, path, valid in panels:
            gp.append("set title '%s: %s'" % (i, titles[w]))
            parts = []
            for k, s in enumerate(series):
                if k not in valid:
                    continue
                parts.append("'%s' using 1:%d with linespoints lw 2 pt 7 lc rgb '%s' title '%s p50'"
                             % (path, 3 + 3 * k, colors.get(s, "#000000"), name(s)))
                parts.append("'%s' using 1:%d with linespoints lw 2 dt 2 pt 6 lc rgb '%s' title '%s p99'"
                             % (path, 4 + 3 * k, colors.get(s, "#000000"), name(s)))
            gp.append("plot " + ", ".join(parts))
        gp.append("unset multiplot")
        gp.append("unset logscale y")
    mem_dat = "memory.dat"
    if mem and os.path.exists(os.path.join(out, mem_dat)):
        gp += ["set terminal pngcairo size 1120,420 font 'sans,10'",
               "set output 'memory.png'",
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
    if len(gp) > header:
        if gnuplot:
            subprocess.run([gnuplot, "plot.gp"], cwd=out, check=False)
        else:
            print("report.py: gnuplot is not installed: plots not drawn (plot.gp and the .dat files are written; "
                  "apt-get install gnuplot-nox, then gnuplot plot.gp in %s)" % out, file=sys.stderr)


if __name__ == "__main__":
    main()
