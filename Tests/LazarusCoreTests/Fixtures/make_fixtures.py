#!/usr/bin/env python3
"""Independent reference values for LazarusCore's statistics, written to JSON fixtures.

Run from anywhere:  python3 Tests/LazarusCoreTests/Fixtures/make_fixtures.py
Needs: numpy, scipy, statsmodels, scikit-learn (pip install statsmodels scikit-learn).
The Swift tests read the JSON files; this script is the record of how every expected value was made.

- Logistic fits: statsmodels GLM(Binomial, var_weights=w) for coefficients, naive ("nonrobust") and
  HC0 sandwich standard errors; scikit-learn LogisticRegression(newton-cholesky, C=inf) as a second
  opinion on the coefficients, and the reference for the L2 fit (C = 1/lambda).
- AUC: scikit-learn roc_auc_score (with sample_weight for the weighted AUC); DeLong's variance by the
  direct O(n^2) placement-value formula (DeLong, DeLong & Clarke-Pearson 1988), written out here.
- Blindness, calibration, PSI, off-policy estimates: the formulas of the design, written with numpy.
"""
import json
import os
import sys

import numpy as np
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261123)


def logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


def credit_like(n, ipw):
    """Raw-unit features like Lazarus's: income in dollars, history in months, ratios, scores."""
    income = np.round(np.exp(np.log(48000) + 0.45 * rng.standard_normal(n)), 0)
    history = np.round(np.clip(rng.gamma(2.0, 40.0, n), 0, 480))
    dti = np.clip(0.3 + 0.1 * rng.standard_normal(n), 0.02, 0.9)
    score = np.round(np.clip(650 + 50 * rng.standard_normal(n), 300, 850))
    age = np.round(np.clip(40 + 12 * rng.standard_normal(n), 18, 80))
    x = np.column_stack([income, history, dti, score, age])
    eta = -2.2 + 3.0 * (dti - 0.3) - 0.008 * (score - 650) - 0.5 * np.log(income / 48000) - 0.004 * (history - 80)
    y = (rng.uniform(size=n) < logistic(eta)).astype(float)
    if ipw:
        # A tenth of the rows are explore loans logged with propensity 0.01, the rest propensity 1.
        propensity = np.where(rng.uniform(size=n) < 0.1, 0.01, 1.0)
        w = 1.0 / propensity
    else:
        w = np.ones(n)
    return x, y, w


def glm(x, y, w):
    X = sm.add_constant(x, has_constant="add")
    model = sm.GLM(y, X, family=sm.families.Binomial(), var_weights=w)
    naive = model.fit(tol=1e-15, maxiter=1000)
    robust = model.fit(tol=1e-15, maxiter=1000, cov_type="HC0")
    return naive, robust


def sklearn_fit(x, y, w, l2):
    if l2 == 0:
        clf = LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-14, max_iter=1000)
    else:
        clf = LogisticRegression(C=1.0 / l2, solver="newton-cholesky", tol=1e-14, max_iter=1000)
    # newton-cholesky handles raw-unit features poorly in its own stopping rule; scale, then map back.
    mean, sd = x.mean(axis=0), x.std(axis=0)
    z = (x - mean) / sd
    if l2 != 0:
        # The penalty is on raw coefficients: lambda/2 * sum(beta^2) = lambda/2 * sum((b/sd)^2).
        # scikit-learn penalises z-coefficients uniformly, so fit on raw x for the L2 case instead.
        clf.fit(x, y, sample_weight=w)
        return float(clf.intercept_[0]), clf.coef_[0].tolist()
    clf.fit(z, y, sample_weight=w)
    b = clf.coef_[0] / sd
    b0 = clf.intercept_[0] - np.sum(clf.coef_[0] * mean / sd)
    return float(b0), b.tolist()


def logistic_cases():
    cases = []
    for name, n, ipw in [("small-unweighted", 200, False), ("credit-ipw", 3000, True), ("credit-unweighted", 3000, False)]:
        x, y, w = credit_like(n, ipw)
        naive, robust = glm(x, y, w)
        b0, b = sklearn_fit(x, y, w, 0)
        assert np.allclose(naive.params, [b0] + b, rtol=1e-7), (name, naive.params, b0, b)
        cases.append({
            "name": name, "l2": 0.0,
            "names": ["annual_income", "credit_history_months", "debt_to_income", "credit_score", "age"],
            "x": x.tolist(), "y": y.tolist(), "w": w.tolist(),
            "coefficients": naive.params.tolist(),
            "naive_se": naive.bse.tolist(), "robust_se": robust.bse.tolist(),
            "sklearn_coefficients": [b0] + b,
        })
    # L2: scikit-learn's objective C * sum(w * loss) + 1/2 ||beta||^2 equals ours with lambda = 1/C.
    x, y, w = credit_like(400, False)
    x = x[:, [2, 3, 4]]  # ratios, scores and ages: a scale where a penalty of 1 matters
    l2 = 1.0
    b0, b = sklearn_fit(x, y, w, l2)
    cases.append({
        "name": "l2", "l2": l2, "names": ["debt_to_income", "credit_score", "age"],
        "x": x.tolist(), "y": y.tolist(), "w": w.tolist(),
        "coefficients": [b0] + b, "naive_se": None, "robust_se": None, "sklearn_coefficients": [b0] + b,
    })
    return cases


def delong(y, p):
    """DeLong's AUC and variance, straight from the placement values (O(n^2), for reference)."""
    pos, neg = p[y == 1], p[y == 0]
    psi = (pos[:, None] > neg[None, :]).astype(float) + 0.5 * (pos[:, None] == neg[None, :])
    auc = psi.mean()
    v10 = psi.mean(axis=1)  # one per positive
    v01 = psi.mean(axis=0)  # one per negative
    var = v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg)
    return auc, var


