"""The exporter accepts graphs holding the transformers added with issue 14 and lists the features tabscore
reproduces within a stated tolerance (PowerTransformer, QuantileTransformer normal, Normalizer l1/l2, PCA,
TruncatedSVD) in ``approx_features``, each with its absolute tolerance."""
from __future__ import annotations

import numpy as np
import pandas as pd
import torch
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.feature_selection import SelectKBest, SelectPercentile, VarianceThreshold, f_classif
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (Binarizer, Normalizer, PolynomialFeatures, PowerTransformer, QuantileTransformer,
                                   SplineTransformer, TargetEncoder)

import tabscore_export as tx
from tabscore_export import recipes

CREATED = "2026-01-01T00:00:00Z"


def test_export_accepts_the_new_transformers(tmp_path):
    rng = np.random.default_rng(3)
    n = 300
    df = pd.DataFrame({
        "a": rng.normal(size=n), "b": rng.lognormal(size=n), "c": rng.exponential(2, n),
        "city": rng.choice(["oslo", "bergen", "bodo"], n).astype(object), "y": rng.random(n) < 0.4,
    })
    df.loc[:9, "a"] = np.nan
    x = df[["a", "b", "c", "city"]]

    def imputed(step):
        return Pipeline([("imp", SimpleImputer()), ("t", step)])

    pre = ColumnTransformer([
        ("bin", imputed(Binarizer(threshold=0.1)), ["a"]),
        ("norm", imputed(Normalizer()), ["a", "b"]),
        ("nmax", imputed(Normalizer(norm="max")), ["a", "b"]),
        ("poly", imputed(PolynomialFeatures(degree=(1, 2), include_bias=False)), ["a", "b"]),
        ("pow", imputed(PowerTransformer()), ["b", "c"]),
        ("qt", QuantileTransformer(n_quantiles=50, output_distribution="normal"), ["c"]),
        ("qtu", QuantileTransformer(n_quantiles=50), ["b"]),
        ("var", VarianceThreshold(0.5), ["b", "c"]),
        ("kbest", imputed(SelectKBest(f_classif, k=1)), ["a", "b", "c"]),
        ("pct", imputed(SelectPercentile(f_classif, percentile=50)), ["a", "b", "c"]),
        ("te", TargetEncoder(random_state=0), ["city"]),
        ("pca", imputed(PCA(n_components=2, whiten=True)), ["a", "b", "c"]),
        ("svd", imputed(TruncatedSVD(n_components=2, random_state=0)), ["a", "b", "c"]),
        ("spl", imputed(SplineTransformer(n_knots=4, degree=2, extrapolation="linear")), ["a", "c"]),
    ]).fit(x, df["y"])
    torch.manual_seed(0)
    model = recipes.mlp(pre.transform(x).shape[1], (4,), 1)
    manifest = tx.export_bundle(pre, model, df, tmp_path / "b", name="new", version="1", task="binary", target="y",
                                created_at=CREATED)
    tx.validate_bundle(tmp_path / "b")
    names = manifest["features"]["names"]
    approx = manifest["golden"]["feature_tolerance"]["approx_features"]
    assert list(approx) == [f for f in names if f.split("__")[0] in ("norm", "pow", "qt", "pca", "svd")]
    assert set(approx.values()) == {tx.APPROX_REL}, approx
    assert manifest["golden"]["feature_tolerance"]["ufunc_features"] == []
    assert "poly__a b" in names and "te__city" in names
    assert {"nmax__a", "qtu__b", "bin__a"} <= set(names) - set(approx)
