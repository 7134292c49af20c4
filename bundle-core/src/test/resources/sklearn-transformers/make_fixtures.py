"""Writes the fixtures of the transformer tests (NewTransformersTest and friends).

For each case: <case>.skops, the transformer fitted on a small DataFrame with real scikit-learn, and
<case>.json, fresh rows (nasty values included) with scikit-learn's output for each row transformed
alone (a one-row frame) and for the rows it accepts transformed together (a multi-row frame, the
layout a ColumnTransformer branch sees). Floats are written as float.hex, or nan / inf / -inf.

    python3 make_fixtures.py                       # scikit-learn 1.9.1 -> sklearn-1.9.1/
    /work/venvs/sk-1.3.2/bin/python make_fixtures.py   # -> sklearn-1.3.2/ (numpy 1.26, pandas 2.1, skops 0.10)
    # likewise sk-1.2.2, sk-1.5.2, sk-1.8.0; their support-masks.json / norm-ppf.json are not kept (numpy / scipy only)
    python3 make_fixtures.py from-model            # only the SelectFromModel fixtures (sfm-*, from-model-numpy.json)
    python3 make_fixtures.py knn                   # only the KNNImputer fixtures (knn-*)
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import skops.io as sio
from sklearn.feature_selection import SelectKBest, SelectPercentile, VarianceThreshold, chi2, f_classif, f_regression
from sklearn.preprocessing import Binarizer, Normalizer, PolynomialFeatures, PowerTransformer, QuantileTransformer

OUT = Path(__file__).parent / f"sklearn-{sklearn.__version__}"
SK = tuple(int(p) for p in sklearn.__version__.split(".")[:2])


def enc(v):
    if isinstance(v, str) or v is None:
        return v
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v.hex()


def enc_cell(v, dtype):
    """An input cell; in an object column a missing string (None or NaN) is null, as tabscore reads it."""
    if (dtype == object or str(dtype) in ("str", "string")) and (v is None or isinstance(v, float) and math.isnan(v)):
        return None
    return enc(v)


NASTY = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.0, np.nan, np.inf, -np.inf, 1e308, -1e308, 5e-324, -5e-324,
         1e-300, 1e-160, 1e200, 3.141592653589793, -2.718281828459045, 123456.789, 0.1, 0.2, 1e-5]


def train_frame(n_cols: int, rows: int = 40, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = {f"x{j}": rng.normal(0, 1 + j, rows).round(3) for j in range(n_cols)}
    return pd.DataFrame(data)


def fresh_frame(cols: list[str], seed: int = 1, n: int = 60) -> pd.DataFrame:
    """Nasty values in every column, shuffled differently per column, plus ordinary rows."""
    rng = np.random.default_rng(seed)
    data = {}
    for j, c in enumerate(cols):
        vals = list(NASTY) + list(rng.normal(0, 2, n - len(NASTY)).round(rng.integers(0, 6)))
        rng.shuffle(vals)
        data[c] = np.array(vals, dtype=np.float64)
    df = pd.DataFrame(data)
    # a few all-ordinary rows and an all-zero row
    df.loc[len(df)] = [0.0] * len(cols)
    df.loc[len(df)] = [1e-170] * len(cols)
    df.loc[len(df)] = [1e170] * len(cols)
    return df


def write(case: str, est, train: pd.DataFrame, fresh: pd.DataFrame, y=None) -> None:
    est.fit(train, y) if y is not None else est.fit(train)
    OUT.mkdir(parents=True, exist_ok=True)
    sio.dump(est, OUT / f"{case}.skops")
    rows = []
    ok = []
    for i in range(len(fresh)):
        try:
            out = np.asarray(est.transform(fresh.iloc[[i]]), dtype=np.float64)
            if out.shape[1] != len(est.get_feature_names_out()):
                # KNNImputer(add_indicator=True) of 1.2: no missing value, no indicator columns
                raise ValueError(f"{out.shape[1]} columns for {len(est.get_feature_names_out())} names")
            rows.append({"out": [enc(v) for v in out[0]]})
            ok.append(i)
        except Exception as e:  # scikit-learn refuses the row
            rows.append({"error": f"{type(e).__name__}: {str(e).splitlines()[0][:120]}"})
    batch = np.asarray(est.transform(fresh.iloc[ok]), dtype=np.float64) if ok else np.zeros((0, 0))
    doc = {
        "case": case,
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "estimator": repr(est),
        "columns": {c: {"dtype": str(fresh[c].dtype), "values": [enc_cell(v, fresh[c].dtype) for v in fresh[c]]} for c in fresh.columns},
        "feature_names_out": [str(n) for n in est.get_feature_names_out()],
        "rows": rows,
        "batch_rows": ok,
        "batch_out": [[enc(v) for v in r] for r in batch],
    }
    sel = est.steps[-1][1] if hasattr(est, "steps") else est
    fitted = getattr(sel, "estimator_", None) or getattr(sel, "estimator", None)
    if type(sel).__name__ == "SelectFromModel" and hasattr(fitted, "feature_importances_"):
        # scikit-learn's own property and threshold, compared bit for bit with tabscore's
        doc["feature_importances"] = [enc(v) for v in fitted.feature_importances_]
        doc["threshold_"] = enc(sel.threshold_)
    (OUT / f"{case}.json").write_text(json.dumps(doc, indent=0) + "\n")
    print(case, len(ok), "of", len(fresh), "rows accepted")


def main() -> None:
    t3 = train_frame(3)
    f3 = fresh_frame(list(t3.columns))
    t5 = train_frame(5)
    f5 = fresh_frame(list(t5.columns), seed=2)

    # Binarizer: default threshold, a float threshold equal to fresh values, an int column
    tb = t3.copy()
    tb["n"] = np.arange(len(tb), dtype=np.int64) - 20
    fb = f3.copy()
    fb["n"] = (np.arange(len(fb), dtype=np.int64) - 30)
    write("binarizer-default", Binarizer(), tb, fb)
    write("binarizer-threshold", Binarizer(threshold=1.5), t3, f3)

    for norm in ("l2", "l1", "max"):
        write(f"normalizer-{norm}", Normalizer(norm=norm), t5, f5)
    # width >= 8: numpy's pairwise / SIMD summation orders differ from the sequential one
    t9 = train_frame(9)
    write("normalizer-l2-wide", Normalizer(), t9, fresh_frame(list(t9.columns), seed=3))
    write("normalizer-l1-wide", Normalizer(norm="l1"), t9, fresh_frame(list(t9.columns), seed=4))

    # VarianceThreshold: a constant column, a near-constant one, the 0 default (peak-to-peak rule)
    tv = t5.copy()
    tv["const"] = 3.0
    tv["tiny"] = np.where(np.arange(len(tv)) == 0, 1.0, 1.0 + 1e-9)
    fv = fresh_frame(list(tv.columns), seed=5)
    write("variance-default", VarianceThreshold(), tv, fv)
    write("variance-threshold", VarianceThreshold(threshold=4.0), tv, fv)

    # SelectKBest / SelectPercentile: duplicated columns tie, a constant column scores NaN
    rng = np.random.default_rng(7)
    ts = pd.DataFrame({f"s{j}": rng.normal(0, 1, 60).round(2) for j in range(6)})
    yc = (ts["s0"] + ts["s3"] > 0).astype(int).to_numpy()
    ts["dup0"] = ts["s0"]
    ts["dup3"] = ts["s3"]
    ts["const"] = 1.0
    fs = fresh_frame(list(ts.columns), seed=8)
    import warnings
    warnings.simplefilter("ignore")
    write("kbest-3", SelectKBest(f_classif, k=3), ts, fs, yc)
    write("kbest-tie", SelectKBest(f_classif, k=1), ts, fs, yc)
    write("kbest-all", SelectKBest(k="all"), ts, fs, yc)
    write("kbest-regression", SelectKBest(f_regression, k=4), ts, fs, ts["s1"].to_numpy() * 2 + yc)
    write("percentile-default", SelectPercentile(f_classif), ts, fs, yc)
    write("percentile-50", SelectPercentile(f_classif, percentile=50), ts, fs, yc)
    write("percentile-tie", SelectPercentile(f_classif, percentile=12.5), ts, fs, yc)
    tchi = ts.abs()
    write("percentile-chi2", SelectPercentile(chi2, percentile=33.3), tchi, fs, yc)

    # PolynomialFeatures
    fp = fresh_frame(list(t3.columns), seed=9)
    write("poly-2", PolynomialFeatures(), t3, fp)
    write("poly-3-interaction", PolynomialFeatures(3, interaction_only=True, include_bias=False), t3, fp)
    write("poly-F", PolynomialFeatures(2, order="F"), t3, fp)
    write("poly-range", PolynomialFeatures(degree=(2, 3), include_bias=False), t3, fp)
    write("poly-range-bias", PolynomialFeatures(degree=(0, 2)), t3, fp)

    # PowerTransformer: skewed training columns; fresh rows with nasty values and a spread of magnitudes
    rng = np.random.default_rng(12)
    tp = pd.DataFrame({"p0": rng.lognormal(0, 1, 80).round(4), "p1": rng.normal(3, 2, 80).round(3),
                       "p2": -rng.lognormal(1, 0.5, 80).round(3), "p3": rng.exponential(50, 80).round(2)})
    fpw = fresh_frame(list(tp.columns), seed=13, n=90)
    spread = rng.choice([1e-3, 0.1, 1, 10, 1e3, 1e5], size=fpw.shape) * rng.normal(0, 1, fpw.shape)
    fpw.iloc[30:90] = spread[30:90]
    write("power-yj", PowerTransformer(), tp, fpw)
    write("power-yj-raw", PowerTransformer(standardize=False), tp, fpw)
    tpos = tp.abs() + 0.01
    fpos = fpw.abs()
    write("power-bc", PowerTransformer(method="box-cox"), tpos, fpos)
    write("power-bc-raw", PowerTransformer(method="box-cox", standardize=False), tpos, fpos)

    # QuantileTransformer: repeated values (repeated quantiles), a constant column, values on the
    # quantiles and just beside them, both output distributions, n_quantiles below and above n_samples
    rng = np.random.default_rng(14)
    tq = pd.DataFrame({"q0": rng.normal(0, 1, 150).round(2), "q1": rng.integers(0, 5, 150).astype(np.float64),
                       "q2": rng.exponential(3, 150).round(1), "q3": np.full(150, 2.5)})
    tq.loc[::7, "q0"] = np.nan
    fq = fresh_frame(list(tq.columns), seed=15, n=120)
    picks = np.concatenate([tq[c].dropna().to_numpy() for c in tq.columns])
    for j, c in enumerate(tq.columns):
        vals = tq[c].dropna().to_numpy()
        near = rng.choice(vals, 40)
        near = np.where(rng.random(40) < 0.3, np.nextafter(near, np.inf), near)
        near = np.where(rng.random(40) < 0.3, np.nextafter(near, -np.inf), near)
        fq.loc[80:119, c] = near
    write("quantile-uniform", QuantileTransformer(n_quantiles=50), tq, fq)
    write("quantile-normal", QuantileTransformer(n_quantiles=50, output_distribution="normal"), tq, fq)
    write("quantile-many", QuantileTransformer(n_quantiles=1000, output_distribution="normal"), tq, fq)
    write("quantile-subsample", QuantileTransformer(n_quantiles=20, subsample=100, random_state=0), tq, fq)


def target_encoders() -> None:
    """TargetEncoder (1.3+): binary, multiclass (string classes), continuous targets; string columns with NaN at
    fit, an int column; fresh rows with unseen categories, case / whitespace variants, missing values (NaN: tabscore
    reads a missing string as NaN, as pandas reads a CSV). A None category (fitted on None) is refused by tabscore:
    target-none-category."""
    from sklearn.preprocessing import TargetEncoder
    rng = np.random.default_rng(17)
    n = 200
    city = rng.choice(["Oslo", "Bergen", "Tromsø", "Bodø", "?"], n).astype(object)
    with_none = city.copy()
    with_none[with_none == "?"] = None
    city[city == "?"] = np.nan
    plan = rng.choice(["basic", "pro", "team"], n).astype(object)
    plan[::11] = np.nan
    level = rng.integers(1, 6, n)
    train = pd.DataFrame({"city": city, "plan": plan, "level": level})
    fresh = pd.DataFrame({
        "city": np.array(["Oslo", "oslo", "Oslo ", "Paris", np.nan, "Bodø", "Tromsø", "", "Bergen", "Bergen"] * 3,
                         dtype=object),
        "plan": np.array(["pro", "basic", "team", np.nan, "PRO", np.nan, "enterprise", "team", "basic", "pro"] * 3,
                         dtype=object),
        "level": np.array([1, 2, 3, 4, 5, 6, 0, -1, 3, 2] * 3, dtype=np.int64),
    })
    yb = np.array(train["level"] + (train["city"] == "Oslo") * 2 + rng.integers(0, 3, n) > 4, dtype=np.int64)
    yc = np.array((train["level"] * 1.5 + rng.normal(0, 1, n)).round(3), dtype=np.float64)
    ym = rng.choice(["red", "green", "blue"], n)
    write("target-binary", TargetEncoder(random_state=0), train, fresh, yb)
    write("target-continuous", TargetEncoder(smooth=5.0, random_state=0), train, fresh, yc)
    write("target-none-category", TargetEncoder(random_state=0), train.assign(city=with_none), fresh, yb)
    if SK < (1, 4):  # multiclass targets arrived in 1.4
        return
    write("target-multiclass", TargetEncoder(random_state=0), train, fresh, ym)
    write("target-multiclass-obj", TargetEncoder(random_state=0), train, fresh, pd.Series(ym, dtype=object))
    if SK >= (1, 9):  # a splitter object as cv
        from sklearn.model_selection import KFold
        write("target-cv-splitter", TargetEncoder(cv=KFold(3, shuffle=True, random_state=1)), train, fresh, yb)
    write("target-multiclass-int", TargetEncoder(target_type="multiclass", random_state=0), train[["city", "level"]],
          fresh[["city", "level"]], rng.integers(0, 3, n))


def decompositions() -> None:
    """PCA (n_components int / fraction, whiten, a rank-deficient fit for the whitening clip) and TruncatedSVD."""
    from sklearn.decomposition import PCA, TruncatedSVD
    rng = np.random.default_rng(18)
    base = rng.normal(0, 1, (120, 3))
    t = pd.DataFrame(base @ rng.normal(0, 1, (3, 6)) + rng.normal(0, 0.05, (120, 6)) + [10, -3, 0, 100, 0.1, 5],
                     columns=[f"d{j}" for j in range(6)]).round(4)
    f = fresh_frame(list(t.columns), seed=19, n=80)
    f.iloc[30:80] = (rng.normal(0, 1, (50, 3)) @ rng.normal(0, 1, (3, 6)) * rng.choice([1, 10, 1e3], (50, 1))
                     + [10, -3, 0, 100, 0.1, 5])
    write("pca-3", PCA(n_components=3), t, f)
    write("pca-whiten", PCA(n_components=4, whiten=True), t, f)
    write("pca-fraction", PCA(n_components=0.95, svd_solver="full"), t, f)
    tr = t.copy()
    tr["d5"] = tr["d0"] * 2.0  # rank deficient: a near-zero explained variance
    write("pca-whiten-deficient", PCA(whiten=True), tr, f)
    write("svd-2", TruncatedSVD(n_components=2, random_state=0), t, f)


def splines() -> None:
    """SplineTransformer: every extrapolation, knots uniform / quantile / array, degree 1-3, include_bias off,
    handle_missing='zeros' (1.8+); fresh values inside, on and beyond the knots."""
    from sklearn.preprocessing import SplineTransformer
    rng = np.random.default_rng(20)
    t = pd.DataFrame({"u": rng.uniform(0, 10, 100).round(3), "v": rng.normal(5, 2, 100).round(3)})
    f = fresh_frame(list(t.columns), seed=21, n=90)
    f.iloc[25:90] = rng.uniform(-5, 15, (65, 2)).round(rng.integers(0, 4))
    f.iloc[85] = [0.0, t["v"].min()]
    f.iloc[86] = [10.0, t["v"].max()]
    f.iloc[87] = [t["u"].min(), 5.0]
    f.iloc[88] = [t["u"].max(), 1e-9]
    write("spline-constant", SplineTransformer(), t, f)
    write("spline-linear", SplineTransformer(n_knots=4, degree=2, extrapolation="linear", include_bias=False), t, f)
    write("spline-linear-1", SplineTransformer(n_knots=5, degree=1, extrapolation="linear"), t, f)
    write("spline-continue", SplineTransformer(n_knots=6, extrapolation="continue", knots="quantile"), t, f)
    write("spline-error", SplineTransformer(n_knots=3, extrapolation="error"), t, f)
    write("spline-periodic", SplineTransformer(n_knots=6, extrapolation="periodic"), t, f)
    write("spline-array", SplineTransformer(knots=np.array([[0.0, 1.0], [2.0, 3.0], [5.0, 4.0], [10.0, 9.0]]),
                                            degree=2), t, f)
    if SK >= (1, 8):
        write("spline-zeros", SplineTransformer(handle_missing="zeros", extrapolation="linear"), t, f)


def support_masks() -> None:
    """SelectKBest / SelectPercentile masks of scikit-learn's own _get_support_mask on score vectors
    with ties, NaN, infinities and signed zeros, for many k and percentiles; and np.percentile."""
    rng = np.random.default_rng(11)
    cases = []
    pool = [0.0, -0.0, 1.0, 1.0, 2.5, np.nan, np.inf, -np.inf, 3.0, 1e-300, -1e308, 7.25, 0.1, 0.30000000000000004]
    for t in range(45):
        n = int(rng.integers(1, 12))
        if t % 3 == 0:
            scores = rng.choice(pool, n)
        elif t % 3 == 1:
            scores = rng.integers(0, 4, n).astype(np.float64)
        else:
            scores = rng.normal(0, 10, n)
        scores = np.asarray(scores, dtype=np.float64)
        for k in sorted({0, 1, 2, n // 2, n, n + 3, "all"}, key=str):
            sel = SelectKBest(k=k)
            sel.scores_ = scores
            cases.append({"kind": "k", "k": k, "scores": [enc(v) for v in scores],
                          "mask": [bool(m) for m in sel._get_support_mask()]})
        for p in (0, 1, 10, 12.5, 25, 33.3, 50, 66.6, 75, 90, 99.9, 100, float(rng.uniform(0, 100))):
            sel = SelectPercentile(percentile=p)
            sel.scores_ = scores
            cleaned = np.where(np.isnan(scores), np.finfo(np.float64).min, scores)
            with np.errstate(all="ignore"):
                q = np.percentile(cleaned, 100 - p)
            cases.append({"kind": "percentile", "percentile": p, "scores": [enc(v) for v in scores],
                          "mask": [bool(m) for m in sel._get_support_mask()], "threshold": enc(q)})
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "support-masks.json").write_text(json.dumps({"sklearn": sklearn.__version__, "numpy": np.__version__,
                                                      "cases": cases}) + "\n")
    print("support-masks", len(cases))


def ndtri_values() -> None:
    """scipy.stats.norm.ppf on values across its three approximation ranges, for the Java port."""
    from scipy import stats
    rng = np.random.default_rng(16)
    q = np.concatenate([rng.random(400), rng.random(200) * 0.135, 1 - rng.random(200) * 0.135,
                        10.0 ** -rng.uniform(14, 300, 200), 1 - 10.0 ** -rng.uniform(1, 16, 100),
                        [0.0, 1.0, 0.5, 1e-7 - np.spacing(1), 1 - (1e-7 - np.spacing(1)), np.exp(-2), 1 - np.exp(-2),
                         np.exp(-32), 5e-324, np.nan, -0.5, 1.5]])
    with np.errstate(all="ignore"):
        p = stats.norm.ppf(q)
    OUT.mkdir(parents=True, exist_ok=True)
    import scipy
    (OUT / "norm-ppf.json").write_text(json.dumps({"scipy": scipy.__version__, "q": [enc(v) for v in q],
                                                  "ppf": [enc(v) for v in p]}) + "\n")


def tree_models(ts, fs, yc, y3, yr) -> None:
    """SelectFromModel over trees, forests and gradient boosting (feature_importances_ computed from the stored
    node arrays), and over SGD models whose file holds a Cython loss object (LossNode)."""
    from sklearn.ensemble import (
        AdaBoostClassifier,
        AdaBoostRegressor,
        ExtraTreesClassifier,
        ExtraTreesRegressor,
        GradientBoostingClassifier,
        GradientBoostingRegressor,
        RandomForestClassifier,
        RandomForestRegressor,
    )
    from sklearn.feature_selection import SelectFromModel
    from sklearn.linear_model import SGDClassifier, SGDRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeClassifier, ExtraTreeRegressor
    write("sfm-forest-default", SelectFromModel(RandomForestClassifier(n_estimators=12, max_depth=4, random_state=0)),
          ts, fs, yc)
    write("sfm-forest-reg-median", SelectFromModel(RandomForestRegressor(n_estimators=9, max_depth=5, random_state=1),
                                                   threshold="median"), ts, fs, yr)
    write("sfm-forest-entropy-max", SelectFromModel(RandomForestClassifier(n_estimators=7, criterion="entropy",
                                                                           random_state=2), threshold=-np.inf,
                                                    max_features=3), ts, fs, y3)
    write("sfm-extratrees-scaled", SelectFromModel(ExtraTreesClassifier(n_estimators=10, random_state=3),
                                                   threshold="1.25*mean"), ts, fs, y3)
    write("sfm-extratrees-reg-float", SelectFromModel(ExtraTreesRegressor(n_estimators=6, max_depth=3,
                                                                          criterion="absolute_error", random_state=4),
                                                      threshold=0.05), ts, fs, yr)
    write("sfm-tree-clf-default", SelectFromModel(DecisionTreeClassifier(max_depth=4, random_state=0)), ts, fs, y3)
    write("sfm-tree-reg-median", SelectFromModel(DecisionTreeRegressor(random_state=0), threshold="0.5*median"),
          ts, fs, yr)
    write("sfm-extratree-clf", SelectFromModel(ExtraTreeClassifier(random_state=5)), ts, fs, yc)
    write("sfm-extratree-reg-best", SelectFromModel(ExtraTreeRegressor(splitter="best", random_state=6)), ts, fs, yr)
    write("sfm-gb-clf-default", SelectFromModel(GradientBoostingClassifier(n_estimators=15, max_depth=2,
                                                                           random_state=0)), ts, fs, yc)
    write("sfm-gb-multiclass-median", SelectFromModel(GradientBoostingClassifier(n_estimators=6, max_depth=2,
                                                                                 subsample=0.8, random_state=1),
                                                      threshold="median"), ts, fs, y3)
    write("sfm-gb-reg-max", SelectFromModel(GradientBoostingRegressor(n_estimators=20, random_state=2),
                                            max_features=2), ts, fs, yr)
    write("sfm-adaboost-clf", SelectFromModel(AdaBoostClassifier(n_estimators=8, random_state=0)), ts, fs, y3)
    write("sfm-adaboost-reg-median", SelectFromModel(AdaBoostRegressor(DecisionTreeRegressor(max_depth=3), n_estimators=6,
                                                                       random_state=0), threshold="median"), ts, fs, yr)
    fitted = RandomForestRegressor(n_estimators=4, max_depth=2, random_state=7).fit(ts, yr)
    write("sfm-forest-prefit", SelectFromModel(fitted, prefit=True, threshold="mean"), ts, fs, yr)
    # one input column: numpy's mean over axis 0 runs pairwise down the column (>= 8 trees)
    t1 = ts[["s1"]]
    write("sfm-forest-one-column", SelectFromModel(RandomForestRegressor(n_estimators=11, max_depth=2, random_state=8)),
          t1, fs[["s1"]], yr)
    write("sfm-forest-pipeline", Pipeline([("scale", StandardScaler()), ("select", SelectFromModel(
        RandomForestClassifier(n_estimators=5, max_depth=3, random_state=0)))]), ts, fs, yc)
    # SGD models: the file holds a Cython loss object (LossNode) from 1.4 (classifier) / some releases
    write("sfm-sgd-hinge", SelectFromModel(SGDClassifier(random_state=0)), ts, fs, yc)
    write("sfm-sgd-log-multi", SelectFromModel(SGDClassifier(loss="log_loss", random_state=0), norm_order=2), ts, fs, y3)
    write("sfm-sgd-modified-huber", SelectFromModel(SGDClassifier(loss="modified_huber", penalty="l1", random_state=0)),
          ts, fs, yc)
    write("sfm-sgd-reg-huber", SelectFromModel(SGDRegressor(loss="huber", random_state=0), threshold="median"),
          ts, fs, yr)


def from_model() -> None:
    """SelectFromModel over linear models: thresholds None / mean / median / scaled / float / -inf, max_features
    (ties from duplicated columns), 1-d and 2-d coef_, norm_order 1 / 2 / inf / 0, prefit; refused: a forest, a
    9-class coef_ summed along axis 0. Also from-model-numpy.json: numpy's norm / mean / median and scikit-learn's own
    _get_support_mask on random coefficient arrays."""
    import warnings

    from sklearn.feature_selection import SelectFromModel
    from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge, RidgeClassifier
    from sklearn.svm import LinearSVC, LinearSVR
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(17)
    ts = pd.DataFrame({f"s{j}": rng.normal(0, 1 + j % 3, 80).round(2) for j in range(6)})
    ts["dup0"] = ts["s0"]
    ts["const"] = 1.0
    yc = (ts["s0"] + ts["s3"] > 0).astype(int).to_numpy()
    y3 = np.digitize(ts["s1"] - ts["s4"] + 0.5 * ts["s2"], [-1.0, 1.0])
    y9 = np.digitize(ts["s1"] + ts["s5"], np.linspace(-4, 4, 8))
    yr = (2 * ts["s1"] - ts["s4"] + 0.1 * ts["s2"]).to_numpy() + rng.normal(0, 0.1, 80)
    fs = fresh_frame(list(ts.columns), seed=18)
    l1_logreg = (LogisticRegression(l1_ratio=1.0, solver="saga", max_iter=5000) if SK >= (1, 8)
                 else LogisticRegression(penalty="l1", solver="liblinear"))
    write("sfm-logreg-default", SelectFromModel(LogisticRegression()), ts, fs, yc)
    write("sfm-logreg-l1-default", SelectFromModel(l1_logreg), ts, fs, yc)
    write("sfm-logreg-multi-median-l2", SelectFromModel(LogisticRegression(max_iter=2000), threshold="median",
                                                        norm_order=2), ts, fs, y3)
    write("sfm-linearsvc-multi-inf", SelectFromModel(LinearSVC(max_iter=20000), threshold="1.25*mean",
                                                     norm_order=np.inf), ts, fs, y3)
    write("sfm-linearsvc-l1-neginf", SelectFromModel(LinearSVC(penalty="l1", dual=False, C=0.05, max_iter=20000),
                                                   norm_order=-np.inf, threshold=" 0.5 * mean"), ts, fs, y3)
    write("sfm-ridgeclf-ord1-max", SelectFromModel(RidgeClassifier(), norm_order=1, max_features=4,
                                                   threshold="0.5*median"), ts, fs, y3)
    # s0 and its duplicate get the same coefficient: the earlier column wins the one place
    write("sfm-ridge-max-tie", SelectFromModel(Ridge(), threshold=-np.inf, max_features=1), ts, fs,
          (3 * ts["s0"] + ts["s1"]).to_numpy())
    write("sfm-linreg-float", SelectFromModel(LinearRegression(), threshold=0.25), ts, fs, yr)
    write("sfm-lasso-default", SelectFromModel(Lasso(alpha=0.05)), ts, fs, yr)
    write("sfm-elasticnet-l1-default", SelectFromModel(ElasticNet(alpha=0.05, l1_ratio=1.0)), ts, fs, yr)
    write("sfm-elasticnet-mean", SelectFromModel(ElasticNet(alpha=0.05, l1_ratio=0.5), threshold=1), ts, fs, yr)
    write("sfm-linearsvr-median", SelectFromModel(LinearSVR(max_iter=20000), threshold="median"), ts, fs, yr)
    write("sfm-linreg-multi-target", SelectFromModel(LinearRegression(), norm_order=2),
          ts, fs, np.c_[yr, ts["s5"].to_numpy()])
    fitted = LogisticRegression().fit(ts, yc)
    write("sfm-prefit", SelectFromModel(fitted, prefit=True, max_features=3), ts, fs, yc)
    write("sfm-logreg-9class-inf", SelectFromModel(LogisticRegression(max_iter=3000), norm_order=np.inf), ts, fs, y9)
    # refused by tabscore
    write("sfm-refused-9class-l1", SelectFromModel(LogisticRegression(max_iter=3000)), ts, fs, y9)
    from sklearn.svm import SVC  # coef_ is a property (dual_coef_ @ support_vectors_), not stored
    write("sfm-refused-svc", SelectFromModel(SVC(kernel="linear")), ts, fs, yc)
    tree_models(ts, fs, yc, y3, yr)
    from sklearn.feature_selection._base import _get_feature_importances
    from sklearn.feature_selection._from_model import _calculate_threshold
    if SK not in ((1, 9), (1, 2)):
        return  # numpy 2.x and 1.x are enough
    cases = []
    shapes = [(n,) for n in (1, 2, 3, 7, 8, 9, 16, 17, 127, 128, 129, 255, 300, 1000, 4099)]
    shapes += [(k, 1) for k in (1, 2, 7, 8, 9, 15, 16, 17, 40, 130, 300)]
    shapes += [(k, nf) for k in range(1, 8) for nf in (2, 3, 9)]
    for shape in shapes:
        for t in range(2):
            c = rng.normal(0, 1, shape) * 10.0 ** rng.integers(-3, 4, shape)
            if t == 1:
                c = np.round(c, 1)  # ties and zeros
            for order in ((1,) if len(shape) == 1 else (1, 2, np.inf, -np.inf, 0)):
                imp = _get_feature_importances(type("E", (), {"coef_": c})(), "auto", "norm", order)
                est = LinearRegression()
                est.coef_ = c
                sels = []
                for thr in ("mean", "median", "1.25*mean", "0.75 * median"):
                    mf = int(rng.integers(0, imp.size + 1)) if t == 1 else None
                    sel = SelectFromModel(est, prefit=True, threshold=thr, norm_order=order, max_features=mf)
                    sels.append({"threshold": thr, "threshold_value": enc(_calculate_threshold(est, imp, thr)),
                                 "max_features": mf, "mask": "".join("1" if m else "0" for m in sel._get_support_mask())})
                cases.append({"coef": [enc(v) for v in c.ravel()], "shape": list(shape), "norm_order": enc(order),
                              # 1-d: np.abs, not worth storing
                              "importances": [enc(v) for v in imp] if len(shape) == 2 else None,
                              "selections": sels})
    (OUT / "from-model-numpy.json").write_text(json.dumps({"sklearn": sklearn.__version__, "numpy": np.__version__,
                                                         "cases": cases}) + "\n")
    print("from-model-numpy", len(cases))


def knn() -> None:
    """KNNImputer: uniform and distance weights, n_neighbors 1 / 5 / above the donors, add_indicator, a number as
    missing_values, integer data (exact distance ties), duplicated training rows (zero distances), a column all
    missing at fit (dropped), receivers sharing no coordinate with a donor (column mean), keep_empty_features."""
    from sklearn.impute import KNNImputer

    def holes(df: pd.DataFrame, frac: float, seed: int, value=np.nan) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        out = df.copy()
        out = out.mask(rng.random(out.shape) < frac, value)
        return out

    t = holes(train_frame(5, rows=40, seed=20), 0.15, 21)
    f = holes(fresh_frame(list(t.columns), seed=22), 0.3, 23)
    write("knn-uniform", KNNImputer(), t, f)
    write("knn-distance", KNNImputer(weights="distance"), t, f)
    write("knn-k1", KNNImputer(n_neighbors=1), t, f)
    write("knn-k-above-donors", KNNImputer(n_neighbors=60, weights="distance"), t, f)
    write("knn-k9-indicator", KNNImputer(n_neighbors=9, add_indicator=True), t, f)
    write("knn-keep-empty", KNNImputer(keep_empty_features=True), t, f)
    # a number as missing_values: NaN in the input is refused
    tn = t.fillna(-1.0)
    fn = f.fillna(-1.0)
    fn.iloc[3, 0] = np.nan
    write("knn-missing-number", KNNImputer(missing_values=-1.0, n_neighbors=3), tn, fn)
    # small integers: many exactly equal distances, duplicated rows (zero distances)
    rng = np.random.default_rng(24)
    ti = pd.DataFrame({f"i{j}": rng.integers(0, 3, 60).astype(np.float64) for j in range(4)})
    ti = holes(ti, 0.2, 25)
    fi = holes(pd.DataFrame({f"i{j}": rng.integers(0, 4, 50).astype(np.float64) for j in range(4)}), 0.35, 26)
    write("knn-ties", KNNImputer(n_neighbors=4), ti, fi)
    write("knn-ties-distance", KNNImputer(n_neighbors=4, weights="distance"), ti, fi)
    # a column all missing at fit (dropped; kept as 0 with keep_empty_features, which tabscore refuses); donors
    # that share no coordinate with a receiver (NaN distances: the column mean, or a NaN-distance donor)
    te = t.copy()
    te["empty"] = np.nan
    te.loc[0:5, ["x0", "x1", "x2", "x3"]] = np.nan
    te.loc[0:5, "x4"] = np.arange(6.0)
    fe = f.copy()
    fe["empty"] = 1.0
    fe.loc[0:9, ["x0", "x1", "x2", "x3"]] = np.nan
    write("knn-empty-column", KNNImputer(n_neighbors=3), te, fe)
    write("knn-empty-keep", KNNImputer(n_neighbors=3, keep_empty_features=True), te, fe)
    tonly = t.copy()
    tonly.loc[:, "x0"] = np.nan
    tonly.loc[0:4, "x0"] = [1.0, 2.0, 3.0, 4.0, 5.0]
    tonly.loc[0:4, ["x1", "x2", "x3"]] = np.nan
    write("knn-nan-distances", KNNImputer(n_neighbors=4), tonly, fe.drop(columns="empty"))
    write("knn-nan-distances-distance", KNNImputer(n_neighbors=4, weights="distance"), tonly,
          fe.drop(columns="empty"))
    # random cases for the measured agreement: widths 1-12, 20-400 fitted rows, scales 1e-3 to 1e3 per column,
    # 5-40% missing, k 1-12, both weightings; continuous values (ties improbable)
    rng = np.random.default_rng(40)
    for i in range(16):
        w = int(rng.integers(1, 13))
        n = int(rng.integers(20, 401))
        scale = 10.0 ** rng.uniform(-3, 3, w)
        tr = pd.DataFrame({f"r{j}": rng.normal(0, 1, n) * scale[j] for j in range(w)})
        tr = holes(tr, float(rng.uniform(0.05, 0.4)), 100 + i)
        fr = pd.DataFrame({f"r{j}": rng.normal(0, 1.5, 40) * scale[j] for j in range(w)})
        fr = holes(fr, float(rng.uniform(0.1, 0.5)), 200 + i)
        write(f"knn-random-{i:02d}", KNNImputer(n_neighbors=int(rng.integers(1, 13)),
                                                weights=str(rng.choice(["uniform", "distance"]))), tr, fr)
    if np.__version__.startswith("1."):
        argpartition_values()


def argpartition_values() -> None:
    """numpy 1.x's scalar introselect (np.argpartition of float64 rows, one kth), which tabscore ports: small-integer
    values (ties), NaN, sizes around the median-of-3 / median-of-medians switches. numpy 2.x on an AVX2 CPU runs
    x86-simd-sort instead, which orders ties differently; so these come from numpy 1.26 only."""
    rng = np.random.default_rng(30)
    cases = []
    for t in range(300):
        n = int(rng.choice([1, 2, 3, 4, 5, 7, 8, 9, 16, 40, 100, 257]))
        kth = int(rng.integers(0, n))
        if t % 3 == 0:
            v = rng.integers(0, 4, n).astype(np.float64)
        elif t % 3 == 1:
            v = rng.normal(0, 1, n).round(1)
        else:
            v = np.sort(rng.integers(0, 10, n).astype(np.float64))[::-1].copy()
        v[rng.random(n) < 0.1] = np.nan
        idx = np.argpartition(v, kth)
        cases.append({"values": [enc(x) for x in v], "kth": kth, "argpartition": [int(i) for i in idx]})
    (OUT / "argpartition-numpy.json").write_text(json.dumps({"numpy": np.__version__, "cases": cases}) + "\n")
    print("argpartition-numpy", len(cases))


if __name__ == "__main__":
    if sys.argv[1:] == ["knn"]:
        knn()
        sys.exit(0)
    if sys.argv[1:] == ["from-model"]:
        from_model()
        sys.exit(0)
    from_model()
    knn()
    if SK >= (1, 3):
        target_encoders()
    decompositions()
    splines()
    ndtri_values()
    support_masks()
    sys.exit(main())
