"""The golden batch: typed Parquet input/output and synthesized rows."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .constants import GOLDEN_TRAINING_ROWS
from .contract import sklearn_frame
from .errors import BundleError
from .nulls import frame_as_fitted

# ---------------------------------------------------------------------------------------------------------------
# Golden batch: typed Parquet
# ---------------------------------------------------------------------------------------------------------------

ARROW_TYPES = {"float64": pa.float64(), "int64": pa.int64(), "bool": pa.bool_(), "string": pa.string()}


def arrow_column(series: pd.Series, dtype: str) -> pa.Array:
    """A typed Arrow array for a contract column. Missing (None / NA / NaN in a numpy float column) -> null;
    a NaN inside a pandas nullable Float64 column that is not masked stays NaN; "" stays ""."""
    name = series.name
    if dtype == "float64":
        if isinstance(series.dtype, pd.Float64Dtype) or isinstance(series.dtype, pd.Float32Dtype):
            arr = series.array
            values = np.asarray(arr._data, dtype=np.float64)  # NaN that pandas did not mask stays NaN
            mask = np.asarray(arr._mask, dtype=bool)
        else:
            numeric = (
                pd.to_numeric(series.astype(object).where(series.notna(), np.nan), errors="coerce")
                if series.dtype == object
                else series
            )
            mask = series.isna().to_numpy()
            values = np.asarray(numeric, dtype=np.float64)
            if series.dtype == object and (np.isnan(values) & ~mask).any():
                raise BundleError(f"column {name!r}: non-numeric values in a float64 column")
        return pa.array(np.where(mask, 0.0, values), type=pa.float64(), mask=mask)
    mask = series.isna().to_numpy()
    if dtype == "int64":
        present = series[~mask]
        as_float = present.to_numpy(dtype=np.float64)
        if not np.all(np.equal(np.floor(as_float), as_float)):
            raise BundleError(f"column {name!r}: non-integral values in an int64 column")
        values = np.zeros(len(series), dtype=np.int64)
        values[~mask] = present.to_numpy(dtype=np.int64)
        return pa.array(values, type=pa.int64(), mask=mask)
    if dtype == "bool":
        values = np.zeros(len(series), dtype=bool)
        values[~mask] = series[~mask].to_numpy(dtype=bool)
        return pa.array(values, type=pa.bool_(), mask=mask)
    if dtype == "string":
        values = [None if m else v for v, m in zip(series.tolist(), mask)]
        bad = {type(v).__name__ for v in values if v is not None and not isinstance(v, str)}
        if bad:
            raise BundleError(f"column {name!r}: non-string values ({', '.join(sorted(bad))}) in a string column")
        return pa.array(values, type=pa.string())
    raise BundleError(f"column {name!r}: unknown contract dtype {dtype!r}")


def golden_input_table(golden_df: pd.DataFrame, contract: Sequence[Mapping[str, Any]]) -> pa.Table:
    """The golden input as a typed Arrow table: exactly the contract columns, in order."""
    names = [c["name"] for c in contract]
    missing = [n for n in names if n not in golden_df.columns]
    if missing:
        raise BundleError(f"the golden rows lack input columns {missing}")
    arrays = [arrow_column(golden_df[c["name"]].reset_index(drop=True), c["dtype"]) for c in contract]
    return pa.Table.from_arrays(
        arrays, schema=pa.schema([pa.field(c["name"], ARROW_TYPES[c["dtype"]]) for c in contract])
    )


def read_golden_input(
    path: str | os.PathLike[str],
    contract: Sequence[Mapping[str, Any]] | None = None,
    dtypes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Read golden input Parquet the way its features were computed: ``read_table().to_pandas()`` then
    None -> NaN in every object column (sklearn treats only NaN as missing there), except in the ``contract``'s
    columns whose training frame held None (``nulls.frame_as_fitted``)."""
    return frame_as_fitted(sklearn_frame(pq.read_table(path).to_pandas()), contract, dtypes)


