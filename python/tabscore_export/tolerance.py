"""Feature tolerances: numpy ufunc features (ulp envelope) and libm-based transformers (relative)."""

from __future__ import annotations

import copy
from typing import Any, Mapping, Sequence

import numpy as np

from .constants import DEFAULT_FEATURE_TOLERANCE, EXACT_UFUNCS
from .contract import _walk_estimators, transform_rows
from .skops_schema import SkopsSummary


def ufunc_features_from_branches(feature_names: Sequence[str], branches: Sequence[str], verbose: bool) -> list[str]:
    """Output features of the ufunc branches (by their ``<branch>__`` prefix); all features when names are not
    prefixed but some branch applies a ufunc."""
    if not branches:
        return []
    if not verbose:
        return list(feature_names)
    return [f for f in feature_names if any(f.startswith(f"{b}__") for b in branches)]


def ufunc_features_of(preprocessor: Any, feature_names: Sequence[str]) -> list[str]:
    """Output features that come from a branch applying a numpy ufunc (e.g. FunctionTransformer(np.log1p))."""
    return list(ufunc_sources_of(preprocessor, feature_names))


def _ufunc_names(est: Any) -> list[str]:
    """The numpy ufuncs FunctionTransformers nested in ``est`` apply, by numpy name."""
    from sklearn.preprocessing import FunctionTransformer

    return sorted(
        {
            e.func.__name__
            for e in _walk_estimators(est)
            if isinstance(e, FunctionTransformer) and isinstance(e.func, np.ufunc)
        }
    )


def ufunc_sources_of(preprocessor: Any, feature_names: Sequence[str]) -> dict[str, list[str]]:
    """Per output feature derived from a numpy ufunc (through later steps of its branch), the ufuncs it comes from,
    in feature order: the manifest's ``feature_tolerance.ufunc_sources``."""
    from sklearn.compose import ColumnTransformer

    if not isinstance(preprocessor, ColumnTransformer):
        funcs = _ufunc_names(preprocessor)
        return {f: funcs for f in feature_names} if funcs else {}
    per: dict[str, list[str]] = {}
    for name, trans, _ in preprocessor.transformers_:
        funcs = [] if isinstance(trans, str) else _ufunc_names(trans)
        if funcs:
            sl = preprocessor.output_indices_[name]
            for f in feature_names[sl]:
                per[f] = funcs
    return {f: per[f] for f in feature_names if f in per}


def ufunc_sources_from_branches(feature_names: Sequence[str], skops: SkopsSummary) -> dict[str, list[str]]:
    """``ufunc_sources`` from a skops summary: each ufunc branch's functions for the features it prefixes."""
    out: dict[str, list[str]] = {}
    for f in ufunc_features_from_branches(feature_names, skops.ufunc_branches, skops.verbose_feature_names_out):
        funcs = sorted(
            {
                u
                for b in skops.ufunc_branches
                if not skops.verbose_feature_names_out or f.startswith(f"{b}__")
                for u in skops.ufunc_names.get(b, [])
            }
        )
        out[f] = funcs
    return out


def feature_tolerance(
    ufunc_sources: Mapping[str, list[str]], approx: Mapping[str, float] | None = None
) -> dict[str, Any]:
    """The manifest's ``golden.feature_tolerance``: exact, except the ufunc features under the ulp contract and the
    features of transformers reproduced within a stated tolerance (``approx_features``)."""
    tol: dict[str, Any] = {**DEFAULT_FEATURE_TOLERANCE, "ufunc_features": list(ufunc_sources)}
    if ufunc_sources:
        tol["ufunc_sources"] = {f: list(v) for f, v in ufunc_sources.items()}
    if approx:
        tol["approx_features"] = {f: float(v) for f, v in approx.items()}
    return tol


# Transformers tabscore reproduces within a stated tolerance rather than bit for bit (libm functions, numpy's
# summation order, BLAS dot products): docs/sklearn-coverage/approx-contract.md and docs/sklearn-coverage/<Class>.md.
LIBM_TRANSFORMERS = ("PowerTransformer", "QuantileTransformer", "Normalizer", "PCA", "TruncatedSVD", "KNNImputer")
# The stated tolerance of their features, relative: |java - golden| <= APPROX_REL * max(1, |golden|) (65536 double ulps;
# the measured errors are far inside it: docs/sklearn-coverage/approx-contract.md).
APPROX_REL = 2.0**-36


