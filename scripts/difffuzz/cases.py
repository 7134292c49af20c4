"""Python side of the differential fuzzer: draw, fit, export and score cases.

Runs under the scikit-learn release being tested (its own virtualenv; torch may come from the system
site-packages, named after the venv's own by a ``.pth`` file that make_venvs.sh writes; the exporter is
installed there editable by make_venvs.sh). For case i of seed s it draws a training frame with
nasty values and a ColumnTransformer/Pipeline graph from ``surface.SURFACE``, fits it with real
scikit-learn, exports a bundle with ``tabscore_export.export_bundle`` (a small random network), then
draws FRESH rows (not the golden batch) and records what scikit-learn + torch make of them:

  CASE/graph.txt           the fitted graph (repr) and the options drawn
  CASE/train.parquet       the training frame (typed as the contract; written once the bundle is)
  CASE/bundle/             the bundle (absent when the exporter refused it)
  CASE/input.parquet       the fresh rows (typed as the contract)
  CASE/python/features.parquet, outputs.parquet   rows scikit-learn transforms (column ``row``)
  CASE/python/result.json  status (exported / exporter_refused / sklearn_refused_fit), reason,
                           refused rows {row: message}, ufunc features, tolerances

  python cases.py OUT --seed 7 --start 0 --count 50 [--surface all|readme|issue12|issue14|float32]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import math
import sys
import time
import traceback
import warnings
from pathlib import Path
from typing import Any


def _check_environment() -> None:
    """torch and the exporter must be importable here. In a release virtualenv both come from make_venvs.sh: the
    exporter installed editable (``pip install -e ./python --no-deps``: this checkout's code), torch through a
    ``.pth`` file naming the system site-packages, read after the venv's own (so its numpy / pandas / scikit-learn
    win). The sibling modules (surface, compare) are found because this folder is the script's own."""
    missing = [name for name in ("torch", "tabscore_export") if importlib.util.find_spec(name) is None]
    if missing:
        raise SystemExit(
            f"cases.py: {' and '.join(missing)} not importable by {sys.executable}: (re-)run "
            "scripts/difffuzz/make_venvs.sh for this release (it installs the exporter with "
            "`pip install -e ./python --no-deps` and makes the system torch visible)"
        )


# --------------------------------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------------------------------

CATEGORY_POOLS = (
    ["a", "b", "c"],
    ["red", "Red", "red ", " red", "blue", "green", ""],
    ["x", "X", "y", "z", "w", "v", "u", "t"],
    ["only"],
    ["north", "south", "east", "west", "n/a", "None", "nan"],
)
FLOAT_SCALES = (1.0, 1.0, 1.0, 1.0, 1e-9, 1e9, 1e-300, 1e6, 1e150, 1e300)
INT_RANGES = ((0, 5), (-3, 3), (0, 1000), (-(2**62), 2**62), (0, 2))


def _column_specs(rng: Any) -> list[dict[str, Any]]:
    """2-7 column descriptions: kind (float/int/intnull/bool/boolnull/str), scale, nulls."""
    n = int(rng.integers(2, 8))
    kinds = ["float", "float", "int", "intnull", "bool", "str", "str", "boolnull"]
    specs = []
    for j in range(n):
        kind = kinds[int(rng.integers(len(kinds)))]
        spec: dict[str, Any] = {"name": f"c{j}_{kind}", "kind": kind}
        spec["null_rate"] = (
            [0.0, 0.0, 0.05, 0.05, 0.3, 0.3, 0.3, 1.0][int(rng.integers(8))]
            if kind in ("float", "intnull", "str", "boolnull")
            else 0.0
        )
        if kind == "float":
            spec["scale"] = FLOAT_SCALES[int(rng.integers(len(FLOAT_SCALES)))]
            spec["ties"] = bool(rng.random() < 0.4)
            spec["constant"] = bool(rng.random() < 0.05)
        elif kind in ("int", "intnull"):
            spec["range"] = INT_RANGES[int(rng.integers(len(INT_RANGES)))]
        elif kind == "str":
            spec["pool"] = CATEGORY_POOLS[int(rng.integers(len(CATEGORY_POOLS)))]
            spec["none_and_nan"] = bool(rng.random() < 0.5)
        specs.append(spec)
    if n and specs[-1]["null_rate"] == 1.0 and all(s["null_rate"] == 1.0 for s in specs):
        specs[-1]["null_rate"] = 0.0
    return specs


def _draw_values(rng: Any, spec: dict[str, Any], n: int) -> list[Any]:
    import numpy as np

    kind = spec["kind"]
    if kind == "float":
        if spec.get("constant"):
            v = np.full(n, 3.25)
        elif spec.get("ties"):
            v = rng.integers(-3, 4, size=n).astype(float) * spec["scale"]
        else:
            v = rng.standard_normal(n) * spec["scale"]
        out: list[Any] = v.tolist()
        for i in range(n):
            if rng.random() < 0.03:
                out[i] = -0.0
    elif kind in ("int", "intnull"):
        lo, hi = spec["range"]
        out = [int(x) for x in rng.integers(lo, hi, size=n, endpoint=True)]
    elif kind in ("bool", "boolnull"):
        out = [bool(x) for x in rng.random(n) < 0.5]
    else:
        pool = spec["pool"]
        weights = np.array([1.0 / (k + 1) for k in range(len(pool))])
        out = [pool[k] for k in rng.choice(len(pool), size=n, p=weights / weights.sum())]
    rate = spec["null_rate"]
    for i in range(n):
        if rate and rng.random() < rate:
            out[i] = None
    return out


def _frame(specs: list[dict[str, Any]], columns: dict[str, list[Any]], rng: Any, *, fresh: bool) -> Any:
    """Typed pandas frame: float64 (NaN), Int64 (nullable), bool / boolean, object strings (None or NaN)."""
    import numpy as np
    import pandas as pd

    data = {}
    for s in specs:
        vals = columns[s["name"]]
        kind = s["kind"]
        if kind == "float":
            data[s["name"]] = pd.Series([np.nan if v is None else float(v) for v in vals], dtype="float64")
        elif kind == "int":
            data[s["name"]] = pd.Series(vals, dtype="int64")
        elif kind == "intnull":
            data[s["name"]] = pd.Series(pd.array(vals, dtype="Int64"))
        elif kind == "bool":
            data[s["name"]] = pd.Series(vals, dtype="bool")
        elif kind == "boolnull":
            data[s["name"]] = pd.Series(pd.array(vals, dtype="boolean"))
        else:
            mixed = [
                None
                if v is None and (fresh or not s.get("none_and_nan") or rng.random() < 0.5)
                else (np.nan if v is None else v)
                for v in vals
            ]
            data[s["name"]] = pd.Series(mixed, dtype=object)
    return pd.DataFrame(data)


