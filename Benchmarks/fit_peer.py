#!/usr/bin/env python3
"""Peer for the causal-engine benchmark: V1 + V2 on the same data with statsmodels and scikit-learn.

Usage: python3 Benchmarks/fit_peer.py DATA_FILE ROWS REPEATS
DATA_FILE is written by `lazarus-fit-bench --write`: float64 x (ROWS x 8, row-major), then y, then w.
Prints lines `statsmodels rows seconds max_rss_kib` and `sklearn rows seconds max_rss_kib`.
"""
import resource
import sys
import time

import numpy as np
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression

path, rows, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
raw = np.fromfile(path, dtype="<f8")
x = raw[: rows * 8].reshape(rows, 8)
y = raw[rows * 8 : rows * 9]
w = raw[rows * 9 : rows * 10]
X = sm.add_constant(x, has_constant="add")


def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


for _ in range(repeats):
    start = time.perf_counter()
    v1 = sm.GLM(y, X, family=sm.families.Binomial()).fit(tol=1e-10)
    v2 = sm.GLM(y, X, family=sm.families.Binomial(), var_weights=w).fit(tol=1e-10, cov_type="HC0")
    print(f"statsmodels {rows} {time.perf_counter() - start:.3f} {rss()}", flush=True)
    print("V1", v1.params[1:4], "V2", v2.params[1:4], file=sys.stderr)

for _ in range(repeats):
    start = time.perf_counter()
    # scikit-learn's Newton solver is given standardised features, as Lazarus standardises internally.
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-10, max_iter=200).fit(z, y)
    LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-10, max_iter=200).fit(z, y, sample_weight=w)
    print(f"sklearn {rows} {time.perf_counter() - start:.3f} {rss()}", flush=True)
