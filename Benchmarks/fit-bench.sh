#!/usr/bin/env bash
# Causal-engine benchmark: V1 + V2 fits (with naive and HC0 covariances) on N rows x 8 features, against
# statsmodels GLM (which also computes covariances) and scikit-learn's newton-cholesky (coefficients only)
# on the same data, in the same run.
#   bash Benchmarks/fit-bench.sh [ROWS] [REPEATS]       (defaults: 1000000, 3)
# Needs numpy, statsmodels and scikit-learn (installed with pip when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
repeats=${2:-3}
python3 -c "import statsmodels, sklearn" 2>/dev/null || pip install -q statsmodels scikit-learn
swift build -c release --product lazarus-fit-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d /tmp/lazarus-fit-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
results="$work/results.txt"

"$bin/lazarus-fit-bench" --rows "$rows" --repeats "$repeats" --write "$work/data.bin" 2>/dev/null \
    | sed 's/^fit/lazarus/' | tee -a "$results"
python3 Benchmarks/fit_peer.py "$work/data.bin" "$rows" "$repeats" 2>/dev/null | tee -a "$results"

median() { awk -v who="$1" -v col="$2" '$1 == who { print $col }' "$results" | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
data_mib=$(awk -v n="$rows" 'BEGIN { printf "%.0f", n * 10 * 8 / 1048576 }')
echo
echo "| implementation | median s (V1 + V2) | ratio Lazarus / peer | max RSS MiB (data: $data_mib MiB) |"
echo "| --- | --- | --- | --- |"
ours=$(median lazarus 3)
for who in lazarus statsmodels sklearn; do
    awk -v w="$who" -v t="$(median "$who" 3)" -v o="$ours" -v r="$(median "$who" 4)" 'BEGIN {
        printf "| %s | %.3f | %.2f | %.0f |\n", w, t, o / t, r / 1024 }'
done
