"""Generates the float32 fixtures (Float32FixtureTest): steps fed a float32 array.

An encoder or KBinsDiscretizer with dtype=np.float32 hands the next step a float32 array, directly in a Pipeline or
through a ColumnTransformer whose every branch is float32 (numpy array or set_output(transform="pandas")), and
scikit-learn then computes that step in float32. Each case is a real graph fitted by the running scikit-learn on a
training frame and written with skops; fresh rows (another seed, with unknown categories) are transformed by it.
A case directory holds (the format of ../graphs/make_graphs.py):

  preprocessor.skops   skops.io.dump of the fitted graph
  input.csv            the fresh rows (the graph's input columns)
  features.csv         scikit-learn's transform of those rows, header = get_feature_names_out(), repr() values
  case.json            {"expect": "ok", "dtype": "float32", "ufunc_ulps": 0 or k[, "approx_rel": r]}, or
                       {"expect": "refused", "exit": N, "message": "..."}; "numpy": the running numpy's version
                       (loaded with it, as a bundle manifest's versions.numpy; cases written before it had none);
                       "unknown_numpy": {"exit", "message"}, the refusal without a numpy version

ufunc_ulps > 0 marks a graph with an inexact ufunc (log1p, exp): its features are compared within the ufunc
contract (k float32 ulps at the ufunc, through the later steps), the rest bit for bit; approx_rel marks a graph
reproduced within that relative tolerance (PowerTransformer in float32: APPROX_REL32). Run with each release:

  python3 make_float32.py                                            # scikit-learn 1.9.1
  /work/venvs-difffuzz/sk-1.8.0/bin/python make_float32.py           # 1.8.0 (StandardScaler casts mean_/scale_)
  /work/venvs-difffuzz/sk-1.2.2/bin/python make_float32.py           # 1.2.2
  python3 make_float32.py NAME ...                                   # only those cases, the others kept
  /work/venvs-difffuzz/sk-1.4.2/bin/python make_float32.py NAME ...  # 1.4.2: the PCA / TruncatedSVD / Normalizer cases
  /work/venvs-difffuzz/sk-1.6.1/bin/python make_float32.py NAME ...  # 1.6.1 (numpy 2.2): Spline linear / periodic

SplineTransformer's linear / periodic extrapolations and SelectFromModel's scaled thresholds on float32 from 1.4
are written by 1.4.2 (numpy 1.26), 1.6.1 (numpy 2.2), 1.8.0 (numpy 2.3) and 1.9.1 (numpy 2.4): the names holding
spline_linear, spline_periodic or scaled (and pipe_ohe_percentile).

PCA / TruncatedSVD / Normalizer cases are reproduced within a tolerance ("approx_rel": APPROX_REL32); 1.4.2, the last
release that centres before projecting, writes only them (the names holding pca, svd or normalizer).
"""

import json
import os
import shutil
import sys
import zipfile

import numpy as np
import pandas as pd
import sklearn
import skops.io as sio
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.feature_selection import SelectFromModel, SelectKBest, SelectPercentile, VarianceThreshold, f_classif
from sklearn.impute import MissingIndicator, SimpleImputer
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    Binarizer,
    FunctionTransformer,
    KBinsDiscretizer,
    MaxAbsScaler,
    MinMaxScaler,
    Normalizer,
    OneHotEncoder,
    OrdinalEncoder,
    PolynomialFeatures,
    PowerTransformer,
    QuantileTransformer,
    RobustScaler,
    SplineTransformer,
    StandardScaler,
)

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = sklearn.__version__
SK = tuple(int(p) for p in VERSION.split(".")[:2])
F32 = np.float32
UFUNC_ULPS = 5  # Ufunc.CONTRACT_ULPS, counted in float32 ulps on a float32 input
APPROX_REL32 = 2.0**-16  # the exporter's tolerance for a step computed in float32 (tolerance.py)
APPROX32 = {"approx_rel": 2**-16}  # APPROX_REL32 (python/tabscore_export/tolerance.py): sgemm, float32 row sums


def frame(n, seed, fresh=False):
    """a, b floats (b with NaN); c (with NaN), e, g categories (fresh rows also hold unknown ones)."""
    rng = np.random.default_rng(seed)
    a = np.round(rng.normal(10, 3, n), 3)
    b = np.round(rng.normal(-2, 5, n), 2)
    b[rng.random(n) < 0.15] = np.nan
    cats = ["red", "green", "blue", "teal", "plum", "gold", "gray"]
    c = rng.choice(cats, n, p=[0.3, 0.2, 0.15, 0.1, 0.1, 0.1, 0.05]).astype(object)
    e = rng.choice(["x", "y", "z"], n, p=[0.5, 0.3, 0.2]).astype(object)
    g = rng.choice(cats[:5], n).astype(object)
    c[rng.random(n) < 0.1] = np.nan  # a NaN code: the imputers' work
    if fresh:
        c[rng.random(n) < 0.2] = "violet"
        e[rng.random(n) < 0.1] = "w"
        g[rng.random(n) < 0.1] = "navy"
    return pd.DataFrame({"a": a, "b": b, "c": c, "e": e, "g": g})


