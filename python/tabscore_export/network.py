"""The network spec (``model.layers``), the float32 forward pass and the output heads."""

from __future__ import annotations

import contextlib
import warnings
from typing import Any, Iterator, Mapping, Sequence

import numpy as np

from .errors import BundleError

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
            layers.append(
                {
                    "type": "Linear",
                    "in_features": module.in_features,
                    "out_features": module.out_features,
                    "bias": module.bias is not None,
                }
            )
        elif kind in (nn.ReLU, nn.Sigmoid, nn.Tanh, nn.Identity):
            layers.append({"type": kind.__name__})
        elif kind is nn.GELU and module.approximate == "none":
            layers.append({"type": "GELU"})
        elif kind is nn.Dropout:
            layers.append({"type": "Dropout", "p": float(module.p)})
        elif kind is nn.LeakyReLU:
            layers.append({"type": "LeakyReLU", "negative_slope": float(module.negative_slope)})
        else:
            extra = _norm_or_activation_layer(module)
            if extra is None:
                return None
            layers.append(extra)
    if not layers or not any(layer["type"] == "Linear" for layer in layers):
        return None
    expected_keys = set()
    for i, layer in enumerate(layers):
        expected_keys |= {f"{i}.{key}" for key in _state_keys(layer)}
    if set(model.state_dict().keys()) != expected_keys:
        return None
    return layers


def unsupported_layer(model: Any) -> str:
    """Why ``infer_layers`` gives no layer list for ``model``, naming the first layer it cannot describe."""
    from torch import nn

    if type(model) is not nn.Sequential:
        return f"a {type(model).__name__}, not an nn.Sequential"
    for name, module in model.named_children():
        if infer_layers(nn.Sequential(module, nn.Linear(1, 1))) is None and type(module) is not nn.Linear:
            return f"layer {name} ({module!r}) is not one the state_dict path rebuilds"
    return "it holds no Linear layer, or parameters or buffers outside its layers"


def _norm_or_activation_layer(module: Any) -> dict[str, Any] | None:
    """The layer spec of the normalisations and activations added by issue 16, or None when not one of them."""
    from torch import nn

    kind = type(module)
    if kind in (nn.SiLU, nn.Mish):
        return {"type": kind.__name__}
    if kind is nn.ELU:
        return {"type": "ELU", "alpha": float(module.alpha)}
    if kind is nn.Softplus:
        return {"type": "Softplus", "beta": float(module.beta), "threshold": float(module.threshold)}
    if kind is nn.BatchNorm1d and module.track_running_stats and module.running_mean is not None:
        return {
            "type": "BatchNorm1d",
            "num_features": int(module.num_features),
            "eps": float(module.eps),
            "affine": bool(module.affine),
        }
    if kind is nn.LayerNorm and len(module.normalized_shape) == 1:
        return {
            "type": "LayerNorm",
            "normalized_shape": int(module.normalized_shape[0]),
            "eps": float(module.eps),
            "elementwise_affine": bool(module.elementwise_affine),
            "bias": module.bias is not None,
        }
    return None


def _state_keys(layer: Mapping[str, Any]) -> list[str]:
    """The state_dict keys (without the index) a layer spec owns."""
    kind = layer["type"]
    if kind == "Linear":
        return ["weight", "bias"] if layer["bias"] else ["weight"]
    if kind == "BatchNorm1d":
        return (["weight", "bias"] if layer["affine"] else []) + ["running_mean", "running_var", "num_batches_tracked"]
    if kind == "LayerNorm":
        return (["weight"] if layer["elementwise_affine"] else []) + (["bias"] if layer["bias"] else [])
    return []


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
        elif kind in ("SiLU", "Mish"):
            modules.append(getattr(nn, kind)())
        elif kind == "ELU":
            modules.append(nn.ELU(layer["alpha"]))
        elif kind == "Softplus":
            modules.append(nn.Softplus(layer["beta"], layer["threshold"]))
        elif kind == "BatchNorm1d":
            modules.append(nn.BatchNorm1d(layer["num_features"], eps=layer["eps"], affine=layer["affine"]))
        elif kind == "LayerNorm":
            modules.append(
                nn.LayerNorm(
                    layer["normalized_shape"],
                    eps=layer["eps"],
                    elementwise_affine=layer["elementwise_affine"],
                    bias=layer["bias"],
                )
            )
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
        return {"logit": logits[:, 0].astype(np.float64), "prob": torch.sigmoid(t).numpy()[:, 0].astype(np.float64)}
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


@contextlib.contextmanager
def _torchscript_quiet() -> Iterator[None]:
    """Silence torch's DeprecationWarning for torch.jit: TorchScript is the format DJL (the Java side) runs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield
