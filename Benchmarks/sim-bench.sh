#!/usr/bin/env bash
# Simulator benchmark: lazarus-sim with N applications into SQLite and into PostgreSQL, against the
# store's own bulk-write speed measured in the same run by lazarus-store-bench.
#   bash Benchmarks/sim-bench.sh [APPLICATIONS] [REPEATS]     (defaults: 1000000, 3)
# Prints each run and a table of medians: simulate time, write time and rate, the store's decision
# write rate, and the simulation's share of the total.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
applications=${1:-1000000}
repeats=${2:-3}

lazarus_install_packages
swift build -c release --product lazarus-sim >/dev/null
swift build -c release --product lazarus-store-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d /tmp/lazarus-sim-bench.XXXXXX)
trap 'lazarus_stop_postgres; rm -rf "$work"' EXIT
lazarus_start_postgres
results="$work/results.txt"

for target in "sqlite sqlite:$work/sim.sqlite" "postgres $LAZARUS_TEST_POSTGRES_URL"; do
    set -- $target
    backend=$1
    url=$2
    lazarus_log "lazarus-sim, $backend, $applications applications x $repeats"
    for _ in $(seq "$repeats"); do
        # Start from an empty store, outside the timed region: --replace would time the deletion too.
        if [ "$backend" = sqlite ]; then
            rm -f "$work"/sim.sqlite*
        else
            psql -q "$url" -c "DROP TABLE IF EXISTS lazarus_decisions, lazarus_outcomes, lazarus_budget_ledger,
                lazarus_models, lazarus_budget_state, lazarus_schema_migrations"
        fi
        "$bin/lazarus-sim" --store "$url" --applications "$applications" --timings 2>&1 >/dev/null \
            | awk -v b="$backend" '/^timings:/ { print b, "simulate", $3; print b, "write", $6; print b, "rate", substr($8, 2) }' \
            | tee -a "$results"
    done
    lazarus_log "lazarus-store-bench, $backend, $applications decisions x $repeats"
    "$bin/lazarus-store-bench" --store "$url" --rows "$applications" --repeats "$repeats" \
        | awk '$2 == "write" { print $1, "store-write-rate", $5 }' | tee -a "$results"
done

median() { awk -v b="$1" -v k="$2" '$1 == b && $2 == k { print $3 }' "$results" | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "| backend | simulate s | write s | write rows/s | store-bench decision write rows/s | write rate ratio | simulate share |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for backend in sqlite postgres; do
    awk -v b="$backend" -v s="$(median "$backend" simulate)" -v w="$(median "$backend" write)" \
        -v r="$(median "$backend" rate)" -v p="$(median "$backend" store-write-rate)" 'BEGIN {
        printf "| %s | %.2f | %.2f | %d | %d | %.2f | %.0f %% |\n", b, s, w, r, p, r / p, 100 * s / (s + w) }'
done
