#!/usr/bin/env python3
"""Independent reference values for RejectedRegionQuality, written to region.json.

Run from anywhere:  python3 Tests/LazarusCoreTests/Fixtures/make_region_fixture.py
Needs: numpy, scipy, statsmodels, scikit-learn.

- Weighted AUC: scikit-learn roc_auc_score with sample_weight.
- Weighted DeLong variance: the O(n^2) placement-value formula written out here, with weights: the
  placement of a loan is the weighted share of the other class it outranks (ties one half), and the variance
  is each class's unbiased weighted variance of the placements over its Kish effective size; the interval's
  quantile is scipy's Student t at the Welch-Satterthwaite degrees of freedom.
- Observed / expected with the exact (Garwood) Poisson interval: scipy's chi-square quantiles.
- Recalibration y ~ a + b logit(p): statsmodels GLM(Binomial, var_weights=w) with HC0 errors.
"""
import json
import os

import numpy as np
import statsmodels.api as sm
from scipy.stats import chi2, t
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261202)


def weighted_delong(y, p, w):
    pos, neg = y == 1, y == 0
    wp, wn = w[pos], w[neg]
    pp, pn = p[pos], p[neg]
    v10 = np.array([(np.sum(wn * (x > pn)) + 0.5 * np.sum(wn * (x == pn))) / wn.sum() for x in pp])
    v01 = np.array([(np.sum(wp * (pp > x)) + 0.5 * np.sum(wp * (pp == x))) / wp.sum() for x in pn])

    def var(v, ww):
        m = np.sum(ww * v) / ww.sum()
        return np.sum(ww * (v - m) ** 2) / (ww.sum() - np.sum(ww ** 2) / ww.sum()), ww.sum() ** 2 / np.sum(ww ** 2)

    (s10, n10), (s01, n01) = var(v10, wp), var(v01, wn)
    a, b = s10 / n10, s01 / n01
    df = (a + b) ** 2 / (a ** 2 / (n10 - 1) + b ** 2 / (n01 - 1))
    return float(np.sum(wp * v10) / wp.sum()), float(a + b), float(df)


def placements(y, p, w):
    pos, neg = y == 1, y == 0
    out = np.zeros(len(y))
    for i in np.where(pos)[0]:
        out[i] = (np.sum(w[neg] * (p[i] > p[neg])) + 0.5 * np.sum(w[neg] * (p[i] == p[neg]))) / w[neg].sum()
    for j in np.where(neg)[0]:
        out[j] = (np.sum(w[pos] * (p[pos] > p[j])) + 0.5 * np.sum(w[pos] * (p[pos] == p[j]))) / w[pos].sum()
    return out


def paired(y, pa, pb, w):
    """DeLong's paired difference AUC(a) - AUC(b), weighted, from the differences of the placements."""
    d = placements(y, pa, w) - placements(y, pb, w)
    pos, neg = y == 1, y == 0

    def var(v, ww):
        m = np.sum(ww * v) / ww.sum()
        return np.sum(ww * (v - m) ** 2) / (ww.sum() - np.sum(ww ** 2) / ww.sum()) / (ww.sum() ** 2 / np.sum(ww ** 2))

    return float(np.sum(w[pos] * d[pos]) / w[pos].sum()), float(var(d[pos], w[pos]) + var(d[neg], w[neg]))


def case(n, weighted, ties):
    x = rng.standard_normal(n)
    p = 1 / (1 + np.exp(-(-1.8 + 0.9 * x)))
    if ties:
        p = np.round(p, 2)
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-(-1.5 + 0.6 * x)))).astype(float)
    w = np.where(rng.uniform(size=n) < 0.5, 100.0, 50.0) if weighted else np.full(n, 100.0)
    auc, auc_var, df = weighted_delong(y, p, w)
    d = int(y.sum())
    observed, expected = np.sum(w * y), np.sum(w * p)
    low = chi2.ppf(0.025, 2 * d) / 2 if d > 0 else 0.0
    high = chi2.ppf(0.975, 2 * d + 2) / 2
    X = sm.add_constant(np.log(p / (1 - p)))
    fit = sm.GLM(y, X, family=sm.families.Binomial(), var_weights=w).fit(cov_type="HC0")
    other = np.clip(p + 0.05 * rng.standard_normal(n), 0.001, 0.999)
    difference, difference_var = paired(y, p, other, w)
    return {
        "other_risk": other.tolist(), "paired_difference": difference, "paired_variance": difference_var,
        "risk": p.tolist(), "defaulted": y.astype(bool).tolist(), "weights": w.tolist(),
        "auc": auc, "auc_sklearn": float(roc_auc_score(y, p, sample_weight=w)), "auc_variance": auc_var,
        "auc_df": df, "auc_t": float(t.ppf(0.975, df)),
        "defaults": d, "observed_expected": float(observed / expected),
        "poisson_low": float(low), "poisson_high": float(high),
        "calibration": fit.params.tolist(), "calibration_se": fit.bse.tolist(),
    }


def main():
    cases = {"equal": case(400, False, False), "weighted": case(600, True, False), "ties": case(300, True, True)}
    with open(os.path.join(HERE, "region.json"), "w") as f:
        json.dump(cases, f)


if __name__ == "__main__":
    main()
