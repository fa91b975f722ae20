#!/usr/bin/env bash
# Exporter benchmark (issue 5): lazarus-exporter against Debian's prometheus-postgres-exporter serving the same
# metrics as --extend.query-path custom queries (Benchmarks/postgres-exporter-queries.yaml), in one run on one
# throwaway PostgreSQL holding APPLICATIONS simulated decisions.
#   bash Benchmarks/exporter-bench.sh [APPLICATIONS] [WRK_SECONDS]      (defaults: 10000000, 30)
# Measures, one thing at a time (never both exporters under load together):
#   - cold start: a bare `psql -f Benchmarks/exporter-aggregates.sql` (median of 3) against lazarus-exporter's
#     process start to /readyz 200, its first refresh, and `lazarus-exporter --once` (median of 3);
#   - memory: the serving exporter's VmRSS/VmHWM after the cold start and after the wrk run;
#   - scrape latency: `wrk -t2 -c50` on /metrics, Lazarus then the peer, with a --timeout (60 s, or the run's
#     length + 30 s when longer) that outlasts the run, so slow scrapes are measured, not dropped
#     (Benchmarks/wrk-report.lua prints the percentiles and counts);
#   - catch-up: the refresh after 0, +10,000, +10,000 again and +100,000 appended applications
#     (`lazarus-sim --append`, new ids and a new budget period each time);
#   - that the peer's metrics equal Lazarus's on the same rows.
# Prints a markdown table; raw outputs stay in /tmp/lazarus-exporter-bench.XXXXXX (path printed at the end).
# Environment: LAZARUS_BENCH_NO_BUILD=1 uses .build/release as it is; LAZARUS_BENCH_BIN=DIR uses the lazarus-sim
# and lazarus-exporter in DIR; LAZARUS_BENCH_PEER_WRK_SECONDS gives the peer a longer wrk run than WRK_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
applications=${1:-10000000}
wrk_seconds=${2:-30}
peer_wrk_seconds=${LAZARUS_BENCH_PEER_WRK_SECONDS:-$wrk_seconds}

LAZARUS_PACKAGES+=(wrk prometheus-postgres-exporter python3)
lazarus_install_packages
if [ -n "${LAZARUS_BENCH_BIN:-}" ]; then
    bin=$(cd "$LAZARUS_BENCH_BIN" && pwd)
elif [ "${LAZARUS_BENCH_NO_BUILD:-0}" = 1 ]; then
    bin=$PWD/.build/release
else
    swift build -c release --product lazarus-sim >/dev/null
    swift build -c release --product lazarus-exporter >/dev/null
    bin=$(swift build -c release --show-bin-path)
fi
# The Debian package's own service (port 9187, configured in /etc/default) is left alone: the benchmark runs
# its own instance with an explicit, cleared environment on a free loopback port.
peer_bin=/usr/bin/prometheus-postgres-exporter
queries=$PWD/Benchmarks/postgres-exporter-queries.yaml
lua=$PWD/Benchmarks/wrk-report.lua
results=$(mktemp -d /tmp/lazarus-exporter-bench.XXXXXX)
chmod 755 "$results"
values=$results/values.txt
pids=()