TRAIN = frame(97, 1)
FRESH = frame(40, 2, fresh=True)


def ohe32(**kw):
    key = "sparse_output" if SK >= (1, 2) else "sparse"
    return OneHotEncoder(dtype=F32, handle_unknown="ignore", **{key: False}, **kw)


def ord32(nan_unknown=True, unknown=-1):
    """Unknown categories become NaN codes (float32), for the imputer to fill, or ``unknown``."""
    return OrdinalEncoder(dtype=F32, handle_unknown="use_encoded_value",
                          unknown_value=np.nan if nan_unknown else unknown)


def kb32(encode="ordinal", n_bins=6):
    kw = {"quantile_method": "averaged_inverted_cdf"} if SK >= (1, 7) else {}
    return KBinsDiscretizer(n_bins=n_bins, encode=encode, strategy="quantile", dtype=F32, **kw)


def ct32(pandas=False, nan=True):
    """Every branch float32: the stacked array (or frame) is float32."""
    ct = ColumnTransformer([
        ("o", ord32(nan, 9), ["c", "e"] if nan else ["g", "e"]),
        ("k", kb32(), ["a"]),
        ("h", ohe32(), ["e"]),
    ])
    return ct.set_output(transform="pandas") if pandas else ct


def pipe(*steps):
    return Pipeline([(f"s{i}", s) for i, s in enumerate(steps)])


def ft(func):
    return FunctionTransformer(func, feature_names_out="one-to-one")


def refused(graph, cls):
    return graph, {"expect": "refused", "exit": 19,
                   "message": cls + ": on a float32 input is not supported"}


