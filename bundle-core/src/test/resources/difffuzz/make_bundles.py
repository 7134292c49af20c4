"""Writes the minimal bundles of differential-fuzzer findings (scripts/difffuzz, issue 14) that Java tests open
(DiffFuzzFindingsTest). Each is exported by scripts/tabscore_export.py with scikit-learn 1.9.1.
Run from anywhere: python3 make_bundles.py

- bundle-cos-spline/: a constant-zero column through FunctionTransformer(np.cos) (exactly 1.0) into
  SplineTransformer(n_knots=2, degree=1, extrapolation='error'), whose knots are then [1, 1]. Golden replay's ulp
  envelope moves cos' result past the knots; the nudged graph refused the row and verify refused the bundle
  (exit 31, fuzzer case-1401-00103), though the real graph scores it.
- pca-float32.skops, svd-float32.skops: PCA / TruncatedSVD fitted on float32 input (what a ColumnTransformer of
  float32 encoders hands them; case-1402-00078): float32 components_, refused as not supported (exit 19), no longer
  as an invalid attribute (exit 20).
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, SplineTransformer

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[4] / "scripts"))
import tabscore_export as tx  # noqa: E402
import tabscore_recipes as recipes  # noqa: E402


def cos_spline() -> None:
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


if __name__ == "__main__":
    cos_spline()
    float32_projections()
