"""ONNX export of a bundle's network (issue 16). Imports nothing of the package; ``export`` and ``validate`` use it.

``write_onnx`` exports the eval-mode network with ``torch.onnx.export`` (the torch.export-based exporter), a dynamic
batch dimension and a pinned opset, every tensor inside the file, then checks the file the way the Java side will
before it is kept: standard ``ai.onnx`` operators only (the Java allow-list, ``OnnxOps.ALLOWED``, is the authority;
this is the same list), no external data, one [batch x width] float32 input and one [batch x outputs] output, and
ONNX Runtime's outputs on the golden batch within the bundle's output tolerance of the eager model's.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from pathlib import Path
from typing import Any, Iterator

import numpy as np

ONNX = "model.onnx"
# Pinned: ONNX Runtime 1.23 (the Java side) runs opsets up to 23; 18 is the lowest the torch.export-based exporter
# writes and has LayerNormalization, Mish and the Reduce* forms with axes as inputs.
OPSET = 18
INPUT_NAME = "features"
OUTPUT_NAME = "logits"
# Must equal dev.tabscore.bundle.onnx.OnnxOps.ALLOWED.
ALLOWED_OPS = frozenset(
    {
        "Gemm",
        "MatMul",
        "Add",
        "Sub",
        "Mul",
        "Div",
        "Neg",
        "Abs",
        "Sqrt",
        "Pow",
        "Exp",
        "Log",
        "Reciprocal",
        "Min",
        "Max",
        "Sum",
        "Mean",
        "Clip",
        "Floor",
        "Ceil",
        "Sign",
        "Erf",
        "Relu",
        "LeakyRelu",
        "PRelu",
        "Sigmoid",
        "HardSigmoid",
        "HardSwish",
        "Tanh",
        "Elu",
        "Selu",
        "Celu",
        "Gelu",
        "Softplus",
        "Softsign",
        "Mish",
        "Softmax",
        "LogSoftmax",
        "BatchNormalization",
        "LayerNormalization",
        "Greater",
        "GreaterOrEqual",
        "Less",
        "LessOrEqual",
        "Equal",
        "Not",
        "And",
        "Or",
        "Where",
        "Identity",
        "Dropout",
        "Constant",
        "ConstantOfShape",
        "Cast",
        "CastLike",
        "Shape",
        "Size",
        "Reshape",
        "Flatten",
        "Squeeze",
        "Unsqueeze",
        "Transpose",
        "Concat",
        "Split",
        "Slice",
        "Gather",
        "GatherElements",
        "Expand",
        "Tile",
        "Range",
        "ReduceMean",
        "ReduceSum",
        "ReduceMax",
        "ReduceMin",
        "ReduceProd",
        "ReduceL2",
        "ArgMax",
        "ArgMin",
    }
)


class OnnxExportError(ValueError):
    """The network cannot be written as an ONNX graph the scoring side accepts."""


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """torch.onnx.export prints its progress and warns about torch.export internals; neither is the caller's."""
    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.ERROR)  # "torchvision is not installed. Skipping ..." per torchvision op
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def export_onnx(net: Any, width: int, path: Path) -> None:
    """Write ``net`` (eval mode, CPU, float32) to ``path`` as ONNX with a dynamic batch dimension."""
    import torch

    example = torch.zeros(2, width, dtype=torch.float32)
    with _quiet(), torch.no_grad():
        program = torch.onnx.export(
            net,
            (example,),
            dynamo=True,
            opset_version=OPSET,
            input_names=[INPUT_NAME],
            output_names=[OUTPUT_NAME],
            dynamic_shapes=({0: torch.export.Dim("batch", min=1)},),
            external_data=False,
            verbose=False,
        )
        if program is None:
            raise OnnxExportError("torch.onnx.export returned no program")
        program.save(str(path), external_data=False)


def check_graph(path: Path, width: int, output_dim: int) -> list[str]:
    """Problems the Java allow-list would refuse ``path`` for (empty when none)."""
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    problems = []
    for imp in model.opset_import:
        if imp.domain not in ("", "ai.onnx"):
            problems.append(f"imports operator domain {imp.domain!r}")
    if model.functions:
        problems.append(f"defines local functions {[f.name for f in model.functions]}")
    for node in model.graph.node:
        if node.domain not in ("", "ai.onnx") or node.op_type not in ALLOWED_OPS:
            problems.append(f"node {node.name!r} uses {node.domain or 'ai.onnx'}:{node.op_type}")
    for tensor in model.graph.initializer:
        if tensor.data_location == onnx.TensorProto.EXTERNAL:
            problems.append(f"initializer {tensor.name!r} has external data")
    inits = {t.name for t in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in inits]
    for role, values, cols in (("input", inputs, width), ("output", list(model.graph.output), output_dim)):
        if len(values) != 1:
            problems.append(f"{len(values)} graph {role}s")
            continue
        dims = values[0].type.tensor_type.shape.dim
        if len(dims) != 2 or dims[0].HasField("dim_value") or dims[1].dim_value != cols:
            problems.append(f"graph {role} shape {[d.dim_value or d.dim_param for d in dims]} is not [batch, {cols}]")
    try:
        onnx.checker.check_model(model, full_check=False)
    except onnx.checker.ValidationError as exc:
        problems.append(f"onnx.checker: {str(exc).splitlines()[0]}")
    return problems


def run_onnx(path: Path, features: np.ndarray) -> np.ndarray:
    """ONNX Runtime's (CPU) outputs for ``features`` rounded to float32."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    x = np.ascontiguousarray(features, dtype=np.float32)
    return np.asarray(session.run(None, {session.get_inputs()[0].name: x})[0], dtype=np.float32)


def write_onnx(net: Any, features: np.ndarray, logits: np.ndarray, path: Path, rtol: float, atol: float) -> None:
    """Export, check against the allow-list and replay the golden batch on ONNX Runtime; raise before keeping it."""
    width, output_dim = features.shape[1], logits.shape[1]
    try:
        export_onnx(net, width, path)
    except Exception as exc:  # torch.export raises many types for networks it cannot trace
        raise OnnxExportError(f"torch.onnx.export failed: {type(exc).__name__}: {exc}") from exc
    problems = check_graph(path, width, output_dim)
    if problems:
        raise OnnxExportError("model.onnx would be refused by the scoring side: " + "; ".join(problems))
    got = run_onnx(path, features).astype(np.float64)
    want = logits.astype(np.float64)
    with np.errstate(invalid="ignore"):  # the same NaN / inf matches (NaN features, features beyond float32)
        same = (
            got.shape == want.shape
            and (
                (got == want) | (np.isnan(got) & np.isnan(want)) | (np.abs(got - want) <= atol + rtol * np.abs(want))
            ).all()
        )
    if not same:
        diff = float(np.max(np.abs(got - want))) if got.shape == want.shape else f"shape {got.shape}"
        raise OnnxExportError(
            f"ONNX Runtime's outputs differ from the eager model on the golden batch "
            f"(max abs diff {diff}; tolerance atol {atol}, rtol {rtol})"
        )