stop_process() {  # pid: SIGTERM, then wait for it (it is our child)
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
cleanup() {
    for pid in "${pids[@]}"; do stop_process "$pid"; done
    lazarus_stop_postgres
    echo "raw outputs: $results" >&2
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f\n", b - a }'; }
record() { echo "$1=$2" >>"$values"; printf '    %s = %s\n' "$1" "$2" >&2; }
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }  # pid VmRSS|VmHWM
http_code() { curl -s -o /dev/null -w '%{http_code}' "$1" || true; }
wait_for_200() {  # pid url log: until url answers 200, failing if the process exits first
    until [ "$(http_code "$2")" = 200 ]; do
        kill -0 "$1" 2>/dev/null || { echo "error: the process serving $2 exited:" >&2; tail -5 "$3" >&2; return 1; }
        sleep 0.05
    done
}
metric() { awk -v m="$1" '$1 == m { print $2 }' "$2"; }  # unlabelled sample value from an exposition
field() { awk -v k="$1" '{ for (i = 1; i <= NF; i++) { split($i, f, "="); if (f[1] == k) print f[2] } }'; }  # KEY=VALUE
wrk_field() { grep '^wrk-report ' "$2" | field "$1"; }
log_field() { field "$1"; }
# wrk with 2 threads and 50 connections for DURATION seconds; records NAME_requests, NAME_p99_ms, … . The
# timeout (at least 60 s) outlasts the run, so every response that completes is measured, however slow.
run_wrk() {  # name duration url
    local timeout=$(($2 + 30 > 60 ? $2 + 30 : 60))
    wrk -t2 -c50 -d"$2s" --timeout "${timeout}s" --latency -s "$lua" "$3" | tee "$results/wrk-$1.txt" >&2
    for k in requests seconds rps p50_ms p90_ms p99_ms max_ms; do
        record "$1_${k/#seconds/wrk_seconds}" "$(wrk_field "$k" "$results/wrk-$1.txt")"
    done
    record "$1_errors" "$(for k in connect_errors read_errors write_errors timeouts non2xx; do
        printf '%s=%s ' "$k" "$(wrk_field "$k" "$results/wrk-$1.txt")"; done | sed 's/ $//')"
}
refresh_lines() { grep -E ' refresh$' "$1" || true; }  # the exporter's debug line per refresh (not "refresh failed")

lazarus_start_postgres
pg=$LAZARUS_TEST_POSTGRES_URL
case $pg in *\?*) separator='&' ;; *) separator='?' ;; esac
peer_dsn="$pg${separator}sslmode=disable&application_name=exporter-bench-peer"
psql -X -q -At "$pg" -c "SELECT version()" -c "SHOW shared_buffers" -c "SHOW work_mem" \
    -c "SHOW max_parallel_workers_per_gather" >"$results/postgres.txt"
{
    ls -l --time-style=full-iso "$bin/lazarus-exporter" "$bin/lazarus-sim"
    "$peer_bin" --version 2>&1 | head -1
    wrk --version 2>&1 | head -1 || true
} >"$results/versions.txt"

lazarus_log "loading $applications applications: lazarus-sim --replace"
t0=$(now)
"$bin/lazarus-sim" --store "$pg" --applications "$applications" --replace --timings >"$results/load.txt" 2>&1
t1=$(now)
record load_seconds "$(elapsed "$t0" "$t1")"
record load_timings "$(sed -n 's/^timings: //p' "$results/load.txt")"
t0=$(now)
psql -X -q "$pg" -c "VACUUM ANALYZE"
t1=$(now)
record vacuum_seconds "$(elapsed "$t0" "$t1")"
record decisions "$(psql -X -At "$pg" -c "SELECT count(*) FROM lazarus_decisions")"
record outcomes "$(psql -X -At "$pg" -c "SELECT count(*) FROM lazarus_outcomes")"
record ledger "$(psql -X -At "$pg" -c "SELECT count(*) FROM lazarus_budget_ledger")"
record database_mib "$(psql -X -At "$pg" -c "SELECT pg_database_size(current_database()) / 1048576.0")"

lazarus_log "cold start reference: psql -f Benchmarks/exporter-aggregates.sql x 3"
for i in 1 2 3; do
    t0=$(now)
    psql -X -q -v ON_ERROR_STOP=1 "$pg" -f Benchmarks/exporter-aggregates.sql >"$results/psql-aggregates.txt"
    t1=$(now)
    elapsed "$t0" "$t1" | tee -a "$results/psql-seconds.txt" >&2
done
record psql_seconds "$(median <"$results/psql-seconds.txt")"