def cases():
    """name -> (graph, input columns, extra expectation)."""
    c = {}
    ce = ["c", "e"]  # c holds NaN: a NaN code
    ge = ["g", "e"]
    # a float32 step straight into the next, in a Pipeline
    c["pipe_ord_standard"] = (pipe(ord32(), StandardScaler()), ce)
    c["pipe_ohe_standard"] = (pipe(ohe32(), StandardScaler()), ge)
    c["pipe_ohe_standard_nomean"] = (pipe(ohe32(), StandardScaler(with_mean=False)), ge)
    c["pipe_kbins_minmax_clip"] = (pipe(kb32(), MinMaxScaler(feature_range=(0.1, 0.7), clip=True)),
                                   ["a"])
    c["pipe_ord_minmax"] = (pipe(ord32(False), MinMaxScaler(feature_range=(-0.3, 1.7))), ge)
    c["pipe_kbins_maxabs"] = (pipe(kb32("onehot-dense"), MaxAbsScaler()), ["a"])
    c["pipe_ord_standard_maxabs"] = (pipe(ord32(False), StandardScaler(), MaxAbsScaler()), ge)
    c["pipe_ord_robust"] = (pipe(ord32(False), RobustScaler(quantile_range=(10.0, 70.0))), ge)
    c["pipe_ord_imputer_mean"] = (pipe(ord32(), SimpleImputer(), StandardScaler()), ce)
    c["pipe_ord_imputer_median_indicator"] = (pipe(ord32(), SimpleImputer(strategy="median",
                                                                          add_indicator=True)), ce)
    c["pipe_ord_imputer_constant"] = (pipe(ord32(), SimpleImputer(strategy="constant", fill_value=0.1)),
                                      ce)
    c["pipe_ord_imputer_most_frequent"] = (pipe(ord32(), SimpleImputer(strategy="most_frequent"),
                                                MinMaxScaler()), ce)
    c["pipe_ord_missing_minus1"] = (pipe(ord32(False), SimpleImputer(missing_values=-1,
                                                                     strategy="mean")), ["e"])
    c["pipe_ord_indicator"] = (pipe(ord32(), MissingIndicator(error_on_new=False)), ce)
    c["pipe_ord_standard_binarizer"] = (pipe(ord32(False), StandardScaler(), Binarizer(threshold=0.1)),
                                        ge)
    c["pipe_ord_standard_exact_ufuncs"] = (pipe(ord32(False), StandardScaler(), ft(np.deg2rad),
                                                ft(np.square), ft(np.sqrt), ft(np.rad2deg)), ge)
    c["pipe_ord_log1p_standard"] = (pipe(ord32(False, 9), ft(np.log1p), StandardScaler()), ge,
                                    {"ufunc_ulps": UFUNC_ULPS})
    c["pipe_ord_standard_exp_minmax"] = (pipe(ord32(False), StandardScaler(), ft(np.exp),
                                              MinMaxScaler()), ge, {"ufunc_ulps": UFUNC_ULPS})
    c["pipe_ord_kbest"] = (pipe(ord32(False), SelectKBest(f_classif, k=1), StandardScaler()), ge)
    c["pipe_ord_variance_standard"] = (pipe(ord32(False), VarianceThreshold(0.1), StandardScaler()), ge)
    # through a ColumnTransformer whose every branch is float32
    c["ct_f32_standard"] = (pipe(ct32(nan=False), StandardScaler()), ["a", "c", "e", "g"])
    c["ct_f32_imputer_minmax"] = (pipe(ct32(), SimpleImputer(), MinMaxScaler()), ["a", "c", "e", "g"])
    c["ct_f32_robust_maxabs"] = (pipe(ct32(nan=False), RobustScaler(), MaxAbsScaler()), ["a", "c", "e", "g"])
    c["ct_f32_log1p_standard"] = (pipe(ct32(nan=False), ft(np.log1p), StandardScaler()), ["a", "c", "e", "g"],
                                  {"ufunc_ulps": UFUNC_ULPS})
    c["ct_f32_int8_standard"] = (pipe(ColumnTransformer([
        ("o", ord32(False), ["g"]),
        ("i", OrdinalEncoder(dtype=np.int8, handle_unknown="use_encoded_value", unknown_value=-1), ["e"]),
    ]), StandardScaler()), ["g", "e"])
    # mixed float32 / float64 branches stack to float64: computed in float64
    c["ct_mixed_standard"] = (pipe(ColumnTransformer([
        ("o", ord32(False), ["g"]), ("s", StandardScaler(), ["a"])]), StandardScaler()), ["a", "g"])
    # pandas output: each column keeps float32, check_array makes a float32 array again
    c["ct_pandas_f32_standard"] = (pipe(ct32(pandas=True, nan=False), StandardScaler()), ["a", "c", "e", "g"])
    c["ct_pandas_f32_imputer"] = (pipe(ct32(pandas=True), SimpleImputer(strategy="median"),
                                       RobustScaler()), ["a", "c", "e", "g"])
    c["ct_pandas_f32_exp_minmax"] = (pipe(ct32(pandas=True, nan=False), StandardScaler(), ft(np.exp),
                                          MinMaxScaler()), ["a", "c", "e", "g"], {"ufunc_ulps": UFUNC_ULPS})
    c["pipe_pandas_ord_standard"] = (pipe(ord32(False).set_output(transform="pandas"),
                                          StandardScaler().set_output(transform="pandas"),
                                          MinMaxScaler()), ge)
    # transformer_weights: a float32 branch times the weight rounded to float32, in float32; an int8 one in float64
    c["ct_f32_weighted_standard"] = (pipe(ColumnTransformer(
        [("o", ord32(False), ["g", "e"]), ("k", kb32(), ["a"]), ("i", OrdinalEncoder(dtype=np.int8, handle_unknown="use_encoded_value", unknown_value=-1), ["e"])],
        transformer_weights={"o": 0.3, "k": 1.7, "i": 0.1}), StandardScaler()), ["a", "e", "g"])
    c["ct_pandas_f32_weighted"] = (pipe(ColumnTransformer(
        [("o", ord32(False), ["g", "e"]), ("k", kb32(), ["a"])],
        transformer_weights={"o": 0.3, "k": 3}).set_output(transform="pandas"), MinMaxScaler()), ["a", "e", "g"])
    # PolynomialFeatures multiplies in float32: each product rounded once
    c["pipe_ord_standard_poly"] = (pipe(ord32(False), StandardScaler(), PolynomialFeatures(degree=3)), ge)
    c["ct_f32_poly_interaction"] = (pipe(ct32(nan=False), MinMaxScaler(),
                                         PolynomialFeatures(degree=(2, 3), interaction_only=True,
                                                            include_bias=False)), ["a", "c", "e", "g"])
    # SelectFromModel over a 2-d float32 coef_ (RidgeClassifier keeps float32 in every release, LogisticRegression's
    # lbfgs from 1.5 or so): np.linalg.norm(coef_, axis=0, ord) in float32, then the float32 threshold
    three = {"classes3": True}
    c["pipe_ohe_sfm_ridge3_l1"] = (pipe(ohe32(), SelectFromModel(RidgeClassifier(), norm_order=1)), ["c", "g"], three)
    c["pipe_ohe_sfm_ridge3_l2_median"] = (pipe(ohe32(), SelectFromModel(RidgeClassifier(alpha=0.3), norm_order=2,
                                                                          threshold="median")), ["c", "g"], three)
    c["pipe_ohe_sfm_ridge3_inf"] = (pipe(ohe32(), SelectFromModel(RidgeClassifier(), norm_order=np.inf,
                                                                    threshold=0.05)), ["c", "g"], three)
    c["pipe_ohe_sfm_ridge2_l2"] = (pipe(ohe32(), SelectFromModel(RidgeClassifier(), norm_order=2)), ["c", "g"])
    c["ct_f32_sfm_logistic3_l2"] = (pipe(ct32(nan=False), StandardScaler(),
                                         SelectFromModel(LogisticRegression(max_iter=2000), norm_order=2)),
                                    ["a", "c", "e", "g"], three)
    c["ct_f32_sfm_logistic2_l1"] = (pipe(ct32(nan=False), SelectFromModel(LogisticRegression(max_iter=2000),
                                                                          norm_order=1, threshold="mean")),
                                    ["a", "c", "e", "g"])
    # "s*median" / "s*mean": numpy 1.x scales the float32 reference in float64, numpy 2 in float32; from 1.4 scored
    # by the numpy that ran (case.json "numpy"), refused without it
    c["pipe_ohe_sfm_ridge3_l2_scaled_median"] = numpy_dependent(
        pipe(ohe32(), SelectFromModel(RidgeClassifier(alpha=0.3), norm_order=2, threshold="1.1*median")),
        ["c", "g"], "SelectFromModel: threshold='1.1*median' on a float32 coef_", three)
    c["pipe_ohe_sfm_ridge2_scaled_mean"] = numpy_dependent(
        pipe(ohe32(), SelectFromModel(RidgeClassifier(), threshold="0.9*mean")),
        ["c", "g"], "SelectFromModel: threshold='0.9*mean' on a float32 coef_")
    # SelectPercentile on a float32 scores_ (f_classif on float32 input in older releases): np.percentile by the numpy
    # that ran when known
    c["pipe_ohe_percentile"] = (pipe(ohe32(), SelectPercentile(f_classif, percentile=37)), ["c", "g"])
    # QuantileTransformer (bit for bit) and PowerTransformer (within APPROX_REL32) in float32
    c.update(quantile_power_cases())
    # PCA, TruncatedSVD (sgemm) and Normalizer l1 / l2 (float32 row sums) computed in float32: within APPROX_REL32;
    # Normalizer max is exact
    acge = ["a", "c", "e", "g"]
    c["pipe_ohe_normalizer"] = (pipe(ohe32(), Normalizer()), ge, APPROX32)
    c["pipe_ohe_normalizer_l1"] = (pipe(ohe32(), Normalizer("l1")), ge, APPROX32)
    c["pipe_ord_standard_normalizer_l2"] = (pipe(ord32(False), StandardScaler(), Normalizer()), ge, APPROX32)
    c["pipe_ohe_standard_normalizer_l1"] = (pipe(ohe32(), StandardScaler(), Normalizer("l1")), ge, APPROX32)
    c["pipe_ord_standard_normalizer_max"] = (pipe(ord32(False), StandardScaler(), Normalizer("max")), ge)
    c["ct_f32_standard_normalizer_l1"] = (pipe(ct32(nan=False), StandardScaler(), Normalizer("l1")), acge, APPROX32)
    c["ct_pandas_f32_standard_normalizer_l2"] = (pipe(ct32(pandas=True, nan=False), StandardScaler(), Normalizer()),
                                                 acge, APPROX32)
    c["ct_pandas_f32_normalizer_max"] = (pipe(ct32(pandas=True, nan=False), Normalizer("max")), acge)
    c["pipe_ord_pca1"] = (pipe(ord32(False), PCA(n_components=1)), ge, APPROX32)
    c["pipe_ord_standard_pca2_whiten"] = (pipe(ord32(False), StandardScaler(), PCA(n_components=2, whiten=True)), ge,
                                          APPROX32)
    c["pipe_ohe_pca3"] = (pipe(ohe32(), PCA(n_components=3)), ge, APPROX32)
    c["pipe_ohe_standard_pca3_whiten"] = (pipe(ohe32(), StandardScaler(), PCA(n_components=3, whiten=True)), ge,
                                          APPROX32)
    c["ct_f32_pca"] = (pipe(ct32(nan=False), PCA(n_components=2)), acge, APPROX32)
    c["ct_f32_standard_pca3_whiten"] = (pipe(ct32(nan=False), StandardScaler(), PCA(n_components=3, whiten=True)),
                                        acge, APPROX32)
    c["ct_pandas_f32_pca2_whiten"] = (pipe(ct32(pandas=True, nan=False), PCA(n_components=2, whiten=True)), acge,
                                      APPROX32)
    # a one-hot column of a category seen only in fresh rows: explained_variance_ exactly 0, so whitening divides by
    # float32's eps (2^-23) from 1.5 (8388608 on those rows), by 0 before (inf, and NaN elsewhere)
    c["ct_f32_pca3_whiten_deficient"] = (pipe(ColumnTransformer([("o", ord32(False), ge),
                                                                 ("w", ohe32(categories=[["w"]]), ["e"])]),
                                              PCA(n_components=3, whiten=True)), ge, APPROX32)
    c["pipe_ohe_svd"] = (pipe(ohe32(), TruncatedSVD(n_components=3, random_state=0)), ge, APPROX32)
    c["pipe_ord_standard_svd1"] = (pipe(ord32(False), StandardScaler(), TruncatedSVD(n_components=1, random_state=0)),
                                   ge, APPROX32)
    c["ct_f32_svd"] = (pipe(ct32(nan=False), TruncatedSVD(n_components=2, random_state=0)), acge, APPROX32)
    c["ct_pandas_f32_svd"] = (pipe(ct32(pandas=True, nan=False), TruncatedSVD(n_components=2, random_state=0)), acge,
                              APPROX32)
    # SplineTransformer: float64 splines of the float32 values stored into a float32 XBS; the extrapolations with
    # numpy 1.x's value-based casting (float32) up to 1.3; from 1.4 by the numpy that ran (refused if not known)
    c.update(spline_cases())
    c.update(encoder_cases())
    return c


