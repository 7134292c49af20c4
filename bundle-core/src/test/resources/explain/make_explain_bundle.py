"""Writes graph-bundle/: a bundle whose preprocessor uses the wider ColumnTransformer / Pipeline
surface (nested ColumnTransformer, FeatureUnion, transformer_weights, a str slice, a bool mask, a
make_column_selector, a passthrough step, pandas output inside, a NaN category), exported
by tabscore_export with a small torch network (ExplainCommandTest: explain, Java vs
Python, on every golden row).

    python3 bundle-core/src/test/resources/explain/make_explain_bundle.py
"""

import os
import shutil
import sys

import numpy as np
import pandas as pd
import torch
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, RobustScaler, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
import tabscore_export as tx  # noqa: E402


def frame(n, seed):
    rng = np.random.default_rng(seed)
    a = np.round(rng.normal(10, 3, n), 3)
    b = np.round(rng.normal(-2, 5, n), 2)
    b[rng.random(n) < 0.15] = np.nan
    c = rng.choice(["red", "green", "blue"], n, p=[0.5, 0.3, 0.2]).astype(object)
    c[rng.random(n) < 0.1] = np.nan  # NaN, not None: a learned None category is refused
    d = np.round(rng.normal(100, 20, n), 1)
    e = rng.choice(["x", "y"], n)
    return pd.DataFrame({"a": a, "b": b, "c": c, "d": d, "e": e})


def graph():
    num = Pipeline([("imp", SimpleImputer(strategy="median")), ("p", "passthrough"),
                    ("sc", StandardScaler())]).set_output(transform="pandas")
    inner = ColumnTransformer([("n", num, slice("a", "b")),
                               ("o", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                                [False, False, True])], remainder="drop")
    union = FeatureUnion([("s", StandardScaler()), ("m", MinMaxScaler()), ("p", "passthrough")],
                         transformer_weights={"m": 2.5, "p": 0.1})
    return ColumnTransformer([
        ("inner", inner, ["a", "b", "c"]),
        ("u", union, make_column_selector(pattern="^d$")),
        ("twice", RobustScaler(), ["a"]),
        ("e", Pipeline([("imp", SimpleImputer(strategy="most_frequent")),
                        ("ord", OrdinalEncoder(handle_unknown="use_encoded_value",
                                               unknown_value=-1))]), ["e"]),
    ], remainder="drop", transformer_weights={"twice": 0.5}, verbose_feature_names_out=True)


def main():
    train = frame(300, 5)
    pre = graph().fit(train)
    width = pre.transform(train.head(2)).shape[1]
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(width, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    out = os.path.join(HERE, "graph-bundle")
    shutil.rmtree(out, ignore_errors=True)
    tx.export_bundle(pre, net, train, out, name="graph-explain", version="1.0.0", task="binary",
                     classes=[0, 1], snapshot_id="2026-12-05", run_id="fid-graph")
    print("wrote", out)


if __name__ == "__main__":
    main()