lazarus_log "lazarus-exporter --once x 3"
for i in 1 2 3; do
    t0=$(now)
    "$bin/lazarus-exporter" --store "$pg" --once >"$results/once.prom"
    t1=$(now)
    elapsed "$t0" "$t1" | tee -a "$results/once-seconds.txt" >&2
done
record once_seconds "$(median <"$results/once-seconds.txt")"

lazarus_log "lazarus-exporter: cold start to /readyz"
port=$(lazarus_free_port)
lazarus_url="http://127.0.0.1:$port"
lazarus_logfile=$results/lazarus-exporter.log
t0=$(now)
LAZARUS_LOG_LEVEL=debug "$bin/lazarus-exporter" --store "$pg" --listen "127.0.0.1:$port" --refresh-interval 3600 \
    >/dev/null 2>"$lazarus_logfile" &
lazarus_pid=$!
pids+=("$lazarus_pid")
wait_for_200 "$lazarus_pid" "$lazarus_url/readyz" "$lazarus_logfile"
t1=$(now)
record ready_seconds "$(elapsed "$t0" "$t1")"
record rss_cold_kib "$(status_kib "$lazarus_pid" VmRSS)"
record hwm_cold_kib "$(status_kib "$lazarus_pid" VmHWM)"
first=$(refresh_lines "$lazarus_logfile" | head -1)
record cold_refresh_seconds "$(log_field seconds <<<"$first")"
record cold_refresh_rows "$(log_field decisions <<<"$first") decisions + $(log_field outcomes <<<"$first") outcomes"

lazarus_log "Lazarus: idle scrapes x 5, then wrk -t2 -c50 -d${wrk_seconds}s"
for i in 1 2 3 4 5; do
    curl -s -o "$results/lazarus.prom" -w '%{time_total}\n' "$lazarus_url/metrics" \
        >>"$results/lazarus-idle-seconds.txt"
done
record lazarus_idle_ms "$(median <"$results/lazarus-idle-seconds.txt" | awk '{ print 1000 * $1 }')"
run_wrk lazarus "$wrk_seconds" "$lazarus_url/metrics"
record rss_load_kib "$(status_kib "$lazarus_pid" VmRSS)"
record hwm_load_kib "$(status_kib "$lazarus_pid" VmHWM)"

lazarus_log "peer: prometheus-postgres-exporter with the custom queries"
peer_port=$(lazarus_free_port)
peer_url="http://127.0.0.1:$peer_port"
peer_logfile=$results/postgres-exporter.log
# env -i: no PG_EXPORTER_* or DATA_SOURCE_* variable of this shell reaches it; only the flags below count.
env -i PATH=/usr/bin:/bin DATA_SOURCE_NAME="$peer_dsn" "$peer_bin" --web.listen-address="127.0.0.1:$peer_port" \
    --extend.query-path="$queries" --disable-default-metrics --disable-settings-metrics \
    --no-collector.database --no-collector.bgwriter --log.level=info >"$peer_logfile" 2>&1 &
peer_pid=$!
pids+=("$peer_pid")
wait_for_200 "$peer_pid" "$peer_url/" "$peer_logfile"
curl -s -o "$results/postgres-exporter-first.prom" "$peer_url/metrics"  # opens its connection
for i in 1 2 3; do
    curl -s -o "$results/postgres-exporter.prom" -w '%{time_total}\n' "$peer_url/metrics" \
        >>"$results/peer-idle-seconds.txt"
done
record peer_idle_ms "$(median <"$results/peer-idle-seconds.txt" | awk '{ print 1000 * $1 }')"
if [ "$(metric pg_up "$results/postgres-exporter.prom")" != 1 ] \
    || [ "$(metric pg_exporter_last_scrape_error "$results/postgres-exporter.prom")" != 0 ]; then
    echo "error: prometheus-postgres-exporter could not scrape (see $peer_logfile)" >&2
    exit 1
fi
# The same rows for both (nothing has been appended yet): every peer series must equal Lazarus's.
record agreement "$(python3 Benchmarks/exporter_bench.py compare "$results/lazarus.prom" "$results/postgres-exporter.prom")"

