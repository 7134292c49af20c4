"""Writes the minimal bundles of differential-fuzzer findings (scripts/difffuzz, issue 14) that Java tests open
(DiffFuzzFindingsTest). Bundles are exported by the exporter (python/tabscore_export) with scikit-learn 1.9.1.
Run from anywhere: python3 make_bundles.py

- bundle-cos-spline/: a constant-zero column through FunctionTransformer(np.cos) (exactly 1.0) into
  SplineTransformer(n_knots=2, degree=1, extrapolation='error'), whose knots are then [1, 1]. Golden replay's ulp
  envelope moves cos' result past the knots; the nudged graph refused the row and verify refused the bundle
  (exit 31, fuzzer case-1401-00103), though the real graph scores it.
- pca-float32.skops, svd-float32.skops: PCA / TruncatedSVD fitted on float32 input (what a ColumnTransformer of
  float32 encoders hands them; case-1402-00078): float32 components_, refused as not supported (exit 19), no longer
  as an invalid attribute (exit 20).
- sklearn-<release>/narrow-<n>.skops: a Pipeline whose float32 step (KBinsDiscretizer / OneHotEncoder / OrdinalEncoder
  with dtype=np.float32) feeds a step that then computes in float32 (QuantileTransformer, Normalizer, ...; case-1403-00100),
  refused (exit 19); narrow-ok-<n>.skops: the same with float64, or a float32 step into a selector, which load.
  Written by this script under each release's Python (python3 make_bundles.py --narrow-only in a venv).
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
sys.path.insert(0, str(HERE.parents[4] / "scripts"))


def cos_spline() -> None:
    import tabscore_export as tx  # torch: system Python only
    import tabscore_recipes as recipes
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


if __name__ == "__main__":
    if "--narrow-only" not in sys.argv:
        cos_spline()
        float32_projections()
    narrow_float_steps()