def train_frame(rng: Any, n: int = 80) -> tuple[list[dict[str, Any]], Any]:
    specs = _column_specs(rng)
    cols = {s["name"]: _draw_values(rng, s, n) for s in specs}
    return specs, _frame(specs, cols, rng, fresh=False)


def fresh_frame(rng: Any, specs: list[dict[str, Any]], train: Any, n: int = 24) -> Any:
    """``n`` draws from the training distribution, then nasty rows per column: missing, NaN, unseen and
    case/whitespace variants, "", out-of-range, +-inf, -0.0, the training min and max, extreme ints."""

    cols = {s["name"]: _draw_values(rng, s, n) for s in specs}
    template = {s["name"]: cols[s["name"]][0] for s in specs}
    extra: list[dict[str, Any]] = []
    for s in specs:
        name, kind = s["name"], s["kind"]
        seen = train[name].dropna()
        if kind == "float":
            lo, hi = (float(seen.min()), float(seen.max())) if len(seen) else (0.0, 1.0)
            vals = [
                None,
                lo,
                hi,
                -0.0,
                0.0,
                math.inf,
                -math.inf,
                hi * 1e6 + 1.0,
                lo * 1e6 - 1.0,
                1e308,
                -1e308,
                5e-324,
                float(seen.median()) if len(seen) else 0.5,
            ]
        elif kind in ("int", "intnull"):
            lo, hi = (int(seen.min()), int(seen.max())) if len(seen) else (0, 1)
            vals = [lo, hi, hi + 1, lo - 1, 0, 2**62, -(2**62), 2**63 - 1, -(2**63)]
            if kind == "intnull":
                vals.append(None)
        elif kind in ("bool", "boolnull"):
            vals = [True, False] + ([None] if kind == "boolnull" else [])
        else:
            top = str(seen.mode().iloc[0]) if len(seen) else "a"
            vals = [None, "unseen", top.upper(), top.lower(), " " + top, top + " ", "", "NaN", "None"]
        for v in vals:
            extra.append({**template, name: v})
    for row in extra:
        for s in specs:
            cols[s["name"]].append(row[s["name"]])
    # Values outside what a column's pandas dtype holds become None (e.g. inf in an int column).
    for s in specs:
        if s["kind"] in ("int",) and any(v is None for v in cols[s["name"]]):
            s = dict(s)
        if s["kind"] == "int":
            cols[s["name"]] = [0 if v is None else v for v in cols[s["name"]]]
        if s["kind"] == "bool":
            cols[s["name"]] = [False if v is None else v for v in cols[s["name"]]]
    return _frame(specs, cols, rng, fresh=True)


# --------------------------------------------------------------------------------------------------------------
# Graphs
# --------------------------------------------------------------------------------------------------------------


class Ctx:
    """What graph drawing needs: the rng, the release, the surface and a log of what was drawn."""

    def __init__(self, rng: Any, version: tuple[int, int], surface: str) -> None:
        self.rng, self.version, self.surface = rng, version, surface
        self.drawn: list[str] = []
        self.pandas = False
        self.task = "binary"  # the case's task: supervised steps draw a score function / target type that fits it

    def pick(self, transformer: str, param: str, default: Any) -> Any:
        import surface as sf

        v = sf.pick(self.rng, transformer, param, self.version, self.surface, default)
        self.drawn.append(f"{transformer}.{param}={v!r}")
        return v

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)


def _ufunc(name: str) -> Any:
    import numpy as np

    return getattr(np, name)


def _inverse(name: str | None) -> Any:
    import numpy as np

    inverses = {
        "log1p": np.expm1,
        "expm1": np.log1p,
        "log": np.exp,
        "exp": np.log,
        "sqrt": np.square,
        "square": np.sqrt,
        "negative": np.negative,
        "reciprocal": np.reciprocal,
        "tanh": np.arctanh,
        "arcsinh": np.sinh,
        "cbrt": None,
        "log2": np.exp2,
        "log10": None,
    }
    return inverses.get(name or "", None) or np.negative


def numeric_step(ctx: Ctx, train: Any, cols: list[str]) -> list[tuple[str, Any]]:
    """A numeric chain: [imputer] [function] [scaler | kbins | indicator]."""
    import numpy as np
    from sklearn.impute import MissingIndicator, SimpleImputer
    from sklearn.preprocessing import (
        FunctionTransformer,
        KBinsDiscretizer,
        MaxAbsScaler,
        MinMaxScaler,
        RobustScaler,
        StandardScaler,
    )

    steps: list[tuple[str, Any]] = []
    has_nan = bool(train[cols].isna().any().any())
    if has_nan and ctx.chance(0.1):
        return [("ind", MissingIndicator(features=ctx.pick("MissingIndicator", "features", "missing-only")))]
    if has_nan and ctx.pick("Issue14", "imputer", "SimpleImputer") == "KNNImputer":
        steps.append(("impute", knn_imputer(ctx)))
    elif has_nan or ctx.chance(0.2):
        mv = ctx.pick("SimpleImputer", "missing_values", "nan")
        if mv not in ("nan", -1) or has_nan:
            mv = "nan"
        kwargs: dict[str, Any] = {
            "strategy": ctx.pick("SimpleImputer", "strategy", "mean"),
            "add_indicator": ctx.pick("SimpleImputer", "add_indicator", False),
            "missing_values": np.nan if mv == "nan" else mv,
        }
        if kwargs["strategy"] == "constant":
            kwargs["fill_value"] = 0.5 if ctx.chance(0.5) else -1
        keep = ctx.pick("SimpleImputer", "keep_empty_features", False)
        if keep:
            kwargs["keep_empty_features"] = True
        steps.append(("impute", SimpleImputer(**kwargs)))
    if ctx.chance(0.35):
        func = ctx.pick("FunctionTransformer", "func", None)
        kwargs = {"func": None if func is None else _ufunc(func), "feature_names_out": "one-to-one"}
        if ctx.pick("FunctionTransformer", "validate", False):
            kwargs["validate"] = True
        if func is not None and ctx.pick("FunctionTransformer", "inverse_func", None) == "inverse":
            kwargs["inverse_func"] = _inverse(func)
            kwargs["check_inverse"] = False
        if func is not None or ctx.chance(0.5):
            steps.append(("func", FunctionTransformer(**kwargs)))
    choice = ["standard", "minmax", "maxabs", "robust", "kbins", "none"][int(ctx.rng.integers(6))]
    if choice == "standard":
        steps.append(
            (
                "scale",
                StandardScaler(
                    with_mean=ctx.pick("StandardScaler", "with_mean", True),
                    with_std=ctx.pick("StandardScaler", "with_std", True),
                ),
            )
        )
    elif choice == "minmax":
        steps.append(
            (
                "scale",
                MinMaxScaler(
                    feature_range=ctx.pick("MinMaxScaler", "feature_range", (0, 1)),
                    clip=ctx.pick("MinMaxScaler", "clip", False),
                ),
            )
        )
    elif choice == "maxabs":
        clip = ctx.pick("MaxAbsScaler", "clip", False)
        steps.append(("scale", MaxAbsScaler(clip=True) if clip else MaxAbsScaler()))
    elif choice == "robust":
        steps.append(
            (
                "scale",
                RobustScaler(
                    with_centering=ctx.pick("RobustScaler", "with_centering", True),
                    with_scaling=ctx.pick("RobustScaler", "with_scaling", True),
                    quantile_range=ctx.pick("RobustScaler", "quantile_range", (25.0, 75.0)),
                    unit_variance=ctx.pick("RobustScaler", "unit_variance", False),
                ),
            )
        )
    elif choice == "kbins":
        steps.append(("bins", KBinsDiscretizer(**kbins_kwargs(ctx))))
    sparse_bins = choice == "kbins" and steps[-1][1].encode == "onehot"  # the new steps take dense input here
    if choice == "kbins":
        steps += float32_after(ctx, steps[-1][1])
    if not sparse_bins and ctx.chance(0.5):
        steps += issue14_step(ctx, ctx.pick("Issue14", "step", "none"), len(cols))
    return steps or [("func", FunctionTransformer(feature_names_out="one-to-one"))]


