#!/usr/bin/env python3
"""Checks the report's value estimates against the simulator's ground truth.

Usage: python3 Benchmarks/truth_check.py [--min-coverage C] [--max-bias B] [--beat-zero NAME] STORE JSON TRUTH ...

For every run (an SQLite store, the report's JSON twin, the `lazarus-sim --truth` CSV) it
1. recomputes the headline's doubly robust estimates from the tables and the JSON's fold models alone, with
   this file's own code (no Lazarus code): an independent implementation of the same estimator;
2. computes the truth with the report's own fitted policies: for each applicant of the matured cohort, the
   policies' decisions (the fold models of its fold, at their cut-offs) times its potential reward from the
   truth file (LTV if it would repay, -loss_if_default if it would default), summed per week of applicants;
   also the expected truth, with the true default probability in place of the potential outcome.
It prints one line per run and the coverage of the 95 % intervals, the mean error and the mean half-width.
Exits 1 when the coverage is below --min-coverage, |mean error| > --max-bias x mean half-width, or (with
--beat-zero valueOfSwitching, say) that estimate's root-mean-square error is not below a zero estimate's: an
interval wide enough to cover anything is no evidence the estimate is right. The cohort's length in days, which
scales every figure, is recomputed from the store, not taken from the JSON.
Pure Python (sqlite3, csv, math): nothing to install.
"""
import csv
import json
import math
import sqlite3
import sys
from datetime import datetime, timezone

FEATURES = ["annual_income", "credit_history_months", "debt_to_income", "credit_score", "age"]
MASK = (1 << 64) - 1


def fold_of(application_id, folds):
    """FNV-1a 64 of the UTF-8 id, mod folds (as the JSON's crossFit.foldHash says)."""
    h = 0xCBF29CE484222325
    for byte in application_id.encode("utf-8"):
        h ^= byte
        h = (h * 0x100000001B3) & MASK
    return h % folds


def probability(model, x):
    # Summed in the report's order (intercept first), so that the applicant at each cut-off lands on the same side.
    eta = model["intercept"]
    for c, v in zip(model["coefficients"], x):
        eta += c * v
    return 1 / (1 + math.exp(-eta)) if eta >= 0 else math.exp(eta) / (1 + math.exp(eta))


def check_run(store, report_path, truth_path):
    report = json.load(open(report_path))
    ltv = report["settings"]["lifetimeValue"]
    threshold = report["settings"]["riskThreshold"]
    cohort = report["cohort"]
    cross = report["crossFit"]
    folds = cross["folds"]
    by_fold = {f["fold"]: f for f in cross["foldModels"]}
    truth = {}
    with open(truth_path) as handle:
        for row in csv.DictReader(handle):
            truth[row["application_id"]] = (
                float(row["true_default_probability"]), row["would_default"] == "1", float(row["loss_if_default"]))
    con = sqlite3.connect(store)
    rows = con.execute(
        "SELECT d.application_id, d.propensity, d.approved, d.score, d.loan_amount, "
        + ", ".join("d." + f for f in FEATURES)
        + ", o.defaulted, o.loss_amount, o.observed_at FROM lazarus_decisions d "
        "LEFT JOIN lazarus_outcomes o ON o.application_id = d.application_id "
        "WHERE d.decided_at <= ? AND d.variant <> 'compliance'", (cohort["to"],)).fetchall()
    first = con.execute(
        "SELECT MIN(decided_at) FROM lazarus_decisions WHERE decided_at <= ? AND variant <> 'compliance'",
        (cohort["to"],)).fetchone()[0]

    def instant(text):
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)

    days = (instant(cohort["to"]) - instant(first)).total_seconds() / 86400
    if abs(days - cohort["days"]) > 1e-9:
        raise SystemExit(f"{store}: the cohort spans {days} days, the JSON says {cohort['days']}")
    scale = 7 / days
    region_risk, region_truth = [], []
    # Σφ, Σφ², n, truth, expected truth, Σ σ̂²/p (the model-based variance floor)
    sums = {"v2-v0": [0.0, 0.0, 0, 0.0, 0.0, 0.0], "v2-prod": [0.0, 0.0, 0, 0.0, 0.0, 0.0]}
    eligible = 0
    for (aid, p, approved, score, amount, *rest) in rows:
        x = [float(v) for v in rest[:5]]
        defaulted, loss, observed_at = rest[5:]
        eligible += 1
        if score <= threshold and p > 0:
            # The rejected region exploration could reach: production's true within-region AUC is computed on
            # every such applicant's potential outcome.
            region_risk.append(1 - score)
            region_truth.append(truth[aid][1])
        labelled = bool(approved) and defaulted is not None and observed_at < report["cutoff"]
        if approved and not labelled:
            continue  # a missing outcome: left out of every estimate
        fm = by_fold[fold_of(aid, folds)]
        approve = {m: probability(fm[m], x) <= fm[m]["cutoff"] for m in ("v0", "v2")}
        approve["prod"] = score > threshold
        q = probability(fm["v2"], x)
        expected_loss = fm["lossRate"] * amount
        m_hat = ltv * (1 - q) - q * expected_loss
        reward_variance = q * (1 - q) * (ltv + expected_loss) ** 2
        reward = (-loss if defaulted else ltv) if labelled else 0.0
        p_true, would_default, loss_if = truth[aid]
        true_reward = -loss_if if would_default else ltv
        expected_reward = ltv * (1 - p_true) - p_true * loss_if
        for key, (a, b) in {"v2-v0": ("v2", "v0"), "v2-prod": ("v2", "prod")}.items():
            sign = int(approve[a]) - int(approve[b])
            if sign != 0 and p == 0:
                continue  # unsupported
            s = sums[key]
            s[2] += 1
            if sign == 0:
                continue
            phi = sign * (m_hat + ((reward - m_hat) / p if labelled else 0.0))
            s[0] += phi
            s[1] += phi * phi
            s[3] += sign * true_reward
            s[4] += sign * expected_reward
            s[5] += reward_variance / p
    assert eligible == cohort["eligible"], f"{store}: cohort of {eligible} eligible, the JSON says {cohort['eligible']}"
    out = {}
    for key, name in [("v2-v0", "valueOfExploration"), ("v2-prod", "valueOfSwitching")]:
        total, squares, n, true_total, expected_total, model_variance = sums[key]
        empirical = math.sqrt(max(0.0, n / (n - 1) * (squares - total * total / n))) if n > 1 else 0.0
        se = max(empirical, math.sqrt(model_variance))
        estimate = report[name]
        recomputed = total * scale
        if abs(recomputed - estimate["perWeekDollars"]) > 1e-6 * max(1.0, abs(recomputed)) + 0.5:
            raise SystemExit(f"{store}: {name} recomputed {recomputed:.2f} but the report says "
                             f"{estimate['perWeekDollars']:.2f}")
        if abs(se * 1.959963984540054 * scale - (estimate["high"] - estimate["perWeekDollars"])) > 0.5 + 1e-6 * se:
            raise SystemExit(f"{store}: {name} half-width differs from the recomputation")
        out[name] = (estimate["perWeekDollars"], estimate["low"], estimate["high"], true_total * scale,
                     expected_total * scale)
    auc = report["modelsByName"]["production"]["rejectedAuc"]
    out["productionRejectedAuc"] = None if auc is None else (
        auc["estimate"], auc["low"], auc["high"], mann_whitney(region_risk, region_truth))
    return out


