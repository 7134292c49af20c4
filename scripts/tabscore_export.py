#!/usr/bin/env python3
"""tabscore bundle exporter: writes, seals, digests and validates tabscore bundles.

A bundle is a directory::

    manifest.json          contract + identity (validated against manifest.schema.json)
    preprocessor.skops     the fitted scikit-learn preprocessor (skops.io.dump)
    model.torchscript.pt   torch.jit.trace of the network in eval mode, on the CPU
    model_state.pt         torch.save(model.state_dict())
    golden/input.parquet   raw input rows (typed; null, NaN and "" kept distinct)
    golden/output.parquet  Python's float64 features and model outputs for those rows

The bundle's identity is ``manifest_digest(manifest)``: sha256 over the RFC 8785 (JCS) canonical form of the
manifest, written ``sha256:<hex>``. The file on disk is pretty-printed; the digest never depends on its bytes.

Library use::

    import tabscore_export as tx
    manifest = tx.export_bundle(preprocessor, model, train_df, "out/bundle", name="churn", version="1.0.0",
                                task="binary", classes=[0, 1], target="label")
    tx.seal("fixtures/sklearn-1.9.1/seed-binary", "out/seed-binary")   # a seed-style folder -> bundle
    tx.validate_bundle("out/bundle")

Command line: ``python scripts/tabscore_export.py {export-demo,seal,digest,validate} --help``.
"""
from __future__ import annotations

import argparse
import contextlib
import copy
import datetime as _dt
import hashlib
import json
import math
import os
import platform
import re
import shutil
import sys
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FORMAT_VERSION = 1
REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = REPO_ROOT / "bundle-core" / "src" / "main" / "resources" / "tabscore" / "manifest.schema.json"

MANIFEST = "manifest.json"
PREPROCESSOR = "preprocessor.skops"
TORCHSCRIPT = "model.torchscript.pt"
STATE_DICT = "model_state.pt"
GOLDEN_INPUT = "golden/input.parquet"
GOLDEN_OUTPUT = "golden/output.parquet"

TASKS = ("binary", "multiclass", "regression")
HEADS = {"binary": "sigmoid", "multiclass": "softmax", "regression": "identity"}
QUANTILES = ("0.01", "0.05", "0.25", "0.5", "0.75", "0.95", "0.99")
TOP_FREQUENCIES = 100
OUTPUT_STATISTICS_CHUNK_ROWS = 65536
OTHER_KEY = "__other__"
# The ulp contract of numpy ufuncs (docs/sklearn-coverage/ufunc-contract.md): the inexact ones may differ from
# numpy by UFUNC_ULPS (numpy's SIMD paths differ between CPUs too); golden replay checks every feature derived from
# them, through later steps, within the envelope of results moved that many ulps down and up. Must equal
# Ufunc.CONTRACT_ULPS in Java.
UFUNC_ULPS = 5
EXACT_UFUNCS = frozenset({"abs", "absolute", "fabs", "negative", "positive", "square", "sign", "floor", "ceil", "trunc",
                          "rint", "sqrt", "reciprocal", "deg2rad", "radians", "rad2deg", "degrees", "isnan", "isinf",
                          "isfinite", "logical_not"})
DEFAULT_FEATURE_TOLERANCE = {"default_abs": 0.0, "ufunc_ulps": UFUNC_ULPS}
DEFAULT_OUTPUT_TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}
TRACE_TOLERANCE = 1e-6
GOLDEN_TRAINING_ROWS = 48

# pandas' default NA strings (read_csv keep_default_na=True). pandas >= 2.0 added "None".
PANDAS1_NA_VALUES = (
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null",
)
PANDAS2_NA_VALUES = PANDAS1_NA_VALUES + ("None",)

SEED_TASKS = {
    "binary_classification": "binary",
    "multiclass_classification": "multiclass",
    "regression": "regression",
    "binary": "binary",
    "multiclass": "multiclass",
}
SEED_HEADS = {"sigmoid": "sigmoid", "softmax": "softmax", "softmax(dim=1)": "softmax", "identity": "identity",
              "none": "identity", "": "identity"}


class BundleError(Exception):
    """A bundle (or the inputs to build one) is not valid; the message says what and where."""


# ---------------------------------------------------------------------------------------------------------------
# Canonical JSON (RFC 8785) and the identity digest
# ---------------------------------------------------------------------------------------------------------------

MAX_SAFE_INTEGER = 2**53 - 1


def _jcs_numbers(value: Any) -> Any:
    """Return ``value`` with integers outside +-(2**53-1) turned into floats (JCS numbers are IEEE doubles)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= MAX_SAFE_INTEGER else float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BundleError(f"canonical JSON cannot hold {value!r}: NaN and Infinity are not JSON numbers")
        return value
    if isinstance(value, Mapping):
        for key in value:
            if not isinstance(key, str):
                raise BundleError(f"canonical JSON object keys must be strings, found {key!r}")
        return {k: _jcs_numbers(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jcs_numbers(v) for v in value]
    raise BundleError(f"canonical JSON cannot hold a {type(value).__name__}: {value!r}")


def canonical_json(obj: Any) -> bytes:
    """Serialize ``obj`` to its RFC 8785 (JSON Canonicalization Scheme) form, as UTF-8 bytes.

    Object keys are sorted by their UTF-16 code units, there is no whitespace, strings use the minimal JSON escapes,
    and numbers use the ECMAScript shortest round-trip form (``1e-05`` -> ``0.00001``, ``1e21`` -> ``1e+21``,
    ``100.0`` -> ``100``, ``-0.0`` -> ``0``). NaN and infinities are rejected.
    """
    import rfc8785

    try:
        return rfc8785.dumps(_jcs_numbers(obj))
    except (rfc8785.CanonicalizationError, ValueError) as exc:  # pragma: no cover - defensive
        raise BundleError(f"cannot canonicalize the value: {exc}") from exc


def manifest_digest(manifest: Mapping[str, Any]) -> str:
    """The bundle identity: ``"sha256:" + hex(sha256(canonical_json(manifest)))``."""
    return "sha256:" + hashlib.sha256(canonical_json(manifest)).hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# Files, hashes, the schema
# ---------------------------------------------------------------------------------------------------------------


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Lower-case hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bundle_files(bundle_dir: Path) -> list[str]:
    """Every regular file under ``bundle_dir`` except manifest.json, as sorted '/'-separated relative paths."""
    files = []
    for path in sorted(bundle_dir.rglob("*")):
        if path.is_file():
            rel = path.relative_to(bundle_dir).as_posix()
            if rel != MANIFEST:
                files.append(rel)
    return files


def artifact_entries(bundle_dir: Path) -> dict[str, dict[str, Any]]:
    """``{path: {"bytes", "sha256"}}`` for every file of the bundle except manifest.json."""
    return {rel: {"bytes": (bundle_dir / rel).stat().st_size, "sha256": file_sha256(bundle_dir / rel)}
            for rel in bundle_files(bundle_dir)}


def load_schema() -> dict[str, Any]:
    """The manifest JSON Schema (draft 2020-12) shipped in bundle-core."""
    if not SCHEMA_PATH.is_file():
        raise BundleError(f"manifest schema not found at {SCHEMA_PATH}")
    with open(SCHEMA_PATH, encoding="utf-8") as fh:
        return json.load(fh)


def validate_manifest(manifest: Mapping[str, Any]) -> None:
    """Raise BundleError listing every place where ``manifest`` does not satisfy the JSON Schema."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_schema())
    errors = sorted((_deepest_error(e) for e in validator.iter_errors(manifest)), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  at /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in errors[:20]]
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise BundleError("manifest does not match manifest.schema.json:\n" + "\n".join(lines) + more)


def _deepest_error(error: Any) -> Any:
    """The error that names what is wrong: for a oneOf/anyOf failure ("... is not valid under any of the given
    schemas") the error of the alternative the value was meant to match, e.g. "Additional properties are not
    allowed ('p' was unexpected)" at the offending layer, rather than the whole value. An alternative whose
    discriminator (a ``const`` / ``enum`` / ``type``) fails is not the one meant, while another one exists."""
    if not error.context:
        return error
    by_alternative: dict[Any, list[Any]] = {}
    for e in error.context:
        by_alternative.setdefault(e.relative_schema_path[0] if e.relative_schema_path else None, []).append(e)
    meant = [errs for errs in by_alternative.values()
             if not any(e.validator in ("const", "enum", "type") for e in errs)] or list(by_alternative.values())
    leaves = [_deepest_error(e) for errs in meant for e in errs]
    return max(leaves, key=lambda e: (len(e.absolute_path), e.validator not in ("const", "enum", "type")))


def write_manifest(manifest: Mapping[str, Any], path: Path) -> None:
    """Write the manifest pretty-printed (indent 2, UTF-8, trailing newline)."""
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read manifest.json (or the manifest.json of a bundle directory)."""
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST
    if not path.is_file():
        raise BundleError(f"no manifest at {path}")
    with open(path, encoding="utf-8") as fh:
        return json.load(fh, parse_constant=_reject_constant)


def _reject_constant(name: str) -> Any:
    raise BundleError(f"manifest holds {name}, which is not valid JSON")


def utc_now() -> str:
    """The current time as RFC 3339 UTC with seconds, e.g. 2026-11-22T08:00:00Z."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_versions(**overrides: str) -> dict[str, str]:
    """Versions of the libraries in this Python process (what ``export_bundle`` records)."""
    import sklearn
    import skops
    import torch

    versions = {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "skops": skops.__version__,
        "torch": torch.__version__,
        "pyarrow": pa.__version__,
    }
    try:
        import scipy

        versions["scipy"] = scipy.__version__
    except ImportError:  # pragma: no cover - scipy comes with scikit-learn
        pass
    versions.update(overrides)
    return versions


# ---------------------------------------------------------------------------------------------------------------
# The raw input contract
# ---------------------------------------------------------------------------------------------------------------


def column_dtype(series: pd.Series) -> str:
    """Contract dtype of a DataFrame column: float64, int64, bool or string."""
    dtype = series.dtype
    name = series.name
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int64"
    if pd.api.types.is_float_dtype(dtype):
        return "float64"
    if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(dtype) or dtype == object:
        values = series.dropna()
        kinds = {type(v) for v in values}
        if kinds <= {str}:
            return "string"
        if kinds and kinds <= {bool, np.bool_}:
            return "bool"
        raise BundleError(
            f"column {name!r}: an object column must hold only strings (or only bools), found "
            + ", ".join(sorted(k.__name__ for k in kinds))
        )
    raise BundleError(f"column {name!r}: unsupported dtype {dtype} (use float64, int64, bool or strings)")


