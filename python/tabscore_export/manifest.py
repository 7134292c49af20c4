"""Reading, writing and assembling manifest.json."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from .constants import (
    DEFAULT_OUTPUT_TOLERANCE,
    FORMAT_VERSION,
    GOLDEN_INPUT,
    GOLDEN_OUTPUT,
    HEADS,
    MANIFEST,
    ONNX,
    PREPROCESSOR,
    STATE_DICT,
    TASKS,
    TORCHSCRIPT,
)
from .errors import BundleError
from .network import output_columns
from .skops_schema import SkopsSummary
from .tolerance import feature_tolerance


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
    if not (
        all(isinstance(c, str) for c in classes) or all(isinstance(c, int) and not isinstance(c, bool) for c in classes)
    ):
        raise BundleError(f"classes must be all strings or all integers, got {classes}")
    if len({str(c) for c in classes}) != len(classes):
        raise BundleError(f"classes must be distinct (as strings too), got {classes}")
    return list(classes)


def build_manifest(
    *,
    name: str,
    version: str,
    created_at: str,
    task: str,
    classes: list[Any] | None,
    contract: list[dict[str, Any]],
    feature_names: list[str],
    skops: SkopsSummary,
    ufunc_features: Mapping[str, list[str]] | list[str],
    has_torchscript: bool,
    has_state_dict: bool,
    output_dim: int,
    layers: list[dict[str, Any]] | None,
    versions: dict[str, str],
    training: dict[str, Any],
    golden_rows: int,
    artifacts: dict[str, dict[str, Any]],
    approx_features: Mapping[str, float] | None = None,
    has_onnx: bool = False,
    embeddings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
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
        "preprocessor": {
            "path": PREPROCESSOR,
            "skops_protocol": skops.protocol,
            "root_class": skops.root_class,
            "sklearn_classes": skops.sklearn_classes,
        },
        "model": {
            "torchscript": TORCHSCRIPT if has_torchscript else None,
            "state_dict": STATE_DICT if has_state_dict else None,
            **({"onnx": ONNX} if has_onnx else {}),  # absent, not null, without one: older manifests keep their digest
            "input_dtype": "float32",
            "input_width": len(feature_names),
            "output_dim": output_dim,
            "output_head": HEADS[task],
            "layers": layers,
            # absent, not null, without one: older manifests keep their digest
            **({"embeddings": dict(embeddings)} if embeddings is not None else {}),
        },
        "versions": versions,
        "training": training,
        "golden": {
            "input": GOLDEN_INPUT,
            "output": GOLDEN_OUTPUT,
            "rows": golden_rows,
            "feature_tolerance": feature_tolerance(
                ufunc_features if isinstance(ufunc_features, Mapping) else {f: [] for f in ufunc_features},
                approx_features,
            ),
            "output_tolerance": dict(DEFAULT_OUTPUT_TOLERANCE),
            "output_columns": output_columns(task, classes),
        },
        "artifacts": artifacts,
    }
