"""``export_bundle``: a fitted preprocessor + network + training frame -> a checked bundle."""

from __future__ import annotations

import copy
import math
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from .artifacts import artifact_entries
from .constants import (
    DEFAULT_OUTPUT_TOLERANCE,
    GOLDEN_INPUT,
    GOLDEN_OUTPUT,
    GOLDEN_TRAINING_ROWS,
    MANIFEST,
    ONNX,
    PREPROCESSOR,
    STATE_DICT,
    TORCHSCRIPT,
    TRACE_TOLERANCE,
)
from .contract import (
    _walk_estimators,
    column_nullable,
    input_contract,
    sklearn_frame,
    transform_features,
    transform_rows,
)
from .errors import BundleError
from .feature_columns import feature_columns
from .golden import golden_input_table, golden_output_table, read_golden_input, synthesize_golden, write_parquet
from .manifest import _check_task, build_manifest, write_manifest
from .network import (
    _close,
    _torchscript_quiet,
    build_sequential,
    forward_float32,
    infer_layers,
    layer_dims,
    model_columns,
)
from .nulls import NULL_IS_NONE, fitted_dtypes, graph_learned_none, training_nulls_of, with_training_nulls
from .policies import apply_policies
from .schema import validate_manifest
from .skops_schema import skops_summary
from .statistics import numeric_metrics, output_statistics, training_statistics
from .tolerance import approx_features_of, ufunc_sources_of
from .validate import check_consistency
from .versions import current_versions, utc_now


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


