#!/usr/bin/python3
"""Checks everything in dashboards/ without a Grafana or a Prometheus server.

    check.py check EXPOSITION_FILE          all the checks below, in order; stops at the first failing step
    check.py panel-queries [DASHBOARD_JSON]  every panel query, Grafana variables substituted, as JSON

`dashboards/check.sh EXPOSITION_FILE` runs `check.py check` with /usr/bin/python3. The steps:

  1. the exporter's exposition lints clean          (promtool check metrics)
  2. the rule files are valid (promtool check rules); every alert is named Lazarus... in CamelCase and has a
     severity label, summary, description and a runbook_url
     https://.../dashboards/runbook.md#<anchor>, where <anchor> is the GitHub anchor of the alert's own
     "## <AlertName>" heading in dashboards/runbook.md; every "## Lazarus<Name>" heading there is an alert
  3. cost-of-knowledge.json is well formed: uid, schemaVersion, the datasource variable, and for every panel
     a unit, a description, ${datasource}, a gridPos on the 24-column grid without overlaps, unique ids;
     money panels in currencyUSD; no hard-coded rate windows; the design's three panels on top; laid out as
     2-space JSON; the provisioning files name a prometheus datasource and a file provider
  4. every PromQL expression of the dashboard parses (Grafana variables substituted, then checked as
     recording rules by promtool)
  5. every lazarus metric name the dashboard and the rules use is exposed by the exporter (the `# TYPE`
     lines of the exposition) or recorded by the rules, and every recording rule is used
  6. the unit tests pass (promtool test rules tests/*.test.yml), every alert has a test where it fires and
     one where it stays quiet, and every recording rule a test of its value

Environment: PROMTOOL (default: promtool on PATH, 2.42 or later), LAZARUS_RUNBOOK (the runbook whose
headings the runbook_url anchors must be; default: runbook.md next to this file).

Exit status: 0 when every check passes; promtool's own status when a promtool step fails (3 for lint
problems of the exposition); 1 for any other failure. Failures are printed as "FAIL: ..." lines.

Needs Python 3.11 and PyYAML (Debian: python3-yaml).
"""

import argparse
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DIR = Path(__file__).resolve().parent
DASHBOARD = DIR / "cost-of-knowledge.json"
RULES = DIR / "lazarus-rules.yml"
ALERTS = DIR / "lazarus-alerts.yml"
RULE_FILES = (RULES, ALERTS)
TESTS = DIR / "tests"
PROVISIONING = DIR / "provisioning"
RUNBOOK_URL_PATH = "dashboards/runbook.md"  # what every runbook_url ends in, before the #anchor

UID = "lazarus-cost-of-knowledge"
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
TOP_ROW = ["Current Loss Budget", "Model Blindness Score", "Projected Revenue Lift"]
PANEL_TYPES = {"timeseries", "stat", "gauge", "bargauge", "table", "text", "piechart", "heatmap",
               "state-timeline", "status-history", "barchart", "histogram"}
# Grafana unit ids used or likely here, as listed by grafana-foundation-sdk's models/units.py; custom units
# "suffix:..." and "prefix:..." are accepted too.
UNITS = {"none", "short", "percent", "percentunit", "currencyUSD", "s", "ms", "dtdurations", "dateTimeAsIso",
         "cps", "ops", "reqps", "cpm", "opm", "reqpm", "bool", "bool_yes_no", "bool_on_off", "bytes", "decbytes",
         "locale", "sci"}
# Grafana's built-in variables with fixed stand-ins; the dashboard's own variables are added by substitute().
BUILTINS = {"__rate_interval": "5m", "__interval": "1m", "__range": "1h", "__range_s": "3600",
            "__range_ms": "3600000", "__interval_ms": "60000", "__rate_interval_ms": "300000",
            "__from": "0", "__to": "3600000", "datasource": "prometheus"}
SEVERITIES = ("critical", "warning", "info")
ALERT_NAME = re.compile(r"Lazarus[A-Z][A-Za-z0-9]*")


class CheckFailed(Exception):
    """Stops the run: `status` is the exit status; the message, if any, goes to stderr."""

    def __init__(self, status, message=""):
        super().__init__(message)
        self.status = status


@dataclass
class Result:
    """What one check found: its failures, and the line printed when there are none."""
    ok: str = ""
    errors: list[str] = field(default_factory=list)

    def error(self, message):
        self.errors.append(message)


