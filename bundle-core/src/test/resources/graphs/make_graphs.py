"""Generates the ColumnTransformer / Pipeline graph fixtures (GraphFixtureTest).

Each case is a real graph fitted by the running scikit-learn on a small training frame and
written with skops; then fresh rows (another seed, not the training rows) are transformed by
scikit-learn. A case directory holds:

  preprocessor.skops   skops.io.dump of the fitted graph
  input.csv            the fresh rows (pandas to_csv; read back as pandas.read_csv reads it)
  features.csv         scikit-learn's transform of those rows as a dense float64 matrix, header =
                       get_feature_names_out(), values as repr() (round-trip exact)
  case.json            {"expect": "ok"} or {"expect": "refused", "exit": N, "message": "..."}

Run with each release's interpreter; the output goes to sklearn-<version>/ beside this script:

  python3 make_graphs.py                               # scikit-learn 1.9.1, skops 0.14
  /work/venvs/sk-1.2.2/bin/python make_graphs.py       # 1.2.2, skops 0.10
  /work/venvs/sk-1.6.1/bin/python make_graphs.py       # 1.6.1, skops 0.10

A case the running release cannot build (an option added later) is skipped and listed.
"""

import json
import os
import shutil
import sys
import zipfile

import numpy as np
import pandas as pd
import scipy.sparse as sp
import sklearn
from sklearn.dummy import DummyClassifier
from sklearn.impute import KNNImputer
from sklearn.kernel_approximation import Nystroem
import skops.io as sio
from sklearn.compose import ColumnTransformer, make_column_selector, make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    KBinsDiscretizer,
    MinMaxScaler,
    OneHotEncoder,
    OrdinalEncoder,
    PolynomialFeatures,
    QuantileTransformer,
    RobustScaler,
    SplineTransformer,
    StandardScaler,
)
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = sklearn.__version__
SK = tuple(int(p) for p in VERSION.split(".")[:2])


def frame(n, seed):
    """Columns a, b (float, b with NaN), c (category str), d (int64), e (category str)."""
    rng = np.random.default_rng(seed)
    a = np.round(rng.normal(10, 3, n), 3)
    b = np.round(rng.normal(-2, 5, n), 2)
    b[rng.random(n) < 0.15] = np.nan
    c = rng.choice(["red", "green", "blue"], n, p=[0.5, 0.3, 0.2])
    d = rng.integers(0, 50, n).astype(np.int64)
    e = rng.choice(["x", "y"], n)
    return pd.DataFrame({"a": a, "b": b, "c": c, "d": d, "e": e})


TRAIN = frame(80, 1)
FRESH = frame(25, 2)


def ohe(**kw):
    """A dense OneHotEncoder whose keyword is named for the release (sparse -> sparse_output)."""
    sparse = kw.pop("sparse", False)
    key = "sparse_output" if SK >= (1, 2) else "sparse"
    return OneHotEncoder(**{key: sparse}, **kw)


def num_pipe():
    return Pipeline([("imp", SimpleImputer(strategy="median")), ("sc", StandardScaler())])


class with_routing:
    """Builds (and fits, see write_case) a graph with metadata routing enabled."""

    def __init__(self, make):
        self.make = make


def select_numbers(X):
    return ["a", "b"]