lazarus_log "peer: wrk -t2 -c50 -d${peer_wrk_seconds}s"
run_wrk peer "$peer_wrk_seconds" "$peer_url/metrics"
record peer_rss_kib "$(status_kib "$peer_pid" VmRSS)"
record peer_hwm_kib "$(status_kib "$peer_pid" VmHWM)"
# Scrapes wrk gave up on are still queued in the peer (its queries take no cancellation): stop it and end its
# queries, so that nothing of it runs during the catch-up.
stop_process "$peer_pid"
peer_backends="FROM pg_stat_activity WHERE application_name = 'exporter-bench-peer'"
psql -X -q -At "$pg" -c "SELECT count(pg_terminate_backend(pid)) $peer_backends" >/dev/null
for _ in $(seq 600); do
    [ "$(psql -X -At "$pg" -c "SELECT count(*) $peer_backends")" = 0 ] && break
    sleep 0.1
done

# +10,000 twice: the first catch-up after a cold start can also pay a one-off cost (a hash table of the
# approved loans outgrowing its capacity), which the second shows apart.
lazarus_log "catch-up: Lazarus refreshes after 0, +10,000, +10,000 again and +100,000 applications"
scrape_refresh() {  # one scrape that waits for its refresh; prints the refresh duration it served
    curl -s -H 'X-Prometheus-Scrape-Timeout-Seconds: 3600' -o "$results/catchup.prom" "$lazarus_url/metrics"
    metric lazarus_refresh_duration_seconds "$results/catchup.prom"
}
for i in 1 2 3; do
    sleep 1
    scrape_refresh >>"$results/catchup-0-seconds.txt"
done
record catchup_0_seconds "$(median <"$results/catchup-0-seconds.txt")"
record catchup_0_rows 0
record catchup_0_detail "no rows"
seed=7
for step in 10000 10000-again 100000; do
    added=${step%-again}
    t0=$(now)
    # One day each: an appended run starts the day after the store's last decision, and 60-day appends
    # would date rows after the exporter's clock, which it holds as future_timestamp instead of counting.
    "$bin/lazarus-sim" --store "$pg" --append --applications "$added" --days 1 --seed "$seed" --timings \
        >"$results/append-$step.txt" 2>&1
    t1=$(now)
    lazarus_log "appended $added applications in $(elapsed "$t0" "$t1") s"
    seed=$((seed + 1))
    before=$(refresh_lines "$lazarus_logfile" | wc -l)
    record "catchup_${step}_seconds" "$(scrape_refresh)"
    line=$(refresh_lines "$lazarus_logfile" | tail -n +"$((before + 1))" | head -1)
    echo "$line" >>"$results/catchup-refresh-lines.txt"
    read_decisions=$(log_field decisions <<<"$line")
    read_outcomes=$(log_field outcomes <<<"$line")
    logged=$(log_field seconds <<<"$line" | awk '{ printf "%.4f", $1 }')
    record "catchup_${step}_rows" "$((read_decisions + read_outcomes))"
    record "catchup_${step}_detail" "$read_decisions decisions + $read_outcomes outcomes read; log: $logged s"
done
refresh_lines "$lazarus_logfile" | wc -l | xargs printf 'refreshes logged: %s\n' >>"$results/catchup-refresh-lines.txt"
stop_process "$lazarus_pid"

{
    echo
    echo "exporter-bench: $applications applications, wrk ${wrk_seconds} s (peer ${peer_wrk_seconds} s)," \
        "$(date -u +%F), $(nproc) cores,"
    echo "$(head -1 "$results/postgres.txt" | cut -d' ' -f1-2)," \
        "$(grep -o 'postgres_exporter, version [0-9.]*' "$results/versions.txt")," \
        "$(grep -o '^wrk [^ ]*' "$results/versions.txt"), binaries in $bin"
    echo
    python3 Benchmarks/exporter_bench.py table "$values"
} | tee "$results/table.md"