def report(result):
    """Prints a check's outcome; stops the run when it failed."""
    if result.errors:
        for e in result.errors:
            print("FAIL: " + e)
        raise CheckFailed(1)
    print(result.ok)


def step(title):
    print(f"\n== {title}")


def fail_now(message):
    """A failure that stops the run at once, before the check that found it can report anything else."""
    print("FAIL: " + message)
    raise CheckFailed(1)


# ---------------------------------------------------------------- reading the files
@functools.cache
def load_dashboard(path=DASHBOARD):
    """(the file's text, the parsed JSON)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise CheckFailed(1, f"cannot read the dashboard {path}: {e.strerror}")
    try:
        return text, json.loads(text)
    except json.JSONDecodeError as e:
        fail_now(f"{path} is not JSON: {e}")


def load_yaml(path):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except yaml.YAMLError as e:
        fail_now(f"{path} is not YAML: {e}")


@dataclass(frozen=True)
class Rule:
    file: str  # the rule file's name, e.g. lazarus-alerts.yml
    kind: str  # "record" or "alert"
    name: str
    expr: str
    labels: dict
    annotations: dict

    @property
    def where(self):
        return f"{self.file} {self.kind} {self.name}"


@functools.cache
def load_rules(path):
    """The rules of a Prometheus rule file, in file order."""
    rules = []
    for group in (load_yaml(path) or {}).get("groups") or []:
        for r in group.get("rules") or []:
            kind = "alert" if "alert" in r else "record"
            expr = r.get("expr")
            rules.append(Rule(path.name, kind, str(r.get(kind)), "" if expr is None else str(expr),
                              r.get("labels") or {}, r.get("annotations") or {}))
    return rules


def all_rules():
    return [r for path in RULE_FILES for r in load_rules(path)]


def alerts():
    return [r for r in all_rules() if r.kind == "alert"]


def recording_rules():
    return [r for r in all_rules() if r.kind == "record"]


def unit_test_files():
    return sorted(TESTS.glob("*.test.yml"))


# ---------------------------------------------------------------- the dashboard's queries
def all_panels(dash):
    for p in dash.get("panels", []):
        yield p
        yield from p.get("panels", []) or []  # panels folded into a collapsed row


def variables(dash):
    return (dash.get("templating") or {}).get("list") or []


def variable_values(dash):
    """Every Grafana variable's stand-in: one that keeps the PromQL valid and selects what "All" selects."""
    values = dict(BUILTINS)
    for v in variables(dash):
        name = v.get("name")
        if v.get("type") in ("textbox", "constant"):
            values[name] = str(v.get("query") or (v.get("current") or {}).get("value") or "0")
        elif v.get("type") == "interval":
            values[name] = "5m"
        else:  # query, custom: always used inside a regex matcher here
            values[name] = v.get("allValue") or ".+"
    return values


GRAFANA_VARIABLE = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]")