def ohe(**kw):
    """A dense float64 OneHotEncoder (the dense matrix is what is compared)."""
    key = "sparse_output" if SK >= (1, 2) else "sparse"
    kw.setdefault("handle_unknown", "ignore")
    return OneHotEncoder(**{key: False}, **kw)


def kb(n_bins=3, strategy="uniform", encode="ordinal", **kw):
    if strategy == "quantile" and SK >= (1, 7):
        kw["quantile_method"] = "averaged_inverted_cdf"
    if strategy == "kmeans":
        kw["random_state"] = 0
    return KBinsDiscretizer(n_bins=n_bins, strategy=strategy, encode=encode, **kw)


def encoder_cases():
    """Encoders, KBinsDiscretizer and TargetEncoder on a float32 input: float32 categories_ / bin_edges_ compared with
    the float32 values exactly (NaN codes, unknown codes, -0.0, fractional and huge or tiny float32 categories, values
    on the bin edges), bit for bit."""
    c = {}
    ge = ["g", "e"]
    ce = ["c", "e"]
    acge = ["a", "c", "e", "g"]
    # a float32 OrdinalEncoder's codes (NaN for NaN and unknown) one-hot encoded: a NaN category
    c["pipe_ord_ohe_nan"] = (pipe(ord32(), ohe()), ce)
    c["pipe_ord_ohe32_drop_first"] = (pipe(ord32(False, 9), ohe(dtype=F32, drop="first")), ge)
    c["pipe_ord9_ohe_infrequent"] = (pipe(ord32(False, 9), ohe(min_frequency=15, handle_unknown="infrequent_if_exist")),
                                     ge)
    c["pipe_ord_ordinal"] = (pipe(ord32(), OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-7)), ce)
    c["pipe_ord_ordinal_missing"] = (pipe(ord32(), OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-7,
                                                                  encoded_missing_value=-3)), ce)
    # fractional float32 categories: named as numpy names a float32 scalar (0.1, not 0.10000000149011612)
    c["pipe_ord_standard_ohe"] = (pipe(ord32(False), StandardScaler(), ohe()), ge)
    c["pipe_ord_standard_ohe_infrequent"] = (pipe(ord32(False), StandardScaler(),
                                                  ohe(max_categories=3, handle_unknown="infrequent_if_exist")), ge)
    c["pipe_ord_minmax_tiny_ohe"] = (pipe(ord32(False), MinMaxScaler(feature_range=(1e-7, 3e-5)), ohe()), ge)
    # given categories are cast to the float32 input's dtype: 0.1 is float32(0.1), which the MinMaxScaler's code 0 is
    given = [[0.1, 0.3, 0.5, 0.7, 0.9], [0.1, 0.3, 0.5, 0.9]]
    c["pipe_ord_minmax_ohe_given_categories"] = (pipe(ord32(False), MinMaxScaler((0.1, 0.9)), ohe(categories=given)), ge)
    c["pipe_ord_minmax_ordinal_given_categories"] = (
        pipe(ord32(False), MinMaxScaler((0.1, 0.9)),
             OrdinalEncoder(categories=given, handle_unknown="use_encoded_value", unknown_value=-1)), ge)
    # -0.0 categories (np.negative of the code 0)
    c["pipe_ord_negative_ohe"] = (pipe(ord32(False), ft(np.negative), ohe()), ge)
    c["pipe_ord_negative_ordinal"] = (pipe(ord32(False), ft(np.negative),
                                           OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)), ge)
    # huge float32 categories: numpy up to 2.2 names 15000000.0, from 2.3 1.5e+07 (by the manifest's numpy from 1.4)
    huge = pipe(ord32(False, 9), MinMaxScaler(feature_range=(3e6, 3e7)), ohe())
    c["pipe_ord_minmax_huge_ohe"] = numpy_dependent(huge, ge, "OneHotEncoder: categories_[0] holds the float32")
    c["pipe_ord_minmax_huger_ohe"] = (pipe(ord32(False, 9), MinMaxScaler(feature_range=(1e17, 3e20)), ohe()), ge)
    # KBinsDiscretizer codes into an encoder, and an encoder's output discretized
    c["pipe_kbins_ohe"] = (pipe(kb32(), ohe()), ["a"])
    c["pipe_kbins_ordinal"] = (pipe(kb32(n_bins=9), OrdinalEncoder()), ["a"])
    c["pipe_kbins_kbins_uniform"] = (pipe(kb32(), kb(3)), ["a"])
    c["pipe_ohe_kbins"] = (pipe(ohe32(), kb(2, encode="onehot-dense")), ge)
    # fractional float32 values on the edges (quantile edges are training values, fresh codes repeat them)
    c["pipe_ord_standard_kbins_uniform"] = (pipe(ord32(False, 9), StandardScaler(), kb(4)), ge)
    c["pipe_ord_standard_kbins_quantile"] = (pipe(ord32(False, 9), StandardScaler(), kb(4, "quantile")), ge)
    c["pipe_ord_standard_kbins_kmeans"] = (pipe(ord32(False, 9), StandardScaler(), kb(3, "kmeans", "onehot-dense")),
                                           ge)
    c["pipe_ord_minmax_kbins_none_standard"] = (pipe(ord32(False, 9), MinMaxScaler(), kb(5), StandardScaler()), ge)
    c["pipe_ord_kbins_quantile"] = (pipe(ord32(False), kb32()), ge)
    # through an all-float32 ColumnTransformer
    c["ct_f32_ohe"] = (pipe(ct32(nan=False), ohe()), acge)
    c["ct_f32_nan_ordinal"] = (pipe(ct32(), OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)),
                               acge)
    c["ct_pandas_f32_ohe"] = (pipe(ct32(pandas=True), ohe()), acge)
    c["ct_f32_standard_kbins"] = (pipe(ct32(nan=False), StandardScaler(), kb(3, "quantile", "onehot-dense")), acge)
    # still refused: a ColumnTransformer nested after the float32 step, even with an encoder in it (exit 19)
    c["pipe_ord_ct_ohe"] = refused(pipe(ord32(False), ColumnTransformer([("h", ohe(), [0, 1])])),
                                   "ColumnTransformer") + (ge,)
    if SK >= (1, 3):
        from sklearn.preprocessing import TargetEncoder

        c["pipe_ord_target"] = (pipe(ord32(), TargetEncoder()), ce)
        c["pipe_ord_standard_target"] = (pipe(ord32(False, 9), StandardScaler(), TargetEncoder(smooth=2.0)), ge)
        c["ct_f32_target"] = (pipe(ct32(nan=False), TargetEncoder()), acge)
    return c


