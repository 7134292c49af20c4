"""A bundle written by ``export_bundle`` with no options whose features come from exp, log1p and tanh, followed by
scalers or not (exp of values up to 80, whose ulp is far above 1e-14) (UfuncBundleTest): before the ulp contract its golden replay could fail the absolute 1e-14 check.

    python3 make_ufunc_bundle.py      # scikit-learn 1.9.1, torch 2.13 CPU; writes exp-log1p-tanh/
"""

import os
import sys

import numpy as np
import pandas as pd
import torch
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
import tabscore_export as tx  # noqa: E402


def main():
    rng = np.random.default_rng(3)
    n = 200
    train = pd.DataFrame({"a": rng.uniform(0, 700, n), "b": np.exp(rng.uniform(0, 14, n)), "c": rng.normal(0, 2, n),
                          "d": rng.uniform(0, 80, n)})
    train.loc[::9, "b"] = np.nan
    pre = ColumnTransformer([
        ("exp", Pipeline([("f", FunctionTransformer(np.exp, feature_names_out="one-to-one")), ("s", MinMaxScaler())]), ["a"]),
        ("log", Pipeline([("i", SimpleImputer(strategy="median")), ("f", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
                          ("s", StandardScaler())]), ["b"]),
        ("tanh", FunctionTransformer(np.tanh, feature_names_out="one-to-one"), ["c"]),
        ("expraw", FunctionTransformer(np.exp, feature_names_out="one-to-one"), ["d"]),
    ]).fit(train)
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    golden = pd.DataFrame({"a": np.concatenate([rng.uniform(0, 700, 40), [0.0, 700.0, 699.999, 1e-300]]),
                           "b": np.concatenate([np.exp(rng.uniform(0, 14, 40)), [np.nan, 0.0, 1.0, 1e6]]),
                           "c": np.concatenate([rng.normal(0, 2, 40), [0.0, -0.0, 20.0, -20.0]]),
                           "d": np.concatenate([rng.uniform(0, 80, 40), [0.0, 80.0, 79.9, 1.5]])})
    tx.export_bundle(pre, net, train, os.path.join(HERE, "exp-log1p-tanh"), golden, name="exp-log1p-tanh",
                     version="1.0.0", task="regression", created_at="2026-12-05T00:00:00Z", overwrite=True)


if __name__ == "__main__":
    sys.exit(main())
