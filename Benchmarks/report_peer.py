#!/usr/bin/env python3
"""Peer for the report benchmark: the shadow-mode report the way an analyst would build it.

Usage: python3 Benchmarks/report_peer.py SQLITE_FILE WINDOW_START WINDOW_END OUT_PREFIX [PERFORMANCE_WINDOW_DAYS]

The same job as lazarus-report (issue 12): pandas reads the tables; the matured cohort (decided at least the
performance window, default 42 days, before the window's end); statsmodels fits V0, V1 and V2 (V2 with HC0
errors) on its labelled loans and on each of 5 folds' complements (folds by FNV-1a of the application id);
numpy does the per-fold volume-parity cut-offs, the doubly robust values Δ(V2, V0) and Δ(V2, production)
with their intervals, the off-policy table, the cost of exploration and the rejected-region AUCs; matplotlib's
PDF backend draws four pages. Its figures are written to OUT_PREFIX.json for comparison with the report's.
"""
import json
import sqlite3
import sys
from datetime import datetime, timedelta, timezone

import matplotlib

matplotlib.use("pdf")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import statsmodels.api as sm  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

path, start, end, out = sys.argv[1:5]
window_days = int(sys.argv[5]) if len(sys.argv) > 5 else 42
LTV, THRESHOLD, FOLDS, Z = 500.0, 0.5, 5, 1.959963984540054
FEATURES = ["annual_income", "credit_history_months", "debt_to_income", "credit_score", "age"]
cutoff_t = datetime.fromisoformat(end.replace("Z", "+00:00"))
mature_through = (cutoff_t - timedelta(days=window_days)).astimezone(timezone.utc).strftime(
    "%Y-%m-%dT%H:%M:%S.%fZ")


def fnv_fold(key):
    h = 0xCBF29CE484222325
    for byte in key.encode():
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h % FOLDS


con = sqlite3.connect(path)
# What the report reads: the matured cohort, the window, and the explore decisions in between.
d = pd.read_sql("SELECT * FROM lazarus_decisions WHERE decided_at < ? AND (decided_at <= ? OR decided_at >= ? "
                "OR variant = 'explore')", con, params=[end, mature_through, start])
o = pd.read_sql("SELECT * FROM lazarus_outcomes WHERE observed_at < ?", con, params=[end])
ledger = pd.read_sql("SELECT * FROM lazarus_budget_ledger WHERE at < ?", con, params=[end])
df = d.merge(o, on="application_id", how="left", suffixes=("", "_o"))
df["approved"] = df["approved"].astype(bool)
df["known"] = df["approved"] & df["defaulted"].notna()

# The matured cohort and its labelled loans.
cohort = df[(df["decided_at"] <= mature_through) & (df["variant"] != "compliance")].reset_index(drop=True)
fold = cohort["application_id"].map(fnv_fold).to_numpy()
X = sm.add_constant(cohort[FEATURES].astype(float).to_numpy(), has_constant="add")
p = cohort["propensity"].to_numpy()
known = cohort["known"].to_numpy()
missing = cohort["approved"].to_numpy() & ~known
dflt = cohort["defaulted"].fillna(0).astype(float).to_numpy()
loss = np.where(dflt == 1, cohort["loss_amount"].fillna(0).to_numpy(), 0.0)
amount = cohort["loan_amount"].to_numpy()
incremental = (cohort["variant"] == "explore").to_numpy() & (p < 1)
prod = (cohort["score"] > THRESHOLD).to_numpy()
share = prod.mean()
weights = {"v0": np.where(incremental, 0.0, 1.0), "v1": np.ones(len(cohort)), "v2": 1 / np.where(p > 0, p, 1)}


def fit(rows, name, cov=None):
    rows = rows & known & (weights[name] > 0)
    model = sm.GLM(dflt[rows], X[rows], family=sm.families.Binomial(), var_weights=weights[name][rows])
    return model.fit(cov_type=cov) if cov else model.fit()


def parity_cutoff(risks):
    s = np.sort(risks)
    i = int(round(share * len(s))) - 1
    return -1.0 if i < 0 else s[min(i, len(s) - 1)]