def kbins_kwargs(ctx: Ctx, encodes: tuple[str, ...] | None = None) -> dict[str, Any]:
    """A KBinsDiscretizer's parameters drawn from the surface, valid for the release (``encodes``: the encodings
    allowed, the drawn one swapped for the first of them otherwise)."""
    import numpy as np

    kwargs: dict[str, Any] = {
        "n_bins": ctx.pick("KBinsDiscretizer", "n_bins", 5),
        "encode": ctx.pick("KBinsDiscretizer", "encode", "ordinal"),
        "strategy": ctx.pick("KBinsDiscretizer", "strategy", "quantile"),
    }
    if encodes is not None and kwargs["encode"] not in encodes:
        kwargs["encode"] = encodes[0]
    qm = ctx.pick("KBinsDiscretizer", "quantile_method", None)
    if qm is not None:
        kwargs["quantile_method"] = qm
    elif ctx.version >= (1, 7) and kwargs["strategy"] == "quantile":
        kwargs["quantile_method"] = "averaged_inverted_cdf"
    dtype = ctx.pick("KBinsDiscretizer", "dtype", None)
    if dtype:
        kwargs["dtype"] = np.float32
    sub = ctx.pick("KBinsDiscretizer", "subsample", "default")
    if sub != "default":
        kwargs["subsample"] = sub
    elif ctx.version < (1, 3):
        kwargs["subsample"] = None
    kwargs["random_state"] = 0
    return kwargs


# --------------------------------------------------------------------------------------------------------------
# Issue 14's transformers (surface rows with origin "issue14"); supervised ones are fitted with ctx.y
# --------------------------------------------------------------------------------------------------------------

CLASSIF_SCORES = ("f_classif", "chi2", "mutual_info_classif")
REGRESSION_SCORES = ("f_regression", "r_regression", "mutual_info_regression")


def _score_func(ctx: Ctx, transformer: str) -> Any:
    """A scoring function drawn from the surface, swapped for one that fits the task (f_classif on a continuous
    target would treat every value as a class)."""
    import sklearn.feature_selection as fs

    name = ctx.pick(transformer, "score_func", "f_classif")
    fits = REGRESSION_SCORES if ctx.task == "regression" else CLASSIF_SCORES
    if name not in fits:
        name = fits[0]
    return getattr(fs, name)


SFM_TREES = ("RandomForest", "ExtraTrees", "GradientBoosting", "DecisionTree", "ExtraTree", "AdaBoost")
SFM_CLASSIFIERS = ("LogisticRegression", "LinearSVC", "RidgeClassifier", "SGDClassifier") + SFM_TREES
SFM_REGRESSORS = ("LinearRegression", "Ridge", "Lasso", "ElasticNet", "LinearSVR", "SGDRegressor") + SFM_TREES


def _sfm_estimator(ctx: Ctx) -> Any:
    """SelectFromModel's estimator drawn from the surface, swapped for one that fits the task."""
    from sklearn import ensemble, linear_model, svm, tree

    name = ctx.pick("SelectFromModel", "estimator", "LogisticRegression")
    fits = SFM_REGRESSORS if ctx.task == "regression" else SFM_CLASSIFIERS
    if name not in fits:
        name = fits[0]
    if name in SFM_TREES:
        kind = "Regressor" if ctx.task == "regression" else "Classifier"
        cls = getattr(tree if name in ("DecisionTree", "ExtraTree") else ensemble, name + kind)
        kwargs = {"random_state": 0}
        if name != "AdaBoost":
            kwargs["max_depth"] = ctx.pick("SelectFromModel", "tree_max_depth", 3)
        if name in ("RandomForest", "ExtraTrees", "GradientBoosting", "AdaBoost"):
            kwargs["n_estimators"] = ctx.pick("SelectFromModel", "n_estimators", 5)
        return cls(**kwargs)
    module = svm if name.startswith("Linear") and name.endswith(("SVC", "SVR")) else linear_model
    kwargs: dict[str, Any] = (
        {"random_state": 0} if name in ("LinearSVC", "LinearSVR", "SGDClassifier", "SGDRegressor") else {}
    )
    if name in ("Lasso", "ElasticNet"):
        kwargs["alpha"] = 0.01  # the default 1.0 zeroes every coefficient of a small standardised frame
    if name == "LogisticRegression":
        kwargs["max_iter"] = 1000
    return getattr(module, name)(**kwargs)


def knn_imputer(ctx: Ctx) -> Any:
    """A KNNImputer (nan_euclidean) with its parameters drawn."""
    from sklearn.impute import KNNImputer

    return KNNImputer(
        n_neighbors=ctx.pick("KNNImputer", "n_neighbors", 5),
        weights=ctx.pick("KNNImputer", "weights", "uniform"),
        add_indicator=ctx.pick("KNNImputer", "add_indicator", False),
        keep_empty_features=ctx.pick("KNNImputer", "keep_empty_features", False),
    )


