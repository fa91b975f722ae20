"""Helper of Benchmarks/exporter-bench.sh (standard library only).

    python3 Benchmarks/exporter_bench.py compare LAZARUS.prom PEER.prom
        Checks that every series the peer's custom queries give has the same value in Lazarus's
        exposition (relative tolerance 1e-9; the peer's `server` label dropped, its
        lazarus_outcomes_pending_loans read as lazarus_outcomes_pending). Prints one line:
        "agree N" or "differ N of M: name{labels} lazarus=… peer=…; …" (also naming any metric of the
        YAML the peer did not give).

    python3 Benchmarks/exporter_bench.py table VALUES
        Prints the final markdown table from the KEY=VALUE lines the script recorded.
"""

import math
import re
import sys

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
RENAMED = {"lazarus_outcomes_pending_loans": "lazarus_outcomes_pending"}
# What Benchmarks/postgres-exporter-queries.yaml must give (after the renaming above).
EXPECTED = [
    "lazarus_decisions_total", "lazarus_last_decision_timestamp_seconds", "lazarus_outcomes_total",
    "lazarus_outcomes_pending", "lazarus_explore_rate", "lazarus_exploration_losses_dollars_total",
    "lazarus_exploration_exposure_dollars", "lazarus_good_loans_found_total", "lazarus_projected_revenue_lift_dollars",
    "lazarus_loss_budget_granted_dollars", "lazarus_loss_budget_remaining_dollars", "lazarus_loss_budget_exhausted",
    "lazarus_ipw_effective_sample_size", "lazarus_ipw_weight_max",
]


def parse(path, peer):
    series = {}
    with open(path) as text:
        for line in text:
            match = SAMPLE.match(line.strip())
            if not match or not match.group(1).startswith("lazarus_"):
                continue
            name, labels, value = match.groups()
            pairs = dict(LABEL.findall(labels or ""))
            if peer:
                pairs.pop("server", None)
                name = RENAMED.get(name, name)
            series[(name, tuple(sorted(pairs.items())))] = float(value)
    return series


def show(key):
    name, labels = key
    return name + ("{" + ",".join(f'{k}="{v}"' for k, v in labels) + "}" if labels else "")


def compare(lazarus_path, peer_path):
    ours, theirs = parse(lazarus_path, False), parse(peer_path, True)
    differences = [f"{name} missing from the peer" for name in EXPECTED if name not in {n for n, _ in theirs}]
    for key, value in sorted(theirs.items()):
        mine = ours.get(key)
        if mine is None:
            differences.append(f"{show(key)} lazarus=missing peer={value!r}")
        elif not (math.isclose(mine, value, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(mine) and math.isnan(value))):
            differences.append(f"{show(key)} lazarus={mine!r} peer={value!r}")
    if differences:
        print(f"differ {len(differences)} of {len(theirs)}: " + "; ".join(differences))
    else:
        print(f"agree {len(theirs)}")