def mann_whitney(risk, positive):
    """P(a positive ranks above a negative), ties one half, by sorting."""
    order = sorted(range(len(risk)), key=lambda i: risk[i])
    negatives_below, concordant, i = 0, 0.0, 0
    while i < len(order):
        j = i
        while j < len(order) and risk[order[j]] == risk[order[i]]:
            j += 1
        tied_pos = sum(1 for k in order[i:j] if positive[k])
        tied_neg = (j - i) - tied_pos
        concordant += tied_pos * (negatives_below + tied_neg / 2)
        negatives_below += tied_neg
        i = j
    positives = sum(positive)
    return concordant / (positives * (len(risk) - positives))


def main(argv):
    min_coverage, max_bias, beat_zero = None, None, []
    while argv and argv[0].startswith("--"):
        flag, text = argv[0], argv[1]
        argv = argv[2:]
        if flag == "--beat-zero":
            beat_zero.append(text)
            continue
        value = float(text)
        if flag == "--min-coverage":
            min_coverage = value
        elif flag == "--max-bias":
            max_bias = value
        else:
            raise SystemExit(f"unknown flag {flag}")
    if len(argv) % 3 or not argv:
        raise SystemExit(__doc__)
    runs = [check_run(*argv[i:i + 3]) for i in range(0, len(argv), 3)]
    failed = False
    for name in ["valueOfExploration", "valueOfSwitching"]:
        print(f"\n{name}: estimate [95 % CI] vs truth (potential outcomes) and expected truth, $ per week")
        covered = covered_expected = 0
        errors, halves = [], []
        for i, run in enumerate(runs):
            estimate, low, high, true, expected = run[name]
            inside = low <= true <= high
            covered += inside
            covered_expected += low <= expected <= high
            errors.append(estimate - true)
            halves.append((high - low) / 2)
            print(f"  run {i + 1:2d}: {estimate:12,.0f} [{low:12,.0f}, {high:12,.0f}]  truth {true:12,.0f}"
                  f"  expected {expected:12,.0f}  {'covered' if inside else 'MISSED'}")
        n = len(runs)
        mean_error = sum(errors) / n
        mean_half = sum(halves) / n
        coverage = covered / n
        print(f"  coverage {covered}/{n} = {coverage:.0%} (of the expected truth {covered_expected}/{n}); "
              f"mean error {mean_error:,.0f}; mean half-width {mean_half:,.0f}; "
              f"|mean error| / mean half-width = {abs(mean_error) / mean_half:.3f}")
        rmse = math.sqrt(sum(e * e for e in errors) / n)
        rmse_zero = math.sqrt(sum(run[name][3] ** 2 for run in runs) / n)
        print(f"  root-mean-square error {rmse:,.0f}; a zero estimate's {rmse_zero:,.0f}")
        if name in beat_zero and rmse >= rmse_zero:
            print("  FAIL: no better than estimating zero")
            failed = True
        if min_coverage is not None and coverage < min_coverage:
            print(f"  FAIL: coverage below {min_coverage:.0%}")
            failed = True
        if max_bias is not None and abs(mean_error) > max_bias * mean_half:
            print(f"  FAIL: |mean error| above {max_bias} x mean half-width")
            failed = True
    aucs = [run["productionRejectedAuc"] for run in runs if run["productionRejectedAuc"] is not None]
    if aucs:
        covered = sum(low <= true <= high for _, low, high, true in aucs)
        print(f"\nproduction's within-region AUC: its 95 % interval covers the true AUC (every rejected applicant "
              f"of the cohort exploration could reach) in {covered}/{len(aucs)} runs; mean estimate "
              f"{sum(a[0] for a in aucs) / len(aucs):.3f}, mean truth {sum(a[3] for a in aucs) / len(aucs):.3f}, "
              f"mean half-width {sum((a[2] - a[1]) / 2 for a in aucs) / len(aucs):.3f}")
        if min_coverage is not None and covered / len(aucs) < min_coverage:
            print(f"  FAIL: coverage below {min_coverage:.0%}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
