"""Bundles fitted on a frame holding Python None for a null string (issue 12: None categories).

A pandas frame read from Parquet or SQL holds None for a null string, and scikit-learn keeps None apart from
NaN: a category of its own (sorted values, then None, then NaN), not missing to a NaN imputer. Each case is a
graph fitted on such a frame, exported with ``tabscore_export.export_bundle`` (which records
``input.columns[].training_nulls``), plus ``fresh.parquet`` and ``expected.json``: per fresh row, scikit-learn's
features with the nulls fed as None (as the training frame fed them), or null where scikit-learn refuses the row.
TrainingNullsBundleTest opens each bundle (verify: golden replay with null rows) and compares Java row by row.

Run with the system python (scikit-learn 1.9.1) and with older releases from their virtualenvs (made by
scripts/difffuzz/make_venvs.sh: the exporter installed there, torch from the system site-packages)::

    python3 make_training_nulls.py
    for v in 1.2.2 1.6.1; do /work/venvs-difffuzz/sk-$v/bin/python make_training_nulls.py; done
"""

import json
import os
import shutil
import sys
import warnings
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import sklearn  # noqa: E402
import torch  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.impute import MissingIndicator, SimpleImputer  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder  # noqa: E402

import tabscore_export as tx  # noqa: E402

VERSION = sklearn.__version__
NEW = tuple(int(p) for p in VERSION.split(".")[:2])
OUT = os.path.join(HERE, f"sklearn-{VERSION}")


def ohe(**kw):
    kw.setdefault("sparse_output" if NEW >= (1, 2) else "sparse", False)
    return OneHotEncoder(**kw)


def train_frame(nan_too=False, mostly_none=False):
    """city: strings with None for a null (as read from Parquet; with ``nan_too`` NaN as well; with ``mostly_none``
    None is the most frequent value); rare: None is rare; x: numbers."""
    city = ["a", "b", None, "a", "c", np.nan if nan_too else None, "b", "a", "c", "a"] * 4
    if mostly_none:
        city = ["a", None, None, "b", None, "c", None, "a", None, None] * 4
    rare = ["p", "q", "p", "q", "p", "q", "p", "q", "p", "q"] * 4
    rare[7] = None
    return pd.DataFrame({"city": pd.Series(city, dtype=object), "rare": pd.Series(rare, dtype=object),
                         "x": np.arange(40, dtype=np.float64)})


def fresh_frame():
    """A null, every category, an unseen one, the strings 'None' and 'nan', ''."""
    city = [None, "a", "b", "c", "zz", "None", "nan", "", None, "a"]
    rare = ["p", None, "q", "p", "q", None, "p", "zz", "q", None]
    return pd.DataFrame({"city": pd.Series(city, dtype=object), "rare": pd.Series(rare, dtype=object),
                         "x": np.arange(10, dtype=np.float64)})


def cases():
    out = {
        # None is a category of its own, after the sorted values; OrdinalEncoder codes it
        "ohe-ord": lambda: ColumnTransformer([
            ("c", ohe(handle_unknown="ignore"), ["city", "rare"]),
            ("o", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), ["city", "rare"]),
            ("n", "passthrough", ["x"])]),
        # missing_values=None imputes None; a NaN imputer leaves None as a value the encoder learned
        "imputers": lambda: ColumnTransformer([
            ("inone", make_pipeline(SimpleImputer(missing_values=None, strategy="most_frequent"),
                                    ohe(handle_unknown="ignore")), ["city"]),
            ("inan", make_pipeline(SimpleImputer(strategy="constant", fill_value="zz"),
                                   ohe(handle_unknown="ignore")), ["city", "rare"]),
            ("mi", MissingIndicator(missing_values=None, features="all"), ["city", "rare"])]),
        # drop='first' and 'if_binary' index the categories, None included
        "ohe-drop": lambda: ColumnTransformer([
            ("f", ohe(drop="first", handle_unknown="ignore" if NEW >= (1, 0) else "error"), ["city"]),
            ("b", ohe(drop="if_binary"), ["rare"])], remainder="drop"),
        # None and NaN both learned: a null is scored as None (training_nulls none_and_nan), never as NaN
        "ohe-both": lambda: ColumnTransformer([
            ("c", ohe(handle_unknown="ignore"), ["city"]),
            ("o", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), ["city", "rare"])]),
        # most_frequent with a NaN mask: None is a value to it and the most frequent one, so statistics_ holds None
        "imp-none-statistic": lambda: ColumnTransformer([
            ("i", make_pipeline(SimpleImputer(strategy="most_frequent"), ohe(handle_unknown="ignore")), ["city"])]),
        # handle_unknown='error': an unseen value is refused, a null is the None category
        "ohe-error": lambda: ColumnTransformer([("c", ohe(), ["city"]), ("n", "passthrough", ["x"])]),
    }
    if NEW >= (1, 1):
        # None in 'rare' is infrequent and shares the infrequent column / code with the unknowns
        out["infrequent"] = lambda: ColumnTransformer([
            ("c", ohe(handle_unknown="infrequent_if_exist", min_frequency=3), ["city", "rare"]),
            ("o", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2,
                                 **({"min_frequency": 3} if NEW >= (1, 3) else {})), ["rare"])])
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
        train = train_frame(nan_too=name.endswith("-both"), mostly_none=name == "imp-none-statistic")
        pre = make()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pre.fit(train)  # the frame as read from Parquet: None for a null
            width = len(pre.get_feature_names_out())
            net = torch.nn.Sequential(torch.nn.Linear(width, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
            case = os.path.join(OUT, name)
            manifest = tx.export_bundle(pre, net, train, os.path.join(case, "bundle"), name=name, version="1.0.0",
                                        task="binary", classes=[0, 1], created_at="2026-12-05T00:00:00Z")
            contract = manifest["input"]["columns"]
            tx.write_parquet(tx.golden_input_table(fresh_frame(), contract), Path(case) / "fresh.parquet")
            frame = tx.read_golden_input(os.path.join(case, "fresh.parquet"), contract)
            rows = expected(pre, frame)
        with open(os.path.join(case, "expected.json"), "w") as f:
            json.dump({"sklearn": VERSION, "features": manifest["features"]["names"],
                       "training_nulls": {c["name"]: c.get("training_nulls") for c in contract}, "rows": rows},
                      f, indent=1)
            f.write("\n")
        print(name, [c.get("training_nulls") for c in contract], sum(r is None for r in rows), "refused")


if __name__ == "__main__":
    main()
