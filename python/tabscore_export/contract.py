"""The raw input contract (column names, kinds, dtypes, nullability) and scikit-learn's view of a frame."""

from __future__ import annotations

import warnings
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from .errors import BundleError

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
    if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(dtype) or dtype == np.dtype(object):
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
                s = pd.Series(
                    s.to_numpy(dtype=np.float64, na_value=np.nan)
                    if s.hasnans
                    else s.to_numpy(dtype=s.dtype.numpy_dtype),
                    index=s.index,
                    name=col,
                )
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
    probe[column] = pd.Series(
        [missing] * len(probe), index=probe.index, dtype=object if as_object or missing is None else np.float64
    )
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
    return [
        {"name": n, "kind": kinds[n], "dtype": dtypes[n], "nullable": column_nullable(preprocessor, base, n)}
        for n in names
    ]


def transform_rows(preprocessor: Any, frame: pd.DataFrame) -> tuple[np.ndarray, dict[int, str]]:
    """``transform_features`` where scikit-learn refuses some rows: (features of every row, NaN where refused;
    row -> scikit-learn's message for each refused row). A refused block is split in halves until the refused
    rows are alone, so k refused rows cost O(k log n) transforms; ``iloc`` keeps the batch's column dtypes.
    A block whose output is narrower than the others' is transformed again beside a row of a full-width block
    (``_widened``)."""
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
    widths = sorted({b.shape[1] for _, b in blocks})
    if len(widths) > 1:
        blocks = _widened(preprocessor, frame, blocks, widths)
    width = next((b.shape[1] for _, b in blocks), 0)
    out = np.full((len(frame), width), np.nan)
    for lo, b in blocks:
        out[lo : lo + len(b)] = b
    return out, refused


def _widened(
    preprocessor: Any, frame: pd.DataFrame, blocks: list[tuple[int, np.ndarray]], widths: list[int]
) -> list[tuple[int, np.ndarray]]:
    """The blocks, each as wide as the widest: scikit-learn 1.2's KNNImputer(add_indicator=True) leaves its indicator
    columns out of a batch without missing values (fixed in 1.3; tabscore scores every row with them, as 1.3 does:
    docs/sklearn-coverage/KNNImputer.md). A narrow block is transformed again with one row appended that alone
    transforms to the full width (its missing value keeps the indicators; scikit-learn's transforms are row by
    row), and that row's features dropped. Refused when that does not give the full width: the features are then not a function of
    each row, and no contract can hold them."""
    full = widths[-1]
    probe = _full_width_row(preprocessor, frame, blocks, full)
    out = []
    for lo, b in blocks:
        if b.shape[1] != full:
            rows = frame.iloc[lo : lo + len(b)]
            if probe is not None:
                rows = pd.concat([rows, frame.iloc[probe : probe + 1]])
            again = transform_features(preprocessor, rows)
            if probe is None or again.shape[1] != full:
                raise BundleError(
                    f"the preprocessor's transform returned {' or '.join(map(str, widths))} columns depending on "
                    "which rows it transformed together (as scikit-learn 1.2's KNNImputer(add_indicator=True) leaves "
                    "its indicator columns out of a batch without missing values): its features are not a function "
                    "of each row, so no contract can hold them; refit it with scikit-learn 1.3 or later"
                )
            b = again[: len(b)]
        out.append((lo, b))
    return out


def _full_width_row(
    preprocessor: Any, frame: pd.DataFrame, blocks: list[tuple[int, np.ndarray]], full: int, tries: int = 256
) -> int | None:
    """A row of a full-width block that transforms to ``full`` columns on its own, or None (``tries`` rows tried)."""
    for lo, b in blocks:
        if b.shape[1] != full:
            continue
        for r in range(lo, lo + len(b)):
            if tries == 0:
                return None
            tries -= 1
            if transform_features(preprocessor, frame.iloc[r : r + 1]).shape[1] == full:
                return r
    return None