def substitute(expr, dash):
    """(expr with Grafana's variables replaced by their stand-ins, the names of unknown variables)."""
    values = variable_values(dash)
    unknown = set()

    def replace(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name not in values:
            unknown.add(name)
            return m.group(0)
        return values[name]

    return GRAFANA_VARIABLE.sub(replace, expr), unknown


@dataclass(frozen=True)
class Query:
    where: str  # for messages: panel 6 "Decisions by variant and reason" refId A
    record: str  # a recording-rule-safe name for it: panel_6_A
    expr: str  # as written in the dashboard
    title: str  # the panel's title, or the variable's name


def panel_queries(dash):
    """Every query of every panel."""
    return [Query(f"panel {p.get('id')} \"{p.get('title')}\" refId {t.get('refId')}",
                  f"panel_{p.get('id')}_{t.get('refId')}", t["expr"], p.get("title"))
            for p in all_panels(dash) for t in p.get("targets", []) or [] if "expr" in t]


def variable_queries(dash):
    """The PromQL inside the query variables (label_values(expr, label) and query_result(expr))."""
    out = []
    for v in variables(dash):
        if v.get("type") != "query":
            continue
        q = v.get("query")
        if isinstance(q, dict):
            q = q.get("query", "")
        q = (q or "").strip()
        if m := re.fullmatch(r"label_values\((.*),\s*\w+\s*\)", q, re.S):
            q = m.group(1)
        elif re.fullmatch(r"label_values\(\s*\w+\s*\)|metrics\(.*\)|label_names\(.*\)", q, re.S):
            continue
        elif m := re.fullmatch(r"query_result\((.*)\)", q, re.S):
            q = m.group(1)
        out.append(Query(f"variable {v.get('name')}", f"variable_{v.get('name')}", q, v.get("name")))
    return out


def dashboard_queries(dash):
    return panel_queries(dash) + variable_queries(dash)


RECORDED_NAME = re.compile(r"\b[a-z_]+:lazarus_[a-z0-9_:]+")
LAZARUS_NAME = re.compile(r"\blazarus_[a-z0-9_]+")


def metric_names(expr):
    """(recorded names, raw lazarus metric names) referenced by a PromQL expression."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)  # label values are not names
    expr = re.sub(r"#.*", "", expr)
    recorded = set(RECORDED_NAME.findall(expr))
    rest = RECORDED_NAME.sub(" ", expr)
    return recorded, set(LAZARUS_NAME.findall(rest))


# ---------------------------------------------------------------- step 1: the exposition
def count_families(exposition):
    with open(exposition, encoding="utf-8") as f:
        return sum(1 for line in f if line.startswith("# TYPE"))


def exposed_names(exposition):
    """Every metric name of a scrape: the `# TYPE` lines' names (with _sum, _count and _bucket of
    histograms and summaries) and the samples' names."""
    exposed = set()
    with open(exposition, encoding="utf-8") as f:
        for line in f:
            if m := re.match(r"#\s*TYPE\s+(\S+)\s+(\S+)", line):
                name, kind = m.groups()
                exposed.add(name)  # counters: this exporter's TYPE names end in _total
                if kind in ("histogram", "summary"):
                    exposed.update({name + "_sum", name + "_count", name + "_bucket"})
            elif line.strip() and not line.startswith("#"):
                if m := re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line):
                    exposed.add(m.group(0))
    return exposed


# ---------------------------------------------------------------- step 2: alerts and the runbook
def check_alert_fields():
    result = Result()
    found = alerts()
    for r in found:
        if r.labels.get("severity") not in SEVERITIES:
            result.error(f"alert {r.name}: needs a severity label (critical, warning or info)")
        for key in ("summary", "description", "runbook_url"):
            if not str(r.annotations.get(key) or "").strip():
                result.error(f"alert {r.name}: needs a {key} annotation")
    result.ok = f"OK: {len(found)} alerts have severity, summary, description and runbook_url"
    return result