def _contains_encoder(estimator: Any) -> bool:
    """Whether an estimator (or a Pipeline / nested ColumnTransformer within it) encodes categories."""
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

    encoders: tuple[type, ...] = (OneHotEncoder, OrdinalEncoder)
    try:
        from sklearn.preprocessing import TargetEncoder

        encoders += (TargetEncoder,)
    except ImportError:  # pragma: no cover - older scikit-learn
        pass
    return any(isinstance(est, encoders) for est in _walk_estimators(estimator))


def _is_identity(estimator: Any) -> bool:
    """Whether an estimator passes its input through unchanged ("passthrough", FunctionTransformer(func=None))."""
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    if isinstance(estimator, str):
        return estimator == "passthrough"
    if isinstance(estimator, FunctionTransformer):
        return estimator.func is None
    if isinstance(estimator, Pipeline):
        return all(step is None or _is_identity(step) for _, step in estimator.steps)
    return False


def _walk_estimators(estimator: Any) -> Iterable[Any]:
    """Yield an estimator and every estimator nested in Pipelines, ColumnTransformers and FeatureUnions."""
    yield estimator
    for attr in ("steps", "transformers_", "transformer_list"):
        for item in getattr(estimator, attr, None) or []:
            if isinstance(item, tuple) and len(item) >= 2 and not isinstance(item[1], str) and item[1] is not None:
                yield from _walk_estimators(item[1])


def _branch_columns(preprocessor: Any) -> list[tuple[str, Any, list[str]]]:
    """(name, transformer, input column names) of every fitted branch of a ColumnTransformer."""
    names_in = list(preprocessor.feature_names_in_)
    branches = []
    for name, trans, cols in preprocessor.transformers_:
        if isinstance(cols, str):
            selected = [cols]
        elif isinstance(cols, slice):
            selected = names_in[cols]
        else:
            cols = list(cols) if not isinstance(cols, np.ndarray) else cols.tolist()
            if cols and all(isinstance(c, (bool, np.bool_)) for c in cols):
                selected = [n for n, keep in zip(names_in, cols) if keep]
            else:
                selected = [names_in[c] if isinstance(c, (int, np.integer)) else str(c) for c in cols]
        branches.append((name, trans, selected))
    return branches


def column_kinds(preprocessor: Any, dtypes: Mapping[str, str]) -> dict[str, str]:
    """Kind of every input column (numeric / categorical / boolean / passthrough) from the branch that uses it."""
    from sklearn.compose import ColumnTransformer

    def by_dtype(col: str) -> str:
        return {"string": "categorical", "bool": "boolean"}.get(dtypes[col], "numeric")

    kinds: dict[str, str] = {}
    if isinstance(preprocessor, ColumnTransformer):
        for _, trans, cols in _branch_columns(preprocessor):
            if isinstance(trans, str) and trans == "drop":
                continue
            for col in cols:
                if col in kinds:
                    continue
                if _is_identity(trans):
                    kinds[col] = "passthrough"
                elif dtypes[col] == "bool":
                    kinds[col] = "boolean"
                elif _contains_encoder(trans) or dtypes[col] == "string":
                    kinds[col] = "categorical"
                else:
                    kinds[col] = "numeric"
    return {col: kinds.get(col, by_dtype(col)) for col in dtypes}


