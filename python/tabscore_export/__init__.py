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

Library use (``pip install ./python``)::

    import tabscore_export as tx
    manifest = tx.export_bundle(preprocessor, model, train_df, "out/bundle", name="churn", version="1.0.0",
                                task="binary", classes=[0, 1], target="label")
    tx.seal("fixtures/sklearn-1.9.1/seed-binary", "out/seed-binary")   # a seed-style folder -> bundle
    tx.validate_bundle("out/bundle")

Command line: ``tabscore-export {export-demo,seal,digest,validate,explain,sign} --help``.

Modules (each imports only those before it in this list; ``explain``, ``signing`` and ``recipes`` import the
package and are not imported by it): errors, constants, canonical, artifacts, schema, versions, contract, policies,
skops_schema, tolerance, network, onnx_export, nulls, statistics, golden, manifest, validate, export, seal, cli.
"""

from __future__ import annotations

from .errors import BundleError
from .constants import (
    DEFAULT_FEATURE_TOLERANCE,
    DEFAULT_OUTPUT_TOLERANCE,
    EXACT_UFUNCS,
    FORMAT_VERSION,
    GOLDEN_INPUT,
    GOLDEN_OUTPUT,
    GOLDEN_TRAINING_ROWS,
    HEADS,
    MANIFEST,
    OTHER_KEY,
    OUTPUT_STATISTICS_CHUNK_ROWS,
    PANDAS1_NA_VALUES,
    PANDAS2_NA_VALUES,
    PREPROCESSOR,
    QUANTILES,
    SEED_HEADS,
    SEED_TASKS,
    STATE_DICT,
    TASKS,
    TOP_FREQUENCIES,
    ONNX,
    TORCHSCRIPT,
    TRACE_TOLERANCE,
    UFUNC_ULPS,
)
from .canonical import MAX_SAFE_INTEGER, canonical_json, manifest_digest
from .artifacts import artifact_entries, bundle_files, file_sha256
from .schema import SCHEMA_RESOURCE, load_schema, validate_manifest
from .versions import current_versions, utc_now
from .contract import (
    column_dtype,
    column_kinds,
    column_nullable,
    input_contract,
    sklearn_frame,
    transform_features,
    transform_rows,
)
from .nulls import (
    NULL_IS_NONE,
    TRAINING_NULLS,
    fitted_dtypes,
    frame_as_fitted,
    graph_learned_none,
    graph_tells_none_from_nan,
    training_nulls_of,
    with_training_nulls,
)
from .policies import MAX_UNKNOWN_RATE, POLICY_VALUES, apply_policies, check_policy
from .skops_schema import SkopsSummary, read_skops_schema, skops_summary
from .tolerance import (
    APPROX_REL,
    APPROX_REL32,
    LIBM_TRANSFORMERS,
    approx_features_of,
    feature_tolerance,
    ufunc_envelope,
    ufunc_features_from_branches,
    ufunc_features_of,
    ufunc_sources_from_branches,
    ufunc_sources_of,
)
from .network import (
    _torchscript_quiet,
    build_sequential,
    forward_float32,
    golden_model_column_names,
    infer_layers,
    layer_dims,
    model_columns,
    output_columns,
)
from .statistics import (
    categorical_statistics,
    column_statistics,
    numeric_metrics,
    numeric_statistics,
    output_statistics,
    training_statistics,
)
from .golden import (
    ARROW_TYPES,
    _typed_frame,
    arrow_column,
    golden_input_table,
    golden_output_table,
    read_golden_input,
    synthesize_golden,
    write_parquet,
)
from .feature_columns import feature_columns
from .manifest import build_manifest, read_manifest, write_manifest
from .validate import check_consistency, validate_bundle
from .export import FLOAT32_MAX, NoGoldenRowError, export_bundle
from .seal import na_values_for, read_seed_csv, seal
from .cli import build_parser, main

__version__ = "0.1.0"  # = python/pyproject.toml's version

# The public API. _typed_frame (contract-typed frame from records) and _torchscript_quiet (hide torch.jit's
# deprecation warning) are re-exported too: scripts/tabscore_explain.py and the tests use them.
__all__ = [
    "APPROX_REL",
    "APPROX_REL32",
    "ARROW_TYPES",
    "BundleError",
    "DEFAULT_FEATURE_TOLERANCE",
    "DEFAULT_OUTPUT_TOLERANCE",
    "EXACT_UFUNCS",
    "FLOAT32_MAX",
    "FORMAT_VERSION",
    "GOLDEN_INPUT",
    "GOLDEN_OUTPUT",
    "GOLDEN_TRAINING_ROWS",
    "HEADS",
    "LIBM_TRANSFORMERS",
    "MANIFEST",
    "NULL_IS_NONE",
    "TRAINING_NULLS",
    "frame_as_fitted",
    "fitted_dtypes",
    "graph_learned_none",
    "graph_tells_none_from_nan",
    "training_nulls_of",
    "with_training_nulls",
    "MAX_SAFE_INTEGER",
    "MAX_UNKNOWN_RATE",
    "NoGoldenRowError",
    "ONNX",
    "OTHER_KEY",
    "OUTPUT_STATISTICS_CHUNK_ROWS",
    "PANDAS1_NA_VALUES",
    "PANDAS2_NA_VALUES",
    "POLICY_VALUES",
    "PREPROCESSOR",
    "QUANTILES",
    "SCHEMA_RESOURCE",
    "SEED_HEADS",
    "SEED_TASKS",
    "STATE_DICT",
    "SkopsSummary",
    "TASKS",
    "TOP_FREQUENCIES",
    "TORCHSCRIPT",
    "TRACE_TOLERANCE",
    "UFUNC_ULPS",
    "apply_policies",
    "approx_features_of",
    "arrow_column",
    "artifact_entries",
    "build_manifest",
    "build_parser",
    "build_sequential",
    "bundle_files",
    "canonical_json",
    "categorical_statistics",
    "check_consistency",
    "check_policy",
    "column_dtype",
    "column_kinds",
    "column_nullable",
    "column_statistics",
    "current_versions",
    "export_bundle",
    "feature_columns",
    "feature_tolerance",
    "file_sha256",
    "forward_float32",
    "golden_input_table",
    "golden_model_column_names",
    "golden_output_table",
    "infer_layers",
    "input_contract",
    "layer_dims",
    "load_schema",
    "main",
    "manifest_digest",
    "model_columns",
    "na_values_for",
    "numeric_metrics",
    "numeric_statistics",
    "output_columns",
    "output_statistics",
    "read_golden_input",
    "read_manifest",
    "read_seed_csv",
    "read_skops_schema",
    "seal",
    "skops_summary",
    "sklearn_frame",
    "synthesize_golden",
    "training_statistics",
    "transform_features",
    "transform_rows",
    "ufunc_envelope",
    "ufunc_features_from_branches",
    "ufunc_features_of",
    "ufunc_sources_from_branches",
    "ufunc_sources_of",
    "utc_now",
    "validate_bundle",
    "validate_manifest",
    "write_manifest",
    "write_parquet",
    "_torchscript_quiet",
    "_typed_frame",
]
