"""The surface the differential fuzzer draws from, as data: one row per (transformer, parameter).

Every row lists the values drawn, the scikit-learn releases that have the parameter (``since`` /
``until``, inclusive, as tuples) and where it is promised: ``"readme"`` (README.md's coverage list) or
``"issue12"`` (issue 12's item 2, landing on the Java side now) or ``"issue14"`` (the transformers of issue 14,
drawn by ``cases.issue14_step`` / ``cases.issue14_encoder`` / ``cases.issue14_post``). ``enabled`` switches a row off
without deleting it (e.g. while the Java side of an option is not merged); ``--surface readme``
keeps only README rows; ``--surface float32`` keeps every row but narrows the draws of ``FLOAT32_FOCUS`` to float32
chains into an encoder. A parameter that is off (or absent from a release) keeps its default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

Version = tuple[int, int]


@dataclass(frozen=True)
class Option:
    transformer: str
    param: str
    values: tuple[Any, ...]
    since: Version = (1, 2)
    until: Version = (99, 0)
    origin: str = "readme"
    enabled: bool = True

    def applies(self, version: Version, surface: str) -> bool:
        if not self.enabled or not (self.since <= version <= self.until):
            return False
        return surface in ("all", "float32") or self.origin == surface


# Element-wise single-argument numpy ufuncs FunctionTransformer may carry (names resolved on np).
README_UFUNCS = ("log1p", "log", "sqrt", "exp", "abs")
ISSUE12_UFUNCS = (
    "expm1",
    "log2",
    "log10",
    "square",
    "negative",
    "reciprocal",
    "sign",
    "floor",
    "ceil",
    "rint",
    "tanh",
    "arcsinh",
    "cbrt",
    "absolute",
    "fabs",
    "sin",
    "cos",
    "arctan",
)

SURFACE: tuple[Option, ...] = (
    # ColumnTransformer
    Option("ColumnTransformer", "remainder", ("drop", "passthrough", "StandardScaler")),
    Option("ColumnTransformer", "verbose_feature_names_out", (True, False)),
    Option(
        "ColumnTransformer",
        "verbose_feature_names_out",
        ("{feature_name}__{transformer_name}",),
        since=(1, 6),
        origin="issue12",
    ),
    Option("ColumnTransformer", "columns", ("names", "mask", "index")),
    Option("ColumnTransformer", "columns", ("slice", "int_array", "single_name"), origin="issue12"),
    Option("ColumnTransformer", "sparse_threshold", (0.0, 0.3, 1.0), origin="issue12"),
    Option("ColumnTransformer", "transformer_weights", (None, "random"), origin="issue12"),
    Option("ColumnTransformer", "nesting", (False, True), origin="issue12"),
    Option("ColumnTransformer", "shared_column", (False, True), origin="issue12"),
    Option("*", "set_output", (None, "default", "pandas"), origin="issue12"),
    # Fit on the frame as pandas holds it (None kept in object columns: scikit-learn learns a None category)
    # rather than as tabscore reads Parquet (None -> NaN); fresh rows are always read the tabscore way.
    Option("Frame", "fit_keeps_none", (False, True), origin="issue12"),
    # Pipeline
    Option("Pipeline", "steps", (1, 2, 3)),
    # SimpleImputer
    Option("SimpleImputer", "strategy", ("mean", "median", "most_frequent", "constant")),
    Option("SimpleImputer", "add_indicator", (False, True)),
    Option("SimpleImputer", "missing_values", ("nan", -1, "", None), origin="issue12"),
    Option("SimpleImputer", "keep_empty_features", (False, True), origin="issue12"),
    Option("MissingIndicator", "features", ("missing-only", "all")),
    # Scalers
    Option("StandardScaler", "with_mean", (True, False)),
    Option("StandardScaler", "with_std", (True, False)),
    Option("MinMaxScaler", "feature_range", ((0, 1), (-1, 1), (-3.5, 7.25))),
    Option("MinMaxScaler", "clip", (False, True)),
    Option("MaxAbsScaler", "clip", (False, True), since=(1, 8), origin="issue12"),
    Option("RobustScaler", "with_centering", (True, False)),
    Option("RobustScaler", "with_scaling", (True, False)),
    Option("RobustScaler", "quantile_range", ((25.0, 75.0), (10.0, 90.0), (0.0, 100.0))),
    Option("RobustScaler", "unit_variance", (False, True), origin="issue12"),
    # OneHotEncoder
    Option("OneHotEncoder", "handle_unknown", ("error", "ignore", "infrequent_if_exist")),
    Option("OneHotEncoder", "drop", (None, "first", "if_binary")),
    Option("OneHotEncoder", "drop", ("explicit",), origin="issue12"),
    Option("OneHotEncoder", "min_frequency", (None, 2, 0.1)),
    Option("OneHotEncoder", "max_categories", (None, 2, 4)),
    Option("OneHotEncoder", "categories", ("auto",)),
    Option("OneHotEncoder", "categories", ("explicit",), origin="issue12"),
    Option("OneHotEncoder", "sparse_output", (False,)),
    Option("OneHotEncoder", "sparse_output", (True,), origin="issue12"),
    Option("OneHotEncoder", "dtype", ("float64", "float32", "int64"), origin="issue12"),
    Option("OneHotEncoder", "feature_name_combiner", ("concat",), since=(1, 3), origin="issue12"),
    # OrdinalEncoder
    Option("OrdinalEncoder", "handle_unknown", ("error", "use_encoded_value")),
    Option("OrdinalEncoder", "encoded_missing_value", (None, -2)),
    Option("OrdinalEncoder", "min_frequency", (None, 2), since=(1, 3), origin="issue12"),
    Option("OrdinalEncoder", "max_categories", (None, 3), since=(1, 3), origin="issue12"),
    Option("OrdinalEncoder", "dtype", ("float64", "float32"), origin="issue12"),
    Option("OrdinalEncoder", "categories", ("explicit",), origin="issue12"),
    # KBinsDiscretizer
    Option("KBinsDiscretizer", "strategy", ("uniform", "quantile", "kmeans")),
    Option("KBinsDiscretizer", "encode", ("ordinal", "onehot-dense")),
    Option("KBinsDiscretizer", "encode", ("onehot",), origin="issue12"),
    Option("KBinsDiscretizer", "n_bins", (2, 3, 5)),
    Option(
        "KBinsDiscretizer",
        "quantile_method",
        ("linear", "averaged_inverted_cdf", "inverted_cdf"),
        since=(1, 7),
        origin="issue12",
    ),
    Option("KBinsDiscretizer", "dtype", (None, "float32"), origin="issue12"),
    Option("KBinsDiscretizer", "subsample", (None, 200_000), since=(1, 3), origin="issue12"),
    # FunctionTransformer
    Option("FunctionTransformer", "func", (None,) + README_UFUNCS),
    Option("FunctionTransformer", "func", ISSUE12_UFUNCS, origin="issue12"),
    Option("FunctionTransformer", "validate", (False, True), origin="issue12"),
    Option("FunctionTransformer", "inverse_func", (None, "inverse"), origin="issue12"),
)

# Issue 14: the new transformers. Where a step goes: ``Issue14.step`` picks the transformer appended to a numeric chain
# (after its scaler), ``Issue14.encoder`` whether a categorical branch ends in a TargetEncoder, ``Issue14.post`` whether
# the whole ColumnTransformer is followed by a step (Pipeline([ct, step])). Supervised steps are fitted with the target.
ISSUE14_STEPS = (
    "none",
    "Binarizer",
    "VarianceThreshold",
    "SelectKBest",
    "SelectPercentile",
    "PolynomialFeatures",
    "SplineTransformer",
    "QuantileTransformer",
    "PowerTransformer",
    "Normalizer",
    "PCA",
    "TruncatedSVD",
    "SelectFromModel",
)
ISSUE14_SURFACE: tuple[Option, ...] = (
    Option("Issue14", "step", ISSUE14_STEPS, origin="issue14"),
    Option("Issue14", "encoder", ("onehot_or_ordinal", "TargetEncoder"), since=(1, 3), origin="issue14"),
    Option(
        "Issue14",
        "post",
        (
            "none",
            "none",
            "VarianceThreshold",
            "SelectKBest",
            "SelectPercentile",
            "Normalizer",
            "PCA",
            "TruncatedSVD",
            "PolynomialFeatures",
            "SelectFromModel",
            "KNNImputer",
        ),
        origin="issue14",
    ),
    # which imputer a numeric chain with missing values starts with (KNNImputer: issue 14)
    Option("Issue14", "imputer", ("SimpleImputer", "KNNImputer"), origin="issue14"),
    Option("Binarizer", "threshold", (0.0, 0.5, -1.0, 1e9), origin="issue14"),
    Option("VarianceThreshold", "threshold", (0.0, 0.1, 1.0), origin="issue14"),
    Option("SelectKBest", "k", (1, 2, "all", 100), origin="issue14"),
    Option(
        "SelectKBest",
        "score_func",
        ("f_classif", "chi2", "mutual_info_classif", "f_regression", "r_regression", "mutual_info_regression"),
        origin="issue14",
    ),
    Option("SelectPercentile", "percentile", (10, 50, 75, 100, 33.3), origin="issue14"),
    Option("SelectPercentile", "score_func", ("f_classif", "chi2", "f_regression"), origin="issue14"),
    Option("PolynomialFeatures", "degree", (2, 3, (1, 2), (2, 3), (0, 2)), origin="issue14"),
    Option("PolynomialFeatures", "interaction_only", (False, True), origin="issue14"),
    Option("PolynomialFeatures", "include_bias", (True, False), origin="issue14"),
    Option("PolynomialFeatures", "order", ("C", "F"), origin="issue14"),
    Option("SplineTransformer", "n_knots", (2, 3, 5), origin="issue14"),
    Option("SplineTransformer", "degree", (1, 2, 3), origin="issue14"),
    Option("SplineTransformer", "knots", ("uniform", "quantile"), origin="issue14"),
    Option(
        "SplineTransformer", "extrapolation", ("error", "constant", "linear", "continue", "periodic"), origin="issue14"
    ),
    Option("SplineTransformer", "include_bias", (True, False), origin="issue14"),
    Option("SplineTransformer", "handle_missing", ("error", "zeros"), since=(1, 8), origin="issue14"),
    Option("TargetEncoder", "smooth", ("auto", 5.0), since=(1, 3), origin="issue14"),
    Option("TargetEncoder", "cv", (5, 3), since=(1, 3), origin="issue14"),
    Option("TargetEncoder", "target_type", ("auto", "explicit"), since=(1, 3), origin="issue14"),
    Option("QuantileTransformer", "n_quantiles", (10, 100, 1000), origin="issue14"),
    Option("QuantileTransformer", "output_distribution", ("uniform", "normal"), origin="issue14"),
    Option("QuantileTransformer", "subsample", (10_000, 50), origin="issue14"),
    Option("PowerTransformer", "method", ("yeo-johnson", "box-cox"), origin="issue14"),
    Option("PowerTransformer", "standardize", (True, False), origin="issue14"),
    Option("Normalizer", "norm", ("l1", "l2", "max"), origin="issue14"),
    Option("PCA", "n_components", (None, 1, 2, 0.9), origin="issue14"),
    Option("PCA", "whiten", (False, True), origin="issue14"),
    Option("TruncatedSVD", "n_components", (1, 2), origin="issue14"),
    # the estimator is swapped for one that fits the task (cases._sfm_estimator): linear models (an SGD model's file
    # holds a Cython loss object in some releases, read from the closed list of losses) and tree models, whose
    # feature_importances_ tabscore computes from the stored trees
    Option(
        "SelectFromModel",
        "estimator",
        (
            "LogisticRegression",
            "LinearSVC",
            "RidgeClassifier",
            "SGDClassifier",
            "LinearRegression",
            "Ridge",
            "Lasso",
            "ElasticNet",
            "LinearSVR",
            "SGDRegressor",
            "RandomForest",
            "ExtraTrees",
            "GradientBoosting",
            "DecisionTree",
            "ExtraTree",
            "AdaBoost",
        ),
        origin="issue14",
    ),
    Option("SelectFromModel", "n_estimators", (3, 5, 12), origin="issue14"),
    Option("SelectFromModel", "tree_max_depth", (1, 3, None), origin="issue14"),
    Option(
        "SelectFromModel",
        "threshold",
        (None, "mean", "median", "1.25*mean", "0.5*median", 0.01, "-inf"),
        origin="issue14",
    ),
    Option("SelectFromModel", "max_features", (None, 1, 2, 100), origin="issue14"),
    Option("SelectFromModel", "norm_order", (1, 2, "inf", "-inf"), origin="issue14"),
    Option("KNNImputer", "n_neighbors", (1, 2, 5, 10, 1000), origin="issue14"),
    Option("KNNImputer", "weights", ("uniform", "distance"), origin="issue14"),
    Option("KNNImputer", "add_indicator", (False, True), origin="issue14"),
    # True with a column all missing at fit is refused (exit 19: scikit-learn's names and columns disagree)
    Option("KNNImputer", "keep_empty_features", (False, True), origin="issue14"),
)
# Issue 12's float32 chains: a step scikit-learn computes in float32 right after a float32 encoder / KBinsDiscretizer
# (``Float32.after``, drawn only where that step's dtype is float32), or after the whole ColumnTransformer's imputer
# (``Float32.post``, drawn with ``Issue14.post``: an all-float32 ColumnTransformer feeds it float32). The step drawn
# may itself be an encoder, a KBinsDiscretizer or a TargetEncoder (``FLOAT32_ENCODERS``, ``cases.float32_encoder``).
FLOAT32_AFTER = (
    "none",
    "StandardScaler",
    "MinMaxScaler",
    "MaxAbsScaler",
    "RobustScaler",
    "FunctionTransformer",
    "SimpleImputer",
    "Binarizer",
)
# The encoders, KBinsDiscretizer and TargetEncoder on a float32 input (branch f32enc): their categories / bin edges
# are fitted on the float32 codes. TargetEncoder exists from scikit-learn 1.3.
FLOAT32_ENCODERS = ("OneHotEncoder", "OrdinalEncoder", "KBinsDiscretizer")
FLOAT32_SURFACE: tuple[Option, ...] = (
    Option("Float32", "after", FLOAT32_AFTER, origin="issue12"),
    Option("Float32", "after", FLOAT32_ENCODERS, origin="issue12"),
    Option("Float32", "after", ("TargetEncoder",), since=(1, 3), origin="issue12"),
    Option("Float32", "post", FLOAT32_AFTER[:6], origin="issue12"),
    Option("Float32", "post", FLOAT32_ENCODERS, origin="issue12"),
    Option("Float32", "post", ("TargetEncoder",), since=(1, 3), origin="issue12"),
    Option(
        "Float32",
        "func",
        ("log1p", "exp", "sqrt", "tanh", "square", "arcsinh", "cbrt", "sin", "expm1", "deg2rad"),
        origin="issue12",
    ),
)
SURFACE = SURFACE + ISSUE14_SURFACE + FLOAT32_SURFACE

# ``--surface float32``: every row, except that these draws keep only the values listed (filtered by release like
# the rows themselves), so that most categorical branches (and drawn KBinsDiscretizers) output dense float32 and the
# step after them is an encoder, a KBinsDiscretizer or a TargetEncoder. With ``all`` about one graph in five draws
# such a chain (30 of 150 on 1.9.1), with ``float32`` four in five (120 of 150).
FLOAT32_FOCUS: dict[tuple[str, str], tuple[Any, ...]] = {
    ("OneHotEncoder", "dtype"): ("float32",),
    ("OneHotEncoder", "sparse_output"): (False,),
    ("OrdinalEncoder", "dtype"): ("float32",),
    ("KBinsDiscretizer", "dtype"): ("float32",),
    ("KBinsDiscretizer", "encode"): ("ordinal", "onehot-dense"),
    ("Float32", "after"): FLOAT32_ENCODERS + ("TargetEncoder",),
    ("Float32", "post"): FLOAT32_ENCODERS + ("TargetEncoder",),
}


def options_for(transformer: str, param: str, version: Version, surface: str) -> list[Any]:
    """Every value of ``transformer.param`` drawable under ``surface`` in scikit-learn ``version``."""
    out: list[Any] = []
    for o in SURFACE:
        if o.transformer == transformer and o.param == param and o.applies(version, surface):
            out.extend(v for v in o.values if v not in out)
    focus = FLOAT32_FOCUS.get((transformer, param)) if surface == "float32" else None
    return out if focus is None else [v for v in out if v in focus]


def pick(rng: Any, transformer: str, param: str, version: Version, surface: str, default: Any) -> Any:
    """A random value of the parameter, or ``default`` when no row applies."""
    values: Sequence[Any] = options_for(transformer, param, version, surface)
    if not values:
        return default
    return values[int(rng.integers(len(values)))]