def sklearn_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A DataFrame as scikit-learn must see it: None/NA -> NaN in object columns, nullable dtypes -> numpy.

    This is what ``pyarrow.parquet.read_table(p).to_pandas()`` followed by replacing None with NaN gives
    (the fixtures' ``how_read_parquet``).
    """
    out = {}
    for col in df.columns:
        s = df[col]
        if isinstance(s.dtype, pd.api.extensions.ExtensionDtype) and not isinstance(s.dtype, pd.CategoricalDtype):
            if pd.api.types.is_float_dtype(s.dtype) or pd.api.types.is_integer_dtype(s.dtype):
                s = pd.Series(s.to_numpy(dtype=np.float64, na_value=np.nan) if s.hasnans else
                              s.to_numpy(dtype=s.dtype.numpy_dtype), index=s.index, name=col)
            else:
                s = s.astype(object)
        if s.dtype == object:
            s = s.map(lambda v: np.nan if v is None or v is pd.NA else v)
            s = s.astype(object)
        out[col] = s
    return pd.DataFrame(out, index=df.index)


def transform_features(preprocessor: Any, df: pd.DataFrame) -> np.ndarray:
    """``preprocessor.transform`` as a dense float64 array. Warnings about unknown categories and invalid ufunc
    inputs are silenced: callers check the result for non-finite values themselves."""
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        out = preprocessor.transform(df)
    if hasattr(out, "toarray"):
        out = out.toarray()
    if isinstance(out, pd.DataFrame):
        out = out.to_numpy()
    return np.asarray(out, dtype=np.float64)


def column_nullable(preprocessor: Any, base: pd.DataFrame, column: str, missing: Any = np.nan) -> bool:
    """Whether a missing value in ``column`` (the rest of ``base`` unchanged) still transforms to finite features.

    ``base`` is a frame as ``sklearn_frame`` makes it; the missing value is NaN, in an object column for strings and
    bools (as Parquet nulls arrive) and in a float64 column for numbers.
    """
    probe = base.copy()
    as_object = probe[column].dtype == object or pd.api.types.is_bool_dtype(probe[column].dtype)
    probe[column] = pd.Series([missing] * len(probe), index=probe.index,
                              dtype=object if as_object or missing is None else np.float64)
    try:
        features = transform_features(preprocessor, probe)
    except (ValueError, TypeError):
        return False
    return bool(np.isfinite(features).all())


def input_contract(preprocessor: Any, train_df: pd.DataFrame) -> list[dict[str, Any]]:
    """The raw input contract: one entry per ``feature_names_in_`` column, in order."""
    names = getattr(preprocessor, "feature_names_in_", None)
    if names is None:
        raise BundleError("the preprocessor has no feature_names_in_: fit it on a pandas DataFrame with named columns")
    names = [str(n) for n in names]
    missing = [n for n in names if n not in train_df.columns]
    if missing:
        raise BundleError(f"train_df lacks the preprocessor's input columns {missing}")
    dtypes = {n: column_dtype(train_df[n]) for n in names}
    kinds = column_kinds(preprocessor, dtypes)
    complete = train_df[names].dropna()
    base = sklearn_frame((complete if len(complete) else train_df[names]).head(32).reset_index(drop=True))
    return [{"name": n, "kind": kinds[n], "dtype": dtypes[n], "nullable": column_nullable(preprocessor, base, n)}
            for n in names]


# --- None versus NaN in string columns (issue 12): what a null was to the fitted graph -------------------------
# A pandas frame read from Parquet/SQL holds None for a null string; scikit-learn keeps None apart from NaN (a
# category of its own, sorted after the values and before NaN; not missing to a NaN imputer). The manifest records
# per string column what the graph saw for a null (input.columns[].training_nulls), and Java scores a null as None
# where that is "none". Kept in these functions so that they port as one piece.

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


def _outcome(preprocessor: Any, frame: pd.DataFrame) -> tuple[dict[int, str], np.ndarray]:
    features, refused = transform_rows(preprocessor, frame)
    return refused, features


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


def training_nulls_of(preprocessor: Any, train_df: pd.DataFrame, contract: Sequence[Mapping[str, Any]],
                      base: pd.DataFrame) -> dict[str, str]:
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
                raise BundleError(f"column {name!r} ({c['dtype']}) holds Python None, which the fitted graph treats "
                                  "differently from NaN; tabscore scores a null in a non-string column as NaN: "
                                  "replace None by NaN there before fitting (or give the column pandas' nullable "
                                  "dtype)")
            continue
        if has_nan and distinct:
            warnings.warn(f"column {name!r} holds both None and NaN in the training frame and the fitted graph treats "
                          "them differently; a null at scoring is one value, scored as None (what pandas holds for "
                          "a null read from Parquet or SQL), so what the graph learned for NaN there is never reached "
                          "by a null", UserWarning, stacklevel=3)
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


def frame_as_fitted(frame: pd.DataFrame, contract: Sequence[Mapping[str, Any]] | None,
                    dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
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


# Data-quality policies of input columns (input.columns[].policy; columnPolicy in the schema)
POLICY_VALUES = {
    "on_null": ("preprocess", "reject"),
    "on_invalid": ("reject", "fail"),
    "on_unknown": ("preprocess", "reject", "fail"),
}
MAX_UNKNOWN_RATE = "max_unknown_rate"


def check_policy(column: str, kind: str, policy: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one column's policy (see columnPolicy in the schema) and return it as a plain dict.

    Every member is optional: on_null (preprocess | reject), on_invalid (reject | fail), on_unknown (preprocess |
    reject | fail; other than preprocess only on a categorical column) and max_unknown_rate (a number in [0, 1], only
    with on_unknown fail).
    """
    if not isinstance(policy, Mapping):
        raise BundleError(f"policy of column {column!r} must be a mapping, got {type(policy).__name__}")
    unknown = sorted(str(k) for k in policy if k not in POLICY_VALUES and k != MAX_UNKNOWN_RATE)
    if unknown:
        raise BundleError(f"policy of column {column!r}: unknown members {unknown} (allowed: "
                          f"{sorted([*POLICY_VALUES, MAX_UNKNOWN_RATE])})")
    out: dict[str, Any] = {}
    for key, allowed in POLICY_VALUES.items():
        if key in policy:
            value = policy[key]
            if not isinstance(value, str) or value not in allowed:
                raise BundleError(f"policy of column {column!r}: {key} must be one of {list(allowed)}, got {value!r}")
            out[key] = value
    if out.get("on_unknown", "preprocess") != "preprocess" and kind != "categorical":
        raise BundleError(f"policy of column {column!r}: on_unknown={out['on_unknown']!r} needs a categorical column, "
                          f"but {column!r} is {kind} (unknown categories exist only in categorical columns)")
    if MAX_UNKNOWN_RATE in policy:
        rate = policy[MAX_UNKNOWN_RATE]
        if out.get("on_unknown") != "fail":
            raise BundleError(f"policy of column {column!r}: {MAX_UNKNOWN_RATE} is allowed only with "
                              f"on_unknown='fail' (got on_unknown={out.get('on_unknown')!r})")
        if isinstance(rate, (bool, np.bool_)) or not isinstance(rate, (int, float, np.integer, np.floating)) \
                or not math.isfinite(float(rate)) or not 0.0 <= float(rate) <= 1.0:
            raise BundleError(f"policy of column {column!r}: {MAX_UNKNOWN_RATE} must be a number in [0, 1], "
                              f"got {rate!r}")
        out[MAX_UNKNOWN_RATE] = rate.item() if isinstance(rate, np.generic) else rate
    return out


def apply_policies(contract: Sequence[Mapping[str, Any]],
                   policies: Mapping[str, Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """The contract with each validated policy written into its column's entry (``policy``, after ``nullable``).

    Keys of ``policies`` must be contract column names; an unknown name is refused.
    """
    out = [dict(c) for c in contract]
    if policies is None:
        return out
    if not isinstance(policies, Mapping):
        raise BundleError(f"policies must be a mapping of column name -> policy, got {type(policies).__name__}")
    by_name = {c["name"]: c for c in out}
    unknown = [str(k) for k in policies if k not in by_name]
    if unknown:
        raise BundleError(f"policies name columns that are not inputs of the preprocessor: {sorted(unknown)} "
                          f"(inputs: {list(by_name)})")
    for name, policy in policies.items():
        by_name[name]["policy"] = check_policy(name, by_name[name]["kind"], policy)
    return out


# ---------------------------------------------------------------------------------------------------------------
# The skops file, read as JSON only (never unpickled here)
# ---------------------------------------------------------------------------------------------------------------


def read_skops_schema(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The ``schema.json`` entry of a .skops zip."""
    try:
        with zipfile.ZipFile(path) as zf:
            return json.loads(zf.read("schema.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        raise BundleError(f"{path} is not a skops file (zip with schema.json): {exc}") from exc


def _schema_nodes(node: Any) -> Iterable[dict[str, Any]]:
    """Every node dict of a skops schema tree."""
    if isinstance(node, dict):
        if "__loader__" in node:
            yield node
        for value in node.values():
            yield from _schema_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_nodes(value)


@dataclass(frozen=True)
class SkopsSummary:
    """What the manifest says about a .skops file."""

    protocol: int
    root_class: str
    sklearn_classes: list[str]
    ufunc_branches: list[str]
    verbose_feature_names_out: bool
    ufunc_names: dict[str, list[str]] = field(default_factory=dict)


def skops_summary(path: str | os.PathLike[str]) -> SkopsSummary:
    """Protocol, root class, sklearn classes and the ColumnTransformer branches that apply a numpy ufunc."""
    schema = read_skops_schema(path)
    if "protocol" not in schema:
        raise BundleError(f"{path}: schema.json has no 'protocol'")
    classes = sorted({f"{n['__module__']}.{n['__class__']}" for n in _schema_nodes(schema)
                      if str(n.get("__module__", "")).startswith("sklearn.")})
    root = f"{schema.get('__module__')}.{schema.get('__class__')}"
    branches: list[str] = []
    ufunc_names: dict[str, list[str]] = {}
    verbose = True
    attrs = (schema.get("content") or {}).get("content") or {}
    if isinstance(attrs, dict):
        flag = attrs.get("verbose_feature_names_out")
        if isinstance(flag, dict) and flag.get("content") == "false":
            verbose = False
        transformers = attrs.get("transformers_")
        for entry in (transformers or {}).get("content") or []:
            parts = entry.get("content") if isinstance(entry, dict) else None
            if not parts or len(parts) < 2:
                continue
            name = json.loads(parts[0].get("content", "null")) if isinstance(parts[0], dict) else None
            funcs = sorted({str(n.get("__class__")) for n in _schema_nodes(parts[1])
                            if n.get("__loader__") == "FunctionNode" and str(n.get("__module__", "")).startswith("numpy")})
            if isinstance(name, str) and funcs:
                branches.append(name)
                ufunc_names[name] = funcs
    return SkopsSummary(int(schema["protocol"]), root, classes, branches, verbose, ufunc_names)


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

    return sorted({e.func.__name__ for e in _walk_estimators(est)
                   if isinstance(e, FunctionTransformer) and isinstance(e.func, np.ufunc)})


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


def ufunc_sources_from_branches(feature_names: Sequence[str], skops: "SkopsSummary") -> dict[str, list[str]]:
    """``ufunc_sources`` from a skops summary: each ufunc branch's functions for the features it prefixes."""
    out: dict[str, list[str]] = {}
    for f in ufunc_features_from_branches(feature_names, skops.ufunc_branches, skops.verbose_feature_names_out):
        funcs = sorted({u for b in skops.ufunc_branches if not skops.verbose_feature_names_out or f.startswith(f"{b}__")
                        for u in skops.ufunc_names.get(b, [])})
        out[f] = funcs
    return out


def feature_tolerance(ufunc_sources: Mapping[str, list[str]],
                      approx: Mapping[str, float] | None = None) -> dict[str, Any]:
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
LIBM_TRANSFORMERS = ("PowerTransformer", "QuantileTransformer", "Normalizer", "PCA", "TruncatedSVD")
# The stated tolerance of their features, relative: |java - golden| <= APPROX_REL * max(1, |golden|) (65536 double ulps;
# the measured errors are far inside it: docs/sklearn-coverage/approx-contract.md).
APPROX_REL = 2.0 ** -36


def _libm_transformer(est: Any) -> bool:
    """PowerTransformer, QuantileTransformer(output_distribution='normal'), Normalizer(norm='l1'/'l2'), PCA and
    TruncatedSVD."""
    kind = type(est).__name__
    if kind == "QuantileTransformer":
        return getattr(est, "output_distribution", None) == "normal"
    if kind == "Normalizer":
        return getattr(est, "norm", None) != "max"
    return kind in ("PowerTransformer", "PCA", "TruncatedSVD")


def approx_features_of(preprocessor: Any, feature_names: Sequence[str]) -> dict[str, float]:
    """Per output feature downstream of a LIBM_TRANSFORMERS step, its relative golden tolerance."""
    from sklearn.compose import ColumnTransformer

    def libm(est: Any) -> bool:
        return any(_libm_transformer(e) for e in _walk_estimators(est))

    names = list(feature_names)
    if not isinstance(preprocessor, ColumnTransformer):
        selected = names if libm(preprocessor) else []
    else:
        chosen: set[str] = set()
        for name, trans, _ in preprocessor.transformers_:
            if not isinstance(trans, str) and libm(trans):
                chosen.update(names[preprocessor.output_indices_[name]])
        selected = [f for f in names if f in chosen]
    if not selected:
        return {}
    return {f: APPROX_REL for f in selected}


def _nudged(func: Any, ulps: int) -> Any:
    """``func`` with each finite float result moved ``ulps`` steps up (or down, when negative)."""
    def nudged(X: Any, *args: Any, **kwargs: Any) -> Any:
        Y = func(X, *args, **kwargs)
        arr = np.asarray(Y)
        if arr.dtype.kind != "f":
            return Y
        out = np.array(arr, dtype=arr.dtype, copy=True)
        finite = np.isfinite(out)
        target = np.inf if ulps > 0 else -np.inf
        for _ in range(abs(ulps)):
            out[finite] = np.nextafter(out[finite], target)
        if hasattr(Y, "iloc"):
            return type(Y)(out, index=Y.index, columns=getattr(Y, "columns", None))
        return out
    return nudged


def ufunc_envelope(preprocessor: Any, frame: Any, ulps: int) -> tuple[np.ndarray, np.ndarray]:
    """Features with every inexact ufunc result moved ``ulps`` ulps down and up: the envelope golden replay accepts
    (scikit-learn's steps after a ufunc are monotone, so numpy's result on any CPU lies within it)."""
    import copy

    from sklearn.preprocessing import FunctionTransformer

    bounds = []
    for sign in (-1, 1):
        pre = copy.deepcopy(preprocessor)
        for e in _walk_estimators(pre):
            if isinstance(e, FunctionTransformer) and isinstance(e.func, np.ufunc) and e.func.__name__ not in EXACT_UFUNCS:
                e.func = _nudged(e.func, sign * ulps)
        bounds.append(transform_features(pre, frame))
    return np.minimum(bounds[0], bounds[1]), np.maximum(bounds[0], bounds[1])


# ---------------------------------------------------------------------------------------------------------------
# The network
# ---------------------------------------------------------------------------------------------------------------


def infer_layers(model: Any) -> list[dict[str, Any]] | None:
    """The layer list of a plain ``nn.Sequential`` MLP made only of the allowed layer types, else None."""
    from torch import nn

    if type(model) is not nn.Sequential:
        return None
    layers: list[dict[str, Any]] = []
    for module in model.children():
        kind = type(module)
        if kind is nn.Linear:
            layers.append({"type": "Linear", "in_features": module.in_features,
                           "out_features": module.out_features, "bias": module.bias is not None})
        elif kind in (nn.ReLU, nn.Sigmoid, nn.Tanh, nn.Identity):
            layers.append({"type": kind.__name__})
        elif kind is nn.GELU and module.approximate == "none":
            layers.append({"type": "GELU"})
        elif kind is nn.Dropout:
            layers.append({"type": "Dropout", "p": float(module.p)})
        elif kind is nn.LeakyReLU:
            layers.append({"type": "LeakyReLU", "negative_slope": float(module.negative_slope)})
        else:
            return None
    if not layers or not any(layer["type"] == "Linear" for layer in layers):
        return None
    expected_keys = set()
    for i, layer in enumerate(layers):
        if layer["type"] == "Linear":
            expected_keys.add(f"{i}.weight")
            if layer["bias"]:
                expected_keys.add(f"{i}.bias")
    if set(model.state_dict().keys()) != expected_keys:
        return None
    return layers


def build_sequential(layers: Sequence[Mapping[str, Any]]) -> Any:
    """An ``nn.Sequential`` built from a manifest layer list (the inverse of ``infer_layers``)."""
    from torch import nn

    modules = []
    for i, layer in enumerate(layers):
        kind = layer.get("type")
        if kind == "Linear":
            modules.append(nn.Linear(layer["in_features"], layer["out_features"], bias=layer["bias"]))
        elif kind in ("ReLU", "Sigmoid", "Tanh", "GELU", "Identity"):
            modules.append(getattr(nn, kind)())
        elif kind == "Dropout":
            modules.append(nn.Dropout(layer["p"]))
        elif kind == "LeakyReLU":
            modules.append(nn.LeakyReLU(layer["negative_slope"]))
        else:
            raise BundleError(f"layer {i}: unsupported type {kind!r}")
    return nn.Sequential(*modules)


def layer_dims(layers: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    """(input width, output width) of a layer list (from its first and last Linear)."""
    linears = [layer for layer in layers if layer["type"] == "Linear"]
    if not linears:
        raise BundleError("the layer list has no Linear layer")
    return linears[0]["in_features"], linears[-1]["out_features"]


def forward_float32(model: Any, features: np.ndarray) -> np.ndarray:
    """The network's float32 forward pass over the whole batch (features rounded to float32), as float32 logits."""
    import torch

    x = torch.from_numpy(np.ascontiguousarray(features, dtype=np.float32))
    with torch.no_grad():
        out = model(x)
    if not isinstance(out, torch.Tensor):
        raise BundleError(f"the model returned {type(out).__name__}, expected a tensor")
    out = out.detach().cpu()
    if out.dtype != torch.float32:
        raise BundleError(f"the model returned {out.dtype}, expected torch.float32")
    if out.ndim == 1:
        out = out.reshape(-1, 1)
    return out.numpy().copy()


def model_columns(logits: np.ndarray, task: str, classes: Sequence[Any] | None) -> dict[str, np.ndarray]:
    """The golden model columns from float32 logits: binary logit/prob, multiclass logit_<c>/prob_<c>/label,
    regression prediction. Heads are applied by torch in float32; values are widened to float64."""
    import torch

    t = torch.from_numpy(logits)
    if task == "binary":
        return {"logit": logits[:, 0].astype(np.float64),
                "prob": torch.sigmoid(t).numpy()[:, 0].astype(np.float64)}
    if task == "multiclass":
        assert classes is not None
        probs = torch.softmax(t, dim=1).numpy()
        cols: dict[str, np.ndarray] = {}
        for i, c in enumerate(classes):
            cols[f"logit_{c}"] = logits[:, i].astype(np.float64)
        for i, c in enumerate(classes):
            cols[f"prob_{c}"] = probs[:, i].astype(np.float64)
        cols["label"] = np.array([str(classes[i]) for i in probs.argmax(axis=1)], dtype=object)
        return cols
    return {"prediction": logits[:, 0].astype(np.float64)}


def output_columns(task: str, classes: Sequence[Any] | None) -> list[str]:
    """The manifest's golden.output_columns (the scoring output's prediction columns)."""
    if task == "binary":
        return ["prob"]
    if task == "multiclass":
        assert classes is not None
        return [f"prob_{c}" for c in classes] + ["label"]
    return ["prediction"]


def golden_model_column_names(task: str, classes: Sequence[Any] | None) -> list[str]:
    """Every model column of golden/output.parquet, in order."""
    if task == "binary":
        return ["logit", "prob"]
    if task == "multiclass":
        assert classes is not None
        return [f"logit_{c}" for c in classes] + [f"prob_{c}" for c in classes] + ["label"]
    return ["prediction"]


def _close(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    """Within atol + rtol * |b|, or the same non-finite value (NaN and NaN, inf and inf: a network fed NaN features
    or features beyond float32 gives them)."""
    with np.errstate(invalid="ignore"):
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        return bool(np.all(same | (np.abs(a - b) <= atol + rtol * np.abs(b))))


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
        quantiles = {q: v if math.isfinite(v) else float(np.quantile(values, float(q), method="nearest"))
                     for q, v in quantiles.items()}
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


def output_statistics(preprocessor: Any, model: Any, train_df: pd.DataFrame, contract: Sequence[Mapping[str, Any]],
                      task: str, classes: Sequence[Any] | None) -> dict[str, Any]:
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
        features = transform_features(preprocessor, frame.iloc[start:start + OUTPUT_STATISTICS_CHUNK_ROWS])
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
        entry: dict[str, Any] = {"missing_rate": float((count - len(present)) / count) if count else 0.0,
                                 "count": count}
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
            numeric = pd.to_numeric(series.astype(object).where(series.notna(), np.nan), errors="coerce") \
                if series.dtype == object else series
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
    return pa.Table.from_arrays(arrays, schema=pa.schema([pa.field(c["name"], ARROW_TYPES[c["dtype"]])
                                                          for c in contract]))


def read_golden_input(path: str | os.PathLike[str], contract: Sequence[Mapping[str, Any]] | None = None,
                      dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Read golden input Parquet the way its features were computed: ``read_table().to_pandas()`` then
    None -> NaN in every object column (sklearn treats only NaN as missing there), except in the ``contract``'s
    columns whose training frame held None (``frame_as_fitted``)."""
    return frame_as_fitted(sklearn_frame(pq.read_table(path).to_pandas()), contract, dtypes)


def golden_output_table(feature_names: Sequence[str], features: np.ndarray,
                        model_cols: Mapping[str, np.ndarray]) -> pa.Table:
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


def synthesize_golden(train_df: pd.DataFrame, contract: Sequence[Mapping[str, Any]], *,
                      rows: int = GOLDEN_TRAINING_ROWS, seed: int = 0) -> pd.DataFrame:
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


# ---------------------------------------------------------------------------------------------------------------
# Manifest assembly
# ---------------------------------------------------------------------------------------------------------------


def _check_task(task: str, classes: Sequence[Any] | None) -> list[Any] | None:
    """Validate task and classes; binary defaults to classes [0, 1]."""
    if task not in TASKS:
        raise BundleError(f"task must be one of {TASKS}, got {task!r}")
    if task == "regression":
        if classes is not None:
            raise BundleError("classes must be None for a regression bundle")
        return None
    classes = [0, 1] if classes is None and task == "binary" else classes
    if classes is None:
        raise BundleError("a multiclass bundle needs classes (labels in model output order)")
    classes = [c.item() if isinstance(c, np.generic) else c for c in classes]
    if task == "binary" and len(classes) != 2:
        raise BundleError(f"a binary bundle has exactly 2 classes, got {classes}")
    if task == "multiclass" and len(classes) < 2:
        raise BundleError(f"a multiclass bundle needs at least 2 classes, got {classes}")
    if not (all(isinstance(c, str) for c in classes) or all(isinstance(c, int) and not isinstance(c, bool)
                                                             for c in classes)):
        raise BundleError(f"classes must be all strings or all integers, got {classes}")
    if len({str(c) for c in classes}) != len(classes):
        raise BundleError(f"classes must be distinct (as strings too), got {classes}")
    return list(classes)


def build_manifest(*, name: str, version: str, created_at: str, task: str, classes: list[Any] | None,
                   contract: list[dict[str, Any]], feature_names: list[str], skops: SkopsSummary,
                   ufunc_features: Mapping[str, list[str]] | list[str], has_torchscript: bool, has_state_dict: bool, output_dim: int,
                   layers: list[dict[str, Any]] | None, versions: dict[str, str], training: dict[str, Any],
                   golden_rows: int, artifacts: dict[str, dict[str, Any]],
                   approx_features: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Assemble the manifest dict in the documented key order."""
    return {
        "format_version": FORMAT_VERSION,
        "name": name,
        "version": version,
        "created_at": created_at,
        "task": task,
        "classes": classes,
        "input": {"columns": contract},
        "features": {"names": feature_names, "width": len(feature_names)},
        "preprocessor": {"path": PREPROCESSOR, "skops_protocol": skops.protocol, "root_class": skops.root_class,
                         "sklearn_classes": skops.sklearn_classes},
        "model": {
            "torchscript": TORCHSCRIPT if has_torchscript else None,
            "state_dict": STATE_DICT if has_state_dict else None,
            "input_dtype": "float32",
            "input_width": len(feature_names),
            "output_dim": output_dim,
            "output_head": HEADS[task],
            "layers": layers,
        },
        "versions": versions,
        "training": training,
        "golden": {
            "input": GOLDEN_INPUT,
            "output": GOLDEN_OUTPUT,
            "rows": golden_rows,
            "feature_tolerance": feature_tolerance(ufunc_features if isinstance(ufunc_features, Mapping)
                                                   else {f: [] for f in ufunc_features}, approx_features),
            "output_tolerance": dict(DEFAULT_OUTPUT_TOLERANCE),
            "output_columns": output_columns(task, classes),
        },
        "artifacts": artifacts,
    }


class _Staging:
    """Writes a bundle into a hidden sibling folder and moves it into place only when everything succeeded."""

    def __init__(self, out_dir: str | os.PathLike[str], overwrite: bool) -> None:
        self.out_dir = Path(out_dir).resolve()
        if self.out_dir.exists() and any(self.out_dir.iterdir()) and not overwrite:
            raise BundleError(f"{self.out_dir} exists and is not empty (pass overwrite=True / --overwrite)")
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.tmp-", dir=self.out_dir.parent))

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            return
        if self.out_dir.exists():
            shutil.rmtree(self.out_dir)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.path, 0o777 & ~umask)  # mkdtemp made it private
        os.replace(self.path, self.out_dir)


# ---------------------------------------------------------------------------------------------------------------
# export_bundle
# ---------------------------------------------------------------------------------------------------------------


def export_bundle(preprocessor: Any, model: Any, train_df: pd.DataFrame, out_dir: str | os.PathLike[str],
                  golden_df: pd.DataFrame | None = None, *, name: str, version: str, task: str,
                  classes: Sequence[Any] | None = None, target: str | None = None, snapshot_id: str | None = None,
                  run_id: str | None = None, metrics: Mapping[str, Any] | None = None,
                  layers: list[dict[str, Any]] | None = None, created_at: str | None = None,
                  golden_seed: int = 0, overwrite: bool = False,
                  policies: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """Write a complete, self-checked bundle to ``out_dir`` and return its manifest.

    ``preprocessor`` is a fitted scikit-learn transformer (normally a ColumnTransformer) fitted on a DataFrame;
    ``model`` a torch module mapping float32 features to logits (binary: 1 output; multiclass: one per class;
    regression: 1). ``train_df`` holds the training rows (input columns, optionally the ``target`` and ids):
    it gives the input dtypes, the statistics and, when ``golden_df`` is None, the golden rows.
    A ``golden_df`` may use pandas' nullable Float64 dtype to hold a NaN that is not a null.
    ``layers`` overrides the inferred layer list (it is checked against the model on the golden batch).
    ``policies`` maps input column names to data-quality policies (``check_policy``; columnPolicy in the schema),
    written into their ``input.columns`` entries; columns without one get the default behaviour.
    ``training.output_statistics`` holds the statistics of the model's outputs on ``train_df``.

    Checks before anything is kept: the TorchScript reload equals the eager model on the golden batch (1e-6), the
    layer list rebuilt from the state_dict equals it too, the skops reload gives identical features, and the
    manifest validates against the JSON Schema. The bundle is written to a temporary sibling folder first.
    """
    import skops.io as sio
    import torch

    classes = _check_task(task, classes)
    if target is not None:
        if target not in train_df.columns:
            raise BundleError(f"target column {target!r} is not in train_df")
        if target in [str(n) for n in getattr(preprocessor, "feature_names_in_", [])]:
            raise BundleError(f"target column {target!r} is an input of the preprocessor (target leakage)")
    contract = input_contract(preprocessor, train_df)
    contract = _contract_with_training_nulls(preprocessor, train_df, contract)
    contract_with_policies = apply_policies(contract, policies)
    feature_names = [str(f) for f in preprocessor.get_feature_names_out()]
    duplicated = sorted({f for f in feature_names if feature_names.count(f) > 1})
    if duplicated:
        raise BundleError(f"feature names are not unique: {duplicated[:10]} appear more than once in "
                          "get_feature_names_out() (e.g. an encoder whose categories hold both the string 'nan' and "
                          "a missing value, or branches named alike with verbose_feature_names_out=False): the "
                          "bundle names every feature; rename the category or make the names verbose")
    net = copy.deepcopy(model).cpu().eval()
    for pname, param in net.state_dict().items():
        if param.dtype != torch.float32:
            raise BundleError(f"model parameter {pname} is {param.dtype}; the bundle format needs float32")
    output_dim = _check_model_shape(net, len(feature_names), task, classes)
    inferred = infer_layers(net)
    layers = layers if layers is not None else inferred
    if layers is not None:
        _check_layers(layers, len(feature_names), output_dim)

    dtypes = fitted_dtypes(train_df, contract)
    synthesized = golden_df is None
    if synthesized:
        golden_df = synthesize_golden(train_df, contract, seed=golden_seed)
    with _Staging(out_dir, overwrite) as stage:
        in_table = golden_input_table(golden_df, contract)
        write_parquet(in_table, stage / GOLDEN_INPUT)
        golden_frame = read_golden_input(stage / GOLDEN_INPUT, contract, dtypes)
        base_rows = min(GOLDEN_TRAINING_ROWS, len(train_df)) if synthesized else len(golden_frame)
        # Leaving rows out can change a column's dtype as read back (a bool column without its null rows is no
        # longer object), and scikit-learn may then refuse other rows: filter until the batch is stable.
        for attempt in range(3):
            try:
                keep = _golden_rows_kept(preprocessor, golden_frame, feature_names, synthesized, base_rows)
            except NoGoldenRowError:
                if not synthesized or attempt or base_rows == len(golden_frame):
                    raise
                # The edge rows change a column's dtype for the whole batch (e.g. a null makes a bool column
                # object) and scikit-learn then refuses every row: keep the sampled training rows alone.
                keep = np.arange(len(golden_frame)) < base_rows
            if keep.all():
                break
            base_rows = int(keep[:base_rows].sum())
            in_table = in_table.filter(pa.array(keep))
            write_parquet(in_table, stage / GOLDEN_INPUT)
            golden_frame = read_golden_input(stage / GOLDEN_INPUT, contract, dtypes)
        features = transform_features(preprocessor, golden_frame)
        _check_feature_shape(features, feature_names)
        contract_with_policies = _nullable_where_golden_nulls(contract_with_policies, in_table)
        logits = forward_float32(net, features)

        sio.dump(preprocessor, stage / PREPROCESSOR)
        _check_skops_reload(stage / PREPROCESSOR, golden_frame, features)

        with _torchscript_quiet():
            traced = torch.jit.trace(net, torch.zeros(1, len(feature_names), dtype=torch.float32))
            torch.jit.save(traced, str(stage / TORCHSCRIPT))
            reloaded = torch.jit.load(str(stage / TORCHSCRIPT), map_location="cpu")
        _check_same_outputs("TorchScript reload", forward_float32(reloaded, features), logits)
        # A state_dict is written only with the layer list Java rebuilds the network from: without one
        # (any network that is not a plain nn.Sequential of the supported layers) it could never be loaded,
        # and verify refuses a bundle whose artifacts do not all load.
        if layers is not None:
            torch.save(net.state_dict(), stage / STATE_DICT)
            rebuilt = build_sequential(layers)
            state = torch.load(stage / STATE_DICT, map_location="cpu", weights_only=True)
            try:
                rebuilt.load_state_dict(state, strict=True)
            except RuntimeError as exc:
                raise BundleError(f"the layer list does not fit the model's state_dict: {exc}") from exc
            _check_same_outputs("layers + state_dict", forward_float32(rebuilt.eval(), features), logits)

        write_parquet(golden_output_table(feature_names, features, model_columns(logits, task, classes)),
                      stage / GOLDEN_OUTPUT)
        skops = skops_summary(stage / PREPROCESSOR)
        training = {
            "snapshot_id": snapshot_id,
            "run_id": run_id,
            "rows": int(len(train_df)),
            "metrics": numeric_metrics(metrics),
            "statistics": training_statistics(train_df, contract),
            "output_statistics": output_statistics(preprocessor, net, train_df, contract, task, classes),
        }
        manifest = build_manifest(
            name=name, version=version, created_at=created_at or utc_now(), task=task, classes=classes,
            contract=contract_with_policies, feature_names=feature_names, skops=skops,
            ufunc_features=ufunc_sources_of(preprocessor, feature_names), has_torchscript=True,
            has_state_dict=layers is not None, output_dim=output_dim, layers=layers, versions=current_versions(),
            training=training, golden_rows=in_table.num_rows, artifacts=artifact_entries(stage),
            approx_features=approx_features_of(preprocessor, feature_names))
        validate_manifest(manifest)
        check_consistency(manifest)
        write_manifest(manifest, stage / MANIFEST)
    return manifest


@contextlib.contextmanager
def _torchscript_quiet() -> Iterator[None]:
    """Silence torch's DeprecationWarning for torch.jit: TorchScript is the format DJL (the Java side) runs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _check_model_shape(net: Any, width: int, task: str, classes: list[Any] | None) -> int:
    """Run the model on zeros(2, width) and check its output width against the task."""
    try:
        out = forward_float32(net, np.zeros((2, width)))
    except RuntimeError as exc:
        raise BundleError(f"the model does not accept {width} float32 features (the preprocessor's width): {exc}") \
            from exc
    dim = out.shape[1]
    expected = len(classes) if task == "multiclass" and classes else 1
    if dim != expected:
        raise BundleError(f"the model outputs {dim} values per row; a {task} bundle needs {expected}")
    return dim


def _check_layers(layers: Sequence[Mapping[str, Any]], width: int, output_dim: int) -> None:
    """The layer list's first Linear takes ``width`` inputs and its last one gives ``output_dim`` outputs."""
    d_in, d_out = layer_dims(layers)
    if (d_in, d_out) != (width, output_dim):
        raise BundleError(f"the layer list maps {d_in} -> {d_out}, the bundle needs {width} -> {output_dim}")


FLOAT32_MAX = float(np.finfo(np.float32).max)


def _golden_rows_kept(preprocessor: Any, frame: pd.DataFrame, feature_names: Sequence[str], synthesized: bool,
                      base_rows: int) -> np.ndarray:
    """Which golden rows to keep: those scikit-learn transforms into finite features that float32 holds.

    A synthesized edge row (missing value, unseen category, out-of-range number: rows ``base_rows`` onwards) that
    the fitted graph refuses (e.g. an unseen category under the encoder's default ``handle_unknown='error'``),
    turns into a non-finite feature or into a feature beyond float32's range is left out: the golden batch
    exercises such values only where the graph accepts them; so is a sampled training row with a non-finite
    feature. A training row with a feature beyond float32, or a row of a caller's ``golden_df`` that does any
    of this, is an error naming the row, the feature and the value.
    """
    features, refused = transform_rows(preprocessor, frame)
    keep = np.ones(len(frame), dtype=bool)
    problems: list[str] = []
    overflow: list[str] = []
    for row in range(len(frame)):
        beyond_float32 = False
        if row in refused:
            why = f"scikit-learn refuses it: {refused[row]}"
        else:
            values = features[row]
            bad = np.flatnonzero(~np.isfinite(values) | (np.abs(np.nan_to_num(values)) > FLOAT32_MAX))
            if not len(bad):
                continue
            j = int(bad[0])
            value = float(values[j])
            if math.isfinite(value):
                beyond_float32 = True
                why = (f"feature {feature_names[j]!r} is {value!r}, beyond float32's range (+-{FLOAT32_MAX:.7g}): the "
                       "network takes float32 features, so the model would see inf; scale or clip the input "
                       "columns behind it")
            else:
                why = f"feature {feature_names[j]!r} is {value!r} (non-finite); impute or clip the input columns behind it"
        if synthesized and row < base_rows and beyond_float32:
            overflow.append(why)  # a training row: the network was trained on inf there too; kept, with a warning
            continue
        keep[row] = False
        # A sampled training row that turns into NaN (a column no step imputes) is left out, as before.
        if not synthesized:
            problems.append(f"golden row {row}: {why} (row: {_row_text(frame, row)})")
    if problems:
        more = f"\n  ... and {len(problems) - 5} more" if len(problems) > 5 else ""
        source = "training rows" if synthesized else "golden_df rows"
        raise BundleError(f"{source} that cannot be scored:\n  " + "\n  ".join(problems[:5]) + more)
    if overflow:
        _warn_golden(f"{len(overflow)} training row(s) give features beyond float32's range, e.g. {overflow[0]}; they "
                     "are scored as the network sees them (inf), in Python and in Java alike")
    if not keep.any() and synthesized:
        keep = _nonfinite_training_rows(features, refused, base_rows, feature_names)
    if not keep.any():
        firsts = sorted({refused.get(r) or next((repr(feature_names[j]) for j in range(features.shape[1])
                                                  if not np.isfinite(features[r, j])), "?")
                         for r in range(len(frame))})
        raise NoGoldenRowError("no golden row gives finite features (non-finite or refused: " + ", ".join(firsts[:5])
                          + "); impute those features' input columns, or pass golden_df explicitly")
    return keep


def _nullable_where_golden_nulls(contract: list[dict[str, Any]], golden: pa.Table) -> list[dict[str, Any]]:
    """``nullable`` true where the golden batch holds a null. Only a batch of training rows kept as they are
    (``_nonfinite_training_rows``: every row has a non-finite feature) holds one in a column whose null gives a
    non-finite feature; the network saw exactly that in training."""
    return [{**c, "nullable": True} if not c["nullable"] and golden.column(c["name"]).null_count else c
            for c in contract]


def _warn_golden(message: str) -> None:
    warnings.warn(message, UserWarning, stacklevel=4)


def _nonfinite_training_rows(features: np.ndarray, refused: Mapping[int, str], base_rows: int,
                             feature_names: Sequence[str]) -> np.ndarray:
    """When every golden row has a non-finite feature (e.g. a column missing in every training row passed through),
    the sampled training rows scikit-learn transforms, as they are: the network sees NaN there in Python and Java
    alike, and golden replay checks the rest of each row (NaN matches NaN)."""
    keep = np.zeros(len(features), dtype=bool)
    keep[:base_rows] = [r not in refused for r in range(min(base_rows, len(features)))]
    if keep.any():
        bad = sorted({feature_names[j] for j in np.flatnonzero(~np.isfinite(features[keep]).all(axis=0))})
        _warn_golden(f"every golden row has a non-finite feature ({bad[:5]}): the golden batch holds training rows "
                     "as they are, and the network sees NaN there; impute those features' input columns if that "
                     "is not meant")
    return keep


class NoGoldenRowError(BundleError):
    """No golden row can be kept."""


def _row_text(frame: pd.DataFrame, row: int) -> str:
    return ", ".join(f"{c}={frame[c].iloc[row]!r}" for c in frame.columns)[:300]


def transform_rows(preprocessor: Any, frame: pd.DataFrame) -> tuple[np.ndarray, dict[int, str]]:
    """``transform_features`` where scikit-learn refuses some rows: (features of every row, NaN where refused;
    row -> scikit-learn's message for each refused row). A refused block is split in halves until the refused
    rows are alone, so k refused rows cost O(k log n) transforms; ``iloc`` keeps the batch's column dtypes."""
    refused: dict[int, str] = {}
    blocks: list[tuple[int, np.ndarray]] = []

    def visit(lo: int, hi: int) -> None:
        try:
            blocks.append((lo, transform_features(preprocessor, frame.iloc[lo:hi])))
            return
        except (ValueError, TypeError, KeyError) as exc:
            if hi - lo == 1:
                refused[lo] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
                return
        mid = (lo + hi) // 2
        visit(lo, mid)
        visit(mid, hi)

    if len(frame):
        visit(0, len(frame))
    width = next((b.shape[1] for _, b in blocks), 0)
    out = np.full((len(frame), width), np.nan)
    for lo, b in blocks:
        out[lo:lo + len(b)] = b
    return out, refused


def _contract_with_training_nulls(preprocessor: Any, train_df: pd.DataFrame,
                                  contract: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contract with ``training_nulls``, ``nullable`` probed with None where a null is None, after checking
    that an encoder's None category has a column holding None behind it."""
    names = [c["name"] for c in contract]
    complete = train_df[names].dropna()
    base = sklearn_frame((complete if len(complete) else train_df[names]).head(8).reset_index(drop=True))
    nulls = training_nulls_of(preprocessor, train_df, contract, base)
    if graph_learned_none(preprocessor) and not any(v in ("none", "none_and_nan") for v in nulls.values()):
        _check_no_none_category(preprocessor)
    out = with_training_nulls(contract, nulls)
    for c in out:
        if c.get("training_nulls") in NULL_IS_NONE:
            c["nullable"] = column_nullable(preprocessor, base, c["name"], missing=None)
    return out


def _check_no_none_category(preprocessor: Any) -> None:
    """Refuse a graph whose encoder learned ``None`` as a category, naming the column.

    Fitted on a pandas frame that holds ``None`` in an object column, scikit-learn keeps ``None`` as a category of
    its own; scored from Parquet, a missing value arrives as NaN (``sklearn_frame``), which that encoder has never
    seen. Scoring it as the training side did is impossible, and calling it "unknown" silently would change the
    features: say so instead.
    """
    for est in _walk_estimators(preprocessor):
        categories = getattr(est, "categories_", None)
        if categories is None or not hasattr(est, "transform"):
            continue
        names = [str(n) for n in getattr(est, "feature_names_in_", [])] or [f"x{i}" for i in range(len(categories))]
        bad = [names[i] if i < len(names) else f"x{i}" for i, cats in enumerate(categories)
               if any(c is None for c in np.asarray(cats, dtype=object))]
        if bad:
            raise BundleError(f"{type(est).__name__} learned None as a category of column(s) {bad}, but train_df holds "
                              "no None in any string column: pass the frame the preprocessor was fitted on as "
                              "train_df (its None values tell tabscore to score a null as None), or fit on "
                              "tabscore_export.sklearn_frame(train_df)")


def _check_feature_shape(features: np.ndarray, feature_names: Sequence[str]) -> None:
    if features.ndim != 2 or features.shape[1] != len(feature_names):
        raise BundleError(f"transform gave shape {features.shape}, get_feature_names_out has {len(feature_names)}")


def _check_same_outputs(what: str, got: np.ndarray, expected: np.ndarray) -> None:
    if got.shape != expected.shape or not _close(got.astype(np.float64), expected.astype(np.float64),
                                                 TRACE_TOLERANCE, TRACE_TOLERANCE):
        diff = float(np.max(np.abs(got.astype(np.float64) - expected))) if got.shape == expected.shape else "shape"
        raise BundleError(f"{what} differs from the eager model on the golden batch (max abs diff {diff})")


def _check_skops_reload(path: Path, golden_frame: pd.DataFrame, features: np.ndarray) -> None:
    """Load the skops file back (trusting the types it lists) and require identical golden features."""
    import skops.io as sio

    reloaded = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    again = transform_features(reloaded, golden_frame)
    if again.shape != features.shape or not np.array_equal(again, features, equal_nan=True):
        raise BundleError("the skops file, loaded back, does not reproduce the golden features exactly")


# ---------------------------------------------------------------------------------------------------------------
# seal: a seed-style folder (metadata.json + golden CSVs) -> bundle
# ---------------------------------------------------------------------------------------------------------------


def na_values_for(pandas_version: str) -> tuple[str, ...]:
    """The read_csv NA strings of the pandas version that wrote/read a seed folder (None is NA from 2.0 on)."""
    match = re.match(r"(\d+)", pandas_version or "")
    if not match:
        raise BundleError(f"cannot tell the pandas major version from {pandas_version!r}")
    return PANDAS2_NA_VALUES if int(match.group(1)) >= 2 else PANDAS1_NA_VALUES


def read_seed_csv(path: Path, pandas_version: str) -> pd.DataFrame:
    """Read a seed CSV exactly as pandas ``pandas_version`` did with
    ``read_csv(p, keep_default_na=True, float_precision="round_trip")``."""
    return pd.read_csv(path, keep_default_na=False, na_values=list(na_values_for(pandas_version)),
                       float_precision="round_trip")


def _require(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in mapping:
        raise BundleError(f"{where} lacks {key!r}")
    return mapping[key]


def _check_seed_artifacts(src: Path, meta: Mapping[str, Any], files: Iterable[str]) -> None:
    """Every listed seed artifact that we use must match metadata.json's sha256 and size."""
    listed = meta.get("artifacts") or {}
    for rel in files:
        entry = listed.get(rel)
        if entry is None:
            continue
        size = (src / rel).stat().st_size
        digest = file_sha256(src / rel)
        if entry.get("sha256") != digest or entry.get("bytes", size) != size:
            raise BundleError(f"{src / rel}: sha256/size differ from metadata.json artifacts (file changed?)")


def _seed_contract(meta: Mapping[str, Any], golden_in: pd.DataFrame) -> list[dict[str, Any]]:
    """The input contract of a seed folder: kinds from metadata's column lists, dtypes as pandas read the golden
    CSV, nullable where the golden input has a missing value (its features are all finite)."""
    numeric = set(meta.get("numeric_columns") or [])
    categorical = set(meta.get("categorical_columns") or [])
    passthrough = set(meta.get("passthrough_columns") or [])
    contract = []
    for col in _require(meta, "input_columns", "metadata.json"):
        dtype = column_dtype(golden_in[col])
        if col in passthrough:
            kind = "passthrough"
        elif dtype == "bool":
            kind = "boolean"
        elif col in categorical:
            kind = "categorical"
        elif col in numeric:
            kind = "numeric"
        else:
            kind = {"string": "categorical"}.get(dtype, "numeric")
        contract.append({"name": col, "kind": kind, "dtype": dtype, "nullable": bool(golden_in[col].isna().any())})
    return contract


def _seed_model_columns(golden_out: pd.DataFrame, task: str, classes: list[Any] | None) -> dict[str, np.ndarray]:
    """The bundle's model columns from a seed golden_output.csv (drops *_f64ref, maps pred_class_index -> label)."""
    cols: dict[str, np.ndarray] = {}
    for name in golden_model_column_names(task, classes):
        if name == "label":
            assert classes is not None
            if "pred_class_index" not in golden_out.columns:
                raise BundleError("golden_output.csv lacks pred_class_index")
            idx = golden_out["pred_class_index"].to_numpy(dtype=np.float64)
            if not np.all(np.equal(np.floor(idx), idx)) or idx.min() < 0 or idx.max() >= len(classes):
                raise BundleError("golden_output.csv pred_class_index holds values that are not class indices")
            cols["label"] = np.array([str(classes[int(i)]) for i in idx], dtype=object)
        else:
            if name not in golden_out.columns:
                raise BundleError(f"golden_output.csv lacks the model column {name!r}")
            cols[name] = golden_out[name].to_numpy(dtype=np.float64)
    return cols


def _logit_matrix(model_cols: Mapping[str, np.ndarray], task: str, classes: list[Any] | None) -> np.ndarray:
    if task == "multiclass":
        assert classes is not None
        return np.stack([model_cols[f"logit_{c}"] for c in classes], axis=1)
    return model_cols["logit" if task == "binary" else "prediction"].reshape(-1, 1)


def _verify_seed_model(src: Path, meta: Mapping[str, Any], features: np.ndarray, expected: np.ndarray,
                       layers: list[dict[str, Any]] | None) -> None:
    """Run the seed TorchScript (and layers + state_dict) on the golden features; outputs must match golden."""
    import torch

    runs = []
    if (src / TORCHSCRIPT).is_file():
        with _torchscript_quiet():
            runs.append(("TorchScript", torch.jit.load(str(src / TORCHSCRIPT), map_location="cpu").eval()))
    if (src / STATE_DICT).is_file() and layers is not None:
        net = build_sequential(layers)
        net.load_state_dict(torch.load(src / STATE_DICT, map_location="cpu", weights_only=True), strict=True)
        runs.append(("layers + state_dict", net.eval()))
    tol = DEFAULT_OUTPUT_TOLERANCE
    for what, net in runs:
        got = forward_float32(net, features).astype(np.float64)
        if got.shape != expected.shape or not _close(got, expected, tol["rtol"], tol["atol"]):
            raise BundleError(f"{src}: the {what} model does not reproduce golden_output.csv within tolerance")


def seal(src_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str], name: str | None = None,
         version: str = "1.0.0", *, created_at: str | None = None, snapshot_id: str | None = None,
         run_id: str | None = None, verify_model: bool = True, overwrite: bool = False) -> dict[str, Any]:
    """Turn a seed-style folder into a bundle and return its manifest.

    The folder holds preprocessor.skops, model_state.pt and/or model.torchscript.pt, metadata.json,
    golden_input.csv and golden_output.csv (and optionally data.csv): the layout of the fixture folders.
    The preprocessor is never unpickled: the golden features come from golden_output.csv, the CSVs are read with the
    NA strings of the pandas version in metadata.versions.pandas, and the skops facts from its schema.json.
    With ``verify_model`` the network files are run on the golden features and must reproduce its outputs.
    """
    src = Path(src_dir)
    meta_path = src / "metadata.json"
    if not meta_path.is_file():
        raise BundleError(f"{src} has no metadata.json (not a seed-style folder)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    seed_versions = _require(meta, "versions", "metadata.json")
    task = SEED_TASKS.get(_require(meta, "task", "metadata.json"))
    if task is None:
        raise BundleError(f"metadata.json task {meta['task']!r} is not one of {sorted(SEED_TASKS)}")
    classes = _check_task(task, meta.get("classes") if task != "regression" else None)
    model_meta = _require(meta, "model", "metadata.json")
    head = SEED_HEADS.get(str(model_meta.get("output_activation", "identity")).strip().lower())
    if head != HEADS[task]:
        raise BundleError(f"output_activation {model_meta.get('output_activation')!r} does not fit task {task}")
    for required in (PREPROCESSOR, "golden_input.csv", "golden_output.csv"):
        if not (src / required).is_file():
            raise BundleError(f"{src} lacks {required}")
    has_ts, has_sd = (src / TORCHSCRIPT).is_file(), (src / STATE_DICT).is_file()
    if not (has_ts or has_sd):
        raise BundleError(f"{src} has neither {TORCHSCRIPT} nor {STATE_DICT}")
    _check_seed_artifacts(src, meta, [f for f in (PREPROCESSOR, TORCHSCRIPT, STATE_DICT, "golden_input.csv",
                                                  "golden_output.csv", "data.csv") if (src / f).is_file()])

    pandas_version = _require(seed_versions, "pandas", "metadata.json versions")
    golden_in = read_seed_csv(src / "golden_input.csv", pandas_version)
    input_cols = list(_require(meta, "input_columns", "metadata.json"))
    if list(golden_in.columns) != input_cols:
        raise BundleError(f"golden_input.csv columns {list(golden_in.columns)} != input_columns {input_cols}")
    golden_out = read_seed_csv(src / "golden_output.csv", pandas_version)
    feature_names = [str(f) for f in _require(meta, "feature_names_out", "metadata.json")]
    if list(golden_out.columns[:len(feature_names)]) != feature_names:
        raise BundleError("golden_output.csv does not start with the feature_names_out columns")
    if len(golden_out) != len(golden_in):
        raise BundleError(f"golden_input.csv has {len(golden_in)} rows, golden_output.csv {len(golden_out)}")
    features = golden_out[feature_names].to_numpy(dtype=np.float64)
    model_cols = _seed_model_columns(golden_out, task, classes)
    layers = model_meta.get("layers")
    layers = [dict(layer) for layer in layers] if layers else None
    if layers is not None and infer_layers(build_sequential(layers)) is None:
        layers = None
    output_dim = int(model_meta.get("output_dim") or (len(classes) if task == "multiclass" and classes else 1))
    if layers is not None:
        _check_layers(layers, len(feature_names), output_dim)
    if verify_model:
        _verify_seed_model(src, meta, features, _logit_matrix(model_cols, task, classes), layers)

    contract = _seed_contract(meta, golden_in)
    skops = skops_summary(src / PREPROCESSOR)
    listed_protocol = (meta.get("preprocessor") or {}).get("skops_protocol")
    if listed_protocol is not None and int(listed_protocol) != skops.protocol:
        raise BundleError(f"metadata says skops protocol {listed_protocol}, the file says {skops.protocol}")
    training: dict[str, Any] = {
        "snapshot_id": snapshot_id,
        "run_id": run_id,
        "rows": (meta.get("data") or {}).get("rows"),
        "metrics": numeric_metrics(model_meta.get("training")),
    }
    if (src / "data.csv").is_file():
        data = read_seed_csv(src / "data.csv", pandas_version)
        training["rows"] = int(len(data))
        training["statistics"] = training_statistics(data, contract)
    versions = {
        "python": str(_require(seed_versions, "python", "metadata.json versions")),
        "scikit-learn": str(seed_versions.get("scikit-learn") or _require(seed_versions, "sklearn",
                                                                          "metadata.json versions")),
        "numpy": str(_require(seed_versions, "numpy", "metadata.json versions")),
        "pandas": str(pandas_version),
        "skops": str(_require(seed_versions, "skops", "metadata.json versions")),
        "torch": str(_require(seed_versions, "torch", "metadata.json versions")),
        "pyarrow": str(seed_versions.get("pyarrow") or pa.__version__),
    }
    if seed_versions.get("scipy"):
        versions["scipy"] = str(seed_versions["scipy"])

    with _Staging(out_dir, overwrite) as stage:
        in_table = golden_input_table(golden_in, contract)
        write_parquet(in_table, stage / GOLDEN_INPUT)
        _check_seed_parquet(src, stage / GOLDEN_INPUT)
        write_parquet(golden_output_table(feature_names, features, model_cols), stage / GOLDEN_OUTPUT)
        for rel in (PREPROCESSOR, TORCHSCRIPT, STATE_DICT):
            if (src / rel).is_file():
                shutil.copyfile(src / rel, stage / rel)
        manifest = build_manifest(
            name=name or _require(meta, "bundle", "metadata.json"), version=version,
            created_at=created_at or utc_now(), task=task, classes=classes, contract=contract,
            feature_names=feature_names, skops=skops,
            ufunc_features=ufunc_sources_from_branches(feature_names, skops),
            has_torchscript=has_ts, has_state_dict=has_sd, output_dim=output_dim, layers=layers,
            versions=versions, training=training, golden_rows=len(golden_in), artifacts=artifact_entries(stage))
        validate_manifest(manifest)
        check_consistency(manifest)
        write_manifest(manifest, stage / MANIFEST)
    return manifest


def _check_seed_parquet(src: Path, written: Path) -> None:
    """When the seed folder has golden_input.parquet, our typed Parquet must hold the same values and nulls."""
    seed = src / "golden_input.parquet"
    if not seed.is_file():
        return
    ours, theirs = pq.read_table(written), pq.read_table(seed)
    if ours.column_names != theirs.column_names:
        raise BundleError(f"{seed}: columns differ from golden_input.csv as read")
    for col in ours.column_names:
        a, b = ours.column(col).to_pylist(), theirs.column(col).to_pylist()
        same = all((x is None and y is None) or (x is not None and y is not None and
                   (x == y or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))))
                   for x, y in zip(a, b))
        if not same or len(a) != len(b):
            raise BundleError(f"{seed}: column {col!r} differs from golden_input.csv as read")


# ---------------------------------------------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------------------------------------------


def check_consistency(manifest: Mapping[str, Any]) -> None:
    """Cross-field rules JSON Schema cannot say (widths, names, classes, paths listed as artifacts)."""
    problems = []
    names = [c["name"] for c in manifest["input"]["columns"]]
    if len(set(names)) != len(names):
        problems.append("input column names are not unique")
    feats = manifest["features"]
    if feats["width"] != len(feats["names"]):
        problems.append(f"features.width {feats['width']} != {len(feats['names'])} names")
    model = manifest["model"]
    if model["input_width"] != feats["width"]:
        problems.append(f"model.input_width {model['input_width']} != features.width {feats['width']}")
    classes = manifest["classes"]
    if manifest["task"] == "multiclass" and classes is not None and model["output_dim"] != len(classes):
        problems.append(f"model.output_dim {model['output_dim']} != {len(classes)} classes")
    if model["state_dict"] is not None and model["layers"] is None:
        problems.append("model.state_dict needs model.layers: the scoring side rebuilds the network from them "
                        "(drop the state_dict, or give the layers of a plain nn.Sequential)")
    if model["layers"] is not None:
        d_in, d_out = layer_dims(model["layers"])
        if (d_in, d_out) != (model["input_width"], model["output_dim"]):
            problems.append(f"layers map {d_in} -> {d_out}, model says {model['input_width']} -> {model['output_dim']}")
    expected_out = output_columns(manifest["task"], classes)
    if manifest["golden"]["output_columns"] != expected_out:
        problems.append(f"golden.output_columns should be {expected_out}")
    approx_unknown = set(manifest["golden"]["feature_tolerance"].get("approx_features", {})) - set(feats["names"])
    if approx_unknown:
        problems.append(f"approx_features not among the features: {sorted(approx_unknown)}")
    unknown = set(manifest["golden"]["feature_tolerance"]["ufunc_features"]) - set(feats["names"])
    if unknown:
        problems.append(f"ufunc_features not among the features: {sorted(unknown)}")
    sources = set(manifest["golden"]["feature_tolerance"].get("ufunc_sources", {}))
    if sources - set(manifest["golden"]["feature_tolerance"]["ufunc_features"]):
        problems.append(f"ufunc_sources names features not in ufunc_features: "
                        f"{sorted(sources - set(manifest['golden']['feature_tolerance']['ufunc_features']))}")
    artifacts = manifest["artifacts"]
    for path in (manifest["preprocessor"]["path"], model["torchscript"], model["state_dict"],
                 manifest["golden"]["input"], manifest["golden"]["output"]):
        if path is not None and path not in artifacts:
            problems.append(f"{path} is not listed in artifacts")
    stats = (manifest["training"].get("statistics") or {})
    extra = set(stats) - set(names)
    if extra:
        problems.append(f"statistics for columns that are not inputs: {sorted(extra)}")
    out_stats = manifest["training"].get("output_statistics")
    if out_stats is not None and sorted(out_stats) != sorted(expected_out):
        problems.append(f"output_statistics columns {sorted(out_stats)} != the output columns {expected_out}")
    for c in manifest["input"]["columns"]:
        if "policy" in c:
            try:
                check_policy(c["name"], c["kind"], c["policy"])
            except BundleError as exc:
                problems.append(str(exc))
    if problems:
        raise BundleError("manifest is inconsistent:\n  " + "\n  ".join(problems))


def validate_bundle(bundle_dir: str | os.PathLike[str], *, replay: bool | None = None) -> list[str]:
    """Check a bundle: schema, consistency, every artifact's size and sha256 (and no unlisted file), the golden
    Parquet files' columns and types, and (``replay``; by default when the installed scikit-learn is the bundle's)
    that the preprocessor and model reproduce the golden batch. Returns what was checked; raises BundleError."""
    root = Path(bundle_dir)
    manifest = read_manifest(root)
    validate_manifest(manifest)
    check_consistency(manifest)
    done = ["schema", "consistency"]
    listed = manifest["artifacts"]
    present = bundle_files(root)
    if sorted(listed) != present:
        raise BundleError(f"files {present} != artifacts {sorted(listed)}")
    for rel, entry in listed.items():
        size, digest = (root / rel).stat().st_size, file_sha256(root / rel)
        if size != entry["bytes"] or digest != entry["sha256"]:
            raise BundleError(f"{rel}: size/sha256 differ from the manifest")
    done.append(f"{len(listed)} artifacts hashed")
    gin, gout = _check_golden_files(root, manifest)
    done.append("golden parquet columns and types")
    import sklearn

    if replay is None:
        replay = manifest["versions"]["scikit-learn"] == sklearn.__version__
    if replay:
        _replay_golden(root, manifest, gin, gout)
        done.append("golden replay (preprocessor + model)")
    return done


def _check_golden_files(root: Path, manifest: Mapping[str, Any]) -> tuple[pa.Table, pa.Table]:
    """Golden input: contract columns in order with their Arrow types, nulls only in nullable columns;
    golden output: features (double) then the model columns; both with golden.rows rows."""
    golden = manifest["golden"]
    gin = pq.read_table(root / golden["input"])
    contract = manifest["input"]["columns"]
    expected = pa.schema([pa.field(c["name"], ARROW_TYPES[c["dtype"]]) for c in contract])
    if not gin.schema.remove_metadata().equals(expected):
        raise BundleError(f"{golden['input']}: schema {gin.schema} != contract {expected}")
    for c in contract:
        if not c["nullable"] and gin.column(c["name"]).null_count:
            raise BundleError(f"{golden['input']}: nulls in non-nullable column {c['name']!r}")
    gout = pq.read_table(root / golden["output"])
    names = list(manifest["features"]["names"]) + golden_model_column_names(manifest["task"], manifest["classes"])
    if gout.column_names != names:
        raise BundleError(f"{golden['output']}: columns {gout.column_names} != {names}")
    for field in gout.schema:
        want = pa.string() if field.name == "label" else pa.float64()
        if field.type != want:
            raise BundleError(f"{golden['output']}: column {field.name!r} is {field.type}, expected {want}")
    if gin.num_rows != golden["rows"] or gout.num_rows != golden["rows"]:
        raise BundleError(f"golden rows: input {gin.num_rows}, output {gout.num_rows}, manifest {golden['rows']}")
    return gin, gout


def _replay_golden(root: Path, manifest: Mapping[str, Any], gin: pa.Table, gout: pa.Table) -> None:
    """Recompute the golden features and outputs from the bundle's own files."""
    import skops.io as sio
    import torch

    golden = manifest["golden"]
    path = root / manifest["preprocessor"]["path"]
    try:
        pre = sio.load(path, trusted=sio.get_untrusted_types(file=path))
        features = transform_features(pre, frame_as_fitted(sklearn_frame(gin.to_pandas()), manifest["input"]["columns"]))
    except Exception as exc:  # any failure of a foreign pickle graph is reported the same way
        import sklearn

        raise BundleError(f"cannot replay the golden batch: the preprocessor saved by scikit-learn "
                          f"{manifest['versions']['scikit-learn']} fails under {sklearn.__version__}: "
                          f"{type(exc).__name__}: {exc}") from exc
    names = manifest["features"]["names"]
    expected = np.stack([gout.column(n).to_numpy() for n in names], axis=1)
    tol = golden["feature_tolerance"]
    ufunc = [i for i, n in enumerate(names) if n in set(tol["ufunc_features"])]
    allowed = np.full(len(names), tol["default_abs"])
    approx = np.array([float(tol.get("approx_features", {}).get(n, 0.0)) for n in names])
    same = (features == expected) | (np.isnan(features) & np.isnan(expected))
    with np.errstate(invalid="ignore"):  # transformers reproduced within a stated relative tolerance
        same |= np.abs(features - expected) <= approx * np.maximum(1.0, np.abs(expected))
    if "ufunc_ulps" in tol:
        bad = ~same & (np.abs(features - expected) > allowed)
        if ufunc and tol["ufunc_ulps"] > 0:
            lo, hi = ufunc_envelope(pre, frame_as_fitted(sklearn_frame(gin.to_pandas()), manifest["input"]["columns"]),
                                    int(tol["ufunc_ulps"]))
            inside = (lo <= expected) & (expected <= hi)
            bad[:, ufunc] &= ~inside[:, ufunc]
    else:  # manifests written before the ulp contract
        allowed[ufunc] = max(tol["ufunc_abs"], tol["default_abs"])
        bad = ~same & (np.abs(features - expected) > allowed)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise BundleError(f"replayed feature {names[c]!r} row {r}: {features[r, c]!r} != golden {expected[r, c]!r}")
    task, classes = manifest["task"], manifest["classes"]
    otol = golden["output_tolerance"]
    nets = []
    if manifest["model"]["torchscript"]:
        with _torchscript_quiet():
            nets.append(("TorchScript", torch.jit.load(str(root / manifest["model"]["torchscript"]),
                                                       map_location="cpu")))
    if manifest["model"]["state_dict"] and manifest["model"]["layers"]:
        net = build_sequential(manifest["model"]["layers"])
        net.load_state_dict(torch.load(root / manifest["model"]["state_dict"], map_location="cpu",
                                       weights_only=True), strict=True)
        nets.append(("layers + state_dict", net.eval()))
    for what, net in nets:
        cols = model_columns(forward_float32(net, expected), task, classes)
        for name, values in cols.items():
            want = gout.column(name).to_numpy(zero_copy_only=False)
            if name == "label":
                ok = list(values) == list(want)
            else:
                ok = _close(values, want.astype(np.float64), otol["rtol"], otol["atol"])
            if not ok:
                raise BundleError(f"replayed {what} column {name!r} differs from the golden output")


# ---------------------------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------------------------


def _cmd_export_demo(args: argparse.Namespace) -> int:
    import tabscore_recipes as recipes

    demo = recipes.train_churn_binary(rows=args.rows, seed=args.seed, epochs=args.epochs)
    manifest = export_bundle(demo.preprocessor, demo.model, demo.train_df, args.out_dir, name=args.name,
                             version=args.version, task="binary", classes=[0, 1], target=recipes.CHURN_TARGET,
                             snapshot_id=args.snapshot_id, run_id=args.run_id, metrics=demo.metrics,
                             overwrite=args.overwrite)
    print(f"wrote {args.out_dir}  {manifest_digest(manifest)}")
    return 0


def _cmd_seal(args: argparse.Namespace) -> int:
    manifest = seal(args.src_dir, args.out_dir, name=args.name, version=args.version, created_at=args.created_at,
                    snapshot_id=args.snapshot_id, run_id=args.run_id, verify_model=not args.no_verify_model,
                    overwrite=args.overwrite)
    print(f"wrote {args.out_dir}  {manifest_digest(manifest)}")
    return 0


def _cmd_digest(args: argparse.Namespace) -> int:
    print(manifest_digest(read_manifest(args.path)))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    replay = False if args.no_replay else (True if args.replay else None)
    done = validate_bundle(args.bundle_dir, replay=replay)
    print(f"OK {args.bundle_dir}  {manifest_digest(read_manifest(args.bundle_dir))}  ({'; '.join(done)})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the CLI."""
    parser = argparse.ArgumentParser(prog="tabscore_export.py", description="tabscore bundle exporter")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("export-demo", help="train the churn demo model and export it as a bundle")
    demo.add_argument("out_dir")
    demo.add_argument("--rows", type=int, default=5000)
    demo.add_argument("--epochs", type=int, default=15)
    demo.add_argument("--seed", type=int, default=20261101)
    demo.add_argument("--name", default="seed-binary")
    demo.add_argument("--version", default="1.0.0")
    demo.add_argument("--snapshot-id", default=None)
    demo.add_argument("--run-id", default=None)
    demo.add_argument("--overwrite", action="store_true")
    demo.set_defaults(func=_cmd_export_demo)

    sl = sub.add_parser("seal", help="turn a seed-style folder (metadata.json, golden CSVs) into a bundle")
    sl.add_argument("src_dir")
    sl.add_argument("out_dir")
    sl.add_argument("--name", default=None, help="bundle name (default: metadata.json 'bundle')")
    sl.add_argument("--version", default="1.0.0")
    sl.add_argument("--created-at", default=None, help="RFC 3339 UTC, default now")
    sl.add_argument("--snapshot-id", default=None)
    sl.add_argument("--run-id", default=None)
    sl.add_argument("--no-verify-model", action="store_true", help="do not run the network on the golden batch")
    sl.add_argument("--overwrite", action="store_true")
    sl.set_defaults(func=_cmd_seal)

    dg = sub.add_parser("digest", help="print the identity digest of a manifest (file or bundle folder)")
    dg.add_argument("path")
    dg.set_defaults(func=_cmd_digest)

    va = sub.add_parser("validate", help="validate a bundle (schema, hashes, golden files, replay)")
    va.add_argument("bundle_dir")
    group = va.add_mutually_exclusive_group()
    group.add_argument("--replay", action="store_true", help="always replay the golden batch")
    group.add_argument("--no-replay", action="store_true", help="never replay the golden batch")
    va.set_defaults(func=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; BundleError becomes exit status 1 with its message on stderr."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BundleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    # Run through the importable module so that every helper (and BundleError) is one and the same object.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import tabscore_export

    sys.exit(tabscore_export.main())