def export_bundle(
    preprocessor: Any,
    model: Any,
    train_df: pd.DataFrame,
    out_dir: str | os.PathLike[str],
    golden_df: pd.DataFrame | None = None,
    *,
    name: str,
    version: str,
    task: str,
    classes: Sequence[Any] | None = None,
    target: str | None = None,
    snapshot_id: str | None = None,
    run_id: str | None = None,
    metrics: Mapping[str, Any] | None = None,
    layers: list[dict[str, Any]] | None = None,
    created_at: str | None = None,
    golden_seed: int = 0,
    overwrite: bool = False,
    policies: Mapping[str, Mapping[str, Any]] | None = None,
    torchscript: bool = True,
    onnx: bool | None = None,
    state_dict: bool = True,
) -> dict[str, Any]:
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
    ``torchscript``, ``onnx`` and ``state_dict`` choose the model artifacts written (the state_dict only when the
    manifest can describe the network: a plain ``nn.Sequential`` of supported layers, or embeddings for categorical
    codes then such an MLP, ``tabscore_export.nets.EmbeddingMLP``; otherwise it is left out with a warning naming
    the layer); at least one must be written. ``onnx``: True writes ``model.onnx`` or raises; None
    (the default) writes it when the onnx and onnxruntime packages are installed and ONNX Runtime reproduces the
    eager model on the golden batch within the output tolerance, and otherwise leaves it out with a warning that
    says why (float32 sums in another order can differ beyond it where features are large and unscaled); False
    leaves it out.

    Checks before anything is kept: the TorchScript reload equals the eager model on the golden batch (1e-6), the
    layer list rebuilt from the state_dict equals it too (with embeddings: ``nets.reference_forward``, from the spec
    and the state_dict alone; golden rows whose codes torch cannot look up are left out), the skops reload gives identical features, and the
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
    if not feature_names:
        raise BundleError(
            "the preprocessor outputs no features (e.g. a VarianceThreshold or SelectKBest that kept "
            "no column): a network needs at least one input; lower the selector's threshold"
        )
    _check_names_match_width(preprocessor, train_df, len(feature_names))
    # scikit-learn may name two features alike (an encoder category 'nan' next to NaN): the manifest keeps its
    # names, the Parquet columns, tolerances and reports use distinct ones (feature_columns documents the rule)
    columns = feature_columns(feature_names)
    if columns != feature_names:
        warnings.warn(
            f"get_feature_names_out() repeats {sorted({f for f, c in zip(feature_names, columns) if f != c})[:10]}: "
            "the features stay positional for the network; the golden output, `bundle score --features`, "
            "explain and the manifest's tolerances name the later ones <name>__<k>",
            stacklevel=2,
        )
    net = copy.deepcopy(model).cpu().eval()
    for pname, param in net.state_dict().items():
        if param.dtype != torch.float32 and not pname.endswith(".num_batches_tracked"):  # BatchNorm's int64 counter
            raise BundleError(f"model parameter {pname} is {param.dtype}; the bundle format needs float32")
    output_dim = _check_model_shape(net, len(feature_names), task, classes)
    embeddings = None
    why_no_layers = None
    if layers is None:
        layers, embeddings, why_no_layers = _network_spec(net)
    if layers is not None:
        _check_layers(layers, _embedded_width(embeddings, len(feature_names)), output_dim)
    if embeddings is not None:
        from .nets import check_embeddings

        problems = check_embeddings(embeddings, len(feature_names))
        if problems:
            raise BundleError("; ".join(problems))
    if not state_dict:
        layers = embeddings = None
    if not (torchscript or onnx is not False or layers is not None):
        raise BundleError(
            "no model artifact to write: torchscript and onnx are off and the network has no layer "
            "list for a state_dict" + (f" ({why_no_layers})" if why_no_layers and state_dict else "")
        )
    if why_no_layers and state_dict:
        warnings.warn(
            f"{STATE_DICT} left out: the manifest cannot describe the network for the no-code state_dict "
            f"path: {why_no_layers}",
            stacklevel=2,
        )

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
                keep = _golden_rows_kept(preprocessor, golden_frame, columns, synthesized, base_rows, _code_check(net))
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
        approx = approx_features_of(preprocessor, columns, golden_frame)
        _check_skops_reload(stage / PREPROCESSOR, golden_frame, features, [approx.get(f, 0.0) for f in columns])

        if torchscript:
            with _torchscript_quiet():
                traced = torch.jit.trace(net, torch.zeros(1, len(feature_names), dtype=torch.float32))
                torch.jit.save(traced, str(stage / TORCHSCRIPT))
                reloaded = torch.jit.load(str(stage / TORCHSCRIPT), map_location="cpu")
            _check_same_outputs("TorchScript reload", forward_float32(reloaded, features), logits)
        wrote_onnx = bool(onnx) or onnx is None
        if wrote_onnx:
            # required when asked for, or when it would be the bundle's only model artifact
            wrote_onnx = _write_onnx(
                net, features, logits, stage / ONNX, required=bool(onnx) or not (torchscript or layers is not None)
            )
        # A state_dict is written only with the layer list Java rebuilds the network from: without one
        # (any network that is not a plain nn.Sequential of the supported layers) it could never be loaded,
        # and verify refuses a bundle whose artifacts do not all load.
        if layers is not None and embeddings is not None:
            # The spec is kept only where a reference built from it and the state_dict alone (numpy lookups, the
            # rebuilt MLP) reproduces the eager model on the golden batch.
            from .nets import reference_forward

            torch.save(net.state_dict(), stage / STATE_DICT)
            state = torch.load(stage / STATE_DICT, map_location="cpu", weights_only=True)
            _check_same_outputs(
                "embeddings + layers + state_dict", reference_forward(embeddings, layers, state, features), logits
            )
        elif layers is not None:
            torch.save(net.state_dict(), stage / STATE_DICT)
            rebuilt = build_sequential(layers)
            state = torch.load(stage / STATE_DICT, map_location="cpu", weights_only=True)
            try:
                rebuilt.load_state_dict(state, strict=True)
            except RuntimeError as exc:
                raise BundleError(f"the layer list does not fit the model's state_dict: {exc}") from exc
            _check_same_outputs("layers + state_dict", forward_float32(rebuilt.eval(), features), logits)

        write_parquet(
            golden_output_table(columns, features, model_columns(logits, task, classes)), stage / GOLDEN_OUTPUT
        )
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
            name=name,
            version=version,
            created_at=created_at or utc_now(),
            task=task,
            classes=classes,
            contract=contract_with_policies,
            feature_names=feature_names,
            skops=skops,
            ufunc_features=ufunc_sources_of(preprocessor, columns),
            has_torchscript=torchscript,
            has_onnx=wrote_onnx,
            has_state_dict=layers is not None,
            output_dim=output_dim,
            layers=layers,
            embeddings=embeddings,
            versions=current_versions(),
            training=training,
            golden_rows=in_table.num_rows,
            artifacts=artifact_entries(stage),
            approx_features=approx,
        )
        validate_manifest(manifest)
        check_consistency(manifest)
        write_manifest(manifest, stage / MANIFEST)
    return manifest


