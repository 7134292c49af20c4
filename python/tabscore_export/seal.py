"""``seal``: a seed-style folder (metadata.json + golden CSVs) -> a bundle, without unpickling."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .artifacts import artifact_entries, file_sha256
from .constants import (
    DEFAULT_OUTPUT_TOLERANCE,
    GOLDEN_INPUT,
    GOLDEN_OUTPUT,
    HEADS,
    MANIFEST,
    PANDAS1_NA_VALUES,
    PANDAS2_NA_VALUES,
    PREPROCESSOR,
    SEED_HEADS,
    SEED_TASKS,
    STATE_DICT,
    TORCHSCRIPT,
)
from .contract import column_dtype
from .errors import BundleError
from .export import _check_layers, _Staging
from .feature_columns import feature_columns
from .golden import golden_input_table, golden_output_table, write_parquet
from .manifest import _check_task, build_manifest, write_manifest
from .network import (
    _close,
    _torchscript_quiet,
    build_sequential,
    forward_float32,
    golden_model_column_names,
    infer_layers,
)
from .schema import validate_manifest
from .skops_schema import skops_summary
from .statistics import numeric_metrics, training_statistics
from .tolerance import ufunc_sources_from_branches
from .validate import check_consistency
from .versions import utc_now

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
    return pd.read_csv(
        path, keep_default_na=False, na_values=list(na_values_for(pandas_version)), float_precision="round_trip"
    )


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


def _verify_seed_model(
    src: Path, meta: Mapping[str, Any], features: np.ndarray, expected: np.ndarray, layers: list[dict[str, Any]] | None
) -> None:
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


def seal(
    src_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    name: str | None = None,
    version: str = "1.0.0",
    *,
    created_at: str | None = None,
    snapshot_id: str | None = None,
    run_id: str | None = None,
    verify_model: bool = True,
    overwrite: bool = False,
) -> dict[str, Any]:
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
    _check_seed_artifacts(
        src,
        meta,
        [
            f
            for f in (PREPROCESSOR, TORCHSCRIPT, STATE_DICT, "golden_input.csv", "golden_output.csv", "data.csv")
            if (src / f).is_file()
        ],
    )

    pandas_version = _require(seed_versions, "pandas", "metadata.json versions")
    golden_in = read_seed_csv(src / "golden_input.csv", pandas_version)
    input_cols = list(_require(meta, "input_columns", "metadata.json"))
    if list(golden_in.columns) != input_cols:
        raise BundleError(f"golden_input.csv columns {list(golden_in.columns)} != input_columns {input_cols}")
    golden_out = read_seed_csv(src / "golden_output.csv", pandas_version)
    feature_names = [str(f) for f in _require(meta, "feature_names_out", "metadata.json")]
    if list(golden_out.columns[: len(feature_names)]) != feature_names:
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
        "scikit-learn": str(
            seed_versions.get("scikit-learn") or _require(seed_versions, "sklearn", "metadata.json versions")
        ),
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
        write_parquet(golden_output_table(feature_columns(feature_names), features, model_cols), stage / GOLDEN_OUTPUT)
        for rel in (PREPROCESSOR, TORCHSCRIPT, STATE_DICT):
            if (src / rel).is_file():
                shutil.copyfile(src / rel, stage / rel)
        manifest = build_manifest(
            name=name or _require(meta, "bundle", "metadata.json"),
            version=version,
            created_at=created_at or utc_now(),
            task=task,
            classes=classes,
            contract=contract,
            feature_names=feature_names,
            skops=skops,
            ufunc_features=ufunc_sources_from_branches(feature_columns(feature_names), skops),
            has_torchscript=has_ts,
            has_state_dict=has_sd,
            output_dim=output_dim,
            layers=layers,
            versions=versions,
            training=training,
            golden_rows=len(golden_in),
            artifacts=artifact_entries(stage),
        )
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
        same = all(
            (x is None and y is None)
            or (
                x is not None
                and y is not None
                and (x == y or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y)))
            )
            for x, y in zip(a, b)
        )
        if not same or len(a) != len(b):
            raise BundleError(f"{seed}: column {col!r} differs from golden_input.csv as read")
