#!/usr/bin/env bash
# Checks everything in dashboards/ without a Grafana or a Prometheus server:
#
#   1. the exporter's exposition lints clean          (promtool check metrics)
#   2. the rule files are valid (promtool check rules); every alert has a
#      severity label, summary, description and a runbook_url ending in
#      #runbook-<alert name>, which must be a README heading once the README
#      has a "Runbook" section
#   3. cost-of-knowledge.json is well formed: uid, schemaVersion, the
#      datasource variable, and for every panel a unit, a description,
#      ${datasource}, a gridPos on the 24-column grid without overlaps,
#      unique ids; money panels in currencyUSD; no hard-coded rate windows;
#      the design's three panels on top; laid out as 2-space JSON; the
#      provisioning files name a prometheus datasource and a file provider
#   4. every PromQL expression of the dashboard parses (Grafana variables
#      substituted, then checked as recording rules by promtool)
#   5. every lazarus metric name the dashboard and the rules use is exposed
#      by the exporter (the `# TYPE` lines of the exposition) or recorded by
#      lazarus-rules.yml, and every recording rule is used
#   6. the unit tests pass (promtool test rules tests/*.test.yml), every
#      alert has a test where it fires and one where it stays quiet, and
#      every recording rule a test of its value
#
# Usage: dashboards/check.sh EXPOSITION_FILE
#   EXPOSITION_FILE is one scrape of the exporter, for example
#     lazarus-exporter --once --store sqlite:output/lazarus.sqlite > /tmp/lazarus.prom
#   PROMTOOL=/path/to/promtool   another promtool (default: promtool on PATH, 2.42 or later)
#   LAZARUS_README=/path/to.md   the file holding the runbook (default: README.md)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
promtool="${PROMTOOL:-promtool}"
readme="${LAZARUS_README:-$(dirname "$here")/README.md}"

die() {
  echo "check.sh: $*" >&2
  exit 1
}