def _write_onnx(net: Any, features: np.ndarray, logits: np.ndarray, path: Path, *, required: bool) -> bool:
    """model.onnx through onnx_export (export, allow-list, golden replay on ONNX Runtime). Whether it was written;
    a failure is a BundleError when ``required``, else a warning and no file (the other artifacts still score)."""
    try:
        from .onnx_export import OnnxExportError, write_onnx
    except ImportError as exc:  # pragma: no cover - the package declares onnx and onnxruntime
        if required:
            raise BundleError(f"{ONNX}: {exc}; install onnx and onnxruntime") from exc
        warnings.warn(f"{ONNX} left out: {exc}", stacklevel=3)
        return False
    try:
        write_onnx(net, features, logits, path, DEFAULT_OUTPUT_TOLERANCE["rtol"], DEFAULT_OUTPUT_TOLERANCE["atol"])
    except (OnnxExportError, ImportError) as exc:
        path.unlink(missing_ok=True)
        if required:
            raise BundleError(f"{ONNX}: {exc} (export_bundle(..., onnx=False) leaves it out)") from exc
        warnings.warn(
            f"{ONNX} left out of the bundle: {exc} (the TorchScript / state_dict artifacts score it; "
            "pass onnx=True to make this an error)",
            stacklevel=3,
        )
        return False
    return True


def _check_names_match_width(preprocessor: Any, train_df: pd.DataFrame, named: int) -> None:
    """scikit-learn's transform and get_feature_names_out must agree on the width: they do not for, e.g., a
    KNNImputer(keep_empty_features=True) over a column missing in every training row (transform keeps the column,
    get_feature_names_out drops its name). A bundle names every feature, so such a graph is refused here, naming
    both widths, rather than later as a network that does not accept the preprocessor's width."""
    try:
        names = [str(c) for c in getattr(preprocessor, "feature_names_in_", train_df.columns)]
        width = transform_features(preprocessor, sklearn_frame(train_df[names].head(8))).shape[1]
        if width != named:
            # scikit-learn 1.2's KNNImputer(add_indicator=True) drops its indicator from a batch without a missing
            # value: only the whole training frame, the batch it was fitted on, tells
            width = transform_features(preprocessor, sklearn_frame(train_df[names])).shape[1]
    except Exception:  # noqa: BLE001 - the golden batch's checks report a transform failure with its row
        return
    if width != named:
        raise BundleError(
            f"scikit-learn's transform returns {width} columns but get_feature_names_out() names {named}"
            " (a scikit-learn inconsistency, e.g. KNNImputer(keep_empty_features=True) over a column"
            " missing in every training row): a bundle must name every feature; drop that column or"
            " set keep_empty_features=False"
        )


def _check_model_shape(net: Any, width: int, task: str, classes: list[Any] | None) -> int:
    """Run the model on zeros(2, width) and check its output width against the task."""
    try:
        out = forward_float32(net, np.zeros((2, width)))
    except RuntimeError as exc:
        raise BundleError(
            f"the model does not accept {width} float32 features (the preprocessor's width): {exc}"
        ) from exc
    dim = out.shape[1]
    expected = len(classes) if task == "multiclass" and classes else 1
    if dim != expected:
        raise BundleError(f"the model outputs {dim} values per row; a {task} bundle needs {expected}")
    return dim


def _network_spec(net: Any) -> tuple[list[dict[str, Any]] | None, dict[str, Any] | None, str | None]:
    """(model.layers, model.embeddings, why neither) of the network: a plain nn.Sequential of supported layers, the
    embeddings-then-MLP shape of ``tabscore_export.nets``, or neither; ``why`` names the layer the manifest cannot
    describe when the network has one of those shapes (None for any other module: only TorchScript / ONNX run it)."""
    from torch import nn

    from .nets import NotDescribable, has_embedding_shape, infer_embeddings
    from .network import unsupported_layer

    layers = infer_layers(net)
    if layers is not None:
        return layers, None, None
    if has_embedding_shape(net):
        try:
            embeddings, layers = infer_embeddings(net)
        except NotDescribable as exc:
            return None, None, str(exc)
        return layers, embeddings, None
    if type(net) is nn.Sequential:
        return None, None, unsupported_layer(net)
    return None, None, None