def cases():
    """name -> a function returning the unfitted graph, or (graph, expectation)."""
    c = {}
    c["by_name"] = lambda: ColumnTransformer(
        [("num", num_pipe(), ["a", "b"]), ("cat", ohe(), ["c"])])
    c["by_int"] = lambda: ColumnTransformer(
        [("num", num_pipe(), [0, 1]), ("cat", ohe(), [2])], remainder="drop")
    c["by_negative_int"] = lambda: ColumnTransformer(
        [("cat", ohe(), [-1]), ("num", num_pipe(), [-5, -4])])
    c["by_int_array"] = lambda: ColumnTransformer(
        [("num", num_pipe(), np.array([0, 1])), ("ord", OrdinalEncoder(), np.array([2, 4]))])
    c["by_str_array"] = lambda: ColumnTransformer(
        [("num", num_pipe(), np.array(["a", "b"])), ("cat", ohe(), np.array(["c", "e"]))])
    c["by_bool_mask_drop"] = lambda: ColumnTransformer(
        [("num", num_pipe(), [True, True, False, False, False]),
         ("cat", ohe(), np.array([False, False, True, False, True]))])
    c["by_bool_mask_passthrough"] = lambda: ColumnTransformer(
        [("num", num_pipe(), [True, True, False, False, False]),
         ("cat", ohe(), [False, False, True, False, False]),
         ("gone", "drop", [False, False, False, False, True])], remainder="passthrough")
    c["by_bool_mask_remainder_scaler"] = lambda: ColumnTransformer(
        [("num", num_pipe(), [True, True, False, False, False]),
         ("cat", ohe(), [False, False, True, False, True])], remainder=MinMaxScaler())
    c["by_int_slice"] = lambda: ColumnTransformer(
        [("num", num_pipe(), slice(0, 2)), ("cat", ohe(), slice(2, 3))])
    c["by_str_slice"] = lambda: ColumnTransformer(
        [("num", num_pipe(), slice("a", "b")), ("cat", ohe(), slice("c", "c")),
         ("gone", "drop", slice("e", None))], remainder="passthrough")
    c["by_selector"] = lambda: ColumnTransformer(
        [("num", num_pipe(), make_column_selector(dtype_include="float64")),
         ("cat", ohe(), make_column_selector(pattern="^[ce]$", dtype_include=object))])
    c["by_selector_number"] = lambda: ColumnTransformer(
        [("num", num_pipe(), make_column_selector(dtype_include=np.number)),
         ("cat", ohe(), make_column_selector(dtype_exclude=np.number))])
    c["by_callable"] = lambda: (ColumnTransformer(
        [("num", num_pipe(), select_numbers), ("cat", ohe(), ["c"])]),
        {"expect": "refused", "exit": 16, "message": "__main__.select_numbers"})
    c["column_twice"] = lambda: ColumnTransformer(
        [("num", num_pipe(), ["a", "b"]), ("mm", MinMaxScaler(), ["a", "d"]),
         ("cat", ohe(), ["c"]), ("ord", OrdinalEncoder(), ["c", "e"])])
    c["remainder_passthrough"] = lambda: ColumnTransformer(
        [("cat", ohe(), ["c", "e"])], remainder="passthrough")
    c["remainder_transformer"] = lambda: ColumnTransformer(
        [("cat", ohe(), ["c", "e"])], remainder=num_pipe())
    c["remainder_only"] = lambda: ColumnTransformer(
        [("gone", "drop", ["c", "e"])], remainder=RobustScaler())
    c["passthrough_and_drop_branches"] = lambda: ColumnTransformer(
        [("keep", "passthrough", ["a", "d"]), ("gone", "drop", ["c"]),
         ("cat", ohe(), ["e"])], remainder="drop")
    c["weights"] = lambda: ColumnTransformer(
        [("num", num_pipe(), ["a", "b"]), ("cat", ohe(), ["c"]),
         ("mm", MinMaxScaler(), ["d"]), ("gone", "drop", ["e"])], remainder="passthrough",
        transformer_weights={"num": 0.1, "cat": 3.0, "remainder": 7})
    c["weights_sparse"] = lambda: ColumnTransformer(
        [("num", num_pipe(), ["a"]), ("cat", ohe(sparse=True), ["c", "e"])],
        sparse_threshold=1.0, transformer_weights={"cat": 0.3, "num": 1.7})
    c["names_plain"] = lambda: ColumnTransformer(
        [("num", num_pipe(), ["a", "b"]), ("cat", ohe(), ["c"])],
        verbose_feature_names_out=False)
    c["names_format"] = lambda: ColumnTransformer(
        [("num", num_pipe(), ["a", "b"]), ("cat", ohe(), ["c"])],
        verbose_feature_names_out="{feature_name}@{transformer_name}")
    c["sparse_default"] = lambda: ColumnTransformer(
        [("num", StandardScaler(), ["a"]), ("cat", OneHotEncoder(), ["c", "e"])])
    c["sparse_all"] = lambda: ColumnTransformer(
        [("cat", OneHotEncoder(), ["c", "e"]), ("ord", OrdinalEncoder(), ["c"])],
        sparse_threshold=1.0)
    c["sparse_threshold_zero"] = lambda: ColumnTransformer(
        [("cat", OneHotEncoder(), ["c", "e"]), ("num", MinMaxScaler(), ["d"])],
        sparse_threshold=0.0)
    c["jobs_verbose"] = lambda: ColumnTransformer(
        [("num", num_pipe(), ["a", "b"]), ("cat", ohe(), ["c"])], n_jobs=2, verbose=True)
    c["force_int_remainder"] = lambda: ColumnTransformer(
        [("cat", ohe(), ["c", "e"])], remainder="passthrough", force_int_remainder_cols=False)
    c["make_column_transformer"] = lambda: make_column_transformer(
        (num_pipe(), ["a", "b"]), (ohe(), ["c", "e"]), remainder="passthrough")
    c["pandas_output_root"] = lambda: ColumnTransformer(
        [("num", num_pipe(), ["a", "b"]), ("cat", ohe(), ["c", "e"])],
        remainder="passthrough").set_output(transform="pandas")
    c["pandas_output_inner"] = lambda: ColumnTransformer(
        [("num", num_pipe().set_output(transform="pandas"), ["a", "b"]),
         ("cat", ohe().set_output(transform="pandas"), ["c"])])
    c["pandas_output_pipeline_root"] = lambda: Pipeline(
        [("ct", ColumnTransformer([("num", num_pipe(), ["a", "b"]), ("cat", ohe(), ["c"])])),
         ("mm", MinMaxScaler())]).set_output(transform="pandas")
    c["default_output"] = lambda: ColumnTransformer(
        [("num", num_pipe(), ["a"])]).set_output(transform="default")
    c["pipeline_root"] = lambda: Pipeline(
        [("ct", ColumnTransformer([("num", num_pipe(), ["a", "b"]), ("cat", ohe(), ["c"])])),
         ("noop", "passthrough"), ("none", None), ("mm", RobustScaler())])
    c["pipeline_memory_verbose"] = lambda: Pipeline(
        [("ct", ColumnTransformer([("num", num_pipe(), ["a", "b"]), ("cat", ohe(), ["c"])])),
         ("sc", StandardScaler())], memory=os.path.join("/tmp", "tabscore-graphs-cache"),
        verbose=True)
    c["pipeline_passthrough_step_inner"] = lambda: ColumnTransformer(
        [("num", Pipeline([("p", "passthrough"), ("imp", SimpleImputer()),
                           ("n", None)]), ["a", "b"])])
    c["ct_after_numpy_step"] = lambda: Pipeline([
        ("outer", ColumnTransformer([("imp", SimpleImputer(strategy="median"), ["a", "b", "d"])])),
        ("ct", ColumnTransformer([("s", StandardScaler(), [0, 2]), ("m", MinMaxScaler(), [1])],
                                 remainder="passthrough"))])
    c["ct_after_pandas_step"] = lambda: Pipeline([
        ("imp", SimpleImputer(strategy="most_frequent").set_output(transform="pandas")),
        ("ct", ColumnTransformer([("s", StandardScaler(), ["a", "b"]), ("o", ohe(), ["c"])],
                                 remainder="drop"))])
    c["make_pipeline_root"] = lambda: make_pipeline(
        make_column_transformer((num_pipe(), ["a", "b"]), (ohe(), ["c"])), RobustScaler())
    c["nested"] = lambda: Pipeline([
        ("outer", ColumnTransformer([
            ("inner", ColumnTransformer([("n", num_pipe(), ["a", "b"]),
                                         ("o", OrdinalEncoder(), ["c"])],
                                        remainder="passthrough"), ["a", "b", "c", "d"]),
            ("e", Pipeline([("ord", OrdinalEncoder()), ("sc", StandardScaler())]), ["e"]),
        ], transformer_weights={"e": 2.0})),
        ("mm", MinMaxScaler())])
    c["feature_union"] = lambda: ColumnTransformer(
        [("u", FeatureUnion([("s", StandardScaler()), ("m", MinMaxScaler()),
                             ("p", "passthrough"), ("d", "drop")],
                            transformer_weights={"m": 2.5, "p": 0.1}), ["a", "d"]),
         ("cat", ohe(), ["c"])])
    c["feature_union_after_ct"] = lambda: Pipeline([
        ("ct", ColumnTransformer([("num", num_pipe(), ["a", "b"]), ("cat", ohe(), ["c"])])),
        ("u", FeatureUnion([("id", "passthrough"), ("mm", MinMaxScaler())]))])
    c["feature_union_plain_names"] = lambda: ColumnTransformer(
        [("u", FeatureUnion([("s", OrdinalEncoder()), ("o", ohe())],
                            verbose_feature_names_out=False), ["c", "e"])])
    c["feature_union_pandas"] = lambda: ColumnTransformer(
        [("u", FeatureUnion([("s", num_pipe()), ("m", Pipeline([
            ("imp", SimpleImputer()), ("mm", MinMaxScaler())]))]), ["a", "b"])]
    ).set_output(transform="pandas")
    c["feature_union_root"] = lambda: FeatureUnion(
        [("ct", ColumnTransformer([("num", num_pipe(), ["a", "b"])])),
         ("mm", ColumnTransformer([("mm", MinMaxScaler(), ["a", "d"])]))])
    c["pipeline_transform_input"] = lambda: with_routing(lambda: Pipeline(
        [("ct", ColumnTransformer([("num", num_pipe(), ["a", "b"])])),
         ("sc", StandardScaler())], transform_input=["sample_weight"]))
    # Classes tabscore does not build (Nystroem, a classifier) are refused with their path;
    # PolynomialFeatures, QuantileTransformer, SplineTransformer, TargetEncoder and KNNImputer are
    # built since issue 14 and are matched like any other step.
    c["knn_in_ct"] = lambda: ColumnTransformer(
        [("num", num_pipe(), ["a", "b"]),
         ("cat", Pipeline([("ord", OrdinalEncoder()), ("knn", KNNImputer())]),
          ["c", "e"])])
    c["knn_step"] = lambda: Pipeline(
        [("ct", ColumnTransformer([("n", "passthrough", ["a", "b", "d"])])),
         ("q", KNNImputer(n_neighbors=3, weights="distance"))])
    c["unsupported_step"] = lambda: (Pipeline(
        [("ct", ColumnTransformer([("n", "passthrough", ["a", "d"])])),
         ("q", Nystroem(n_components=5, random_state=0))]),
        {"expect": "refused", "exit": 19, "message": "steps[1] 'q': "
         "sklearn.kernel_approximation.Nystroem is not supported"})
    c["unsupported_classifier_step"] = lambda: (Pipeline(
        [("ct", ColumnTransformer([("num", num_pipe(), ["a", "b"])])),
         ("clf", LogisticRegression())]),
        {"expect": "refused", "exit": 19, "message": "steps[1] 'clf': "
         "sklearn.linear_model._logistic.LogisticRegression is not supported"})
    # DummyClassifier fits on any frame (strings too): an unsupported class at the root and
    # as the first (only) step of a root Pipeline.
    c["unsupported_root"] = lambda: (DummyClassifier(), {
        "expect": "refused", "exit": 19,
        "message": "sklearn.dummy.DummyClassifier is not supported"})
    c["unsupported_first_step"] = lambda: (Pipeline([("dummy", DummyClassifier())]), {
        "expect": "refused", "exit": 19, "message": "steps[0] 'dummy': "
        "sklearn.dummy.DummyClassifier is not supported"})
    c["poly_in_pipeline"] = lambda: ColumnTransformer(
        [("num", num_pipe(), ["a", "b"]),
         ("cat", Pipeline([("ord", OrdinalEncoder()), ("poly", PolynomialFeatures())]),
          ["c", "e"])])
    c["quantile_after_ct"] = lambda: Pipeline(
        [("ct", ColumnTransformer([("n", "passthrough", ["a", "d"])])),
         ("q", QuantileTransformer(n_quantiles=10))])
    c["spline_in_ct"] = lambda: ColumnTransformer([("s", Pipeline(
        [("imp", SimpleImputer()), ("sp", SplineTransformer(n_knots=3))]), ["a"])])
    return c