def issue14_step(ctx: Ctx, kind: str, width: int) -> list[tuple[str, Any]]:
    """``kind`` (one of surface.ISSUE14_STEPS) with its parameters drawn; ``width`` is the branch's input column
    count (a lower bound on what reaches the step), used to keep n_components fittable."""
    from sklearn import decomposition, feature_selection, preprocessing

    if kind == "Binarizer":
        return [("binarize", preprocessing.Binarizer(threshold=ctx.pick("Binarizer", "threshold", 0.0)))]
    if kind == "VarianceThreshold":
        return [("variance", feature_selection.VarianceThreshold(ctx.pick("VarianceThreshold", "threshold", 0.0)))]
    if kind == "SelectKBest":
        return [
            (
                "kbest",
                feature_selection.SelectKBest(_score_func(ctx, "SelectKBest"), k=ctx.pick("SelectKBest", "k", 10)),
            )
        ]
    if kind == "SelectPercentile":
        return [
            (
                "percentile",
                feature_selection.SelectPercentile(
                    _score_func(ctx, "SelectPercentile"), percentile=ctx.pick("SelectPercentile", "percentile", 10)
                ),
            )
        ]
    if kind == "SelectFromModel":
        import numpy as np

        threshold = ctx.pick("SelectFromModel", "threshold", None)
        norm_order = ctx.pick("SelectFromModel", "norm_order", 1)
        # prefit=True needs an estimator fitted on the step's input, which a drawn graph does not have yet: the
        # fixtures cover it (SelectFromModelTest, sfm-prefit)
        return [
            (
                "sfm",
                feature_selection.SelectFromModel(
                    _sfm_estimator(ctx),
                    threshold=-np.inf if threshold == "-inf" else threshold,
                    max_features=ctx.pick("SelectFromModel", "max_features", None),
                    norm_order={"inf": np.inf, "-inf": -np.inf}.get(norm_order, norm_order),
                ),
            )
        ]
    if kind == "PolynomialFeatures":
        return [
            (
                "poly",
                preprocessing.PolynomialFeatures(
                    degree=ctx.pick("PolynomialFeatures", "degree", 2),
                    interaction_only=ctx.pick("PolynomialFeatures", "interaction_only", False),
                    include_bias=ctx.pick("PolynomialFeatures", "include_bias", True),
                    order=ctx.pick("PolynomialFeatures", "order", "C"),
                ),
            )
        ]
    if kind == "SplineTransformer":
        kwargs: dict[str, Any] = {
            p: ctx.pick("SplineTransformer", p, d)
            for p, d in (
                ("n_knots", 5),
                ("degree", 3),
                ("knots", "uniform"),
                ("extrapolation", "constant"),
                ("include_bias", True),
            )
        }
        missing = ctx.pick("SplineTransformer", "handle_missing", "error")
        if missing != "error":
            kwargs["handle_missing"] = missing
        return [("spline", preprocessing.SplineTransformer(**kwargs))]
    if kind == "QuantileTransformer":
        sub = ctx.pick("QuantileTransformer", "subsample", 10_000)
        return [
            (
                "quantile",
                preprocessing.QuantileTransformer(  # n_quantiles <= subsample, or scikit-learn refuses
                    n_quantiles=min(ctx.pick("QuantileTransformer", "n_quantiles", 1000), sub),
                    output_distribution=ctx.pick("QuantileTransformer", "output_distribution", "uniform"),
                    subsample=sub,
                    random_state=0,
                ),
            )
        ]
    if kind == "PowerTransformer":
        method = ctx.pick("PowerTransformer", "method", "yeo-johnson")
        power = (
            "power",
            preprocessing.PowerTransformer(
                method=method, standardize=ctx.pick("PowerTransformer", "standardize", True)
            ),
        )
        # box-cox needs x > 0 at fit: shift the training range to [1, 2]; fresh rows below it are refused per row
        return (
            [("positive", preprocessing.MinMaxScaler(feature_range=(1, 2))), power] if method == "box-cox" else [power]
        )
    if kind == "Normalizer":
        return [("normalize", preprocessing.Normalizer(norm=ctx.pick("Normalizer", "norm", "l2")))]
    if kind == "PCA":
        n = ctx.pick("PCA", "n_components", None)
        n = None if isinstance(n, int) and n > width else n
        return [("pca", decomposition.PCA(n_components=n, whiten=ctx.pick("PCA", "whiten", False), random_state=0))]
    if kind == "TruncatedSVD":
        if width < 2:  # scikit-learn needs two features
            return []
        n = min(ctx.pick("TruncatedSVD", "n_components", 2), width)
        return [("svd", decomposition.TruncatedSVD(n_components=n, random_state=0))]
    return []


def issue14_encoder(ctx: Ctx) -> Any:
    """A TargetEncoder (scikit-learn 1.3+; a multiclass target from 1.4) with its parameters drawn, else None."""
    if ctx.pick("Issue14", "encoder", "onehot_or_ordinal") != "TargetEncoder":
        return None
    if ctx.task == "multiclass" and ctx.version < (1, 4):
        return None
    from sklearn.preprocessing import TargetEncoder

    kwargs: dict[str, Any] = {
        "smooth": ctx.pick("TargetEncoder", "smooth", "auto"),
        "cv": ctx.pick("TargetEncoder", "cv", 5),
        "shuffle": True,
        "random_state": 0,
    }
    if ctx.pick("TargetEncoder", "target_type", "auto") == "explicit":
        kwargs["target_type"] = {"binary": "binary", "multiclass": "multiclass", "regression": "continuous"}[ctx.task]
    return TargetEncoder(**kwargs)


def float32_step(ctx: Ctx, kind: str, post: bool = False) -> list[tuple[str, Any]]:
    """``kind`` (one of surface.FLOAT32_AFTER / FLOAT32_ENCODERS): a step that scikit-learn computes in float32 on a
    float32 input; ``post``: after a whole ColumnTransformer (see float32_encoder)."""
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import (
        Binarizer,
        FunctionTransformer,
        MaxAbsScaler,
        MinMaxScaler,
        RobustScaler,
        StandardScaler,
    )

    if kind == "StandardScaler":
        return [("f32scale", StandardScaler(with_mean=ctx.pick("StandardScaler", "with_mean", True)))]
    if kind == "MinMaxScaler":
        return [
            (
                "f32scale",
                MinMaxScaler(
                    feature_range=ctx.pick("MinMaxScaler", "feature_range", (0, 1)),
                    clip=ctx.pick("MinMaxScaler", "clip", False),
                ),
            )
        ]
    if kind == "MaxAbsScaler":
        return [("f32scale", MaxAbsScaler())]
    if kind == "RobustScaler":
        return [("f32scale", RobustScaler(quantile_range=ctx.pick("RobustScaler", "quantile_range", (25.0, 75.0))))]
    if kind == "FunctionTransformer":
        return [
            (
                "f32func",
                FunctionTransformer(_ufunc(ctx.pick("Float32", "func", "log1p")), feature_names_out="one-to-one"),
            )
        ]
    if kind == "SimpleImputer":
        return [
            (
                "f32impute",
                SimpleImputer(
                    strategy=ctx.pick("SimpleImputer", "strategy", "mean"), fill_value=0.1, keep_empty_features=True
                ),
            )
        ]
    if kind == "Binarizer":
        return [("f32binarize", Binarizer(threshold=0.1))]
    return float32_encoder(ctx, kind, post)


