"""Writes the minimal bundles of differential-fuzzer findings (scripts/difffuzz, issue 14) that Java tests open
(DiffFuzzFindingsTest). Bundles are exported by the exporter (python/tabscore_export) with scikit-learn 1.9.1.
Run from anywhere: python3 make_bundles.py

- bundle-cos-spline/: a constant-zero column through FunctionTransformer(np.cos) (exactly 1.0) into
  SplineTransformer(n_knots=2, degree=1, extrapolation='error'), whose knots are then [1, 1]. Golden replay's ulp
  envelope moves cos' result past the knots; the nudged graph refused the row and verify refused the bundle
  (exit 31, fuzzer case-1401-00103), though the real graph scores it.
- bundle-knn-tie/: KNNImputer's neighbours tie at distance 0 among different values (knn_tie(); --knn-only): numpy 2
  on an AVX2 CPU picks other donors than numpy 1's introselect, which tabscore ports; verify used to refuse it (exit
  25); now golden replay leaves the unsettled golden rows out and tabscore rejects such rows as knn_unsettled.
- bundle-sin-power/: np.sin after PowerTransformer(standardize=False) (sin_power(); --sin-only; fuzzer case-9292-00165,
  1.4.2): an int column with -2^62 becomes -4.1e18, where the ulp contract's uncertainty of sin's (inexact) input spans
  many periods, so scikit-learn's own sin is not one number (the fuzzer saw 0.66 vs -0.60). Golden replay leaves such
  rows out and tabscore rejects them as ufunc_unsettled; 2^40 (1.2e12, uncertainty +-1.2e-3) still scores.
- pca-float32.skops, svd-float32.skops: PCA / TruncatedSVD fitted on float32 input (what a ColumnTransformer of
  float32 encoders hands them; case-1402-00078): float32 components_ on what the graph takes as a float64 input,
  refused as not supported (exit 19), no longer as an invalid attribute (exit 20). After a float32 encoder they score.
- sklearn-<release>/narrow-<n>.skops: a Pipeline whose float32 step (KBinsDiscretizer / OneHotEncoder / OrdinalEncoder
  with dtype=np.float32) feeds a step that then computes in float32 (QuantileTransformer, Normalizer, ...; case-1403-00100),
  refused (exit 19; narrow-onehot-normalizer loads since Normalizer computes in float32); narrow-ok-<n>.skops: the
  same with float64, or a float32 step into a selector, which load.
  Written by this script under each release's Python (python3 make_bundles.py --narrow-only in a venv).
  narrow_scalers(): StandardScaler / MinMaxScaler / MaxAbsScaler / RobustScaler / FunctionTransformer(np.log1p)
  after a float32 step (scikit-learn rounds each of their results to float32): refused until issue 12's float32
  work, now loaded and computed in float32 (their values: ../float32/make_float32.py); narrow-ok-onehot-identity.skops:
  a FunctionTransformer() identity after one, which loads.
- int-null-batch.parquet, sklearn-<release>/intnull-<n>.skops and intnull-<n>.json: an int column "n" whose fresh
  batch holds a null (a row scikit-learn refuses) and -2^63 / 4611207602170494887 (case-1404-00041). Pandas holds
  the batch as float64, and the rows left after the refused one keep that dtype (frame.iloc), so abs(-2^63) is
  9.2e18 (top bin, not int64's wrapped -2^63) and 4611207602170494887 matches the int category 4611207602170494886.
  The .json holds scikit-learn's features of every row (tabscore_export.transform_rows' rule, repr strings, null
  where refused). Written with --narrow-only too.
- bool-null-batch.parquet, sklearn-<release>/boolnull-<n>.skops/.json: the same for a bool column, which pandas holds
  as an object column for the whole batch when it holds a null: np.negative then gives -1.0 for True in the rows left
  (the object loop, not numpy's bool loop, which raises), and np.exp raises TypeError for every row.
- frame-selectors.parquet, sklearn-<release>/frame-<n>.skops/.json: SelectKBest after FunctionTransformer(np.ceil) and
  SelectFromModel(LinearRegression) in a ColumnTransformer, with and without set_output(transform="pandas"), fed NaN
  and inf (fuzzer cases 9191-00369 / 9191-00475). From 1.3 a selector whose output is pandas and whose input is a
  DataFrame skips its input check (SelectorMixin.transform: skip_check_array=preserve_X) and passes NaN / inf on;
  without pandas output (and on 1.2) it refuses those rows. The .json holds repr strings ('nan', 'inf' included).
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, PolynomialFeatures, SplineTransformer

HERE = Path(__file__).resolve().parent


def cos_spline() -> None:
    import tabscore_export as tx  # torch: system Python only
    from tabscore_export import recipes
    import torch

    rng = np.random.default_rng(1)
    df = pd.DataFrame({"z": np.zeros(60), "x": rng.normal(size=60), "y": rng.random(60) < 0.5})
    x = df[["z", "x"]]
    pre = ColumnTransformer([
        ("cs", Pipeline([("cos", FunctionTransformer(np.cos, feature_names_out="one-to-one")),
                         ("spline", SplineTransformer(n_knots=2, degree=1, extrapolation="error"))]), ["z"]),
        ("keep", "passthrough", ["x"]),
    ]).fit(x)
    torch.manual_seed(0)
    model = recipes.mlp(pre.transform(x).shape[1], (4,), 1)
    out = HERE / "bundle-cos-spline"
    shutil.rmtree(out, ignore_errors=True)
    tx.export_bundle(pre, model, df, out, name="cos-spline", version="1", task="binary", target="y",
                     created_at="2026-01-01T00:00:00Z")


def knn_tie() -> None:
    """bundle-knn-tie/: KNNImputer(n_neighbors=2) over an int column (0 / 1) and a float column; the golden rows have
    x missing and k = 0, so every training row with k = 0 is at distance 0 and their x differ. Which two scikit-learn
    takes is numpy's argpartition's choice: numpy 2.x on an AVX2 CPU (this script's run: numpy 2.4, AVX-512) uses
    x86-simd-sort, tabscore numpy 1.x's introselect, so those golden rows are unsettled: golden replay leaves them out
    (it used to refuse the bundle, exit 25) and scoring rejects such rows as knn_unsettled (fuzzer case-9595-00036 /
    00119, seed 9595, --surface issue14)."""
    import tabscore_export as tx  # torch: system Python only
    from tabscore_export import recipes
    from sklearn.impute import KNNImputer
    import torch

    rng = np.random.default_rng(4)
    n = 60
    df = pd.DataFrame({"k": rng.integers(0, 2, n).astype(np.float64), "x": rng.normal(size=n).round(2),
                       "y": rng.random(n) < 0.5})
    x = df[["k", "x"]]
    pre = ColumnTransformer([("knn", KNNImputer(n_neighbors=2), ["k", "x"])]).fit(x)
    torch.manual_seed(0)
    model = recipes.mlp(pre.transform(x).shape[1], (4,), 1)
    golden = pd.DataFrame({"k": [0.0, 1.0, 0.0, 1.0], "x": [np.nan, np.nan, 0.5, np.nan]})
    out = HERE / "bundle-knn-tie"
    shutil.rmtree(out, ignore_errors=True)
    tx.export_bundle(pre, model, df, out, golden, name="knn-tie", version="1", task="binary", target="y",
                     created_at="2026-01-01T00:00:00Z")


def sin_power() -> None:
    """bundle-sin-power/: Pipeline(ColumnTransformer(PowerTransformer(standardize=False) on int column c, weight 2.0;
    x passthrough), FunctionTransformer(np.sin)). Golden rows: c = -2^62 and -2^52 (sin's input -8.2e18 / -8.2e15:
    unsettled), 492, 754 and 2^40 (settled)."""
    import tabscore_export as tx  # torch: system Python only
    from tabscore_export import recipes
    from sklearn.preprocessing import PowerTransformer
    import torch

    rng = np.random.default_rng(5)
    n = 60
    c = rng.integers(400, 800, n).astype(np.int64)
    c[:3] = [-2**62, 2**62, -2**61]
    df = pd.DataFrame({"c": c, "x": rng.normal(size=n).round(2), "y": rng.random(n) < 0.5})
    x = df[["c", "x"]]
    pre = Pipeline([
        ("ct", ColumnTransformer([("num0", PowerTransformer(standardize=False), ["c"]),
                                  ("keep", "passthrough", ["x"])], transformer_weights={"num0": 2.0})),
        ("sin", FunctionTransformer(np.sin, feature_names_out="one-to-one")),
    ]).fit(x)
    torch.manual_seed(0)
    model = recipes.mlp(pre.transform(x).shape[1], (4,), 1)
    golden = pd.DataFrame({"c": np.array([-2**62, 492, 754, -2**52, 2**40], dtype=np.int64),
                           "x": [0.5, -1.25, 0.0, 2.0, 0.75]})
    out = HERE / "bundle-sin-power"
    shutil.rmtree(out, ignore_errors=True)
    tx.export_bundle(pre, model, df, out, golden, name="sin-power", version="1", task="binary", target="y",
                     created_at="2026-01-01T00:00:00Z")


def float32_projections() -> None:
    import skops.io as sio
    from sklearn.decomposition import PCA, TruncatedSVD

    x = pd.DataFrame(np.random.default_rng(2).normal(size=(50, 4)).astype(np.float32), columns=list("abcd"))
    sio.dump(PCA(n_components=2).fit(x), HERE / "pca-float32.skops")
    sio.dump(TruncatedSVD(n_components=2, random_state=0).fit(x), HERE / "svd-float32.skops")


def narrow_float_steps() -> None:
    import sklearn
    import skops.io as sio
    from sklearn.feature_selection import SelectKBest, f_regression
    from sklearn.preprocessing import (KBinsDiscretizer, Normalizer, OneHotEncoder, OrdinalEncoder,
                                       QuantileTransformer)

    rng = np.random.default_rng(4)
    num = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    cat = pd.DataFrame({"s": rng.choice(["x", "y", "z"], 60).astype(object)})
    y = rng.normal(size=60)
    out = HERE / f"sklearn-{sklearn.__version__}"
    out.mkdir(exist_ok=True)

    def bins(dtype):
        return KBinsDiscretizer(n_bins=3, encode="ordinal", strategy="uniform", dtype=dtype)

    graphs = {
        "narrow-kbins-quantile": (Pipeline([("bins", bins(np.float32)),
                                            ("q", QuantileTransformer(n_quantiles=10))]), num),
        "narrow-onehot-normalizer": (Pipeline([("oh", OneHotEncoder(dtype=np.float32, sparse_output=False)),
                                               ("n", Normalizer())]), cat),
        "narrow-ordinal-poly": (Pipeline([("ord", OrdinalEncoder(dtype=np.float32)),
                                          ("p", PolynomialFeatures(degree=2))]), cat),
        "narrow-ok-kbins-quantile": (Pipeline([("bins", bins(np.float64)),
                                               ("q", QuantileTransformer(n_quantiles=10))]), num),
        "narrow-ok-kbins-kbest": (Pipeline([("bins", bins(np.float32)), ("k", SelectKBest(f_regression, k=1))]), num),
    }
    for name, (pre, frame) in graphs.items():
        sio.dump(pre.fit(frame, y), out / f"{name}.skops")


def narrow_scalers() -> None:
    import sklearn
    import skops.io as sio
    from sklearn.preprocessing import (KBinsDiscretizer, MaxAbsScaler, MinMaxScaler, OneHotEncoder, OrdinalEncoder,
                                       RobustScaler, StandardScaler)

    rng = np.random.default_rng(5)
    num = pd.DataFrame({"a": rng.normal(size=60)})
    cat = pd.DataFrame({"s": rng.choice(["x", "y", "z"], 60).astype(object)})
    out = HERE / f"sklearn-{sklearn.__version__}"
    out.mkdir(exist_ok=True)
    one_hot = {"sparse_output": False} if sklearn.__version__ >= "1.2" else {"sparse": False}

    def bins():
        return KBinsDiscretizer(n_bins=7, encode="ordinal", strategy="uniform", dtype=np.float32)

    graphs = {
        "narrow-onehot-standard": (Pipeline([("oh", OneHotEncoder(dtype=np.float32, **one_hot)),
                                             ("sc", StandardScaler())]), cat),
        "narrow-kbins-minmax": (Pipeline([("bins", bins()), ("sc", MinMaxScaler())]), num),
        "narrow-kbins-maxabs": (Pipeline([("bins", bins()), ("sc", MaxAbsScaler())]), num),
        "narrow-ordinal-robust": (Pipeline([("ord", OrdinalEncoder(dtype=np.float32)), ("sc", RobustScaler())]), cat),
        "narrow-ordinal-log1p": (Pipeline([("ord", OrdinalEncoder(dtype=np.float32)),
                                           ("f", FunctionTransformer(np.log1p))]), cat),
        "narrow-ok-onehot-identity": (Pipeline([("oh", OneHotEncoder(dtype=np.float32, **one_hot)),
                                                ("f", FunctionTransformer())]), cat),
    }
    for name, (pre, frame) in graphs.items():
        sio.dump(pre.fit(frame), out / f"{name}.skops")


def int_null_batch() -> None:
    """The fuzzer's int-with-null finding (case-1404-00041): see the module docstring."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq
    import sklearn
    import skops.io as sio
    from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder

    big = 4611207602170494886
    fit = pd.DataFrame({"n": np.array([-40, -3, 0, 2, 7, 11, 30, 45, big], dtype=np.int64)})
    path = HERE / "int-null-batch.parquet"
    if not path.exists():  # one input for every release; the rows scikit-learn refuses are the nulls
        values = [-2**63, None, 5, big + 1, 44, None, -44]
        pq.write_table(pa.table({"n": pa.array(values, type=pa.int64())}), path)
    # read as tabscore_export.read_golden_input reads it: an int column with a null is float64
    frame = pq.read_table(path).to_pandas()
    assert frame["n"].dtype == np.float64
    graphs = {
        "intnull-abs-kbins": Pipeline([
            ("abs", FunctionTransformer(np.absolute, feature_names_out="one-to-one")),
            ("bins", KBinsDiscretizer(n_bins=2, encode="ordinal", strategy="uniform"))]),
        "intnull-onehot": OneHotEncoder(sparse_output=False) if sklearn.__version__ >= "1.2"
        else OneHotEncoder(sparse=False),
    }
    out = HERE / f"sklearn-{sklearn.__version__}"
    out.mkdir(exist_ok=True)
    for name, pre in graphs.items():
        pre.fit(fit.iloc[:-1] if name == "intnull-abs-kbins" else fit)
        sio.dump(pre, out / f"{name}.skops")
        rows = []
        for r in range(len(frame)):  # transform_rows' rule: the batch's dtype kept by iloc
            try:
                with np.errstate(all="ignore"):
                    rows.append([repr(float(v)) for v in np.asarray(pre.transform(frame.iloc[r:r + 1]),
                                                                     dtype=np.float64)[0]])
            except ValueError:
                rows.append(None)
        try:
            pre.transform(frame)
            refused_whole = False
        except ValueError:
            refused_whole = True
        assert refused_whole
        (out / f"{name}.json").write_text(json.dumps({"sklearn": sklearn.__version__, "rows": rows}, indent=1) + "\n")


def bool_null_batch() -> None:
    """The bool sibling of case-1404-00041: see the module docstring."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import sklearn
    import skops.io as sio
    from sklearn.preprocessing import KBinsDiscretizer

    path = HERE / "bool-null-batch.parquet"
    if not path.exists():
        pq.write_table(pa.table({"b": pa.array([True, None, False, True], type=pa.bool_())}), path)
    frame = pq.read_table(path).to_pandas()
    frame["b"] = frame["b"].map(lambda v: np.nan if v is None else v).astype(object)  # tabscore_export.sklearn_frame
    fit = pd.DataFrame({"b": np.array([True, False, True, False], dtype=object)})  # an object column, as fresh rows are
    graphs = {
        "boolnull-negative-kbins": Pipeline([
            ("neg", FunctionTransformer(np.negative, feature_names_out="one-to-one")),
            ("bins", KBinsDiscretizer(n_bins=2, encode="ordinal", strategy="uniform"))]),
        "boolnull-exp": FunctionTransformer(np.exp, feature_names_out="one-to-one"),
    }
    out = HERE / f"sklearn-{sklearn.__version__}"
    for name, pre in graphs.items():
        sio.dump(pre.fit(fit), out / f"{name}.skops")
        _write_rows(pre, frame, out / f"{name}.json")


def frame_selectors() -> None:
    """Selectors fed a DataFrame with pandas output pass NaN / inf on (1.3+): see the module docstring."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq
    import sklearn
    import skops.io as sio
    from sklearn.feature_selection import SelectFromModel, SelectKBest, f_regression
    from sklearn.linear_model import LinearRegression

    path = HERE / "frame-selectors.parquet"
    if not path.exists():
        pq.write_table(pa.table({"x": pa.array([1.5, float("nan"), float("inf"), 2.0, -3.25]),
                                 "y": pa.array([2.0, 3.0, 1.0, -0.0, float("-inf")])}), path)
    frame = pq.read_table(path).to_pandas()
    rng = np.random.default_rng(5)
    fit = pd.DataFrame({"x": rng.normal(size=40), "y": rng.normal(size=40)})
    target = 2 * fit["x"] - fit["y"] + rng.normal(scale=0.1, size=40)
    out = HERE / f"sklearn-{sklearn.__version__}"
    out.mkdir(exist_ok=True)
    for pandas_out in (True, False):
        pre = ColumnTransformer([
            ("kbest", Pipeline([("ceil", FunctionTransformer(np.ceil, feature_names_out="one-to-one")),
                                ("select", SelectKBest(f_regression, k=2))]), ["x", "y"]),
            ("sfm", SelectFromModel(LinearRegression(), threshold=-np.inf), ["x", "y"])])
        if pandas_out:
            pre.set_output(transform="pandas")
        pre.fit(fit, target)
        name = "frame-selectors-pandas" if pandas_out else "frame-selectors-default"
        sio.dump(pre, out / f"{name}.skops")
        rows = []
        for r in range(len(frame)):
            try:
                x = np.asarray(pre.transform(frame.iloc[r:r + 1]), dtype=np.float64)[0]
                rows.append([repr(float(v)) for v in x])
            except ValueError:
                rows.append(None)
        (out / f"{name}.json").write_text(json.dumps({"sklearn": sklearn.__version__, "rows": rows}, indent=1) + "\n")


def _write_rows(pre, frame, path: Path) -> None:
    """scikit-learn's features of every row of ``frame`` (tabscore_export.transform_rows' rule: frame.iloc keeps the
    batch's dtypes), repr strings, null where refused (an exception, or a non-finite feature: refused downstream)."""
    import json

    import sklearn

    rows = []
    for r in range(len(frame)):
        try:
            with np.errstate(all="ignore"):
                x = np.asarray(pre.transform(frame.iloc[r:r + 1]), dtype=np.float64)[0]
            rows.append([repr(float(v)) for v in x] if np.isfinite(x).all() else None)
        except (ValueError, TypeError):
            rows.append(None)
    path.write_text(json.dumps({"sklearn": sklearn.__version__, "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    if "--frame-only" in sys.argv:
        frame_selectors()
        sys.exit(0)
    if "--knn-only" in sys.argv:
        knn_tie()
        sys.exit(0)
    if "--sin-only" in sys.argv:
        sin_power()
        sys.exit(0)
    if "--narrow-only" not in sys.argv:
        cos_spline()
        knn_tie()
        sin_power()
        float32_projections()
    narrow_float_steps()
    narrow_scalers()
    int_null_batch()
    bool_null_batch()
    frame_selectors()