# On a float32 input array (an encoder or KBinsDiscretizer with dtype=np.float32 before the step) scikit-learn computes
# these steps in float32 (BLAS sgemm, float32 row sums, float32 interpolation and powers), with errors of float32
# ulps that float64 arithmetic rounded to float32 reproduces only within float32 ulps: their features get
# APPROX_REL32 = 2^-16, 128 float32 ulps at 1 (docs/sklearn-coverage/float32-chains.md).
APPROX_REL32 = 2.0**-16


def _libm_transformer(est: Any, float32: bool = False) -> bool:
    """PowerTransformer, QuantileTransformer(output_distribution='normal'), Normalizer(norm='l1'/'l2'), PCA,
    TruncatedSVD and KNNImputer (nan_euclidean distances through BLAS; numpy's summation order of the donors). The
    uniform QuantileTransformer stays exact on a float32 input too: Java rounds numpy's float64 interpolation to
    float32 as numpy stores it (bit for bit on every float32 fixture of 1.2.2, 1.8.0 and 1.9.1)."""
    kind = type(est).__name__
    if kind == "QuantileTransformer":
        return getattr(est, "output_distribution", None) == "normal"
    if kind == "Normalizer":
        return getattr(est, "norm", None) != "max"
    return kind in ("PowerTransformer", "PCA", "TruncatedSVD", "KNNImputer")


def _array_dtype(X: Any) -> Any:
    """The numpy dtype a step computes in: an array's own, a DataFrame's ``np.result_type`` of its columns (what
    scikit-learn's ``check_array`` converts it to); None when it has none."""
    dtype = getattr(X, "dtype", None)
    if dtype is not None:
        return dtype
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not len(dtypes):
        return None
    try:
        return np.result_type(*[np.dtype(d) for d in dtypes])
    except TypeError:  # pandas extension dtypes: never float32 at a step that computes in float32
        return None


def float32_fed_steps(preprocessor: Any, frame: Any) -> set[int]:
    """``id`` of every LIBM_TRANSFORMERS step that receives a float32 array when ``preprocessor`` transforms ``frame``
    (found by watching each such step's ``transform`` for one pass over the frame; the graph is left as it was)."""
    watched: list[Any] = []
    found: set[int] = set()
    for est in _walk_estimators(preprocessor):
        if type(est).__name__ not in LIBM_TRANSFORMERS or "transform" in vars(est):
            continue

        def watch(X: Any, *args: Any, _est: Any = est, **kwargs: Any) -> Any:
            if _array_dtype(X) == np.float32:
                found.add(id(_est))
            return type(_est).transform(_est, X, *args, **kwargs)

        est.transform = watch  # the instance attribute shadows the class's (set_output-wrapped) method
        watched.append(est)
    try:
        if watched:
            transform_rows(preprocessor, frame)
    finally:
        for est in watched:
            del est.transform
    return found


def approx_features_of(preprocessor: Any, feature_names: Sequence[str], frame: Any = None) -> dict[str, float]:
    """Per output feature downstream of a LIBM_TRANSFORMERS step, its relative golden tolerance: APPROX_REL, or
    APPROX_REL32 when such a step computes in float32 as ``preprocessor`` transforms ``frame`` (the golden batch)."""
    from sklearn.compose import ColumnTransformer

    fed32 = float32_fed_steps(preprocessor, frame) if frame is not None else set()

    def rel(est: Any) -> float | None:
        """The tolerance of a branch's features: None when no step in it is approximate."""
        steps = list(_walk_estimators(est))
        if any(id(e) in fed32 and _libm_transformer(e, float32=True) for e in steps):
            return APPROX_REL32
        return APPROX_REL if any(_libm_transformer(e) for e in steps) else None

    names = list(feature_names)
    if not isinstance(preprocessor, ColumnTransformer):
        tol = rel(preprocessor)
        return {f: tol for f in names} if tol is not None else {}
    chosen: dict[str, float] = {}
    for name, trans, _ in preprocessor.transformers_:
        tol = None if isinstance(trans, str) else rel(trans)
        if tol is not None:
            for f in names[preprocessor.output_indices_[name]]:
                chosen[f] = tol
    return {f: chosen[f] for f in names if f in chosen}