def float32_encoder(ctx: Ctx, kind: str, post: bool = False) -> list[tuple[str, Any]]:
    """``kind`` (one of surface.FLOAT32_ENCODERS or TargetEncoder) fitted on a float32 input: its categories / bin
    edges are float32 values (codes, or what a float32 ColumnTransformer passes on). Dense output, so that a step
    after it (issue 14's) takes it as it takes any. ``post``: after a whole ColumnTransformer, whose continuous
    columns (and a TargetEncoder's, whose transform differs from its cross-fitted fit_transform) make every value
    unknown: the encoders there take unknown values (ignore / use_encoded_value), or scikit-learn refuses the graph."""
    import numpy as np
    from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder, OrdinalEncoder

    if kind == "OneHotEncoder":
        kwargs: dict[str, Any] = {
            "handle_unknown": ctx.pick("OneHotEncoder", "handle_unknown", "error"),
            "drop": ctx.pick("OneHotEncoder", "drop", None),
            "min_frequency": ctx.pick("OneHotEncoder", "min_frequency", None),
            "max_categories": ctx.pick("OneHotEncoder", "max_categories", None),
            "sparse_output": False,
        }
        if post and kwargs["handle_unknown"] == "error":
            kwargs["handle_unknown"] = "ignore"
        if kwargs["drop"] == "explicit":  # the categories are not known before the fit
            kwargs["drop"] = "first"
        dtype = ctx.pick("OneHotEncoder", "dtype", "float64")
        kwargs["dtype"] = {"float64": np.float64, "float32": np.float32, "int64": np.int64}[dtype]
        return [("f32onehot", OneHotEncoder(**kwargs))]
    if kind == "OrdinalEncoder":
        kwargs = {"handle_unknown": ctx.pick("OrdinalEncoder", "handle_unknown", "error")}
        if post:
            kwargs["handle_unknown"] = "use_encoded_value"
        if kwargs["handle_unknown"] == "use_encoded_value":
            kwargs["unknown_value"] = -1 if ctx.chance(0.5) else np.nan
        emv = ctx.pick("OrdinalEncoder", "encoded_missing_value", None)
        if emv is not None:
            kwargs["encoded_missing_value"] = emv
        for p in ("min_frequency", "max_categories"):
            v = ctx.pick("OrdinalEncoder", p, None)
            if v is not None:
                kwargs[p] = v
        if ctx.pick("OrdinalEncoder", "dtype", "float64") == "float32":
            kwargs["dtype"] = np.float32
        return [("f32ordinal", OrdinalEncoder(**kwargs))]
    if kind == "KBinsDiscretizer":
        return [("f32bins", KBinsDiscretizer(**kbins_kwargs(ctx, ("ordinal", "onehot-dense"))))]
    if kind == "TargetEncoder":
        if ctx.version < (1, 3) or (ctx.task == "multiclass" and ctx.version < (1, 4)):
            return []
        from sklearn.preprocessing import TargetEncoder

        kwargs = {
            "smooth": ctx.pick("TargetEncoder", "smooth", "auto"),
            "cv": ctx.pick("TargetEncoder", "cv", 5),
            "shuffle": True,
            "random_state": 0,
        }
        if ctx.pick("TargetEncoder", "target_type", "auto") == "explicit":
            kwargs["target_type"] = {"binary": "binary", "multiclass": "multiclass", "regression": "continuous"}[
                ctx.task
            ]
        return [("f32target", TargetEncoder(**kwargs))]
    return []


def float32_after(ctx: Ctx, est: Any) -> list[tuple[str, Any]]:
    """After a dense float32 encoder / KBinsDiscretizer, sometimes a step scikit-learn then computes in float32."""
    import numpy as np

    if (
        getattr(est, "dtype", None) is not np.float32
        or getattr(est, "sparse_output", False)
        or getattr(est, "sparse", False) is True
        or getattr(est, "encode", "ordinal") == "onehot"
    ):
        return []
    return float32_step(ctx, ctx.pick("Float32", "after", "none"))


def issue14_post(ctx: Ctx, pre: Any) -> Any:
    """Sometimes the whole ColumnTransformer followed by a new step, ``Pipeline([("ct", pre), ("post", step)])``
    (dense: the ColumnTransformer's sparse_threshold set to 0)."""
    from sklearn.pipeline import Pipeline

    if not ctx.chance(0.3):
        return pre
    from sklearn.impute import SimpleImputer

    kind = ctx.pick("Issue14", "post", "none")
    if kind == "KNNImputer":  # imputes what the ColumnTransformer passes through itself
        pre.set_params(sparse_threshold=0.0)
        return Pipeline([("ct", pre), ("knn", knn_imputer(ctx))])
    steps = float32_step(ctx, ctx.pick("Float32", "post", "none"), post=True) + issue14_step(ctx, kind, 2)
    if not steps:
        return pre
    pre.set_params(sparse_threshold=0.0)
    # NaN the ColumnTransformer passes through would make most steps refuse the fit: impute it first
    impute = [] if kind == "VarianceThreshold" else [("impute", SimpleImputer(keep_empty_features=True))]
    return Pipeline([("ct", pre)] + impute + steps)


def target(rng: Any, task: str, n: int) -> Any:
    """The training target of ``task``: 0/1, three string classes or a float (every class present)."""
    import numpy as np

    if task == "regression":
        return rng.standard_normal(n) * 3.0 + 1.0
    labels = [0, 1] if task == "binary" else ["a", "b", "c"]
    y = [labels[int(k)] for k in rng.integers(len(labels), size=n)]
    y[: len(labels)] = labels
    return np.array(y, dtype=object if task == "multiclass" else np.int64)