def dense(x):
    if sp.issparse(x):
        x = x.toarray()
    if hasattr(x, "to_numpy"):
        x = x.to_numpy()
    return np.asarray(x, dtype=np.float64)


def write_case(out, name, make):
    made = make()
    routing = isinstance(made, with_routing)
    if routing:
        sklearn.set_config(enable_metadata_routing=True)
        made = made.make()
    graph, expect = made if isinstance(made, tuple) else (made, {"expect": "ok"})
    y = (TRAIN["a"] > 10).astype(int)
    try:
        graph.fit(TRAIN, y)
    finally:
        if routing:
            sklearn.set_config(enable_metadata_routing=False)
    d = os.path.join(out, name)
    os.makedirs(d)
    sio.dump(graph, os.path.join(d, "preprocessor.skops"), compression=zipfile.ZIP_DEFLATED,
             compresslevel=9)
    FRESH.to_csv(os.path.join(d, "input.csv"), index=False)
    expect["sklearn"] = VERSION
    expect["pandas"] = pd.__version__
    if expect["expect"] == "ok":
        x = dense(graph.transform(FRESH))
        names = list(graph.get_feature_names_out())
        with open(os.path.join(d, "features.csv"), "w") as f:
            f.write(",".join(names) + "\n")
            for row in x:
                f.write(",".join(repr(float(v)) for v in row) + "\n")
        expect["sparse_output"] = bool(sp.issparse(graph.transform(FRESH)))
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(expect, f, indent=1, sort_keys=True)
        f.write("\n")


def main():
    out = os.path.join(HERE, "sklearn-" + VERSION)
    only = sys.argv[1:]  # case names: regenerate just those, keeping the others and SKIPPED.txt
    if not only:
        shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out, exist_ok=True)
    skipped = []
    for name, make in cases().items():
        if only and name not in only:
            continue
        shutil.rmtree(os.path.join(out, name), ignore_errors=True)
        try:
            write_case(out, name, make)
        except (TypeError, ValueError, sio.exceptions.UntrustedTypesFoundException
                if hasattr(sio, "exceptions") else TypeError) as e:
            shutil.rmtree(os.path.join(out, name), ignore_errors=True)
            skipped.append(name + ": " + type(e).__name__ + ": " + str(e).splitlines()[0])
    if only:
        print(VERSION, "regenerated", [n for n in only if n not in skipped], "skipped", skipped)
        return
    with open(os.path.join(out, "SKIPPED.txt"), "w") as f:
        f.write("".join(s + "\n" for s in skipped))
    print(VERSION, len(os.listdir(out)) - 1, "cases;", len(skipped), "skipped")
    for s in skipped:
        print("  skipped", s)


if __name__ == "__main__":
    main()