def blindness(p, y, v):
    sv = v.sum()
    a = np.sum(v * (p - y) ** 2) / sv
    ybar = np.sum(v * y) / sv
    b = ybar * (1 - ybar)
    s = a / b
    # Influence functions of A, ybar, and the ratio; variance of a weighted mean of them.
    inf_a = (p - y) ** 2 - a
    inf_y = y - ybar
    inf_s = inf_a / b - a * (1 - 2 * ybar) * inf_y / b**2
    se = np.sqrt(np.sum((v / sv) ** 2 * inf_s**2))
    return {"a": a, "ybar": ybar, "score": min(1.0, s), "raw_ratio": s, "se": se}


def ece(p, y, v, bins=10):
    edges = np.linspace(0, 1, bins + 1)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if v[m].sum() > 0:
            total += v[m].sum() / v.sum() * abs(np.sum(v[m] * y[m]) / v[m].sum() - np.sum(v[m] * p[m]) / v[m].sum())
    return total


def psi(expected, actual, bins=10, floor=1e-4):
    edges = np.quantile(expected, np.linspace(0, 1, bins + 1)[1:-1], method="linear")
    e_idx = np.searchsorted(edges, expected, side="right")
    a_idx = np.searchsorted(edges, actual, side="right")
    e = np.bincount(e_idx, minlength=bins) / len(expected)
    a = np.bincount(a_idx, minlength=bins) / len(actual)
    e, a = np.maximum(e, floor), np.maximum(a, floor)
    return float(np.sum((a - e) * np.log(a / e))), edges.tolist()


def off_policy():
    """A logged epsilon-greedy policy and a candidate; IPS and self-normalised (Hajek) estimates."""
    n = 5000
    score = rng.uniform(size=n)
    logged_pass = score > 0.5
    explore = rng.uniform(size=n) < 0.05
    approved = logged_pass | explore
    propensity = np.where(logged_pass, 1.0, 0.05)
    candidate = rng.uniform(size=n) < np.clip(score + 0.2, 0, 1)  # approves more of the rejected
    default_p = 0.4 * (1 - score) ** 2
    defaulted = (rng.uniform(size=n) < default_p) & approved
    loss = np.where(defaulted, np.round(rng.uniform(100, 900, n), 2), 0.0)
    ltv = 500.0
    reward = np.where(approved, np.where(defaulted, -loss, ltv), 0.0)
    # Importance weight of the logged action under the candidate (deterministic) policy.
    with np.errstate(divide="ignore", invalid="ignore"):  # np.where evaluates both branches
        rho = np.where(approved, candidate / propensity, (~candidate) / (1 - np.where(logged_pass, 1.0, 0.05)))
    rho = np.where(approved & (propensity == 0), 0.0, rho)
    ips = np.mean(rho * reward)
    ips_se = np.std(rho * reward, ddof=1) / np.sqrt(n)
    snips = np.sum(rho * reward) / np.sum(rho)
    snips_se = np.sqrt(np.sum(rho**2 * (reward - snips) ** 2)) / np.sum(rho)
    # Default rate among the loans the candidate would grant: ratio of IPW sums over approved rows.
    wa = np.where(approved, candidate / propensity, 0.0)
    dr = np.sum(wa * defaulted) / np.sum(wa)
    dr_se = np.sqrt(np.sum(wa**2 * (defaulted - dr) ** 2)) / np.sum(wa)
    return {
        "propensity": propensity.tolist(), "approved": approved.tolist(), "candidate": candidate.tolist(),
        "defaulted": defaulted.tolist(), "loss": loss.tolist(), "ltv": ltv,
        "profit_ips": ips, "profit_ips_se": ips_se, "profit_snips": snips, "profit_snips_se": snips_se,
        "default_rate": dr, "default_rate_se": dr_se, "approval_rate": float(candidate.mean()),
        "ess": float(np.sum(wa) ** 2 / np.sum(wa**2)), "max_weight": float(wa.max()),
    }


def evaluation_cases():
    n = 600
    y = (rng.uniform(size=n) < 0.3).astype(float)
    p = np.clip(logistic(-1 + 1.5 * y + rng.standard_normal(n)), 1e-6, 1 - 1e-6)
    p[:40] = np.round(p[:40], 1)  # ties, which AUC must count as one half
    v = np.where(rng.uniform(size=n) < 0.2, 100.0, 1.0)
    auc, var = delong(y, p)
    expected = rng.normal(0, 1, 3000)
    actual = rng.normal(0.3, 1.2, 1000)
    psi_value, edges = psi(expected, actual)
    return {
        "y": y.tolist(), "p": p.tolist(), "v": v.tolist(),
        "auc": roc_auc_score(y, p), "auc_var": var, "auc_weighted": roc_auc_score(y, p, sample_weight=v),
        "blindness": blindness(p, y, v), "ece": ece(p, y, v), "oe": float(np.sum(v * y) / np.sum(v * p)),
        "psi_expected": expected.tolist(), "psi_actual": actual.tolist(), "psi": psi_value, "psi_edges": edges,
        "off_policy": off_policy(),
    }


def main():
    meta = {"numpy": np.__version__, "statsmodels": statsmodels.__version__, "sklearn": sklearn.__version__,
            "python": sys.version.split()[0]}
    with open(os.path.join(HERE, "logistic.json"), "w") as f:
        json.dump({"meta": meta, "cases": logistic_cases()}, f)
    with open(os.path.join(HERE, "evaluation.json"), "w") as f:
        json.dump({"meta": meta, **evaluation_cases()}, f)


if __name__ == "__main__":
    main()