def categorical_step(ctx: Ctx, train: Any, cols: list[str]) -> list[tuple[str, Any]]:
    """[imputer] then OneHotEncoder or OrdinalEncoder."""
    import numpy as np
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

    steps: list[tuple[str, Any]] = []
    is_str = all(train[c].notna().any() and all(isinstance(v, str) for v in train[c].dropna()) for c in cols)
    if is_str and ctx.chance(0.3):
        mv = ctx.pick("SimpleImputer", "missing_values", "nan")
        mv = {"nan": np.nan, "": "", None: None}.get(mv, np.nan) if mv != -1 else np.nan
        if train[cols].isna().any().any():
            mv = np.nan  # scikit-learn refuses NaN in a column whose missing_values is something else
        strategy = "most_frequent" if ctx.chance(0.5) else "constant"
        kwargs = {"strategy": strategy, "missing_values": mv}
        if strategy == "constant":
            kwargs["fill_value"] = "missing"
        steps.append(("impute", SimpleImputer(**kwargs)))
    explicit = None
    if is_str:

        def cats(c: str) -> list[Any]:
            vals = sorted({v for v in train[c] if isinstance(v, str)} | ({"missing"} if steps else set()))
            return vals + (["zz_extra"] if ctx.chance(0.5) else [])

        explicit = [cats(c) for c in cols]
    target_encoder = issue14_encoder(ctx)
    if target_encoder is not None:
        steps.append(("target", target_encoder))
    elif ctx.chance(0.6):
        kwargs = {
            "handle_unknown": ctx.pick("OneHotEncoder", "handle_unknown", "error"),
            "drop": ctx.pick("OneHotEncoder", "drop", None),
            "min_frequency": ctx.pick("OneHotEncoder", "min_frequency", None),
            "max_categories": ctx.pick("OneHotEncoder", "max_categories", None),
        }
        if ctx.pick("OneHotEncoder", "categories", "auto") == "explicit" and explicit and not steps == []:
            kwargs["categories"] = explicit
        if kwargs["drop"] == "explicit":
            kwargs["drop"] = (
                [str(train[c].dropna().mode().iloc[0]) if train[c].notna().any() else "first" for c in cols]
                if is_str
                else "first"
            )
            if "first" in kwargs["drop"]:
                kwargs["drop"] = "first"
        sparse = ctx.pick("OneHotEncoder", "sparse_output", False) and not ctx.pandas
        kwargs["sparse_output" if ctx.version >= (1, 2) else "sparse"] = sparse
        dtype = ctx.pick("OneHotEncoder", "dtype", "float64")
        kwargs["dtype"] = {"float64": np.float64, "float32": np.float32, "int64": np.int64}[dtype]
        if ctx.pick("OneHotEncoder", "feature_name_combiner", None) == "concat":
            kwargs["feature_name_combiner"] = "concat"
        steps.append(("onehot", OneHotEncoder(**kwargs)))
        steps += float32_after(ctx, steps[-1][1])
    else:
        kwargs = {"handle_unknown": ctx.pick("OrdinalEncoder", "handle_unknown", "error")}
        if kwargs["handle_unknown"] == "use_encoded_value":
            kwargs["unknown_value"] = -1 if ctx.chance(0.5) else np.nan
        emv = ctx.pick("OrdinalEncoder", "encoded_missing_value", None)
        if emv is not None:
            kwargs["encoded_missing_value"] = emv
        for p in ("min_frequency", "max_categories"):
            v = ctx.pick("OrdinalEncoder", p, None)
            if v is not None:
                kwargs[p] = v
        if ctx.pick("OrdinalEncoder", "dtype", "float64") == "float32":
            kwargs["dtype"] = np.float32
        if ctx.pick("OrdinalEncoder", "categories", None) == "explicit" and explicit and steps:
            kwargs["categories"] = explicit
        steps.append(("ordinal", OrdinalEncoder(**kwargs)))
        steps += float32_after(ctx, steps[-1][1])
    return steps


def _selector(ctx: Ctx, names_in: list[str], cols: list[str]) -> Any:
    """The branch's column spec in a form drawn from the surface (names, mask, index, slice, int array)."""
    import numpy as np

    form = ctx.pick("ColumnTransformer", "columns", "names")
    idx = [names_in.index(c) for c in cols]
    if form == "mask":
        return [n in cols for n in names_in]
    if form == "index":
        return idx
    if form == "int_array":
        return np.array(idx)
    if form == "slice" and idx == list(range(idx[0], idx[-1] + 1)):
        return slice(idx[0], idx[-1] + 1)
    return list(cols)


def branch(ctx: Ctx, train: Any, specs: list[dict[str, Any]], cols: list[str], depth: int) -> Any:
    from sklearn.pipeline import Pipeline

    kinds = {s["name"]: s["kind"] for s in specs}
    categorical = all(kinds[c] in ("str", "bool", "boolnull") for c in cols) or (
        all(kinds[c] in ("int", "intnull", "bool") for c in cols) and ctx.chance(0.3)
    )
    if depth == 0 and len(cols) >= 2 and ctx.pick("ColumnTransformer", "nesting", False):
        return graph(ctx, train, specs, cols, depth + 1)
    steps = categorical_step(ctx, train, cols) if categorical else numeric_step(ctx, train, cols)
    n = min(len(steps), ctx.pick("Pipeline", "steps", 3))
    if len(steps) == 1 and ctx.chance(0.5):
        return steps[0][1]
    return Pipeline(steps[: max(n, len(steps))])


