#!/usr/bin/env python3
"""Peer for the report benchmark: the shadow-mode report the way an analyst would build it.

Usage: python3 Benchmarks/report_peer.py SQLITE_FILE WINDOW_START WINDOW_END OUT_PREFIX
pandas reads the tables, statsmodels fits V1 and V2 (with HC0 errors) and their 5-fold cross-fits,
numpy does the off-policy sums, and matplotlib's PDF backend draws four pages like lazarus-report's.
"""
import json
import sqlite3
import sys
import zlib

import matplotlib

matplotlib.use("pdf")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import statsmodels.api as sm  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

path, start, end, out = sys.argv[1:5]
LTV, THRESHOLD = 500.0, 0.5
FEATURES = ["annual_income", "credit_history_months", "debt_to_income", "credit_score", "age"]

con = sqlite3.connect(path)
d = pd.read_sql("SELECT * FROM lazarus_decisions WHERE decided_at < ?", con, params=[end])
o = pd.read_sql("SELECT * FROM lazarus_outcomes WHERE observed_at < ?", con, params=[end])
ledger = pd.read_sql("SELECT * FROM lazarus_budget_ledger WHERE at < ?", con, params=[end])
df = d.merge(o, on="application_id", how="left", suffixes=("", "_o"))
df["labelled"] = df["approved"].astype(bool) & df["defaulted"].notna()
window = df[df["decided_at"] >= start]
eligible = window[window["variant"] != "compliance"]
lab = df[df["labelled"]].copy()
X = sm.add_constant(lab[FEATURES].astype(float).to_numpy())
y = lab["defaulted"].astype(float).to_numpy()
w = 1.0 / lab["propensity"].to_numpy()
v1 = sm.GLM(y, X, family=sm.families.Binomial()).fit()
v2 = sm.GLM(y, X, family=sm.families.Binomial(), var_weights=w).fit(cov_type="HC0")

folds = lab["application_id"].map(lambda s: zlib.crc32(s.encode()) % 5).to_numpy()
cross = {"V1": np.zeros(len(lab)), "V2": np.zeros(len(lab))}
for k in range(5):
    train, test = folds != k, folds == k
    for name, weights in [("V1", None), ("V2", w)]:
        kw = {} if weights is None else {"var_weights": weights[train]}
        fit = sm.GLM(y[train], X[train], family=sm.families.Binomial(), **kw).fit()
        cross[name][test] = fit.predict(X[test])

share = (eligible["score"] > THRESHOLD).mean()
Xe = sm.add_constant(eligible[FEATURES].astype(float).to_numpy(), has_constant="add")
cutoffs = {}
for name, model in [("V1", v1), ("V2", v2)]:
    risks = np.sort(model.predict(Xe))
    cutoffs[name] = risks[max(int(round(share * len(risks))) - 1, 0)]

explore = (lab["variant"] == "explore").to_numpy()
rejected = (lab["score"] <= THRESHOLD).to_numpy()
observed_in = (lab["observed_at"] >= start).to_numpy()
reward = np.where(lab["defaulted"].astype(bool), -lab["loss_amount"].fillna(0), LTV) / lab["propensity"]
swap = explore & rejected & (cross["V2"] <= cutoffs["V2"])
headline = {
    "window": {"cost": float(lab.loc[explore & observed_in, "loss_amount"].sum()),
               "revenue": float(reward[swap & observed_in].sum()), "n": int((swap & observed_in).sum())},
    "to_date": {"cost": float(lab.loc[explore, "loss_amount"].sum()), "revenue": float(reward[swap].sum()),
                "n": int(swap.sum())},
}

def snips(candidate_lab, candidate_rej):
    """Self-normalised profit per applicant of a candidate, over decisions with known outcomes."""
    rej = df[~df["approved"].astype(bool)]
    rho_a = candidate_lab / lab["propensity"].to_numpy()
    r_a = np.where(lab["defaulted"].astype(bool), -lab["loss_amount"].fillna(0), LTV)
    rho_r = (~candidate_rej) / (1 - rej["propensity"].to_numpy())
    return float(np.sum(rho_a * r_a) / (np.sum(rho_a) + np.sum(rho_r)))

rej = df[~df["approved"].astype(bool)]
Xr = sm.add_constant(rej[FEATURES].astype(float).to_numpy(), has_constant="add")
summary = {"Production": snips((lab["score"] > THRESHOLD).to_numpy(), (rej["score"] > THRESHOLD).to_numpy())}
for name, model in [("V1", v1), ("V2", v2)]:
    summary[name] = snips(cross[name] <= cutoffs[name], model.predict(Xr) <= cutoffs[name])

with PdfPages(out + ".pdf") as pdf:
    fig = plt.figure(figsize=(8.27, 11.69))
    fig.text(0.08, 0.92, f"Shadow-mode report {start[:10]} to {end[:10]}", fontsize=18, weight="bold")
    fig.text(0.08, 0.86, f"Spending ${headline['to_date']['cost']:,.0f} unlocked ${headline['to_date']['revenue']:,.0f}",
             fontsize=14)
    for i, (k, v) in enumerate(headline["window"].items()):
        fig.text(0.08, 0.8 - 0.03 * i, f"{k}: {v:,.2f}", fontsize=10)
    pdf.savefig(fig)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(8.27, 11.69))
    sample = lab[explore | (folds == 0)].head(2500)
    ax.scatter(sample["annual_income"], sample["credit_history_months"], s=4,
               c=np.where(sample["defaulted"].astype(bool), "red", "green"), alpha=0.5)
    med = rej[FEATURES].median()
    xs = np.linspace(0, lab["annual_income"].quantile(0.98), 50)
    for name, model in [("V1", v1), ("V2", v2)]:
        b = model.params
        t = np.log(cutoffs[name] / (1 - cutoffs[name]))
        rest = b[0] + b[3] * med["debt_to_income"] + b[4] * med["credit_score"] + b[5] * med["age"]
        ax.plot(xs, (t - rest - b[1] * xs) / b[2], label=name)
    ax.set_ylim(0, lab["credit_history_months"].quantile(0.98))
    ax.legend()
    pdf.savefig(fig)
    plt.close(fig)
    fig, axes = plt.subplots(2, 1, figsize=(8.27, 11.69))
    led = ledger.sort_values("at")
    axes[0].step(pd.to_datetime(led["at"], format="ISO8601"), led["amount"].cumsum(), where="post")
    for name in ["V1", "V2"]:
        bins = np.minimum((cross[name][explore] * 10).astype(int), 9)
        frame = pd.DataFrame({"b": bins, "p": cross[name][explore], "y": y[explore], "w": w[explore]})
        g = frame.groupby("b").apply(lambda s: pd.Series({"p": np.average(s.p, weights=s.w),
                                                          "y": np.average(s.y, weights=s.w)}), include_groups=False)
        axes[1].plot(g["p"], g["y"], marker="o", label=name)
    axes[1].legend()
    pdf.savefig(fig)
    plt.close(fig)
    fig = plt.figure(figsize=(8.27, 11.69))
    fig.text(0.08, 0.9, "Methodology: inverse-probability weighting ...", fontsize=10)
    pdf.savefig(fig)
    plt.close(fig)

with open(out + ".json", "w") as f:
    json.dump({"headline": headline, "profit": summary, "v1": v1.params.tolist(), "v2": v2.params.tolist(),
               "v2_se_hc0": v2.bse.tolist()}, f)