def quantile_power_cases():
    """QuantileTransformer (bit for bit) and PowerTransformer (within APPROX_REL32) on float32 input."""
    c = {}
    ge = ["g", "e"]
    cols = ["a", "c", "e", "g"]
    approx = {"approx_rel": APPROX_REL32}
    qt = QuantileTransformer
    # codes at the quantiles, unknown -1 below the first, 9 beyond the last
    c["pipe_ord_quantile"] = (pipe(ord32(False), qt(n_quantiles=20)), ge)
    c["pipe_ord9_quantile_few"] = (pipe(ord32(False, 9), qt(n_quantiles=4)), ge)
    c["pipe_ord_quantile_nan"] = (pipe(ord32(), qt()), ["c", "e"])
    c["pipe_ord9_quantile_normal"] = (pipe(ord32(False, 9), qt(n_quantiles=7, output_distribution="normal")),
                                      ge)
    c["pipe_ord_quantile_normal_nan"] = (pipe(ord32(), qt(n_quantiles=50, output_distribution="normal")),
                                         ["c", "e"])
    # a scaler between: fractional float32 values, interpolated between the quantiles
    c["pipe_ord_standard_quantile"] = (pipe(ord32(False, 9), StandardScaler(), qt(n_quantiles=6)), ge)
    c["pipe_kbins_standard_quantile_normal"] = (pipe(kb32(n_bins=9), StandardScaler(),
                                                     qt(n_quantiles=5, output_distribution="normal")),
                                                ["a"])
    c["pipe_ord_minmax_quantile_normal_standard"] = (pipe(ord32(False, 9), MinMaxScaler((-0.3, 0.9)),
                                                          qt(n_quantiles=11, output_distribution="normal"),
                                                          StandardScaler()), ge)
    c["ct_f32_quantile"] = (pipe(ct32(nan=False), qt(n_quantiles=20)), cols)
    c["ct_f32_quantile_normal_nan"] = (pipe(ct32(), qt(n_quantiles=9, output_distribution="normal")), cols)
    c["ct_pandas_f32_quantile_normal"] = (pipe(ct32(pandas=True, nan=False),
                                               qt(n_quantiles=30, output_distribution="normal")), cols)
    # PowerTransformer: float32 pow / log1p / expm1 / boxcox, then the float32 StandardScaler
    c["pipe_ord_power"] = (pipe(ord32(False), PowerTransformer()), ge, approx)
    c["pipe_ord9_power_nostd"] = (pipe(ord32(False, 9), PowerTransformer(standardize=False)), ge, approx)
    c["pipe_ord_standard_power"] = (pipe(ord32(False, 9), StandardScaler(), PowerTransformer()), ge, approx)
    c["pipe_kbins_standard_power_nostd"] = (pipe(kb32(n_bins=9), StandardScaler(),
                                                 PowerTransformer(standardize=False)), ["a"], approx)
    c["pipe_ord_nan_power"] = (pipe(ord32(), PowerTransformer()), ["c", "e"], approx)
    # box-cox needs x > 0: a clipping MinMaxScaler keeps unknown codes inside (0.5, 3)
    c["pipe_ord_minmax_boxcox"] = (pipe(ord32(False, 9), MinMaxScaler((0.5, 3.0), clip=True),
                                        PowerTransformer(method="box-cox")), ge, approx)
    c["pipe_kbins_minmax_boxcox_nostd"] = (pipe(kb32(n_bins=9), MinMaxScaler((0.25, 7.0), clip=True),
                                                PowerTransformer(method="box-cox", standardize=False)),
                                           ["a"], approx)
    c["ct_f32_power"] = (pipe(ct32(nan=False), PowerTransformer()), cols, approx)
    c["ct_pandas_f32_minmax_boxcox"] = (pipe(ct32(pandas=True, nan=False), MinMaxScaler((0.1, 1.3), clip=True),
                                             PowerTransformer(method="box-cox")), cols, approx)
    # (not the other way round: a float32 ulp off a repeated quantile moves its output by a step)
    c["ct_pandas_f32_quantile_power"] = (pipe(ct32(pandas=True), qt(n_quantiles=15),
                                              PowerTransformer(standardize=False)), cols, approx)
    return c