def graph(ctx: Ctx, train: Any, specs: list[dict[str, Any]], cols: list[str], depth: int = 0) -> Any:
    """A ColumnTransformer over ``cols``: branches of same-kind columns (a column may feed two branches)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import StandardScaler

    kinds = {s["name"]: s["kind"] for s in specs}
    groups: dict[str, list[str]] = {}
    for c in cols:
        key = "cat" if kinds[c] in ("str",) else ("bool" if kinds[c] in ("bool", "boolnull") else "num")
        groups.setdefault(key, []).append(c)
    transformers = []
    for key, members in groups.items():
        rng = ctx.rng
        take = [c for c in members if rng.random() < 0.8] or members[:1]
        if len(take) > 1 and ctx.chance(0.4):
            half = len(take) // 2
            parts = [take[:half], take[half:]]
        else:
            parts = [take]
        for k, part in enumerate(parts):
            transformers.append((f"{key}{k}", branch(ctx, train, specs, part, depth), _selector(ctx, cols, part)))
    if ctx.pick("ColumnTransformer", "shared_column", False) and cols:
        c = cols[int(ctx.rng.integers(len(cols)))]
        transformers.append(("again", branch(ctx, train, specs, [c], depth + 1), [c]))
    remainder = ctx.pick("ColumnTransformer", "remainder", "drop")
    used = set()
    for _, _, sel in transformers:
        used.update(_names_of(sel, cols))
    rest = [c for c in cols if c not in used]
    if remainder == "StandardScaler":
        remainder = StandardScaler() if rest and all(kinds[c] in ("float", "int", "bool") for c in rest) else "drop"
    if remainder == "passthrough" and any(kinds[c] == "str" for c in rest):
        remainder = "drop"
    kwargs: dict[str, Any] = {
        "remainder": remainder,
        "verbose_feature_names_out": ctx.pick("ColumnTransformer", "verbose_feature_names_out", True),
    }
    st = ctx.pick("ColumnTransformer", "sparse_threshold", 0.3)
    kwargs["sparse_threshold"] = st
    if ctx.pick("ColumnTransformer", "transformer_weights", None) == "random":
        kwargs["transformer_weights"] = {
            name: [0.5, 2.0, 3.0][int(ctx.rng.integers(3))] for name, _, _ in transformers if ctx.chance(0.7)
        }
    return ColumnTransformer(transformers, **kwargs)


def _names_of(sel: Any, cols: list[str]) -> list[str]:
    import numpy as np

    if isinstance(sel, slice):
        return cols[sel]
    sel = list(sel.tolist() if isinstance(sel, np.ndarray) else sel)
    if sel and isinstance(sel[0], (bool, np.bool_)):
        return [c for c, k in zip(cols, sel) if k]
    return [cols[s] if isinstance(s, (int, np.integer)) else s for s in sel]


# --------------------------------------------------------------------------------------------------------------
# Networks
# --------------------------------------------------------------------------------------------------------------


def network(rng: Any, width: int, out: int) -> Any:
    """A small random MLP: mostly a plain nn.Sequential, sometimes a module that is not one."""
    import torch
    from torch import nn

    torch.manual_seed(int(rng.integers(2**31)))
    hidden = int(rng.integers(2, 9))
    acts = [nn.ReLU(), nn.Tanh(), nn.GELU(), nn.Sigmoid(), nn.LeakyReLU(0.1)]
    act = acts[int(rng.integers(len(acts)))]
    if rng.random() < 0.1:
        return Residual(width, hidden, out)
    return nn.Sequential(nn.Linear(width, hidden), act, nn.Linear(hidden, out))


def _residual_class() -> Any:
    from torch import nn

    class Residual(nn.Module):
        """Not a plain nn.Sequential: the exporter must not write a state_dict Java cannot rebuild."""

        def __init__(self, width: int, hidden: int, out: int) -> None:
            super().__init__()
            self.a = nn.Linear(width, hidden)
            self.b = nn.Linear(hidden, out)
            self.skip = nn.Linear(width, out, bias=False)

        def forward(self, x: Any) -> Any:
            return self.b(self.a(x).relu()) + self.skip(x)

    return Residual


Residual: Any = None


# --------------------------------------------------------------------------------------------------------------
# One case
# --------------------------------------------------------------------------------------------------------------


def _version() -> tuple[int, int]:
    import sklearn

    major, minor = sklearn.__version__.split(".")[:2]
    return int(major), int(minor)


def _first_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    # A message whose first line ends in ':' says what in its next line
    head = " ".join(lines[:2]) if lines and lines[0].endswith(":") and len(lines) > 1 else (lines[0] if lines else "")
    return head[:400] or type(exc).__name__


def run_case(out: Path, seed: int, index: int, surface: str) -> dict[str, Any]:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    import tabscore_export as tx

    rng = np.random.default_rng([seed, index])
    case = out / f"case-{seed}-{index:05d}"
    case.mkdir(parents=True, exist_ok=True)
    (case / "python").mkdir(exist_ok=True)
    result: dict[str, Any] = {"case": case.name, "seed": seed, "index": index, "sklearn": _sklearn_version()}
    specs, train = train_frame(rng)
    ctx = Ctx(rng, _version(), surface)
    ctx.pandas = ctx.pick("*", "set_output", None) == "pandas"
    task = ["binary", "multiclass", "regression"][int(rng.integers(3))]
    ctx.task = task
    pre = issue14_post(ctx, graph(ctx, train, specs, list(train.columns)))
    if ctx.pandas:
        pre.set_output(transform="pandas")
    classes = {"binary": [0, 1], "multiclass": ["a", "b", "c"], "regression": None}[task]
    y = target(rng, task, len(train))
    result["task"] = task
    fit_frame = tx.sklearn_frame(train)
    if ctx.pick("Frame", "fit_keeps_none", False):
        for c in train.columns:
            if train[c].dtype == object:
                fit_frame[c] = train[c]  # None stays None (NaN stays NaN)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            pre.fit(fit_frame, y)  # supervised steps (selectors, TargetEncoder) use it; others ignore it
            width = tx.transform_features(pre, fit_frame).shape[1]
            named = len(pre.get_feature_names_out())
        if named != width:  # scikit-learn disagrees with itself (KNNImputer keep_empty_features over an empty column)
            raise ValueError(f"transform returns {width} columns but get_feature_names_out() names {named}")
    except Exception as exc:  # noqa: BLE001 - scikit-learn's own refusal, recorded
        result.update(status="sklearn_refused_fit", reason=_first_line(exc), trace=traceback.format_exc()[-1500:])
        (case / "graph.txt").write_text(repr(pre) + "\n" + "\n".join(ctx.drawn) + "\n")
        return result
    (case / "graph.txt").write_text(repr(pre) + "\n" + "\n".join(ctx.drawn) + "\n")
    global Residual
    Residual = Residual or _residual_class()
    net = network(rng, width, 3 if task == "multiclass" else 1)
    result["network"] = type(net).__name__
    t0 = time.time()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # onnx=False: the fuzzer compares preprocessors; an ONNX export per case (about 1-3 s) would eat its
            # time budget and change nothing it measures.
            manifest = tx.export_bundle(
                pre,
                net,
                train,
                case / "bundle",
                name="fuzz",
                version="1.0.0",
                task=task,
                classes=classes,
                overwrite=True,
                onnx=False,
            )
    except Exception as exc:  # noqa: BLE001 - every exporter failure is classified
        result.update(status="exporter_refused", reason=_first_line(exc), internal=not isinstance(exc, tx.BundleError))
        if result["internal"]:
            result["trace"] = traceback.format_exc()[-2000:]
        return result
    result["export_s"] = round(time.time() - t0, 2)
    contract = manifest["input"]["columns"]
    tx.write_parquet(tx.golden_input_table(train, contract), case / "train.parquet")
    fresh = fresh_frame(rng, specs, train)
    table = tx.golden_input_table(fresh, contract)
    tx.write_parquet(table, case / "input.parquet")
    frame = tx.read_golden_input(case / "input.parquet", contract)  # nulls fed as the training frame fed them
    features, refused, indicator_width = _transform_rows(pre, frame)
    ok_rows = [r for r in range(len(frame)) if r not in refused]
    # distinct column names (a name get_feature_names_out repeats is <name>__<k> from its 2nd occurrence), as Java's
    # bundle score --features writes them; compare.py matches features by position
    feature_names = tx.feature_columns(manifest["features"]["names"])
    if not ok_rows:  # scikit-learn refuses every fresh row
        features = np.zeros((0, len(feature_names)))
    fields = [pa.field("row", pa.int64())] + [pa.field(n, pa.float64()) for n in feature_names]
    arrays = [pa.array(ok_rows, type=pa.int64())] + [
        pa.array(features[:, j], type=pa.float64()) for j in range(features.shape[1])
    ]
    tx.write_parquet(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), case / "python" / "features.parquet")
    _write_envelope(case, pre, frame, ok_rows, feature_names, manifest["golden"]["feature_tolerance"])
    logits = (
        tx.forward_float32(net.eval(), features)
        if len(ok_rows)
        else np.zeros((0, 3 if task == "multiclass" else 1), dtype=np.float32)
    )
    cols = tx.model_columns(logits, task, classes)
    out_table = pd.DataFrame({"row": ok_rows, **{k: v for k, v in cols.items()}})
    tx.write_parquet(pa.Table.from_pandas(out_table, preserve_index=False), case / "python" / "outputs.parquet")
    result.update(
        status="exported",
        rows=len(frame),
        refused_rows={str(k): v for k, v in refused.items()},
        rows_1_2_indicator_width=indicator_width,
        ufunc_features=manifest["golden"]["feature_tolerance"].get("ufunc_features", []),
        feature_tolerance=manifest["golden"].get("feature_tolerance"),
        output_tolerance=manifest["golden"].get("output_tolerance"),
        output_columns=manifest["golden"]["output_columns"],
        has_layers=manifest["model"].get("layers") is not None,
    )
    return result


def _write_envelope(
    case: Path, pre: Any, frame: Any, ok_rows: list[int], names: list[str], tol: dict[str, Any]
) -> None:
    """python/envelope.parquet: per ufunc feature, scikit-learn's features with every inexact ufunc result moved
    ``ufunc_ulps`` ulps down and up and carried through the later steps (the manifest's contract, as golden replay
    checks it), so that compare.py judges fresh rows by the contract, not by ulps measured at the feature."""
    import pyarrow as pa

    import tabscore_export as tx

    ufuncs = [n for n in tol.get("ufunc_features", []) if n in names]
    ulps = tol.get("ufunc_ulps")
    if not ufuncs or not ulps or not ok_rows:
        return
    try:
        lo, hi = tx.ufunc_envelope(pre, frame.iloc[ok_rows], int(ulps))
    except Exception:  # the nudged graph refuses a row: no envelope, compare falls back to ulps
        return
    arrays, fields = [pa.array(ok_rows, type=pa.int64())], [pa.field("row", pa.int64())]
    for n in ufuncs:
        j = names.index(n)
        arrays += [pa.array(lo[:, j], type=pa.float64()), pa.array(hi[:, j], type=pa.float64())]
        fields += [pa.field("lo:" + n, pa.float64()), pa.field("hi:" + n, pa.float64())]
    tx.write_parquet(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), case / "python" / "envelope.parquet")


def _sklearn_version() -> str:
    import sklearn

    return sklearn.__version__


def _transform_rows(pre: Any, frame: Any) -> tuple[Any, dict[int, str], int]:
    """Features of the rows scikit-learn transforms, the message of every row it refuses, and how many of the scored
    rows, each alone, need KNNImputer's indicator fix of scikit-learn 1.3 (``_knn_indicator_as_1_3``)."""
    import tabscore_export as tx

    with _knn_indicator_as_1_3() as fixed:
        features, refused = tx.transform_rows(pre, frame)
        ok = [r for r in range(len(frame)) if r not in refused]
        alone = 0
        if fixed[0]:  # the fix changed some batch: count the scored rows that 1.2 alone gives the narrower width
            for r in ok:
                before = fixed[0]
                tx.transform_features(pre, frame.iloc[r : r + 1])
                alone += fixed[0] > before
    return features[ok], refused, alone


