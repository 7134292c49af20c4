"""Bundle layout, tasks, tolerances and seed-folder vocabulary shared by the exporter's modules."""

from __future__ import annotations

FORMAT_VERSION = 1


MANIFEST = "manifest.json"
PREPROCESSOR = "preprocessor.skops"
TORCHSCRIPT = "model.torchscript.pt"
STATE_DICT = "model_state.pt"
ONNX = "model.onnx"  # onnx_export.ONNX
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
EXACT_UFUNCS = frozenset(
    {
        "abs",
        "absolute",
        "fabs",
        "negative",
        "positive",
        "square",
        "sign",
        "floor",
        "ceil",
        "trunc",
        "rint",
        "sqrt",
        "reciprocal",
        "deg2rad",
        "radians",
        "rad2deg",
        "degrees",
        "isnan",
        "isinf",
        "isfinite",
        "logical_not",
    }
)
DEFAULT_FEATURE_TOLERANCE = {"default_abs": 0.0, "ufunc_ulps": UFUNC_ULPS}
DEFAULT_OUTPUT_TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}
TRACE_TOLERANCE = 1e-6
GOLDEN_TRAINING_ROWS = 48

# pandas' default NA strings (read_csv keep_default_na=True). pandas >= 2.0 added "None".
PANDAS1_NA_VALUES = (
    "",
    "#N/A",
    "#N/A N/A",
    "#NA",
    "-1.#IND",
    "-1.#QNAN",
    "-NaN",
    "-nan",
    "1.#IND",
    "1.#QNAN",
    "<NA>",
    "N/A",
    "NA",
    "NULL",
    "NaN",
    "n/a",
    "nan",
    "null",
)
PANDAS2_NA_VALUES = PANDAS1_NA_VALUES + ("None",)

SEED_TASKS = {
    "binary_classification": "binary",
    "multiclass_classification": "multiclass",
    "regression": "regression",
    "binary": "binary",
    "multiclass": "multiclass",
}
SEED_HEADS = {
    "sigmoid": "sigmoid",
    "softmax": "softmax",
    "softmax(dim=1)": "softmax",
    "identity": "identity",
    "none": "identity",
    "": "identity",
}