def table(path):
    v = {}
    with open(path) as text:
        for line in text:
            if "=" in line:
                key, value = line.rstrip("\n").split("=", 1)
                v[key] = value

    def num(key):
        try:
            return float(v[key])
        except (KeyError, ValueError):
            return math.nan

    def fmt(x, digits=3):
        return "n/a" if math.isnan(x) else f"{x:,.{digits}f}"

    def ratio(a, b, digits=2):
        return "n/a" if math.isnan(a) or math.isnan(b) or b == 0 else f"{a / b:,.{digits}f}"

    def verdict(ok):
        return "n/a" if ok is None else ("yes" if ok else "**no**")

    mib = 1024 * 1024
    aim_bytes = 100e6
    rows = []
    rows.append((
        "data", f"{fmt(num('decisions'), 0)} decisions, {fmt(num('outcomes'), 0)} outcomes, "
        f"{fmt(num('ledger'), 0)} ledger rows; {fmt(num('database_mib'), 0)} MiB in PostgreSQL", "", ""))
    load = f"{fmt(num('load_seconds'), 1)} s ({v.get('load_timings', '')})"
    rows.append(("load: lazarus-sim --replace (wall)", load, "", ""))
    rows.append(("VACUUM ANALYZE", f"{fmt(num('vacuum_seconds'), 1)} s", "", ""))
    psql = num("psql_seconds")
    rows.append(("psql -f exporter-aggregates.sql (median of 3)", f"{fmt(psql)} s", "", ""))
    ready = num("ready_seconds")
    cold_ok = None if math.isnan(ready) or math.isnan(psql) else ready <= 1.5 * psql
    rows.append((
        "exporter cold start: process start to /readyz 200", f"{fmt(ready)} s = {ratio(ready, psql)} x psql",
        "<= 1.5 x psql", verdict(cold_ok)))
    first = num("cold_refresh_seconds")
    rows.append((
        "exporter first refresh (its log line)",
        f"{fmt(first)} s = {ratio(first, psql)} x psql ({v.get('cold_refresh_rows', '?')})", "", ""))
    once = num("once_seconds")
    rows.append(("lazarus-exporter --once (median of 3)", f"{fmt(once)} s = {ratio(once, psql)} x psql", "", ""))
    for when in ("cold", "load"):
        rss, hwm = num(f"rss_{when}_kib") * 1024, num(f"hwm_{when}_kib") * 1024
        ok = None if math.isnan(hwm) else hwm < aim_bytes
        label = "after cold start" if when == "cold" else "after the wrk run"
        rows.append((
            f"exporter memory {label}: VmRSS / VmHWM", f"{fmt(rss / mib, 1)} / {fmt(hwm / mib, 1)} MiB",
            "< 100 MB (95.4 MiB)", verdict(ok)))
    def load(who, label):
        completed, duration = num(f"{who}_requests"), num(f"{who}_wrk_seconds")
        rows.append((f"{label} idle scrape (curl, median of {5 if who == 'lazarus' else 3})",
                     f"{fmt(num(f'{who}_idle_ms'), 1)} ms", "", ""))
        if completed > 0:
            latency = " / ".join(fmt(num(f"{who}_{p}_ms"), 1) for p in ("p50", "p90", "p99", "max")) + " ms"
        else:
            latency = f"none completed in {fmt(duration, 1)} s: every percentile > {fmt(duration, 1)} s"
        rows.append((f"{label} under wrk -t2 -c50: p50 / p90 / p99 / max", latency, "", ""))
        rows.append((
            f"{label} under wrk: requests/s (completed, errors)",
            f"{fmt(num(f'{who}_rps'), 2)} ({fmt(completed, 0)} completed in "
            f"{fmt(duration, 1)} s; {v.get(f'{who}_errors', '?')})", "", ""))

    load("lazarus", "Lazarus")
    load("peer", "peer")
    lazarus_p99 = num("lazarus_p99_ms")
    if num("peer_requests") > 0:
        p99 = num("peer_p99_ms") / lazarus_p99 if lazarus_p99 > 0 else math.nan
        rows.append(("scrape p99 ratio peer / Lazarus", f"{fmt(p99, 1)} x", ">= 100 x",
                     verdict(None if math.isnan(p99) else p99 >= 100)))
    else:
        bound = 1000 * num("peer_wrk_seconds") / lazarus_p99 if lazarus_p99 > 0 else math.nan
        rows.append(("scrape p99 ratio peer / Lazarus", f"> {fmt(bound, 1)} x (the peer completed no scrape)",
                     ">= 100 x", verdict(None if math.isnan(bound) else bound >= 100)))
    rows.append(("peer memory after the wrk run: VmRSS / VmHWM",
                 f"{fmt(num('peer_rss_kib') / 1024, 1)} / {fmt(num('peer_hwm_kib') / 1024, 1)} MiB", "", ""))
    labels = {
        "0": "catch-up refresh, 0 new rows (median of 3)",
        "10000": "catch-up refresh after +10,000 applications (first after the cold start)",
        "10000-again": "catch-up refresh after +10,000 applications again",
        "100000": "catch-up refresh after +100,000 applications",
    }
    for step, label in labels.items():
        seconds, rows_read = num(f"catchup_{step}_seconds"), num(f"catchup_{step}_rows")
        per = f", {fmt(1000 * seconds / rows_read, 4)} s per 1,000 rows" if rows_read > 0 else ""
        rows.append((label, f"{fmt(seconds, 4)} s ({v.get(f'catchup_{step}_detail', '')}{per})", "", ""))
    for base in ("10000-again", "10000"):
        small, large = num(f"catchup_{base}_seconds"), num("catchup_100000_seconds")
        rows_ratio = num("catchup_100000_rows") / num(f"catchup_{base}_rows")
        which = "the second" if base == "10000-again" else "the first"
        rows.append((
            f"catch-up time ratio: +100,000 / {which} +10,000 (rows ratio)",
            f"{ratio(large, small)} ({fmt(rows_ratio, 2)})", "proportional to the new rows", ""))
    rows.append(("peer's metrics equal Lazarus's (same rows, before the catch-ups)", v.get("agreement", "?"), "", ""))

    print("| measure | value | aim | met |")
    print("| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "table":
        table(sys.argv[2])
    else:
        sys.exit(__doc__)