def numpy_dependent(graph, cols, message, extra=None):
    """A graph numpy 1.x and 2 compute differently: from 1.4 refused without the numpy version (exit 19)."""
    extra = dict(extra or {})
    if SK >= (1, 4):
        extra["unknown_numpy"] = {"exit": 19, "message": message}
    return graph, cols, extra


def spline(**kw):
    return SplineTransformer(**kw)


def spline_numpy(graph, extrapolation, cols):
    """linear / periodic: numpy 1.x computes them in float32, numpy 2 in float64; 1.4+ may run on either.

    From 1.4 the case records the running numpy (case.json "numpy", as a bundle manifest's versions.numpy): scored
    with it by that numpy's rules, and refused without it ("unknown_numpy").
    """
    if SK < (1, 4):
        return graph, cols
    refusal = {
        "exit": 19,
        "message": "SplineTransformer: extrapolation='" + extrapolation + "' on a float32 input is not supported",
    }
    return graph, cols, {"unknown_numpy": refusal}


def spline_cases():
    """Fresh rows: unknown categories code 9 (above the training codes) or -1 (below), NaN codes with zeros."""
    ge = ["g", "e"]
    abcg = ["a", "c", "e", "g"]
    c = {}
    c["pipe_kbins_spline"] = (pipe(kb32(), SplineTransformer()), ["a"])
    c["pipe_kbins_standard_spline_error"] = (
        pipe(kb32(), StandardScaler(), spline(n_knots=4, degree=2, extrapolation="error")),
        ["a"],
    )
    c["pipe_ord_standard_spline_constant"] = (pipe(ord32(False, 9), StandardScaler(), spline(n_knots=4, degree=3)), ge)
    c["pipe_ord_standard_spline_constant_quantile"] = (
        pipe(ord32(False), StandardScaler(), spline(n_knots=3, degree=1, knots="quantile", include_bias=False)),
        ge,
    )
    c["pipe_ord_standard_spline_continue"] = (
        pipe(ord32(False, 9), StandardScaler(), spline(n_knots=6, degree=3, extrapolation="continue")),
        ge,
    )
    c["pipe_ord_spline_continue_quantile"] = (
        pipe(ord32(False), spline(n_knots=4, degree=2, knots="quantile", extrapolation="continue", include_bias=False)),
        ge,
    )
    c["pipe_ord_standard_spline_linear"] = spline_numpy(
        pipe(ord32(False, 9), StandardScaler(), spline(n_knots=5, degree=3, extrapolation="linear")), "linear", ge
    )
    c["pipe_ord_standard_spline_linear_d1"] = spline_numpy(
        pipe(ord32(False), StandardScaler(), spline(n_knots=4, degree=1, extrapolation="linear", include_bias=False)),
        "linear",
        ge,
    )
    c["pipe_ord_standard_spline_linear_quantile"] = spline_numpy(
        pipe(ord32(False, 9), StandardScaler(), spline(n_knots=4, degree=2, knots="quantile", extrapolation="linear")),
        "linear",
        ge,
    )
    c["pipe_ord_standard_spline_periodic"] = spline_numpy(
        pipe(ord32(False, 9), StandardScaler(), spline(n_knots=5, degree=3, extrapolation="periodic")), "periodic", ge
    )
    c["pipe_ord_standard_spline_periodic_quantile"] = spline_numpy(
        pipe(
            ord32(False),
            StandardScaler(),
            spline(n_knots=4, degree=2, knots="quantile", extrapolation="periodic", include_bias=False),
        ),
        "periodic",
        ge,
    )
    # explicit knots: the boundaries are not float32 values, numpy 1.x compares with them rounded to float32
    knots = np.array([[-1.3, -1.1], [0.1, 0.3], [1.7, 1.6]])
    c["pipe_ord_standard_spline_constant_knots"] = (
        pipe(ord32(False, 9), StandardScaler(), spline(knots=knots, degree=2)),
        ge,
    )
    c["ct_f32_spline_constant"] = (pipe(ct32(nan=False), spline(n_knots=4, degree=2)), abcg)
    c["ct_f32_standard_spline_continue"] = (
        pipe(ct32(nan=False), StandardScaler(), spline(n_knots=5, degree=3, extrapolation="continue")),
        abcg,
    )
    c["ct_f32_standard_spline_linear"] = spline_numpy(
        pipe(ct32(nan=False), StandardScaler(), spline(n_knots=4, degree=2, extrapolation="linear")), "linear", abcg
    )
    c["ct_pandas_f32_standard_spline_constant"] = (
        pipe(ct32(pandas=True, nan=False), StandardScaler(), spline(n_knots=4, degree=3, knots="quantile")),
        abcg,
    )
    c["ct_pandas_f32_standard_spline_periodic"] = spline_numpy(
        pipe(ct32(pandas=True, nan=False), StandardScaler(), spline(n_knots=6, degree=2, extrapolation="periodic")),
        "periodic",
        abcg,
    )
    if SK >= (1, 8):
        # handle_missing="zeros": a NaN code gives zero splines
        c["pipe_ord_standard_spline_zeros"] = (
            pipe(
                ord32(), StandardScaler(), spline(n_knots=4, degree=3, extrapolation="continue", handle_missing="zeros")
            ),
            ["c", "e"],
        )
    return c


