"""Bundles whose get_feature_names_out() repeats a name (issue 12: duplicate feature names).

scikit-learn fits, transforms and names these graphs; tabscore keeps its names in the manifest (features stay
positional) and names the later occurrences ``<name>__<k>`` wherever it needs one name per feature
(``tabscore_export.feature_columns``, Java's FeatureColumns). Each case is exported with
``tabscore_export.export_bundle``, plus ``fresh.parquet`` and ``expected.json``: the manifest's names, the distinct
column names, and per fresh row scikit-learn's features (null where scikit-learn refuses the row).
DuplicateFeatureNamesTest opens each bundle (verify: golden replay by the distinct columns) and compares Java row by
row, and scores one through ``bundle score --features`` and ``explain``.

Run with the system python (scikit-learn 1.9.1) and with older releases from their virtualenvs (made by
scripts/difffuzz/make_venvs.sh), with this worktree's exporter first on the path::

    PYTHONPATH=../../../../../python python3 make_duplicate_names.py
    for v in 1.2.2 1.6.1; do PYTHONPATH=../../../../../python /work/venvs-difffuzz/sk-$v/bin/python make_duplicate_names.py; done
"""

import json
import os
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import torch
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    OneHotEncoder,
    PolynomialFeatures,
    PowerTransformer,
    StandardScaler,
)

import tabscore_export as tx

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = sklearn.__version__
NEW = tuple(int(p) for p in VERSION.split(".")[:2])
OUT = os.path.join(HERE, f"sklearn-{VERSION}")


def ohe(**kw):
    kw.setdefault("sparse_output" if NEW >= (1, 2) else "sparse", False)
    return OneHotEncoder(**kw)


def train_frame():
    """city: the string 'nan' next to a missing value (NaN); tag: the string 'None' next to Python None (as read
    from Parquet); a / a_b: the category 'b_c' of a and 'c' of a_b both give a_b_c; 'x y', x, y: PolynomialFeatures
    names the product of x and y 'x y', as it names the column 'x y'."""
    n = 40
    city = (["u", "nan", np.nan, "v", "nan", np.nan, "u", "v"] * 5)[:n]
    tag = (["p", "None", None, "q", None, "p", "None", "q"] * 5)[:n]
    a = (["b_c", "d", "b_c", "e"] * 10)[:n]
    a_b = (["c", "f", "f", "c", "g"] * 8)[:n]
    rng = np.random.default_rng(0)
    return pd.DataFrame({"city": pd.Series(city, dtype=object), "tag": pd.Series(tag, dtype=object),
                         "a": pd.Series(a, dtype=object), "a_b": pd.Series(a_b, dtype=object),
                         "x y": rng.uniform(0.5, 3.0, n), "x": rng.uniform(0.5, 3.0, n),
                         "y": rng.uniform(0.5, 3.0, n)})


def fresh_frame():
    """Every category, nulls, the strings 'nan' and 'None', an unseen value, new numbers."""
    city = [None, "nan", "None", "u", "v", "zz", None, "nan"]
    tag = ["None", None, "p", "q", "nan", None, "zz", "p"]
    a = ["b_c", "d", "e", "zz", "b_c", None, "d", "e"]
    a_b = ["c", "f", "g", "c", "zz", "f", None, "g"]
    x = [0.6, 1.0, 2.9, 1.5, 0.75, 2.2, 1.1, 3.0]
    return pd.DataFrame({"city": pd.Series(city, dtype=object), "tag": pd.Series(tag, dtype=object),
                         "a": pd.Series(a, dtype=object), "a_b": pd.Series(a_b, dtype=object), "x y": x,
                         "x": x[::-1], "y": x[3:] + x[:3]})


def cases():
    out = {
        # 'nan' and NaN both give city_nan, 'None' and None both tag_None, a's 'b_c' and a_b's 'c' both a_b_c
        "ohe": lambda: ColumnTransformer([("c", ohe(handle_unknown="ignore"), ["city", "tag", "a", "a_b"]),
                                          ("n", StandardScaler(), ["x"])]),
        # 'x y' twice (the column and x times y), through a ufunc: the ulp contract keyed by distinct names
        "poly-ufunc": lambda: ColumnTransformer([
            ("p", make_pipeline(FunctionTransformer(np.log1p, feature_names_out="one-to-one"),
                                PolynomialFeatures(2)), ["x y", "x", "y"])]),
        # the same names through a PowerTransformer: approx_features keyed by distinct names
        "poly-approx": lambda: make_pipeline(
            ColumnTransformer([("p", PolynomialFeatures(2, include_bias=False), ["x y", "x", "y"])]),
            PowerTransformer()),
    }
    if NEW >= (1, 6):
        # a format without the branch name repeats a column that feeds two branches (scikit-learn checks
        # uniqueness only for verbose_feature_names_out=False)
        out["ct-format"] = lambda: ColumnTransformer([("s", StandardScaler(), ["x", "y"]),
                                                      ("raw", "passthrough", ["x"]),
                                                      ("c", ohe(handle_unknown="ignore"), ["city", "tag"])],
                                                     verbose_feature_names_out="{feature_name}")
    return out


def expected(pre, frame):
    features, refused = tx.transform_rows(pre, frame)
    return [None if r in refused else [float(v) for v in features[r]] for r in range(len(frame))]


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    torch.manual_seed(0)
    for name, make in cases().items():
        train = train_frame()
        pre = make()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pre.fit(train)
            names = [str(f) for f in pre.get_feature_names_out()]
            net = torch.nn.Sequential(torch.nn.Linear(len(names), 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
            case = os.path.join(OUT, name)
            manifest = tx.export_bundle(pre, net, train, os.path.join(case, "bundle"), name=name, version="1.0.0",
                                        task="binary", classes=[0, 1], created_at="2026-12-05T00:00:00Z",
                                        onnx=False)
            contract = manifest["input"]["columns"]
            tx.write_parquet(tx.golden_input_table(fresh_frame(), contract), Path(case) / "fresh.parquet")
            frame = tx.read_golden_input(os.path.join(case, "fresh.parquet"), contract)
            rows = expected(pre, frame)
        assert manifest["features"]["names"] == names and len(set(names)) < len(names), names
        with open(os.path.join(case, "expected.json"), "w") as f:
            json.dump({"sklearn": VERSION, "features": names, "columns": tx.feature_columns(names),
                       "feature_tolerance": manifest["golden"]["feature_tolerance"], "rows": rows}, f, indent=1)
            f.write("\n")
        print(name, sorted({n for n in names if names.count(n) > 1}), sum(r is None for r in rows), "refused")


if __name__ == "__main__":
    main()
