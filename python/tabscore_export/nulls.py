"""None versus NaN in string columns (issue 12): what a null was to the fitted graph.

A pandas frame read from Parquet/SQL holds None for a null string; scikit-learn keeps None apart from NaN (a
category of its own, sorted after the values and before NaN; not missing to a NaN imputer). The manifest records per
string column what the graph saw for a null (``input.columns[].training_nulls``), and Java scores a null as None
where that is "none" or "none_and_nan". The exporter feeds golden rows (and the fuzzer fresh rows) the same way.
"""

from __future__ import annotations

import warnings
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .contract import _walk_estimators, transform_features
from .errors import BundleError

TRAINING_NULLS = ("none", "nan", "none_and_nan")


def graph_learned_none(preprocessor: Any) -> bool:
    """Whether some encoder of the graph holds ``None`` among its ``categories_``: the graph was fitted on a frame
    holding None for a null (not on ``sklearn_frame(train_df)``, which turns None into NaN)."""
    for est in _walk_estimators(preprocessor):
        categories = getattr(est, "categories_", None)
        if categories is None or not hasattr(est, "transform"):
            continue
        if any(c is None for cats in categories for c in np.asarray(cats, dtype=object)):
            return True
    return False


def _null_kinds(series: pd.Series) -> tuple[bool, bool]:
    """(holds None or pd.NA, holds a float NaN) for an object column as the caller's frame holds it."""
    has_none = bool(any(v is None or v is pd.NA for v in series))
    has_nan = bool(any(isinstance(v, float) and v != v for v in series))
    return has_none, has_nan


def _outcome(preprocessor: Any, frame: pd.DataFrame) -> tuple[set[int], np.ndarray]:
    """(rows scikit-learn refuses, features with NaN there), one row at a time (a small probe frame)."""
    refused: set[int] = set()
    rows = []
    for r in range(len(frame)):
        try:
            rows.append(transform_features(preprocessor, frame.iloc[r : r + 1])[0])
        except (ValueError, TypeError, KeyError):
            refused.add(r)
            rows.append(None)
    width = next((len(x) for x in rows if x is not None), 0)
    return refused, np.array([np.full(width, np.nan) if x is None else x for x in rows]).reshape(len(frame), width)


def graph_tells_none_from_nan(preprocessor: Any, base: pd.DataFrame, column: str) -> bool:
    """Whether the fitted graph transforms ``column`` = None differently from ``column`` = NaN (other columns as in
    ``base``): different features, or a row one of them refuses and the other not."""
    frames = []
    for missing in (None, np.nan):
        probe = base.copy()
        probe[column] = pd.Series([missing] * len(probe), index=probe.index, dtype=object)
        frames.append(probe)
    (ref_a, fa), (ref_b, fb) = (_outcome(preprocessor, f) for f in frames)
    if set(ref_a) != set(ref_b):
        return True
    ok = [r for r in range(len(base)) if r not in ref_a]
    return not np.array_equal(fa[ok], fb[ok], equal_nan=True)


def training_nulls_of(
    preprocessor: Any, train_df: pd.DataFrame, contract: Sequence[Mapping[str, Any]], base: pd.DataFrame
) -> dict[str, str]:
    """Per string input column with a null in ``train_df``: what the fitted graph saw for it (TRAINING_NULLS).

    ``train_df`` as given is the frame the graph was fitted on when some encoder learned None as a category
    (``graph_learned_none``); otherwise the graph was fitted on ``sklearn_frame(train_df)`` (None -> NaN), the
    documented way, and every null was NaN. In a column holding both None and NaN a null is scored as None, what
    pandas holds for a null read from Parquet or SQL (with a warning naming the column when the graph treats the
    two differently). A non-string column holding None that the graph tells from NaN is refused (tabscore's None is
    a string-column value).
    """
    learned = graph_learned_none(preprocessor)
    out: dict[str, str] = {}
    for c in contract:
        name = c["name"]
        series = train_df[name]
        if series.dtype != object:
            continue
        has_none, has_nan = _null_kinds(series)
        if not (has_none or has_nan):
            continue
        if not learned or not has_none:
            out[name] = "nan" if c["dtype"] == "string" else None
            continue
        distinct = graph_tells_none_from_nan(preprocessor, base, name)
        if c["dtype"] != "string":
            if distinct:
                raise BundleError(
                    f"column {name!r} ({c['dtype']}) holds Python None, which the fitted graph treats "
                    "differently from NaN; tabscore scores a null in a non-string column as NaN: "
                    "replace None by NaN there before fitting (or give the column pandas' nullable "
                    "dtype)"
                )
            continue
        if has_nan and distinct:
            warnings.warn(
                f"column {name!r} holds both None and NaN in the training frame and the fitted graph treats "
                "them differently; a null at scoring is one value, scored as None (what pandas holds for "
                "a null read from Parquet or SQL), so what the graph learned for NaN there is never reached "
                "by a null",
                UserWarning,
                stacklevel=3,
            )
        out[name] = "none_and_nan" if has_nan else "none"
    return {k: v for k, v in out.items() if v is not None}


def fitted_dtypes(train_df: pd.DataFrame, contract: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Columns whose training frame, as ``sklearn_frame`` made it, had a dtype a golden batch may lose: a bool column
    fitted as object (pandas' nullable boolean, True / False / NaN) and an int column fitted as float64 (nullable
    Int64 with a null). A batch without a null there reads back as bool / int64, which scikit-learn then refuses
    (1.2-1.4 encoders: ``TypeError: ufunc 'isnan'``; SimpleImputer: "the filling value float64 cannot be cast to
    int64"), so the exporter feeds it as the training frame did: column -> "object" or "float64"."""
    out: dict[str, str] = {}
    for c in contract:
        series = train_df[c["name"]]
        if c["dtype"] == "bool" and (series.dtype == object or isinstance(series.dtype, pd.BooleanDtype)):
            out[c["name"]] = "object"
        elif c["dtype"] == "int64" and series.isna().any():
            out[c["name"]] = "float64"
    return out


def with_training_nulls(contract: list[dict[str, Any]], nulls: Mapping[str, str]) -> list[dict[str, Any]]:
    """The contract with ``training_nulls`` set on the columns that have one."""
    return [{**c, "training_nulls": nulls[c["name"]]} if c["name"] in nulls else dict(c) for c in contract]


NULL_IS_NONE = ("none", "none_and_nan")


def frame_as_fitted(
    frame: pd.DataFrame, contract: Sequence[Mapping[str, Any]] | None, dtypes: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """A frame as ``sklearn_frame`` makes it, with None for a null in every column whose ``training_nulls`` is
    "none" or "none_and_nan", and the columns of ``dtypes`` (``fitted_dtypes``) cast back to their training dtype:
    the frame the fitted graph is fed the way its training frame fed it."""
    if not contract:
        return frame
    none_cols = [c["name"] for c in contract if c.get("training_nulls") in NULL_IS_NONE and c["name"] in frame.columns]
    casts = {n: d for n, d in (dtypes or {}).items() if n in frame.columns and frame[n].dtype != d}
    if not none_cols and not casts:
        return frame
    out = frame.copy()
    for name in none_cols:
        out[name] = out[name].map(lambda v: None if isinstance(v, float) and v != v else v).astype(object)
    for name, dtype in casts.items():
        out[name] = out[name].astype(dtype)
    return out