def normalize(entry):
    """(graph, cols[, extra]) or ((graph, expect), cols) -> graph, cols, expect."""
    if isinstance(entry[0], tuple) or isinstance(entry[1], dict):
        graph, expect, cols = entry
        return graph, cols, dict(expect)
    graph, cols = entry[0], entry[1]
    expect = {"expect": "ok", "ufunc_ulps": 0}
    if len(entry) > 2:
        expect.update(entry[2])
    return graph, cols, expect


def write_case(out, name, entry):
    graph, cols, expect = normalize(entry)
    # three classes where a case asks for them (a multinomial coef_ with three rows), else two
    y = pd.cut(TRAIN["a"], 3, labels=False) if expect.pop("classes3", False) else (TRAIN["a"] > 10).astype(int)
    graph.fit(TRAIN[cols], y)
    d = os.path.join(out, name)
    os.makedirs(d)
    sio.dump(graph, os.path.join(d, "preprocessor.skops"), compression=zipfile.ZIP_DEFLATED,
             compresslevel=9)
    FRESH[cols].to_csv(os.path.join(d, "input.csv"), index=False)
    expect["sklearn"] = VERSION
    expect["pandas"] = pd.__version__
    expect["numpy"] = np.__version__  # a bundle manifest's versions.numpy: Float32FixtureTest loads with it
    if expect["expect"] == "ok":
        x = np.asarray(graph.transform(FRESH[cols]))
        expect["dtype"] = str(x.dtype)
        names = list(graph.get_feature_names_out())
        with open(os.path.join(d, "features.csv"), "w") as f:
            f.write(",".join(names) + "\n")
            for row in x.astype(np.float64):
                f.write(",".join(repr(float(v)) for v in row) + "\n")
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(expect, f, indent=1, sort_keys=True)
        f.write("\n")


def main():
    """Writes every case afresh; with arguments, only the named cases (the others are left as they are)."""
    out = os.path.join(HERE, "sklearn-" + VERSION)
    only = set(sys.argv[1:])
    unknown = only - set(cases())
    if unknown:
        raise SystemExit(f"no such case: {sorted(unknown)}")
    if not only:
        shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out, exist_ok=True)
    for name, entry in cases().items():
        if not only or name in only:
            shutil.rmtree(os.path.join(out, name), ignore_errors=True)
            write_case(out, name, entry)
    print(VERSION, len(os.listdir(out)), "cases")


if __name__ == "__main__":
    main()