[[ $# -eq 1 ]] || die "usage: dashboards/check.sh EXPOSITION_FILE (one scrape of lazarus-exporter, e.g. from --once)"
exposition="$1"
[[ -r $exposition ]] || die "cannot read exposition file $exposition"
command -v "$promtool" >/dev/null || die "promtool not found (Debian: apt-get install prometheus)"
command -v python3 >/dev/null || die "python3 not found"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

step() { printf '\n== %s\n' "$*"; }

# The structural and cross-file checks, in Python's standard library only.
cat >"$tmp/check.py" <<'PY'
import json
import re
import sys

DIR = sys.argv[2]
DASHBOARD = DIR + "/cost-of-knowledge.json"
RULES = DIR + "/lazarus-rules.yml"
ALERTS = DIR + "/lazarus-alerts.yml"
UID = "lazarus-cost-of-knowledge"
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
TOP_ROW = ["Current Loss Budget", "Model Blindness Score", "Projected Revenue Lift"]
PANEL_TYPES = {"timeseries", "stat", "gauge", "bargauge", "table", "text", "piechart", "heatmap",
               "state-timeline", "status-history", "barchart", "histogram"}
# Grafana unit ids used or likely here, as listed by grafana-foundation-sdk's
# models/units.py; custom units "suffix:..." and "prefix:..." are accepted too.
UNITS = {"none", "short", "percent", "percentunit", "currencyUSD", "s", "ms", "dtdurations", "dateTimeAsIso",
         "cps", "ops", "reqps", "cpm", "opm", "reqpm", "bool", "bool_yes_no", "bool_on_off", "bytes", "decbytes",
         "locale", "sci"}
# Grafana variables with fixed stand-ins; dashboard variables are added below.
BUILTINS = {"__rate_interval": "5m", "__interval": "1m", "__range": "1h", "__range_s": "3600",
            "__range_ms": "3600000", "__interval_ms": "60000", "__rate_interval_ms": "300000",
            "__from": "0", "__to": "3600000", "datasource": "prometheus"}

errors = []


def error(msg):
    errors.append(msg)


def finish(ok_msg):
    if errors:
        for e in errors:
            print("FAIL: " + e)
        sys.exit(1)
    print(ok_msg)


def load_dashboard():
    with open(DASHBOARD, encoding="utf-8") as f:
        text = f.read()
    try:
        return text, json.loads(text)
    except json.JSONDecodeError as e:
        print(f"FAIL: {DASHBOARD} is not JSON: {e}")
        sys.exit(1)


def all_panels(dash):
    for p in dash.get("panels", []):
        yield p
        for inner in p.get("panels", []) or []:  # panels folded into a collapsed row
            yield inner


def variables(dash):
    return (dash.get("templating") or {}).get("list") or []


def substitute(expr, dash):
    """Replace Grafana variables by stand-ins that keep the PromQL valid."""
    values = dict(BUILTINS)
    for v in variables(dash):
        name = v.get("name")
        if v.get("type") in ("textbox", "constant"):
            values[name] = str(v.get("query") or (v.get("current") or {}).get("value") or "0")
        elif v.get("type") == "interval":
            values[name] = "5m"
        else:  # query, custom: always used inside a regex matcher here
            values[name] = v.get("allValue") or ".+"
    unknown = set()

    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name not in values:
            unknown.add(name)
            return m.group(0)
        return values[name]

    out = re.sub(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]", repl, expr)
    return out, unknown


def dashboard_exprs(dash):
    """(where, raw expression) for every query of the dashboard."""
    out = []
    for p in all_panels(dash):
        for t in p.get("targets", []) or []:
            if "expr" in t:
                out.append((f"panel {p.get('id')} \"{p.get('title')}\" refId {t.get('refId')}", t["expr"],
                            f"panel_{p.get('id')}_{t.get('refId')}"))
    for v in variables(dash):
        if v.get("type") != "query":
            continue
        q = v.get("query")
        if isinstance(q, dict):
            q = q.get("query", "")
        q = (q or "").strip()
        m = re.fullmatch(r"label_values\((.*),\s*\w+\s*\)", q, re.S)
        if m:
            q = m.group(1)
        elif re.fullmatch(r"label_values\(\s*\w+\s*\)|metrics\(.*\)|label_names\(.*\)", q, re.S):
            continue
        else:
            m = re.fullmatch(r"query_result\((.*)\)", q, re.S)
            if m:
                q = m.group(1)
        out.append((f"variable {v.get('name')}", q, f"variable_{v.get('name')}"))
    return out


# ---------------------------------------------------------------- rule files
def rule_file_entries(path):
    """The rules of a rule file we write ourselves: a small line parser, as the
    standard library has no YAML. Knows `- record:`/`- alert:`, `expr:` inline
    or as a block scalar (| or >), and `runbook_url:`."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    rules, cur, i = [], None, 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"\s*- (record|alert):\s*(\S+)\s*$", line)
        if m:
            cur = {"kind": m.group(1), "name": m.group(2), "expr": None, "runbook_url": None}
            rules.append(cur)
        m = re.match(r"(\s*)expr:\s*(.*)$", line)
        if m and cur is not None:
            indent, rest = len(m.group(1)), m.group(2).strip()
            if rest in ("|", "|-", "|+", ">", ">-", ">+"):
                body = []
                while i + 1 < len(lines) and (not lines[i + 1].strip()
                                              or len(lines[i + 1]) - len(lines[i + 1].lstrip()) > indent):
                    i += 1
                    body.append(lines[i].strip())
                cur["expr"] = "\n".join(body).strip()
            else:
                if len(rest) >= 2 and rest[0] == rest[-1] and rest[0] in "'\"":
                    rest = rest[1:-1]
                cur["expr"] = rest
        m = re.match(r"\s*runbook_url:\s*\"?([^\"]+)\"?\s*$", line)
        if m and cur is not None:
            cur["runbook_url"] = m.group(1)
        i += 1
    for r in rules:
        if not r["expr"]:
            error(f"{path}: cannot read the expr of {r['kind']} {r['name']}")
    return rules


RECORDED_NAME = re.compile(r"\b[a-z_]+:lazarus_[a-z0-9_:]+")
LAZARUS_NAME = re.compile(r"\blazarus_[a-z0-9_]+")


def metric_names(expr):
    """(recorded names, raw lazarus metric names) referenced by a PromQL expression."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)  # label values are not names
    expr = re.sub(r"#.*", "", expr)
    recorded = set(RECORDED_NAME.findall(expr))
    rest = RECORDED_NAME.sub(" ", expr)
    return recorded, set(LAZARUS_NAME.findall(rest))


# ---------------------------------------------------------------- commands
def cmd_structure():
    text, dash = load_dashboard()
    if text != json.dumps(dash, indent=2, ensure_ascii=False) + "\n":
        error("cost-of-knowledge.json is not laid out as json.dumps(indent=2, ensure_ascii=False) + newline")
    if dash.get("uid") != UID:
        error(f"uid is {dash.get('uid')!r}, expected {UID!r}")
    sv = dash.get("schemaVersion")
    if not isinstance(sv, int) or not 36 <= sv <= 41:
        error(f"schemaVersion {sv!r}: expected a current one (36-41)")
    if not dash.get("title"):
        error("the dashboard has no title")
    if dash.get("id") is not None:
        error("the dashboard's id must be null (Grafana assigns it)")
    names = [v.get("name") for v in variables(dash)]
    if len(names) != len(set(names)):
        error(f"duplicate template variables: {names}")
    ds = [v for v in variables(dash) if v.get("name") == "datasource"]
    if not ds or ds[0].get("type") != "datasource" or ds[0].get("query") != "prometheus":
        error('no template variable "datasource" of type datasource with query "prometheus"')
    for v in variables(dash):
        if v.get("type") == "query" and v.get("datasource") != DATASOURCE:
            error(f"variable {v.get('name')}: datasource must be {DATASOURCE}")

    ids, cells, used_rate_interval = set(), {}, False
    for p in all_panels(dash):
        pid, title = p.get("id"), p.get("title")
        where = f"panel {pid} \"{title}\""
        if not isinstance(pid, int) or pid in ids:
            error(f"{where}: id missing or not unique")
        ids.add(pid)
        if p.get("type") == "row":
            continue
        if p.get("type") not in PANEL_TYPES:
            error(f"{where}: unknown panel type {p.get('type')!r}")
        if not title:
            error(f"{where}: no title")
        if len((p.get("description") or "").strip()) < 20:
            error(f"{where}: no description")
        if p.get("datasource") != DATASOURCE:
            error(f"{where}: datasource must be {DATASOURCE}")
        g = p.get("gridPos") or {}
        if not all(isinstance(g.get(k), int) for k in "hwxy") or g["w"] < 1 or g["h"] < 1 \
                or g["x"] < 0 or g["y"] < 0 or g["x"] + g["w"] > 24:
            error(f"{where}: gridPos {g} is not a box on the 24-column grid")
        else:
            for x in range(g["x"], g["x"] + g["w"]):
                for y in range(g["y"], g["y"] + g["h"]):
                    if (x, y) in cells:
                        error(f"{where}: overlaps panel {cells[(x, y)]}")
                        break
                    cells[(x, y)] = pid
                else:
                    continue
                break
        defaults = (p.get("fieldConfig") or {}).get("defaults") or {}
        unit = defaults.get("unit")
        if not unit:
            error(f"{where}: no unit (fieldConfig.defaults.unit)")
        elif unit not in UNITS and not re.match(r"(suffix|prefix):.", unit):
            error(f"{where}: unknown unit {unit!r}")
        targets = p.get("targets") or []
        if not targets:
            error(f"{where}: no queries")
        refs = [t.get("refId") for t in targets]
        if len(refs) != len(set(refs)) or not all(refs):
            error(f"{where}: refIds missing or not unique: {refs}")
        money = []
        for t in targets:
            expr = t.get("expr") or ""
            if not expr.strip():
                error(f"{where} refId {t.get('refId')}: empty expr")
            if t.get("datasource", DATASOURCE) != DATASOURCE:
                error(f"{where} refId {t.get('refId')}: datasource must be {DATASOURCE}")
            for window in re.findall(r"\[([^\]]*)\]", expr):
                if window.split(":")[0] not in ("$__rate_interval", "$__interval", "$__range"):
                    error(f"{where} refId {t.get('refId')}: hard-coded range [{window}]; "
                          "use $__rate_interval (or a recording rule)")
                if window == "$__rate_interval":
                    used_rate_interval = True
            recorded, raw = metric_names(expr)
            # Money: a series in dollars, not divided by anything.
            money.append("/" not in expr and any(re.search(r"_dollars(_total)?$|_dollars:", n)
                                                 for n in recorded | raw))
        overridden = any(prop.get("id") == "unit"
                         for o in (p.get("fieldConfig") or {}).get("overrides") or []
                         for prop in o.get("properties") or [])
        if money and all(money) and unit != "currencyUSD":
            error(f"{where}: shows dollars, unit must be currencyUSD (is {unit!r})")
        if any(money) and not all(money) and unit != "currencyUSD" and not overridden:
            error(f"{where}: mixes dollars and other series without a currencyUSD override")
        if unit == "currencyUSD" and not any(money):
            error(f"{where}: unit currencyUSD but no series in dollars")
    if not used_rate_interval:
        error("no query uses $__rate_interval")
    top = sorted((p for p in all_panels(dash) if (p.get("gridPos") or {}).get("y") == 0),
                 key=lambda p: p["gridPos"]["x"])
    if [p.get("title") for p in top] != TOP_ROW:
        error(f"top row is {[p.get('title') for p in top]}, the design's is {TOP_ROW}")
    finish(f"OK: {DASHBOARD.rsplit('/', 1)[-1]}: uid {dash.get('uid')}, schemaVersion {sv}, "
           f"{len([p for p in all_panels(dash) if p.get('type') != 'row'])} panels checked")


def cmd_exprs(out_path):
    _, dash = load_dashboard()
    lines = ["groups:", "  - name: dashboard-expressions", "    rules:"]
    count = 0
    for where, raw, record in dashboard_exprs(dash):
        expr, unknown = substitute(raw, dash)
        if unknown:
            error(f"{where}: unknown Grafana variable(s) {sorted(unknown)}")
            continue
        lines.append(f"      # {where}")
        lines.append(f"      - record: dashboard:{record}")
        lines.append("        expr: |")
        lines.extend("          " + l for l in expr.strip().split("\n"))
        count += 1
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    finish(f"OK: {count} dashboard expressions extracted (variables substituted) into {out_path}")


def cmd_names(exposition):
    exposed = set()
    with open(exposition, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"#\s*TYPE\s+(\S+)\s+(\S+)", line)
            if m:
                name, kind = m.groups()
                exposed.add(name)  # counters: this exporter's TYPE names end in _total
                if kind in ("histogram", "summary"):
                    exposed.update({name + "_sum", name + "_count", name + "_bucket"})
            elif line.strip() and not line.startswith("#"):
                exposed.add(re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0))
    if not any(n.startswith("lazarus_") for n in exposed):
        error(f"{exposition}: no lazarus_ metric in it; is it a scrape of lazarus-exporter?")
    rules = rule_file_entries(RULES)
    alerts = rule_file_entries(ALERTS)
    recorded = {r["name"] for r in rules if r["kind"] == "record"}
    for r in rules:
        if r["kind"] == "record" and not re.fullmatch(r"[a-z_]+:lazarus_[a-z0-9_]+:[a-z0-9_]+", r["name"]):
            error(f"{RULES}: recording rule {r['name']} is not named level:metric:operations")
    _, dash = load_dashboard()
    used = set()
    sources = [(f"lazarus-rules.yml record {r['name']}", r["expr"] or "") for r in rules]
    sources += [(f"lazarus-alerts.yml alert {r['name']}", r["expr"] or "") for r in alerts]
    sources += [(f"cost-of-knowledge.json {where}", substitute(raw, dash)[0])
                for where, raw, _ in dashboard_exprs(dash)]
    checked = set()
    for where, expr in sources:
        rec, raw = metric_names(expr)
        used |= rec
        checked |= rec | raw
        for n in sorted(rec - recorded):
            error(f"{where}: {n} is not recorded by lazarus-rules.yml")
        for n in sorted(raw - exposed - recorded):
            error(f"{where}: {n} is not exposed by the exporter ({exposition})")
    for n in sorted(recorded - used):
        error(f"recording rule {n} is used by no alert, rule or panel")
    finish(f"OK: {len(checked)} metric names referenced, all exposed ({len([n for n in exposed if n.startswith('lazarus_')])} "
           f"lazarus families in the exposition) or recorded ({len(recorded)} recording rules, all used)")


def cmd_coverage(*test_files):
    tests = ""
    for t in test_files:
        with open(t, encoding="utf-8") as f:
            tests += f.read() + "\n"
    for r in rule_file_entries(ALERTS):
        if r["kind"] != "alert":
            continue
        if not re.search(rf"alertname:\s*{r['name']}\s*\n\s*exp_alerts:\s*\n\s*- ", tests):
            error(f"alert {r['name']} has no unit test in which it fires")
        if not re.search(rf"alertname:\s*{r['name']}\s*\n(?!\s*exp_alerts:)", tests):
            error(f"alert {r['name']} has no unit test in which it stays quiet")
    for r in rule_file_entries(RULES):
        if r["kind"] == "record" and not re.search(rf"expr:\s*{re.escape(r['name'])}\s*\n", tests):
            error(f"recording rule {r['name']} has no promql_expr_test of its value")
    finish(f"OK: every alert has a firing and a quiet test case, every recording rule a value test "
           f"({len(test_files)} test files)")


def github_slug(heading):
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def cmd_runbooks(readme):
    alerts = [r for r in rule_file_entries(ALERTS) if r["kind"] == "alert"]
    anchors = {}
    for r in alerts:
        url = r["runbook_url"] or ""
        want = "runbook-" + r["name"].lower()
        if not url.startswith("https://") or url.rsplit("#", 1)[-1] != want:
            error(f"alert {r['name']}: runbook_url {url!r} should end in #{want}")
        if not re.match(r"Lazarus[A-Z][A-Za-z0-9]*$", r["name"]):
            error(f"alert {r['name']}: names are CamelCase and start with Lazarus")
        anchors[r["name"]] = want
    try:
        with open(readme, encoding="utf-8") as f:
            headings = [m.group(1) for m in re.finditer(r"^#{1,6}\s+(.*?)\s*#*\s*$", f.read(), re.M)]
    except OSError:
        headings = []
    slugs = {github_slug(h) for h in headings}
    if "runbook" not in slugs:
        print(f"NOTE: {readme} has no \"Runbook\" heading yet: runbook anchors checked for form only")
    else:
        for name, anchor in anchors.items():
            if anchor not in slugs:
                error(f"alert {name}: {readme} has no heading with anchor #{anchor}")
    finish(f"OK: {len(alerts)} alerts, each runbook_url ends in #runbook-<alert name, lower case>"
           + ("" if "runbook" not in slugs else f", a heading of {readme}"))


def cmd_alert_fields():
    with open(ALERTS, encoding="utf-8") as f:
        blocks = re.split(r"\n(?=[ \t]*- alert:)", f.read())[1:]
    for b in blocks:
        name = re.search(r"- alert:\s*(\S+)", b).group(1)
        if not re.search(r"\n\s*severity:\s*(critical|warning|info)\s*\n", b):
            error(f"alert {name}: needs a severity label (critical, warning or info)")
        for key in ("summary", "description", "runbook_url"):
            if not re.search(rf"\n\s*{key}:\s*\S", b):
                error(f"alert {name}: needs a {key} annotation")
    finish(f"OK: {len(blocks)} alerts have severity, summary, description and runbook_url")


def cmd_provisioning():
    prov = DIR + "/provisioning"
    checks = [
        ("datasources/lazarus.yml", [r"(?m)^apiVersion: 1$", r"(?m)^\s+type: prometheus$", r"(?m)^\s+url: \S+"]),
        ("dashboards/lazarus.yml", [r"(?m)^apiVersion: 1$", r"(?m)^\s+type: file$", r"(?m)^\s+path: \S+"]),
    ]
    for rel, patterns in checks:
        try:
            with open(f"{prov}/{rel}", encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            error(f"provisioning/{rel}: {e}")
            continue
        if "\t" in text:
            error(f"provisioning/{rel}: tabs in YAML")
        for pat in patterns:
            if not re.search(pat, text):
                error(f"provisioning/{rel}: nothing matches {pat}")
    finish("OK: provisioning/datasources/lazarus.yml (prometheus) and provisioning/dashboards/lazarus.yml (file provider)")


COMMANDS = {"provisioning": cmd_provisioning, "structure": cmd_structure, "exprs": cmd_exprs, "names": cmd_names, "coverage": cmd_coverage,
            "runbooks": cmd_runbooks, "alert-fields": cmd_alert_fields}
COMMANDS[sys.argv[1]](*sys.argv[3:])
PY

check() { python3 "$tmp/check.py" "$1" "$here" "${@:2}"; }

shopt -s nullglob
tests=("$here"/tests/*.test.yml)
shopt -u nullglob
((${#tests[@]} > 0)) || die "no unit tests in $here/tests/*.test.yml"

step "1. the exporter's exposition lints clean: promtool check metrics < $exposition"
"$promtool" check metrics <"$exposition"
echo "OK: $(grep -c '^# TYPE' "$exposition") metric families"

step "2. rule files: promtool check rules"
"$promtool" check rules "$here/lazarus-rules.yml" "$here/lazarus-alerts.yml"
check alert-fields
check runbooks "$readme"

step "3. dashboard structure and provisioning"
check structure
check provisioning

step "4. dashboard expressions parse"
check exprs "$tmp/dashboard-expressions.yml"
"$promtool" check rules "$tmp/dashboard-expressions.yml" ||
  die "a dashboard expression does not parse: rule dashboard:panel_<id>_<refId> above names the panel and query"

step "5. metric names: exposed by the exporter or recorded"
check names "$exposition"

step "6. unit tests: promtool test rules"
(cd "$here/tests" && "$promtool" test rules "${tests[@]##*/}")
check coverage "${tests[@]}"

printf '\nAll dashboard checks passed.\n'