def github_anchor(heading):
    """The anchor GitHub gives a Markdown heading: lower case, punctuation other than '-' and '_' removed,
    each space a '-'. Links count by their text, and inline code by its content."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip())
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str  # with GitHub's -1, -2, ... suffix on repeated headings
    line: int


def markdown_headings(text):
    """The ATX headings (# ...) of a Markdown text, outside fenced code blocks."""
    headings, seen, fence = [], {}, None
    for number, line in enumerate(text.split("\n"), 1):
        if m := re.match(r" {0,3}(`{3,}|~{3,})", line):
            if fence is None:
                fence = m.group(1)
            elif m.group(1).startswith(fence):
                fence = None
            continue
        if fence is not None:
            continue
        if m := re.match(r" {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$", line):
            anchor = github_anchor(m.group(2))
            n = seen.get(anchor, 0)
            seen[anchor] = n + 1
            headings.append(Heading(len(m.group(1)), m.group(2), anchor if n == 0 else f"{anchor}-{n}", number))
    return headings


def alert_of_heading(heading):
    """The alert a level-2 heading "## LazarusName ..." is about (the name may be in backquotes), or None."""
    if heading.level != 2:
        return None
    m = re.match(r"`?(Lazarus[A-Z]\w*)", heading.text)
    return m.group(1) if m else None


def check_runbook_url(alert, own, anchors, runbook, result):
    """The alert's runbook_url is https://.../dashboards/runbook.md#<anchor>, and when the runbook could be
    read (`anchors` is not None), <anchor> is a heading of it: the alert's own heading (`own`)."""
    url = str(alert.annotations.get("runbook_url") or "")
    base, _, anchor = url.partition("#")
    want = own[0].anchor if own else github_anchor(alert.name)
    if not url.startswith("https://") or not base.endswith("/" + RUNBOOK_URL_PATH) or not anchor:
        result.error(f"alert {alert.name}: runbook_url {url!r} should be https://.../{RUNBOOK_URL_PATH}#{want}")
    elif anchors is not None and anchor not in anchors:
        result.error(f"alert {alert.name}: runbook_url {url!r}: {runbook} has no heading with anchor #{anchor}")
    elif own and anchor != want:
        result.error(f"alert {alert.name}: runbook_url {url!r} points at #{anchor}, not at the alert's own "
                     f"heading \"## {own[0].text}\" (#{want})")


def check_runbooks(runbook):
    """Every alert has a runbook section "## <AlertName>" in the runbook, and its runbook_url points at it;
    every "## Lazarus<Name>" section is an alert's."""
    result = Result()
    found = alerts()
    try:
        headings = markdown_headings(Path(runbook).read_text(encoding="utf-8"))
        anchors = {h.anchor for h in headings}
    except OSError as e:
        result.error(f"cannot read the runbook {runbook}: {e.strerror} (LAZARUS_RUNBOOK names another file); "
                     "runbook_url checked for form only")
        headings, anchors = [], None
    sections = {}  # alert name -> its "## LazarusName" headings
    for h in headings:
        if name := alert_of_heading(h):
            sections.setdefault(name, []).append(h)

    for r in found:
        if not ALERT_NAME.fullmatch(r.name):
            result.error(f"alert {r.name}: names are CamelCase and start with Lazarus")
        own = sections.get(r.name, [])
        check_runbook_url(r, own, anchors, runbook, result)
        if anchors is not None and not own:
            result.error(f"alert {r.name}: {runbook} has no heading \"## {r.name}\"")
        if len(own) > 1:
            result.error(f"alert {r.name}: {runbook} has {len(own)} headings for it, lines "
                         f"{', '.join(str(h.line) for h in own)}")
    names = {r.name for r in found}
    for name, hs in sections.items():
        if name not in names:
            for h in hs:
                result.error(f"{runbook}:{h.line}: heading \"## {h.text}\" is not an alert of "
                             f"{' or '.join(p.name for p in RULE_FILES)}")
    result.ok = (f"OK: {len(found)} alerts, each runbook_url ends in {RUNBOOK_URL_PATH}#<anchor of its "
                 f"\"## <alert name>\" heading in {runbook}>, and every such heading is an alert")
    return result


# ---------------------------------------------------------------- step 3: the dashboard and provisioning
def check_dashboard_top(dash, text, result):
    if text != json.dumps(dash, indent=2, ensure_ascii=False) + "\n":
        result.error("cost-of-knowledge.json is not laid out as json.dumps(indent=2, ensure_ascii=False) + newline")
    if dash.get("uid") != UID:
        result.error(f"uid is {dash.get('uid')!r}, expected {UID!r}")
    sv = dash.get("schemaVersion")
    if not isinstance(sv, int) or not 36 <= sv <= 41:
        result.error(f"schemaVersion {sv!r}: expected a current one (36-41)")
    if not dash.get("title"):
        result.error("the dashboard has no title")
    if dash.get("id") is not None:
        result.error("the dashboard's id must be null (Grafana assigns it)")


def check_variables(dash, result):
    names = [v.get("name") for v in variables(dash)]
    if len(names) != len(set(names)):
        result.error(f"duplicate template variables: {names}")
    ds = [v for v in variables(dash) if v.get("name") == "datasource"]
    if not ds or ds[0].get("type") != "datasource" or ds[0].get("query") != "prometheus":
        result.error('no template variable "datasource" of type datasource with query "prometheus"')
    for v in variables(dash):
        if v.get("type") == "query" and v.get("datasource") != DATASOURCE:
            result.error(f"variable {v.get('name')}: datasource must be {DATASOURCE}")


def check_grid(where, p, cells, result):
    """The panel's gridPos is a box on the 24-column grid that overlaps no panel seen before (in `cells`)."""
    g = p.get("gridPos") or {}
    if not all(isinstance(g.get(k), int) for k in "hwxy") or g["w"] < 1 or g["h"] < 1 \
            or g["x"] < 0 or g["y"] < 0 or g["x"] + g["w"] > 24:
        result.error(f"{where}: gridPos {g} is not a box on the 24-column grid")
        return
    for x in range(g["x"], g["x"] + g["w"]):
        for y in range(g["y"], g["y"] + g["h"]):
            if (x, y) in cells:
                result.error(f"{where}: overlaps panel {cells[(x, y)]}")
                return
            cells[(x, y)] = p.get("id")


def check_unit(where, p, result):
    unit = ((p.get("fieldConfig") or {}).get("defaults") or {}).get("unit")
    if not unit:
        result.error(f"{where}: no unit (fieldConfig.defaults.unit)")
    elif unit not in UNITS and not re.match(r"(suffix|prefix):.", unit):
        result.error(f"{where}: unknown unit {unit!r}")
    return unit


def check_targets(where, p, unit, result):
    """The panel's queries: present, unique refIds, no hard-coded range, currencyUSD exactly on dollars.
    Returns whether one uses $__rate_interval."""
    targets = p.get("targets") or []
    if not targets:
        result.error(f"{where}: no queries")
    refs = [t.get("refId") for t in targets]
    if len(refs) != len(set(refs)) or not all(refs):
        result.error(f"{where}: refIds missing or not unique: {refs}")
    money, used_rate_interval = [], False
    for t in targets:
        expr = t.get("expr") or ""
        if not expr.strip():
            result.error(f"{where} refId {t.get('refId')}: empty expr")
        if t.get("datasource", DATASOURCE) != DATASOURCE:
            result.error(f"{where} refId {t.get('refId')}: datasource must be {DATASOURCE}")
        for window in re.findall(r"\[([^\]]*)\]", expr):
            if window.split(":")[0] not in ("$__rate_interval", "$__interval", "$__range"):
                result.error(f"{where} refId {t.get('refId')}: hard-coded range [{window}]; "
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
        result.error(f"{where}: shows dollars, unit must be currencyUSD (is {unit!r})")
    if any(money) and not all(money) and unit != "currencyUSD" and not overridden:
        result.error(f"{where}: mixes dollars and other series without a currencyUSD override")
    if unit == "currencyUSD" and not any(money):
        result.error(f"{where}: unit currencyUSD but no series in dollars")
    return used_rate_interval


def check_panel(p, ids, cells, result):
    """One panel's id, type, title, description, datasource, gridPos, unit and queries. Returns whether a
    query of it uses $__rate_interval."""
    pid, title = p.get("id"), p.get("title")
    where = f"panel {pid} \"{title}\""
    if not isinstance(pid, int) or pid in ids:
        result.error(f"{where}: id missing or not unique")
    ids.add(pid)
    if p.get("type") == "row":
        return False
    if p.get("type") not in PANEL_TYPES:
        result.error(f"{where}: unknown panel type {p.get('type')!r}")
    if not title:
        result.error(f"{where}: no title")
    if len((p.get("description") or "").strip()) < 20:
        result.error(f"{where}: no description")
    if p.get("datasource") != DATASOURCE:
        result.error(f"{where}: datasource must be {DATASOURCE}")
    check_grid(where, p, cells, result)
    unit = check_unit(where, p, result)
    return check_targets(where, p, unit, result)


def check_dashboard():
    text, dash = load_dashboard()
    result = Result()
    check_dashboard_top(dash, text, result)
    check_variables(dash, result)
    ids, cells, used_rate_interval = set(), {}, False
    for p in all_panels(dash):
        used_rate_interval |= check_panel(p, ids, cells, result)
    if not used_rate_interval:
        result.error("no query uses $__rate_interval")
    top = sorted((p for p in all_panels(dash) if (p.get("gridPos") or {}).get("y") == 0),
                 key=lambda p: p["gridPos"]["x"])
    if [p.get("title") for p in top] != TOP_ROW:
        result.error(f"top row is {[p.get('title') for p in top]}, the design's is {TOP_ROW}")
    panels = len([p for p in all_panels(dash) if p.get("type") != "row"])
    result.ok = (f"OK: {DASHBOARD.name}: uid {dash.get('uid')}, schemaVersion {dash.get('schemaVersion')}, "
                 f"{panels} panels checked")
    return result


def check_provisioning():
    result = Result()
    # (file, its list's key, what an entry of it must be, the entry check)
    files = [
        ("datasources/lazarus.yml", "datasources", "datasource of type prometheus with a url",
         lambda e: e.get("type") == "prometheus" and str(e.get("url") or "").strip()),
        ("dashboards/lazarus.yml", "providers", "provider of type file with options.path",
         lambda e: e.get("type") == "file" and str((e.get("options") or {}).get("path") or "").strip()),
    ]
    for rel, key, wanted, ok in files:
        path = PROVISIONING / rel
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            result.error(f"provisioning/{rel}: {e}")
            continue
        if "\t" in text:
            result.error(f"provisioning/{rel}: tabs in YAML")
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            result.error(f"provisioning/{rel}: not YAML: {e}")
            continue
        if not isinstance(data, dict):
            result.error(f"provisioning/{rel}: not a YAML mapping")
            continue
        if data.get("apiVersion") != 1:
            result.error(f"provisioning/{rel}: apiVersion is {data.get('apiVersion')!r}, expected 1")
        entries = data.get(key)
        if not isinstance(entries, list) or not any(isinstance(e, dict) and ok(e) for e in entries):
            result.error(f"provisioning/{rel}: no {wanted} under {key}:")
    result.ok = ("OK: provisioning/datasources/lazarus.yml (prometheus) and provisioning/dashboards/lazarus.yml "
                 "(file provider)")
    return result


# ---------------------------------------------------------------- step 4: the dashboard's PromQL
def write_dashboard_rules(out_path):
    """Writes every dashboard query, variables substituted, as a recording rule for promtool check rules."""
    _, dash = load_dashboard()
    result = Result()
    lines = ["groups:", "  - name: dashboard-expressions", "    rules:"]
    count = 0
    for q in dashboard_queries(dash):
        expr, unknown = substitute(q.expr, dash)
        if unknown:
            result.error(f"{q.where}: unknown Grafana variable(s) {sorted(unknown)}")
            continue
        lines.append(f"      # {q.where}")
        lines.append(f"      - record: dashboard:{q.record}")
        lines.append("        expr: |")
        lines.extend("          " + line for line in expr.strip().split("\n"))
        count += 1
    Path(out_path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    result.ok = f"OK: {count} dashboard expressions extracted (variables substituted) into {out_path}"
    return result


# ---------------------------------------------------------------- step 5: metric names
def check_names(exposition):
    result = Result()
    exposed = exposed_names(exposition)
    if not any(n.startswith("lazarus_") for n in exposed):
        result.error(f"{exposition}: no lazarus_ metric in it; is it a scrape of lazarus-exporter?")
    recorded = {r.name for r in recording_rules()}
    for r in recording_rules():
        if not re.fullmatch(r"[a-z_]+:lazarus_[a-z0-9_]+:[a-z0-9_]+", r.name):
            result.error(f"{r.file}: recording rule {r.name} is not named level:metric:operations")
    _, dash = load_dashboard()
    sources = [(r.where, r.expr) for r in all_rules()]
    sources += [(f"{DASHBOARD.name} {q.where}", substitute(q.expr, dash)[0]) for q in dashboard_queries(dash)]
    used, checked = set(), set()
    for where, expr in sources:
        rec, raw = metric_names(expr)
        used |= rec
        checked |= rec | raw
        for n in sorted(rec - recorded):
            result.error(f"{where}: {n} is not recorded by {' or '.join(p.name for p in RULE_FILES)}")
        for n in sorted(raw - exposed - recorded):
            result.error(f"{where}: {n} is not exposed by the exporter ({exposition})")
    for n in sorted(recorded - used):
        result.error(f"recording rule {n} is used by no alert, rule or panel")
    families = len([n for n in exposed if n.startswith("lazarus_")])
    result.ok = (f"OK: {len(checked)} metric names referenced, all exposed ({families} lazarus families in the "
                 f"exposition) or recorded ({len(recorded)} recording rules, all used)")
    return result


# ---------------------------------------------------------------- step 6: unit test coverage
def check_coverage(test_files):
    result = Result()
    firing, quiet, valued = set(), set(), set()
    for path in test_files:
        for group in (load_yaml(path) or {}).get("tests") or []:
            for t in group.get("alert_rule_test") or []:
                (firing if t.get("exp_alerts") else quiet).add(str(t.get("alertname")))
            for t in group.get("promql_expr_test") or []:
                valued.add(str(t.get("expr") or "").strip())
    for r in alerts():
        if r.name not in firing:
            result.error(f"alert {r.name} has no unit test in which it fires")
        if r.name not in quiet:
            result.error(f"alert {r.name} has no unit test in which it stays quiet")
    for r in recording_rules():
        if r.name not in valued:
            result.error(f"recording rule {r.name} has no promql_expr_test of its value")
    result.ok = (f"OK: every alert has a firing and a quiet test case, every recording rule a value test "
                 f"({len(test_files)} test files)")
    return result


# ---------------------------------------------------------------- running it all
def promtool(promtool_path, *args, stdin=None, cwd=None):
    """Runs promtool, its output going to ours; returns its exit status."""
    sys.stdout.flush()
    return subprocess.run([promtool_path, *map(str, args)], stdin=stdin, cwd=cwd).returncode


def run_promtool(promtool_path, *args, **kwargs):
    """Runs promtool; a failure stops the run with promtool's exit status, as `set -e` did."""
    if (status := promtool(promtool_path, *args, **kwargs)) != 0:
        raise CheckFailed(status)


def check_all(exposition, promtool_path, runbook):
    if not os.access(exposition, os.R_OK):
        raise CheckFailed(1, f"cannot read exposition file {exposition}")
    if shutil.which(promtool_path) is None:
        raise CheckFailed(1, f"promtool not found: {promtool_path} (Debian: apt-get install prometheus)")
    tests = unit_test_files()
    if not tests:
        raise CheckFailed(1, f"no unit tests in {TESTS}/*.test.yml")

    step(f"1. the exporter's exposition lints clean: promtool check metrics < {exposition}")
    with open(exposition, "rb") as f:
        run_promtool(promtool_path, "check", "metrics", stdin=f)
    print(f"OK: {count_families(exposition)} metric families")

    step("2. rule files: promtool check rules")
    run_promtool(promtool_path, "check", "rules", *RULE_FILES)
    report(check_alert_fields())
    report(check_runbooks(runbook))

    step("3. dashboard structure and provisioning")
    report(check_dashboard())
    report(check_provisioning())

    step("4. dashboard expressions parse")
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "dashboard-expressions.yml"
        report(write_dashboard_rules(rules))
        if promtool(promtool_path, "check", "rules", rules) != 0:
            raise CheckFailed(1, "a dashboard expression does not parse: rule dashboard:panel_<id>_<refId> "
                                 "above names the panel and query")

    step("5. metric names: exposed by the exporter or recorded")
    report(check_names(exposition))

    step("6. unit tests: promtool test rules")
    run_promtool(promtool_path, "test", "rules", *(t.name for t in tests), cwd=TESTS)
    report(check_coverage(tests))

    print("\nAll dashboard checks passed.")


def print_panel_queries(dashboard):
    """Prints [{"title": ..., "expr": ...}, ...]: every panel query, with the variables substituted as step 4
    substitutes them. For tests that run the dashboard's queries against a real Prometheus."""
    _, dash = load_dashboard(Path(dashboard))
    out, unknown = [], set()
    for q in panel_queries(dash):
        expr, missing = substitute(q.expr, dash)
        unknown |= missing
        out.append({"title": q.title or "?", "expr": expr})
    if unknown:
        raise CheckFailed(1, f"{dashboard}: unknown Grafana variable(s) {sorted(unknown)}")
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    print()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="check.py", description="Checks the files in dashboards/.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="every check, against one scrape of lazarus-exporter")
    check.add_argument("exposition", metavar="EXPOSITION_FILE",
                       help="one scrape of the exporter, e.g. from lazarus-exporter --once")
    queries = commands.add_parser("panel-queries", help="print every panel query, variables substituted, as JSON")
    queries.add_argument("dashboard", metavar="DASHBOARD_JSON", nargs="?", default=str(DASHBOARD))
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            check_all(args.exposition, os.environ.get("PROMTOOL") or "promtool",
                      os.environ.get("LAZARUS_RUNBOOK") or str(DIR / "runbook.md"))
        else:
            print_panel_queries(args.dashboard)
    except CheckFailed as e:
        if str(e):
            print(f"check.py: {e}", file=sys.stderr)
        return e.status
    return 0


if __name__ == "__main__":
    sys.exit(main())
