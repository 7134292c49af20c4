"""Training statistics of input columns and model outputs (``training.statistics``/``output_statistics``)."""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .constants import OTHER_KEY, OUTPUT_STATISTICS_CHUNK_ROWS, QUANTILES, TOP_FREQUENCIES
from .contract import sklearn_frame, transform_features
from .errors import BundleError
from .network import forward_float32, model_columns, output_columns
from .nulls import frame_as_fitted

# ---------------------------------------------------------------------------------------------------------------
# Training statistics
# ---------------------------------------------------------------------------------------------------------------


def _category_key(value: Any) -> str:
    """The frequencies key of a categorical value: strings as is, bools true/false, integral numbers in decimal."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


def numeric_statistics(values: np.ndarray) -> dict[str, Any]:
    """min, max, mean, quantiles and a decile histogram of finite non-missing values."""
    values = np.sort(values.astype(np.float64))
    with np.errstate(over="ignore", invalid="ignore"):
        edges = np.quantile(values, np.linspace(0.0, 1.0, 11))
        if not np.isfinite(edges).all():  # interpolating between values near +-1.8e308 overflows
            edges = np.quantile(values, np.linspace(0.0, 1.0, 11), method="nearest")
        mean = float(np.mean(values))
        if not math.isfinite(mean):  # the sum overflows; the mean of the scaled values does not
            mean = float(np.sum(values / len(values)))
        quantiles = {q: float(np.quantile(values, float(q))) for q in QUANTILES}
        quantiles = {
            q: v if math.isfinite(v) else float(np.quantile(values, float(q), method="nearest"))
            for q, v in quantiles.items()
        }
    bins = np.searchsorted(edges[1:-1], values, side="right")
    counts = np.bincount(bins, minlength=10)
    n = len(values)
    return {
        "min": float(values[0]),
        "max": float(values[-1]),
        "mean": mean,
        "quantiles": quantiles,
        "histogram": {"edges": [float(e) for e in edges], "fractions": [float(c / n) for c in counts]},
    }


def categorical_statistics(values: pd.Series) -> dict[str, Any]:
    """Shares of the TOP_FREQUENCIES most frequent values (ties by key) plus '__other__', and the cardinality."""
    keys = values.map(_category_key)
    counts = keys.value_counts()
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    n = int(counts.sum())
    freqs = {k: float(c / n) for k, c in ordered[:TOP_FREQUENCIES]}
    if len(ordered) > TOP_FREQUENCIES:
        freqs[OTHER_KEY] = float(sum(c for _, c in ordered[TOP_FREQUENCIES:]) / n)
    return {"frequencies": freqs, "cardinality": len(ordered)}


def column_statistics(series: pd.Series, kind: str, dtype: str) -> dict[str, Any]:
    """Statistics of one raw input column (see columnStatistics in the schema)."""
    count = int(len(series))
    present = series[~series.isna()]
    stats: dict[str, Any] = {"missing_rate": float((count - len(present)) / count) if count else 0.0, "count": count}
    if present.empty:
        return stats
    if kind in ("categorical", "boolean") or dtype in ("string", "bool"):
        stats.update(categorical_statistics(present))
    else:
        values = present.to_numpy(dtype=np.float64)
        finite = values[np.isfinite(values)]
        if len(finite) != len(values):
            raise BundleError(f"column {series.name!r}: the training data holds infinite values")
        stats.update(numeric_statistics(finite))
    return stats


def training_statistics(train_df: pd.DataFrame, contract: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Per input column statistics over the training rows."""
    frame = sklearn_frame(train_df[[c["name"] for c in contract]])
    return {c["name"]: column_statistics(frame[c["name"]], c["kind"], c["dtype"]) for c in contract}


def output_statistics(
    preprocessor: Any,
    model: Any,
    train_df: pd.DataFrame,
    contract: Sequence[Mapping[str, Any]],
    task: str,
    classes: Sequence[Any] | None,
) -> dict[str, Any]:
    """Statistics of the model's outputs (golden.output_columns) over the training rows.

    The outputs are computed as golden/output.parquet's are: ``transform_features`` on the training frame as
    ``sklearn_frame`` makes it, the float32 forward pass (``forward_float32``, in chunks of
    OUTPUT_STATISTICS_CHUNK_ROWS rows) and the head (``model_columns``). Numeric outputs get ``numeric_statistics``
    over their finite values, ``label`` gets ``categorical_statistics`` (the predicted class mix); missing_rate is
    the share of rows without a finite output (rows whose features are not finite count as missing), 0 normally.
    """
    names = output_columns(task, classes)
    frame = frame_as_fitted(sklearn_frame(train_df[[c["name"] for c in contract]]), contract)
    parts: dict[str, list[np.ndarray]] = {n: [] for n in names}
    kept: list[np.ndarray] = []
    for start in range(0, len(frame), OUTPUT_STATISTICS_CHUNK_ROWS):
        features = transform_features(preprocessor, frame.iloc[start : start + OUTPUT_STATISTICS_CHUNK_ROWS])
        finite = np.isfinite(features).all(axis=1)
        cols = model_columns(forward_float32(model, np.where(finite[:, None], features, 0.0)), task, classes)
        for n in names:
            parts[n].append(cols[n])
        kept.append(finite)
    count = int(len(frame))
    rows_ok = np.concatenate(kept) if kept else np.zeros(0, dtype=bool)
    stats: dict[str, Any] = {}
    for n in names:
        values = np.concatenate(parts[n]) if parts[n] else np.zeros(0)
        if n == "label":
            present = pd.Series(values[rows_ok], dtype=object)
        else:
            values = values.astype(np.float64)
            present = values[rows_ok & np.isfinite(values)]
        entry: dict[str, Any] = {
            "missing_rate": float((count - len(present)) / count) if count else 0.0,
            "count": count,
        }
        if len(present):
            entry.update(categorical_statistics(present) if n == "label" else numeric_statistics(present))
        stats[n] = entry
    return stats


def numeric_metrics(metrics: Mapping[str, Any] | None) -> dict[str, float | int]:
    """The finite numeric entries of a metrics mapping (strings and bools are dropped)."""
    out: dict[str, float | int] = {}
    for key, value in (metrics or {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            continue
        value = value.item() if isinstance(value, np.generic) else value
        if isinstance(value, float) and not math.isfinite(value):
            continue
        out[str(key)] = value
    return out
