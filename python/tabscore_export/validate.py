"""``validate_bundle`` and the cross-field rules JSON Schema cannot say."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .artifacts import bundle_files, file_sha256
from .contract import sklearn_frame, transform_features
from .errors import BundleError
from .feature_columns import feature_columns
from .golden import ARROW_TYPES
from .manifest import read_manifest
from .network import (
    _close,
    _torchscript_quiet,
    build_sequential,
    forward_float32,
    golden_model_column_names,
    layer_dims,
    model_columns,
    output_columns,
)
from .nulls import frame_as_fitted
from .policies import check_policy
from .schema import validate_manifest
from .tolerance import ufunc_envelope

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
        problems.append(
            "model.state_dict needs model.layers: the scoring side rebuilds the network from them "
            "(drop the state_dict, or give the layers of a plain nn.Sequential)"
        )
    embeddings = model.get("embeddings")
    if embeddings is not None:
        from .nets import check_embeddings, embedded_width

        problems += check_embeddings(embeddings, model["input_width"])
        if model["layers"] is None:
            problems.append("model.embeddings needs model.layers (the MLP after them)")
    if model["layers"] is not None:
        d_in, d_out = layer_dims(model["layers"])
        width = model["input_width"] if embeddings is None else embedded_width(embeddings)
        if (d_in, d_out) != (width, model["output_dim"]):
            problems.append(
                f"layers map {d_in} -> {d_out}, model says {width} -> {model['output_dim']}"
                + (" (embedding dims + numeric features)" if embeddings is not None else "")
            )
    expected_out = output_columns(manifest["task"], classes)
    if manifest["golden"]["output_columns"] != expected_out:
        problems.append(f"golden.output_columns should be {expected_out}")
    columns = set(feature_columns(feats["names"]))  # tolerances name features by their distinct column names
    approx_unknown = set(manifest["golden"]["feature_tolerance"].get("approx_features", {})) - columns
    if approx_unknown:
        problems.append(f"approx_features not among the features: {sorted(approx_unknown)}")
    unknown = set(manifest["golden"]["feature_tolerance"]["ufunc_features"]) - columns
    if unknown:
        problems.append(f"ufunc_features not among the features: {sorted(unknown)}")
    sources = set(manifest["golden"]["feature_tolerance"].get("ufunc_sources", {}))
    if sources - set(manifest["golden"]["feature_tolerance"]["ufunc_features"]):
        problems.append(
            f"ufunc_sources names features not in ufunc_features: "
            f"{sorted(sources - set(manifest['golden']['feature_tolerance']['ufunc_features']))}"
        )
    artifacts = manifest["artifacts"]
    for path in (
        manifest["preprocessor"]["path"],
        model["torchscript"],
        model["state_dict"],
        model.get("onnx"),
        manifest["golden"]["input"],
        manifest["golden"]["output"],
    ):
        if path is not None and path not in artifacts:
            problems.append(f"{path} is not listed in artifacts")
    stats = manifest["training"].get("statistics") or {}
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
    names = feature_columns(manifest["features"]["names"]) + golden_model_column_names(
        manifest["task"], manifest["classes"]
    )
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
        features = transform_features(
            pre, frame_as_fitted(sklearn_frame(gin.to_pandas()), manifest["input"]["columns"])
        )
    except Exception as exc:  # any failure of a foreign pickle graph is reported the same way
        import sklearn

        raise BundleError(
            f"cannot replay the golden batch: the preprocessor saved by scikit-learn "
            f"{manifest['versions']['scikit-learn']} fails under {sklearn.__version__}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    names = feature_columns(manifest["features"]["names"])  # the golden output's distinct column names
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
            lo, hi = ufunc_envelope(
                pre,
                frame_as_fitted(sklearn_frame(gin.to_pandas()), manifest["input"]["columns"]),
                int(tol["ufunc_ulps"]),
            )
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
            nets.append(
                ("TorchScript", torch.jit.load(str(root / manifest["model"]["torchscript"]), map_location="cpu"))
            )
    embedded = None
    if manifest["model"]["state_dict"] and manifest["model"]["layers"] and manifest["model"].get("embeddings"):
        from .nets import reference_forward

        state = torch.load(root / manifest["model"]["state_dict"], map_location="cpu", weights_only=True)
        embedded = (
            "embeddings + layers + state_dict",
            reference_forward(manifest["model"]["embeddings"], manifest["model"]["layers"], state, expected),
        )
    elif manifest["model"]["state_dict"] and manifest["model"]["layers"]:
        net = build_sequential(manifest["model"]["layers"])
        net.load_state_dict(
            torch.load(root / manifest["model"]["state_dict"], map_location="cpu", weights_only=True), strict=True
        )
        nets.append(("layers + state_dict", net.eval()))
    outputs = [(what, forward_float32(net, expected)) for what, net in nets]
    if embedded is not None:
        outputs.append(embedded)
    if manifest["model"].get("onnx"):
        from .onnx_export import run_onnx

        outputs.append(("ONNX", run_onnx(root / manifest["model"]["onnx"], expected)))
    for what, logits in outputs:
        cols = model_columns(logits, task, classes)
        for name, values in cols.items():
            want = gout.column(name).to_numpy(zero_copy_only=False)
            if name == "label":
                ok = list(values) == list(want)
            else:
                ok = _close(values, want.astype(np.float64), otol["rtol"], otol["atol"])
            if not ok:
                raise BundleError(f"replayed {what} column {name!r} differs from the golden output")
