#!/usr/bin/env bash
# Checks everything in dashboards/ without a Grafana or a Prometheus server: the exposition lints clean,
# the rule files are valid and every alert has its labels, annotations and runbook section
# (dashboards/runbook.md), the dashboard's structure, provisioning and PromQL, the metric names against the
# exposition, and the rules' unit tests. The checks are in check.py (its docstring lists them); this
# script finds promtool and Python and runs `check.py check`.
#
# Usage: dashboards/check.sh EXPOSITION_FILE
#   EXPOSITION_FILE is one scrape of the exporter, for example
#     lazarus-exporter --once --store sqlite:output/lazarus.sqlite > /tmp/lazarus.prom
#   PROMTOOL=/path/to/promtool     another promtool (default: promtool on PATH, 2.42 or later)
#   LAZARUS_RUNBOOK=/path/to.md    the runbook whose headings the alerts' runbook_url anchors must be
#                                  (default: dashboards/runbook.md)
#   AMTOOL=/path/to/amtool         another amtool (default: amtool on PATH), which checks alertmanager.yml
#   PYTHON=/path/to/python3        another Python 3.11 with PyYAML (default: /usr/bin/python3, Debian's
#                                  python3 with python3-yaml, not whichever python3 comes first on PATH)
#
# Exit status: 0 when every check passes, promtool's when a promtool step fails, 1 otherwise.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
promtool="${PROMTOOL:-promtool}"
python="${PYTHON:-/usr/bin/python3}"

die() {
  echo "check.sh: $*" >&2
  exit 1
}

[[ $# -eq 1 ]] || die "usage: dashboards/check.sh EXPOSITION_FILE (one scrape of lazarus-exporter, e.g. from --once)"
exposition="$1"
[[ -r $exposition ]] || die "cannot read exposition file $exposition"
promtool="$(command -v "$promtool")" || die "promtool not found (Debian: apt-get install prometheus)"
command -v "$python" >/dev/null || die "$python not found (Debian: apt-get install python3 python3-yaml)"
"$python" -c 'import yaml' 2>/dev/null || die "$python cannot import yaml (Debian: apt-get install python3-yaml)"

amtool="$(command -v "${AMTOOL:-amtool}")" || die "amtool not found (Debian: apt-get install prometheus-alertmanager)"

echo "== 0. alertmanager.yml: amtool check-config, and where each severity is routed"
"$amtool" check-config "$here/alertmanager.yml"
for route in "critical lazarus-page" "warning lazarus-ticket"; do
  set -- $route
  got="$("$amtool" config routes test --config.file="$here/alertmanager.yml" severity="$1" alertname=LazarusX job=lazarus)"
  [[ $got == "$2" ]] || die "alertmanager.yml routes severity=$1 to '$got', not to $2"
  echo "OK: severity=$1 goes to $2"
done
echo

PROMTOOL="$promtool" exec "$python" "$here/check.py" check "$exposition"