def _embedded_width(embeddings: Mapping[str, Any] | None, width: int) -> int:
    """The MLP's input width: the feature width, or the embedding dims plus the numeric features."""
    if embeddings is None:
        return width
    from .nets import embedded_width

    return embedded_width(embeddings)


def _code_check(net: Any) -> Any:
    """For a network of the embeddings shape, a function giving the golden rows whose codes torch cannot look up
    (``nets.code_problems``); else None."""
    from .nets import code_problems, code_tables, has_embedding_shape

    # also where the rest of the network cannot be described: the eager model still looks codes up
    tables = code_tables(net) if has_embedding_shape(net) else None
    if tables is None:
        return None
    return lambda features, names: code_problems({"tables": tables}, features, names)


def _check_layers(layers: Sequence[Mapping[str, Any]], width: int, output_dim: int) -> None:
    """The layer list's first Linear takes ``width`` inputs and its last one gives ``output_dim`` outputs."""
    d_in, d_out = layer_dims(layers)
    if (d_in, d_out) != (width, output_dim):
        raise BundleError(f"the layer list maps {d_in} -> {d_out}, the bundle needs {width} -> {output_dim}")


FLOAT32_MAX = float(np.finfo(np.float32).max)


def _golden_rows_kept(
    preprocessor: Any,
    frame: pd.DataFrame,
    feature_names: Sequence[str],
    synthesized: bool,
    base_rows: int,
    code_check: Any = None,
) -> np.ndarray:
    """Which golden rows to keep: those scikit-learn transforms into finite features that float32 holds.

    A synthesized edge row (missing value, unseen category, out-of-range number: rows ``base_rows`` onwards) that
    the fitted graph refuses (e.g. an unseen category under the encoder's default ``handle_unknown='error'``),
    turns into a non-finite feature or into a feature beyond float32's range is left out: the golden batch
    exercises such values only where the graph accepts them; so is a sampled training row with a non-finite
    feature. A training row with a feature beyond float32, or a row of a caller's ``golden_df`` that does any
    of this, is an error naming the row, the feature and the value.
    """
    features, refused = transform_rows(preprocessor, frame)
    if code_check is not None:
        # An embedding code torch cannot look up fails the eager model's whole batch: such a row is refused too.
        finite = np.where(np.isfinite(features), features, 0.0)
        bad_codes = code_check(finite, feature_names)
        unlookable = {row for row in bad_codes if row not in refused and np.isfinite(features[row]).all()}
        refused.update({row: bad_codes[row] for row in unlookable})
    else:
        unlookable = set()
    keep = np.ones(len(frame), dtype=bool)
    problems: list[str] = []
    overflow: list[str] = []
    for row in range(len(frame)):
        beyond_float32 = False
        if row in refused:
            why = (
                f"the network cannot look it up: {refused[row]}"
                if row in unlookable
                else f"scikit-learn refuses it: {refused[row]}"
            )
        else:
            values = features[row]
            bad = np.flatnonzero(~np.isfinite(values) | (np.abs(np.nan_to_num(values)) > FLOAT32_MAX))
            if not len(bad):
                continue
            j = int(bad[0])
            value = float(values[j])
            if math.isfinite(value):
                beyond_float32 = True
                why = (
                    f"feature {feature_names[j]!r} is {value!r}, beyond float32's range (+-{FLOAT32_MAX:.7g}): the "
                    "network takes float32 features, so the model would see inf; scale or clip the input "
                    "columns behind it"
                )
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
        _warn_golden(
            f"{len(overflow)} training row(s) give features beyond float32's range, e.g. {overflow[0]}; they "
            "are scored as the network sees them (inf), in Python and in Java alike"
        )
    if not keep.any() and synthesized:
        keep = _nonfinite_training_rows(features, refused, base_rows, feature_names)
    if not keep.any():
        firsts = sorted(
            {
                refused.get(r)
                or next(
                    (repr(feature_names[j]) for j in range(features.shape[1]) if not np.isfinite(features[r, j])), "?"
                )
                for r in range(len(frame))
            }
        )
        raise NoGoldenRowError(
            "no golden row gives finite features (non-finite or refused: "
            + ", ".join(firsts[:5])
            + "); impute those features' input columns, or pass golden_df explicitly"
        )
    return keep