def golden_output_table(
    feature_names: Sequence[str], features: np.ndarray, model_cols: Mapping[str, np.ndarray]
) -> pa.Table:
    """Features (float64, named as feature_names_out) then the model columns."""
    fields, arrays = [], []
    for i, name in enumerate(feature_names):
        fields.append(pa.field(name, pa.float64()))
        arrays.append(pa.array(features[:, i], type=pa.float64()))
    for name, values in model_cols.items():
        if name == "label":
            fields.append(pa.field(name, pa.string()))
            arrays.append(pa.array([str(v) for v in values], type=pa.string()))
        else:
            fields.append(pa.field(name, pa.float64()))
            arrays.append(pa.array(np.asarray(values, dtype=np.float64), type=pa.float64()))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write a Parquet file (no pandas metadata, so the schema is exactly the table's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table.replace_schema_metadata(None), path, compression="zstd")


def synthesize_golden(
    train_df: pd.DataFrame, contract: Sequence[Mapping[str, Any]], *, rows: int = GOLDEN_TRAINING_ROWS, seed: int = 0
) -> pd.DataFrame:
    """Golden rows: ``rows`` training rows, then edge cases built from them.

    Edge cases: a missing value in every nullable column (one row each), one row with every nullable column missing,
    a NaN (not null) in every float64 column, unseen categories (a new token, a case variant, "") in every string
    categorical column, an unseen value in every int categorical, and out-of-range numbers (huge, negative, zero) in
    every numeric column. Float columns use pandas' nullable Float64 dtype so that null and NaN stay distinct.
    """
    names = [c["name"] for c in contract]
    rng = np.random.default_rng(seed)
    take = min(rows, len(train_df))
    base = train_df[names].iloc[np.sort(rng.choice(len(train_df), size=take, replace=False))].reset_index(drop=True)
    records: list[dict[str, Any]] = [dict(r) for r in base.to_dict(orient="records")]
    template = _typical_row(train_df[names], contract)
    nullable = [c for c in contract if c["nullable"]]
    for c in nullable:
        records.append({**template, c["name"]: None})
    if nullable:
        records.append({**template, **{c["name"]: None for c in nullable}})
    nan_cols = [c for c in nullable if c["dtype"] == "float64"]
    if nan_cols:
        records.append({**template, **{c["name"]: _NAN for c in nan_cols}})
    for c in contract:
        col = train_df[c["name"]]
        if c["kind"] == "categorical" and c["dtype"] == "string":
            seen = set(col.dropna().astype(str))
            common = str(col.dropna().mode().iloc[0]) if col.notna().any() else "x"
            variant = common.upper() if common.upper() not in seen else common + " "
            for value in (f"unseen_{c['name']}", variant, ""):
                if value not in seen:
                    records.append({**template, c["name"]: value})
        elif c["kind"] == "categorical" and c["dtype"] == "int64":
            top = int(col.max()) if col.notna().any() else 0
            records.append({**template, c["name"]: _int64_probe(top, 1000)})
        elif c["kind"] == "categorical" and c["dtype"] == "float64":
            top = float(col.max()) if col.notna().any() else 0.0
            records.append({**template, c["name"]: _float_probe(top, 1000.5)})
        elif c["kind"] in ("numeric", "passthrough") and c["dtype"] == "int64":
            # Exact integer arithmetic: a float64 detour loses digits near +-2**62 and overflows int64.
            lo, hi = (int(col.min()), int(col.max())) if col.notna().any() else (0, 1)
            span = max(abs(lo), abs(hi), 1)
            for value in (_int64_probe(hi, 1000 * span), _int64_probe(lo, -1000 * span), 0):
                records.append({**template, c["name"]: value})
        elif c["kind"] in ("numeric", "passthrough") and c["dtype"] == "float64":
            lo, hi = (float(col.min()), float(col.max())) if col.notna().any() else (0.0, 1.0)
            span = max(abs(lo), abs(hi), 1.0)
            for value in (_float_probe(hi, 1000.0 * span), _float_probe(lo, -1000.0 * span), 0.0):
                records.append({**template, c["name"]: value})
    return _typed_frame(records, contract)


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _int64_probe(value: int, step: int) -> int:
    """``value + step``, held within int64 (an out-of-range probe of a column near +-2**63 is its extreme)."""
    return min(max(int(value) + int(step), INT64_MIN), INT64_MAX)


def _float_probe(value: float, step: float) -> float:
    """``value + step``, or the largest finite double of that sign when the sum overflows (a probe of a column
    near +-1.8e308 must stay finite: infinity is a different case, refused by most scikit-learn steps)."""
    out = value + step
    if math.isfinite(out):
        return out
    return math.copysign(sys.float_info.max, step)


class _NaNMarker:
    """Marks a cell that must be NaN (not null) in the golden input."""


_NAN = _NaNMarker()


def _typical_row(frame: pd.DataFrame, contract: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A row of typical values (median / most frequent) used as the template of edge-case rows."""
    row: dict[str, Any] = {}
    for c in contract:
        col = frame[c["name"]].dropna()
        if col.empty:
            row[c["name"]] = None
        elif c["dtype"] in ("float64", "int64") and c["kind"] != "categorical":
            if c["dtype"] == "int64":
                ordered = sorted(int(v) for v in col)
                row[c["name"]] = ordered[(len(ordered) - 1) // 2]  # exact: a float median loses digits near 2**63
            else:
                row[c["name"]] = float(col.median())
        else:
            mode = col.mode().iloc[0]
            row[c["name"]] = mode.item() if isinstance(mode, np.generic) else mode
    return row


def _typed_frame(records: Sequence[Mapping[str, Any]], contract: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Records -> a DataFrame with nullable typed columns (Float64 keeps NaN distinct from null)."""
    cols: dict[str, Any] = {}
    for c in contract:
        raw = [r.get(c["name"]) for r in records]
        is_null = [v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA for v in raw]
        if c["dtype"] == "float64":
            data = np.array([math.nan if (n or isinstance(v, _NaNMarker)) else float(v) for v, n in zip(raw, is_null)])
            cols[c["name"]] = pd.arrays.FloatingArray(data, np.array(is_null, dtype=bool))
        elif c["dtype"] == "int64":
            cols[c["name"]] = pd.array([None if n else int(v) for v, n in zip(raw, is_null)], dtype="Int64")
        elif c["dtype"] == "bool":
            cols[c["name"]] = pd.array([None if n else bool(v) for v, n in zip(raw, is_null)], dtype="boolean")
        else:
            cols[c["name"]] = pd.Series([None if n else str(v) for v, n in zip(raw, is_null)], dtype=object)
    return pd.DataFrame(cols)
