#!/usr/bin/env bash
# The report's value estimates against the simulator's ground truth, over many seeds.
#   bash Benchmarks/truth-check.sh [SEEDS] [APPLICATIONS] [WEEK] [FIRST_SEED]   (default 20 100000 2026-W47 1)
# For each seed: lazarus-sim --truth, lazarus-report, then Benchmarks/truth_check.py recomputes each estimate
# independently from the tables and the JSON twin and scores its 95 % interval against the truth.
# Target (issue 12): coverage >= 90 %, |mean error| <= 0.25 x mean half-width, and the value of switching
# (whose truth is far from zero) estimated better than by zero; exits 1 when it is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
seeds=${1:-20}
applications=${2:-100000}
week=${3:-2026-W47}
first=${4:-1}
lazarus_install_packages
swift build -c release --product lazarus-sim >/dev/null
swift build -c release --product lazarus-report >/dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d /tmp/lazarus-truth.XXXXXX)
trap 'rm -rf "$work"' EXIT
runs=()
for seed in $(seq "$first" $((first + seeds - 1))); do
    printf '\r==> seed %d (%d from %d)' "$seed" "$seeds" "$first" >&2
    mkdir -p "$work/out-$seed"
    "$bin/lazarus-sim" --store "sqlite:$work/store-$seed.sqlite" --applications "$applications" --seed "$seed" \
        --truth "$work/truth-$seed.csv" >/dev/null 2>&1
    "$bin/lazarus-report" --store "sqlite:$work/store-$seed.sqlite" --week "$week" --out "$work/out-$seed" \
        --template templates/shadow-report.mustache >/dev/null
    runs+=("$work/store-$seed.sqlite" "$work/out-$seed/shadow-report-$week.json" "$work/truth-$seed.csv")
done
echo >&2
python3 Benchmarks/truth_check.py --min-coverage 0.9 --max-bias 0.25 --beat-zero valueOfSwitching "${runs[@]}"
