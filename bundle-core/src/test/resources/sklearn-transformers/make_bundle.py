"""Writes bundle-new-transformers/: a bundle exported by tabscore_export (scikit-learn 1.9.1) whose
ColumnTransformer holds every transformer added with issue 14, for NewTransformersBundleTest (Bundle.open with
golden replay). Run from anywhere: python3 make_bundle.py
python3 make_bundle.py select-from-model writes bundle-select-from-model/ (SelectFromModel over linear models) only.
python3 make_bundle.py select-from-trees writes bundle-select-from-trees/ (SelectFromModel over tree models, SGD) only.
python3 make_bundle.py knn writes bundle-knn/ (KNNImputer: uniform, distance with add_indicator, integer ties) only.
python3 make_bundle.py spline-float32 writes bundle-spline-float32/ (SplineTransformer linear / periodic on float32,
scored by the rules of the manifest's versions.numpy) only.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.feature_selection import SelectKBest, SelectPercentile, VarianceThreshold, f_classif
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    Binarizer,
    Normalizer,
    PolynomialFeatures,
    PowerTransformer,
    QuantileTransformer,
    SplineTransformer,
    TargetEncoder,
)

HERE = Path(__file__).resolve().parent
import tabscore_export as tx  # noqa: E402
from tabscore_export import recipes  # noqa: E402


def main() -> None:
    rng = np.random.default_rng(3)
    n = 300
    df = pd.DataFrame({
        "a": rng.normal(size=n), "b": rng.lognormal(size=n), "c": rng.exponential(2, n),
        "city": rng.choice(["oslo", "bergen", "bodo"], n).astype(object), "y": rng.random(n) < 0.4,
    })
    df.loc[:9, "a"] = np.nan
    df.loc[10:14, "city"] = np.nan
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
    out = HERE / "bundle-new-transformers"
    shutil.rmtree(out, ignore_errors=True)
    # golden rows inside the training range (plus missing values and unseen categories): the default golden batch
    # adds out-of-range probes (~1e11 after PowerTransformer) that an absolute ufunc tolerance cannot hold
    golden = x.iloc[20:60].copy()
    golden.iloc[0, 0] = np.nan
    golden.iloc[1, 3] = "paris"
    golden.iloc[2, 3] = np.nan
    m = tx.export_bundle(pre, model, df, out, golden, name="new-transformers", version="1", task="binary",
                         target="y", created_at="2026-01-01T00:00:00Z")
    print(len(m["features"]["names"]), "features,", len(m["golden"]["feature_tolerance"]["ufunc_features"]),
          "within the ufunc tolerance")


def select_from_model() -> None:
    """bundle-select-from-model/: SelectFromModel over LogisticRegression, LinearSVC, Lasso and RidgeClassifier
    (thresholds mean, -inf with max_features, the l1 default 1e-5, median) in a ColumnTransformer."""
    from sklearn.feature_selection import SelectFromModel
    from sklearn.linear_model import Lasso, LogisticRegression, RidgeClassifier
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    rng = np.random.default_rng(5)
    n = 300
    df = pd.DataFrame({f"x{j}": rng.normal(0, 1 + j, n) for j in range(5)})
    df["y"] = (df["x0"] - 0.5 * df["x2"] + rng.normal(0, 1, n)) > 0
    df.loc[:4, "x1"] = np.nan
    cols = [f"x{j}" for j in range(5)]
    x = df[cols]

    def scaled(step):
        return Pipeline([("imp", SimpleImputer()), ("scale", StandardScaler()), ("t", step)])

    pre = ColumnTransformer([
        ("lr", scaled(SelectFromModel(LogisticRegression())), cols),
        ("svc", scaled(SelectFromModel(LinearSVC(random_state=0), threshold=-np.inf, max_features=2)), cols),
        ("lasso", scaled(SelectFromModel(Lasso(alpha=0.05))), cols),
        ("ridge", scaled(SelectFromModel(RidgeClassifier(), threshold="median", norm_order=2)), cols),
    ]).fit(x, df["y"])
    torch.manual_seed(0)
    model = recipes.mlp(pre.transform(x).shape[1], (4,), 1)
    out = HERE / "bundle-select-from-model"
    shutil.rmtree(out, ignore_errors=True)
    m = tx.export_bundle(pre, model, df, out, x.iloc[:40].copy(), name="select-from-model", version="1",
                         task="binary", target="y", created_at="2026-01-01T00:00:00Z")
    print(m["features"]["names"])


def select_from_trees() -> None:
    """bundle-select-from-trees/: SelectFromModel over a RandomForest, ExtraTrees, GradientBoosting, DecisionTree,
    AdaBoost and an SGDClassifier (a Cython loss object in its file) in a ColumnTransformer; importances computed by
    Java from the stored trees, replayed on the golden batch."""
    from sklearn.ensemble import (
        AdaBoostClassifier,
        ExtraTreesClassifier,
        GradientBoostingClassifier,
        RandomForestClassifier,
    )
    from sklearn.feature_selection import SelectFromModel
    from sklearn.linear_model import SGDClassifier
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(6)
    n = 300
    df = pd.DataFrame({f"x{j}": rng.normal(0, 1 + j, n) for j in range(6)})
    df["y"] = (df["x0"] - 0.5 * df["x2"] + 0.3 * df["x4"] + rng.normal(0, 1, n)) > 0
    df.loc[:4, "x1"] = np.nan
    cols = [f"x{j}" for j in range(6)]
    x = df[cols]

    def scaled(step):
        return Pipeline([("imp", SimpleImputer()), ("scale", StandardScaler()), ("t", step)])

    pre = ColumnTransformer([
        ("rf", scaled(SelectFromModel(RandomForestClassifier(n_estimators=10, max_depth=4, random_state=0))), cols),
        ("et", scaled(SelectFromModel(ExtraTreesClassifier(n_estimators=6, max_depth=4, random_state=0),
                                      threshold="1.25*mean")), cols),
        ("gb", scaled(SelectFromModel(GradientBoostingClassifier(n_estimators=5, max_depth=2, random_state=0),
                                      threshold="median")), cols),
        ("dt", scaled(SelectFromModel(DecisionTreeClassifier(max_depth=5, random_state=0), max_features=2,
                                      threshold=-np.inf)), cols),
        ("ada", scaled(SelectFromModel(AdaBoostClassifier(n_estimators=6, random_state=0))), cols),
        ("sgd", scaled(SelectFromModel(SGDClassifier(random_state=0))), cols),
    ]).fit(x, df["y"])
    torch.manual_seed(0)
    model = recipes.mlp(pre.transform(x).shape[1], (4,), 1)
    out = HERE / "bundle-select-from-trees"
    shutil.rmtree(out, ignore_errors=True)
    m = tx.export_bundle(pre, model, df, out, x.iloc[:40].copy(), name="select-from-trees", version="1",
                         task="binary", target="y", created_at="2026-01-01T00:00:00Z")
    print(m["features"]["names"])


def knn() -> None:
    """bundle-knn/: KNNImputer in a ColumnTransformer: uniform over scaled columns, distance weights with
    add_indicator; golden rows with missing cells (one row all missing: every distance NaN, the column means)."""
    from sklearn.impute import KNNImputer
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(9)
    n = 300
    df = pd.DataFrame({f"x{j}": rng.normal(0, 1 + j, n).round(3) for j in range(4)})
    df["y"] = (df["x0"] - 0.5 * df["x2"] + rng.normal(0, 1, n)) > 0
    cols = [f"x{j}" for j in range(4)]
    for j, c in enumerate(cols):
        df.loc[rng.random(n) < 0.1 + 0.05 * j, c] = np.nan
    x = df[cols]
    pre = ColumnTransformer([
        ("uni", Pipeline([("scale", StandardScaler()), ("knn", KNNImputer())]), cols),
        ("dist", KNNImputer(n_neighbors=3, weights="distance", add_indicator=True), ["x1", "x2", "x3"]),
    ]).fit(x, df["y"])
    torch.manual_seed(0)
    model = recipes.mlp(pre.transform(x).shape[1], (4,), 1)
    out = HERE / "bundle-knn"
    shutil.rmtree(out, ignore_errors=True)
    golden = x.iloc[:40].copy()
    golden.iloc[0, :] = np.nan
    m = tx.export_bundle(pre, model, df, out, golden, name="knn", version="1", task="binary", target="y",
                         created_at="2026-01-01T00:00:00Z")
    print(m["features"]["names"], sorted(m["golden"]["feature_tolerance"].get("approx_features", {})))


def spline_float32() -> None:
    """bundle-spline-float32/: SplineTransformer with linear and periodic extrapolation after a float32
    OrdinalEncoder and StandardScaler; numpy 1.x and 2 compute those extrapolations differently on float32, and only
    the manifest's versions.numpy says which ran. Golden rows hold unseen categories (code 9, beyond the knots)."""
    from sklearn.preprocessing import OrdinalEncoder, StandardScaler

    rng = np.random.default_rng(7)
    n = 300
    cats = ["red", "green", "blue", "teal", "plum"]
    df = pd.DataFrame({
        "g": rng.choice(cats, n).astype(object),
        "e": rng.choice(["x", "y", "z"], n, p=[0.5, 0.3, 0.2]).astype(object),
        "h": rng.choice(cats[:4], n).astype(object),
    })
    df["y"] = (df["g"] == "red") ^ (rng.random(n) < 0.2)
    x = df[["g", "e", "h"]]

    def chain(extrapolation, **kw):
        ord32 = OrdinalEncoder(dtype=np.float32, handle_unknown="use_encoded_value", unknown_value=9)
        return Pipeline([("ord", ord32), ("scale", StandardScaler()),
                         ("spl", SplineTransformer(extrapolation=extrapolation, **kw))])

    pre = ColumnTransformer([
        ("per", chain("periodic", n_knots=5, degree=3), ["g", "e"]),
        ("lin", chain("linear", n_knots=4, degree=2), ["h", "e"]),
    ]).fit(x, df["y"])
    torch.manual_seed(0)
    model = recipes.mlp(pre.transform(x).shape[1], (4,), 1)
    out = HERE / "bundle-spline-float32"
    shutil.rmtree(out, ignore_errors=True)
    golden = x.iloc[:40].copy()
    golden.iloc[::3, 0] = "navy"
    golden.iloc[1::4, 1] = "w"
    golden.iloc[2::5, 2] = "plum"
    m = tx.export_bundle(pre, model, df, out, golden, name="spline-float32", version="1", task="binary",
                         target="y", created_at="2026-01-01T00:00:00Z")
    print(len(m["features"]["names"]), "features, numpy", m["versions"]["numpy"])


if __name__ == "__main__":
    if sys.argv[1:] == ["spline-float32"]:
        spline_float32()
        sys.exit(0)
    if sys.argv[1:] == ["select-from-trees"]:
        select_from_trees()
        sys.exit(0)
    if sys.argv[1:] == ["knn"]:
        knn()
        sys.exit(0)
    if sys.argv[1:] == ["select-from-model"]:
        select_from_model()
        sys.exit(0)
    main()
