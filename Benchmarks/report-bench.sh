#!/usr/bin/env bash
# Report benchmark: lazarus-report against a pandas + statsmodels + matplotlib peer doing the same job
# (Benchmarks/report_peer.py) on stores of 100,000 and 1,000,000 simulated decisions, in one run; then
# checks that the two agree on the value estimates (the peer is an independent implementation).
#   bash Benchmarks/report-bench.sh [REPEATS]      (default 3)
# Wall time and peak resident memory come from GNU time; medians of REPEATS runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
repeats=${1:-3}
lazarus_install_packages
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }
python3 -c "import pandas, statsmodels, matplotlib" 2>/dev/null || pip install -q pandas statsmodels matplotlib
swift build -c release --product lazarus-sim >/dev/null
swift build -c release --product lazarus-report >/dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d /tmp/lazarus-report-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
results="$work/results.txt"

measure() {  # name size command...
    local name=$1 size=$2
    shift 2
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1
    echo "$name $size $(cat "$work/time")" | tee -a "$results"
}

for size in 100000 1000000; do
    store="$work/store-$size.sqlite"
    mkdir -p "$work/out-$size"
    "$bin/lazarus-sim" --store "sqlite:$store" --applications "$size" >/dev/null
    for _ in $(seq "$repeats"); do
        measure lazarus "$size" "$bin/lazarus-report" --store "sqlite:$store" --week 2026-W47 --out "$work/out-$size" \
            --template templates/shadow-report.mustache
        measure python "$size" python3 Benchmarks/report_peer.py "$store" 2026-11-16T00:00:00.000000Z \
            2026-11-23T00:00:00.000000Z "$work/peer-$size"
    done
done

median() { awk -v w="$1" -v s="$2" -v c="$3" '$1 == w && $2 == s { print $c }' "$results" | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "| decisions | lazarus s | python s | speed-up | lazarus peak MiB | python peak MiB | memory ratio |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for size in 100000 1000000; do
    awk -v n="$size" -v lt="$(median lazarus "$size" 3)" -v pt="$(median python "$size" 3)" \
        -v lm="$(median lazarus "$size" 4)" -v pm="$(median python "$size" 4)" 'BEGIN {
        printf "| %d | %.2f | %.2f | %.1fx | %.0f | %.0f | %.2f |\n", n, lt, pt, pt / lt, lm / 1024, pm / 1024, lm / pm }'
done
echo
for size in 100000 1000000; do
    python3 - "$work/out-$size/shadow-report-2026-W47.json" "$work/peer-$size.json" "$size" <<'PY'
import json, sys
ours, peer = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
worst = 0.0
for name in ["valueOfExploration", "valueOfSwitching"]:
    for key in ["perWeekDollars", "low", "high"]:
        a, b = ours[name][key], peer[name][key]
        worst = max(worst, abs(a - b) / max(1.0, abs(b)))
for key in ["incrementalLossesDollars", "incrementalNetPnlDollars", "budgetLossesDollars", "realisedRate"]:
    a, b = ours["exploration"][key], peer["exploration"][key]
    worst = max(worst, abs(a - b) / max(1.0, abs(b)))
print(f"{sys.argv[3]} decisions: report and peer agree on the value and cost figures to {worst:.1e} (relative)")
if worst > 1e-6:
    sys.exit("the report and its peer disagree")
PY
done