@contextlib.contextmanager
def _knn_indicator_as_1_3() -> Any:
    """On scikit-learn 1.2.x, KNNImputer(add_indicator=True) as 1.3 fixed it: 1.2 returns a batch without any missing
    value without its indicator columns, so a batch's width depends on its rows (a row alone then fails the next
    step, or its features have the wrong width). tabscore always returns the fitted width (indicator all zero), as
    1.3+ does; the reference is 1.2's own transform with 1.3's one-line fix (the indicator concatenated in that
    branch too). Yields a one-item list: how many transforms the fix changed. Later releases: nothing patched."""
    import numpy as np
    import sklearn
    from sklearn.impute import KNNImputer
    from sklearn.utils._set_output import _wrap_method_output

    fixed = [0]
    if _version_tuple(sklearn.__version__) >= (1, 3):
        yield fixed
        return
    wrapped = KNNImputer.__dict__["transform"]
    raw = getattr(wrapped, "__wrapped__", wrapped)  # 1.2 wraps transform for set_output; fix the raw method

    def transform(self: Any, X: Any) -> Any:
        out = raw(self, X)
        if self.add_indicator and out.shape[1] < len(self.get_feature_names_out()):
            # the 1.2 branch for a batch without missing values: the indicator was computed and left out
            # 1.2 fits and applies the indicator to the missing-value mask, here all False
            fixed[0] += 1
            mask = np.zeros((out.shape[0], self.n_features_in_), dtype=bool)
            return self._concatenate_indicator(out, self._transform_indicator(mask))
        return out

    KNNImputer.transform = _wrap_method_output(transform, "transform")
    try:
        yield fixed
    finally:
        KNNImputer.transform = wrapped


def _version_tuple(v: str) -> tuple[int, int]:
    return tuple(int(p) for p in v.split(".")[:2])  # type: ignore[return-value]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--surface", choices=("all", "readme", "issue12", "issue14", "float32"), default="all")
    p.add_argument("--deadline", type=float, default=0.0, help="unix time after which no new case starts")
    args = p.parse_args(argv)
    _check_environment()
    import torch

    torch.set_num_threads(1)
    args.out.mkdir(parents=True, exist_ok=True)
    for i in range(args.start, args.start + args.count):
        if args.deadline and time.time() > args.deadline:
            break
        try:
            res = run_case(args.out, args.seed, i, args.surface)
        except Exception as exc:  # noqa: BLE001 - a fuzzer bug must not stop the run; it is reported
            res = {
                "case": f"case-{args.seed}-{i:05d}",
                "status": "fuzzer_error",
                "reason": _first_line(exc),
                "trace": traceback.format_exc()[-3000:],
            }
        case = args.out / res["case"]
        case.mkdir(parents=True, exist_ok=True)
        (case / "python").mkdir(exist_ok=True)
        (case / "python" / "result.json").write_text(json.dumps(res, indent=1, default=str) + "\n")
        print(f"{res['case']}: {res['status']} {res.get('reason', '')[:120]}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
