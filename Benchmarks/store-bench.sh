#!/usr/bin/env bash
# Store benchmark against the databases' own tools, in one run on one machine.
#   bash Benchmarks/store-bench.sh [ROWS] [REPEATS]      (defaults: 1000000 rows, 5 repeats)
# Lazarus: bulk write (binary COPY / one prepared-statement transaction) and streaming read into Swift rows.
# Peers, on the same rows and the same table with the same indexes:
#   PostgreSQL: psql "\copy … FROM file CSV" and psql -c "COPY … TO STDOUT" > /dev/null
#   SQLite:     sqlite3 ".import --csv" and sqlite3 "SELECT * …" > /dev/null
# Prints every run and a table of medians and ratios (Lazarus time / peer time; below 1 is faster).
# Environment: LAZARUS_BENCH_BIN=DIR uses the lazarus-store-bench and lazarus-store in DIR (another build, to
# compare two versions in one session) instead of building this checkout's.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
rows=${1:-1000000}
repeats=${2:-5}

lazarus_install_packages
if [ -n "${LAZARUS_BENCH_BIN:-}" ]; then
    bin=$(cd "$LAZARUS_BENCH_BIN" && pwd)
else
    swift build -c release --product lazarus-store-bench >/dev/null
    swift build -c release --product lazarus-store >/dev/null
    bin=$(swift build -c release --show-bin-path)
fi
work=$(mktemp -d /tmp/lazarus-bench.XXXXXX)
chmod 755 "$work"
trap 'lazarus_stop_postgres; rm -rf "$work"' EXIT
lazarus_start_postgres
pg=$LAZARUS_TEST_POSTGRES_URL
results="$work/results.txt"
columns="application_id, decided_at, variant, approved, reason, propensity, score, model_version, loan_amount,
    age, annual_income, debt_to_income, credit_score, credit_history_months, recent_bankruptcy"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
record() { echo "$1 $2 $rows $3" | tee -a "$results"; }

lazarus_log "Lazarus, PostgreSQL ($rows rows x $repeats)"
"$bin/lazarus-store-bench" --store "$pg" --rows "$rows" --repeats "$repeats" --keep | tee -a "$results"
psql -q "$pg" -c "\\copy lazarus_decisions ($columns) TO '$work/decisions.csv' CSV"

lazarus_log "peer: psql \\copy and COPY TO STDOUT"
for _ in $(seq "$repeats"); do
    psql -q "$pg" -c "TRUNCATE lazarus_decisions"
    t0=$(now)
    psql -q "$pg" -c "\\copy lazarus_decisions ($columns) FROM '$work/decisions.csv' CSV"
    t1=$(now)
    psql -q "$pg" -c "COPY lazarus_decisions ($columns) TO STDOUT" >/dev/null
    t2=$(now)
    record psql write "$(elapsed "$t0" "$t1")"
    record psql read "$(elapsed "$t1" "$t2")"
done

lazarus_log "Lazarus, SQLite ($rows rows x $repeats)"
"$bin/lazarus-store-bench" --store "sqlite:$work/lazarus.sqlite" --rows "$rows" --repeats "$repeats" --keep \
    | tee -a "$results"
sqlite3 -csv "$work/lazarus.sqlite" "SELECT $columns, ingest_seq FROM lazarus_decisions" >"$work/sqlite.csv"

lazarus_log "peer: sqlite3 .import and SELECT *"
for i in $(seq "$repeats"); do
    db="$work/peer-$i.sqlite"
    "$bin/lazarus-store" migrate --store "sqlite:$db" >/dev/null
    t0=$(now)
    sqlite3 "$db" ".import --csv $work/sqlite.csv lazarus_decisions"
    t1=$(now)
    sqlite3 "$db" "SELECT * FROM lazarus_decisions" >/dev/null
    t2=$(now)
    record sqlite3 write "$(elapsed "$t0" "$t1")"
    record sqlite3 read "$(elapsed "$t1" "$t2")"
    rm -f "$db"*
done

median() { awk -v who="$1" -v op="$2" '$1 == who && $2 == op { print $4 }' "$results" | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "| backend | operation | Lazarus median s | rows/s | peer | peer median s | rows/s | ratio |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for pair in "postgres psql" "sqlite sqlite3"; do
    set -- $pair
    for op in write read; do
        ours=$(median "$1" "$op")
        theirs=$(median "$2" "$op")
        awk -v b="$1" -v o="$op" -v p="$2" -v a="$ours" -v t="$theirs" -v n="$rows" 'BEGIN {
            printf "| %s | %s | %.3f | %d | %s | %.3f | %d | %.2f |\n", b, o, a, n / a, p, t, n / t, a / t }'
    done
done