def _nullable_where_golden_nulls(contract: list[dict[str, Any]], golden: pa.Table) -> list[dict[str, Any]]:
    """``nullable`` true where the golden batch holds a null. Only a batch of training rows kept as they are
    (``_nonfinite_training_rows``: every row has a non-finite feature) holds one in a column whose null gives a
    non-finite feature; the network saw exactly that in training."""
    return [
        {**c, "nullable": True} if not c["nullable"] and golden.column(c["name"]).null_count else c for c in contract
    ]


def _warn_golden(message: str) -> None:
    warnings.warn(message, UserWarning, stacklevel=4)


def _nonfinite_training_rows(
    features: np.ndarray, refused: Mapping[int, str], base_rows: int, feature_names: Sequence[str]
) -> np.ndarray:
    """When every golden row has a non-finite feature (e.g. a column missing in every training row passed through),
    the sampled training rows scikit-learn transforms, as they are: the network sees NaN there in Python and Java
    alike, and golden replay checks the rest of each row (NaN matches NaN)."""
    keep = np.zeros(len(features), dtype=bool)
    keep[:base_rows] = [r not in refused for r in range(min(base_rows, len(features)))]
    if keep.any():
        bad = sorted({feature_names[j] for j in np.flatnonzero(~np.isfinite(features[keep]).all(axis=0))})
        _warn_golden(
            f"every golden row has a non-finite feature ({bad[:5]}): the golden batch holds training rows "
            "as they are, and the network sees NaN there; impute those features' input columns if that "
            "is not meant"
        )
    return keep


class NoGoldenRowError(BundleError):
    """No golden row can be kept."""


def _row_text(frame: pd.DataFrame, row: int) -> str:
    return ", ".join(f"{c}={frame[c].iloc[row]!r}" for c in frame.columns)[:300]


def _contract_with_training_nulls(
    preprocessor: Any, train_df: pd.DataFrame, contract: list[dict[str, Any]]
) -> list[dict[str, Any]]:
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
        bad = [
            names[i] if i < len(names) else f"x{i}"
            for i, cats in enumerate(categories)
            if any(c is None for c in np.asarray(cats, dtype=object))
        ]
        if bad:
            raise BundleError(
                f"{type(est).__name__} learned None as a category of column(s) {bad}, but train_df holds "
                "no None in any string column: pass the frame the preprocessor was fitted on as "
                "train_df (its None values tell tabscore to score a null as None), or fit on "
                "tabscore_export.sklearn_frame(train_df)"
            )


def _check_feature_shape(features: np.ndarray, feature_names: Sequence[str]) -> None:
    if features.ndim != 2 or features.shape[1] != len(feature_names):
        raise BundleError(f"transform gave shape {features.shape}, get_feature_names_out has {len(feature_names)}")


def _check_same_outputs(what: str, got: np.ndarray, expected: np.ndarray) -> None:
    if got.shape != expected.shape or not _close(
        got.astype(np.float64), expected.astype(np.float64), TRACE_TOLERANCE, TRACE_TOLERANCE
    ):
        diff = float(np.max(np.abs(got.astype(np.float64) - expected))) if got.shape == expected.shape else "shape"
        raise BundleError(f"{what} differs from the eager model on the golden batch (max abs diff {diff})")


def _check_skops_reload(
    path: Path, golden_frame: pd.DataFrame, features: np.ndarray, approx: Sequence[float] | None = None
) -> None:
    """Load the skops file back (trusting the types it lists) and require identical golden features, except that
    ``approx`` (per feature, the relative tolerance of ``approx_features``, 0 for exact features) is allowed: a
    reloaded array is contiguous where the fitted one may be a view, and BLAS then sums a dot product in another
    order (TruncatedSVD/PCA: the very reason those features have a stated tolerance)."""
    import skops.io as sio

    reloaded = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    again = transform_features(reloaded, golden_frame)
    if again.shape != features.shape:
        raise BundleError("the skops file, loaded back, does not reproduce the golden features' shape")
    same = (again == features) | (np.isnan(again) & np.isnan(features))
    if approx is not None:
        rel = np.asarray(approx, dtype=np.float64)
        same |= np.abs(again - features) <= rel * np.maximum(1.0, np.abs(features))
    if not same.all():
        row, col = (int(v) for v in np.argwhere(~same)[0])
        raise BundleError(
            f"the skops file, loaded back, does not reproduce the golden features exactly: golden row "
            f"{row}, feature {col}: {features[row, col]!r} vs {again[row, col]!r} after reload"
        )