full = {name: fit(np.ones(len(cohort), bool), name, "HC0" if name == "v2" else None) for name in weights}
full_cutoff = {name: parity_cutoff(full[name].predict(X)) for name in weights}
pred = {name: np.zeros(len(cohort)) for name in weights}
approve = {name: np.zeros(len(cohort), bool) for name in weights}
m_hat = np.zeros(len(cohort))
var_r = np.zeros(len(cohort))
for k in range(FOLDS):
    member = fold == k
    others = ~member
    rate = loss[others & known & (dflt == 1)].sum() / max(amount[others & known & (dflt == 1)].sum(), 1e-300)
    for name in weights:
        model = fit(others, name)
        pred[name][member] = model.predict(X[member])
        approve[name][member] = pred[name][member] <= parity_cutoff(pred[name][member])
    q = pred["v2"][member]
    expected_loss = rate * amount[member]
    m_hat[member] = LTV * (1 - q) - q * expected_loss
    var_r[member] = q * (1 - q) * (LTV + expected_loss) ** 2

reward = np.where(dflt == 1, -loss, LTV)
days = (pd.Timestamp(mature_through) - pd.Timestamp(cohort["decided_at"].min())).total_seconds() / 86400


def difference(a, b):
    """Doubly robust Σφ with the larger of the empirical and model-based standard errors."""
    sign = a.astype(float) - b.astype(float)
    keep = ~missing & ((p > 0) | (sign == 0))
    safe_p = np.where(p > 0, p, 1)
    phi = sign * (m_hat + np.where(known, (reward - m_hat) / safe_p, 0.0))
    phi, n = phi[keep], keep.sum()
    empirical = np.sqrt(max(0.0, n / (n - 1) * (np.sum(phi ** 2) - phi.sum() ** 2 / n)))
    model = np.sqrt(np.sum((sign != 0)[keep] * (var_r / safe_p)[keep]))
    return phi.sum(), max(empirical, model), int(n), int((~keep & ~missing).sum())


def per_week(a, b):
    total, se, n, unsupported = difference(a, b)
    scale = 7 / days
    return {"perWeekDollars": total * scale, "low": (total - Z * se) * scale, "high": (total + Z * se) * scale,
            "applicants": n, "unsupported": unsupported}


candidates = {"production": prod, "v0": approve["v0"], "v1": approve["v1"], "v2": approve["v2"]}
none = np.zeros(len(cohort), bool)
table = {}
for name, a in candidates.items():
    row = {}
    for label, b in [("profit", none), ("vsProduction", prod), ("vsV0", approve["v0"])]:
        total, se, n, _ = difference(a, b)
        row[label] = [total / n, (total - Z * se) / n, (total + Z * se) / n]
    table[name] = row
value_of_exploration = per_week(approve["v2"], approve["v0"])
value_of_switching = per_week(approve["v2"], prod)

# The cost of exploration in the window: explore outcomes observed in it.
observed = df[(df["variant"] == "explore") & df["known"] & (df["observed_at"] >= start)]
inc = observed[observed["propensity"] < 1]
inc_losses = inc.loc[inc["defaulted"] == 1, "loss_amount"].sum()
exploration = {"incrementalLossesDollars": float(inc_losses),
               "incrementalNetPnlDollars": float((inc["defaulted"] == 0).sum() * LTV - inc_losses),
               "budgetLossesDollars": float(observed.loc[observed["defaulted"] == 1, "loss_amount"].sum())}
window = df[(df["decided_at"] >= start) & (df["variant"] != "compliance")]
exploration["realisedRate"] = float((window["variant"] == "explore").mean())


def delong(risk, y):
    pos, neg = risk[y == 1], risk[y == 0]
    if len(risk) < 30 or len(pos) < 5 or len(neg) < 2:
        return None
    v10 = np.array([(np.sum(x > neg) + 0.5 * np.sum(x == neg)) / len(neg) for x in pos])
    v01 = np.array([(np.sum(pos > x) + 0.5 * np.sum(pos == x)) / len(pos) for x in neg])
    auc = v10.mean()
    se = np.sqrt(v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg))
    return [auc, max(0, auc - Z * se), min(1, auc + Z * se)]