def _nudged(func: Any, ulps: int, bit: int = -1) -> Any:
    """``func`` with each finite float result moved ``ulps`` steps up (or down, when negative); with ``bit`` >= 0,
    column ``j`` of a 2-d result moves the other way where bit ``bit`` of ``j`` is clear (Java's
    ``TransformStats.nudgeUfuncResults(ulps, bit)``)."""

    def nudged(X: Any, *args: Any, **kwargs: Any) -> Any:
        Y = func(X, *args, **kwargs)
        arr = np.asarray(Y)
        if arr.dtype.kind != "f":
            return Y
        out = np.array(arr, dtype=arr.dtype, copy=True)
        finite = np.isfinite(out)
        steps = np.full(out.shape, ulps)
        if bit >= 0 and out.ndim == 2:
            cols = np.arange(out.shape[1])
            steps = np.where(((cols >> bit) & 1) == 1, ulps, -ulps)[None, :] * np.ones_like(out, dtype=int)
        for _ in range(abs(ulps)):
            out[finite & (steps > 0)] = np.nextafter(out[finite & (steps > 0)], np.inf)
            out[finite & (steps < 0)] = np.nextafter(out[finite & (steps < 0)], -np.inf)
        if hasattr(Y, "iloc"):
            return type(Y)(out, index=Y.index, columns=getattr(Y, "columns", None))
        return out

    return nudged


def ufunc_envelope(preprocessor: Any, frame: Any, ulps: int) -> tuple[np.ndarray, np.ndarray]:
    """Features with every inexact ufunc result moved ``ulps`` ulps down and up: the envelope golden replay accepts
    (scikit-learn's steps after a ufunc are monotone, so numpy's result on any CPU lies within it). A row the nudged
    graph refuses (cos(0) = 1 moved past a SplineTransformer's knots) has no envelope: NaN, as Java's GoldenReplay."""

    from sklearn.preprocessing import FunctionTransformer

    def transformed(ulps_: int, bit: int) -> np.ndarray:
        pre = copy.deepcopy(preprocessor)
        for e in _walk_estimators(pre):
            if (
                isinstance(e, FunctionTransformer)
                and isinstance(e.func, np.ufunc)
                and e.func.__name__ not in EXACT_UFUNCS
            ):
                e.func = _nudged(e.func, ulps_, bit)
        return transform_rows(pre, frame)[0]

    bounds = [transformed(sign * ulps, -1) for sign in (-1, 1)]
    # Moved the other way column by column, bit by bit of the column index, both signs: the extremes of a later
    # product of two inexact results (PolynomialFeatures after sin) need them to move apart, as Java's golden
    # replay does (GoldenReplay.crossedNudges; fuzzer case 6161-00148).
    crossed = []
    widest = max(2, frame.shape[1], bounds[0].shape[1] if bounds[0].ndim == 2 else 1)
    for bit in range(int(widest - 1).bit_length()):
        crossed += [transformed(sign * ulps, bit) for sign in (-1, 1)]
    # The width from the graph as fitted; get_feature_names_out is missing where a FunctionTransformer has no
    # feature_names_out, and only then is the graph transformed once more for it.
    try:
        width = len(preprocessor.get_feature_names_out())
    except AttributeError:
        width = transform_rows(preprocessor, frame)[0].shape[1]
    bounds = [b if b.shape[1] == width else np.full((len(frame), width), np.nan) for b in bounds]
    lo, hi = np.minimum(bounds[0], bounds[1]), np.maximum(bounds[0], bounds[1])
    for c in crossed:
        if c.shape[1] == width:
            lo, hi = np.fmin(lo, c), np.fmax(hi, c)
            lo[np.isnan(bounds[0]) | np.isnan(bounds[1])] = np.nan
            hi[np.isnan(bounds[0]) | np.isnan(bounds[1])] = np.nan
    return lo, hi