region = known & incremental
quality = {"production": delong(1 - cohort["score"].to_numpy()[region], dflt[region])}
for name in weights:
    quality[name] = delong(pred[name][region], dflt[region])

with PdfPages(out + ".pdf") as pdf:
    fig = plt.figure(figsize=(8.27, 11.69))
    v = value_of_exploration
    conclusive = v["low"] > 0 or v["high"] < 0
    fig.text(0.08, 0.92, f"Shadow-mode report {start[:10]} to {end[:10]}", fontsize=18, weight="bold")
    fig.text(0.08, 0.86, f"Value of exploration ${v['perWeekDollars']:,.0f} a week" if conclusive
             else "Not yet conclusive", fontsize=14)
    lines = [f"95 % CI {v['low']:,.0f} to {v['high']:,.0f}",
             f"Switching {value_of_switching['perWeekDollars']:,.0f}"] + [
        f"{k}: {x:,.2f}" for k, x in exploration.items()]
    for i, line in enumerate(lines):
        fig.text(0.08, 0.8 - 0.03 * i, line, fontsize=10)
    pdf.savefig(fig)
    plt.close(fig)
    fig, (ax, tab) = plt.subplots(2, 1, figsize=(8.27, 11.69))
    lab = cohort[known]
    sample = lab[(lab["variant"] == "explore") | (fold[known] == 0)].head(2500)
    ax.scatter(sample["annual_income"], sample["credit_history_months"], s=4,
               c=np.where(sample["defaulted"] == 1, "red", "green"), alpha=0.5)
    med = cohort.loc[~prod, FEATURES].median()
    xs = np.linspace(0, lab["annual_income"].quantile(0.98), 50)
    for name in ["v1", "v2"]:
        b = full[name].params
        t = np.log(full_cutoff[name] / (1 - full_cutoff[name]))
        rest = b[0] + b[3] * med["debt_to_income"] + b[4] * med["credit_score"] + b[5] * med["age"]
        ax.plot(xs, (t - rest - b[1] * xs) / b[2], label=name)
    ax.set_ylim(0, lab["credit_history_months"].quantile(0.98))
    ax.legend()
    tab.axis("off")
    tab.table(cellText=[[f"{x[0]:.2f} ({x[1]:.2f}, {x[2]:.2f})" for x in r.values()] for r in table.values()],
              rowLabels=list(table), colLabels=["profit", "vs production", "vs V0"], loc="center")
    pdf.savefig(fig)
    plt.close(fig)
    fig, axes = plt.subplots(2, 1, figsize=(8.27, 11.69))
    led = ledger.sort_values("at")
    axes[0].step(pd.to_datetime(led["at"], format="ISO8601"), led["amount"].cumsum(), where="post")
    explore_known = known & (cohort["variant"] == "explore").to_numpy()
    for name in ["v1", "v2"]:
        bins = np.minimum((pred[name][explore_known] * 10).astype(int), 9)
        frame = pd.DataFrame({"b": bins, "p": pred[name][explore_known], "y": dflt[explore_known],
                              "w": 1 / p[explore_known]})
        g = frame.groupby("b").apply(lambda s: pd.Series({"p": np.average(s.p, weights=s.w),
                                                          "y": np.average(s.y, weights=s.w)}), include_groups=False)
        axes[1].plot(g["p"], g["y"], marker="o", label=name)
    axes[1].legend()
    pdf.savefig(fig)
    plt.close(fig)
    fig = plt.figure(figsize=(8.27, 11.69))
    fig.text(0.08, 0.9, "Methodology: matured cohort, V0/V1/V2, cross-fitted doubly robust values ...", fontsize=10)
    pdf.savefig(fig)
    plt.close(fig)

with open(out + ".json", "w") as f:
    json.dump({"valueOfExploration": value_of_exploration, "valueOfSwitching": value_of_switching,
               "exploration": exploration, "offPolicy": table, "quality": quality,
               "coefficients": {name: full[name].params.tolist() for name in weights},
               "v2_se_hc0": full["v2"].bse.tolist(), "cutoffs": full_cutoff}, f)
