"""Embeddings for categorical codes concatenated with numeric features, then an MLP: the one network shape beyond a
plain ``nn.Sequential`` that the no-code state_dict path rebuilds (``model.embeddings`` + ``model.layers``).

The shape the exporter recognises (``EmbeddingMLP`` below, or any module that mirrors it exactly):

* ``embeddings``: an ``nn.ModuleList`` or ``nn.ModuleDict`` of ``nn.Embedding`` (no ``max_norm``: it rewrites the
  table in forward);
* ``embedding_features``: the feature index (a column of the preprocessor's output) each embedding reads, in the
  embeddings' order (for a ModuleDict also a mapping from its keys);
* ``numeric_features``: the feature indices passed through as numbers;
* ``mlp``: an ``nn.Sequential`` of the layers ``infer_layers`` accepts;
* no other child module, parameter or buffer (state_dict keys ``embeddings.<j>.weight``, or
  ``embeddings.<key>.weight`` for a ModuleDict, and ``mlp.<i>.<name>``).

Its forward pass is ``mlp(cat([emb_0(code_0), ..., emb_k(code_k), x[:, numeric_features]], dim=1))`` with
``code_j = x[:, embedding_features[j]].long()``: the float32 feature truncated toward zero (torch's cast), which
must then lie in ``[0, num_embeddings)``; torch raises IndexError for the whole batch otherwise (a NaN casts to
int64's minimum), the Java side refuses the row. A mirrored class may compute this any way it likes: the exporter
writes the spec only after ``reference_forward`` (numpy lookups and the rebuilt ``nn.Sequential``, from the spec and
the state_dict alone) reproduces the eager model on the golden batch.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

import numpy as np
import torch
from torch import nn

from .errors import BundleError

EMBEDDINGS_PREFIX = "embeddings."
MLP_PREFIX = "mlp."


class EmbeddingMLP(nn.Module):
    """Embeddings for categorical codes (e.g. an OrdinalEncoder's output) concatenated with numeric features, then
    an MLP; the exporter writes it as a state_dict plus ``model.embeddings`` and ``model.layers``.

    >>> net = EmbeddingMLP([(5, 7, 3)], numeric=[0, 1, 2, 3, 4],
    ...                    mlp=nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1)))

    ``categorical``: one ``(feature index, num_embeddings, embedding_dim)`` per embedding, in concatenation order;
    ``numeric``: the feature indices concatenated after the embeddings, in that order; ``mlp``: takes
    ``sum(embedding_dim) + len(numeric)`` inputs; ``names``: keys for an ``nn.ModuleDict`` of the embeddings
    (state_dict keys ``embeddings.<name>.weight``) instead of an ``nn.ModuleList``.
    """

    def __init__(
        self,
        categorical: Sequence[tuple[int, int, int]],
        numeric: Sequence[int],
        mlp: Any,
        names: Sequence[str] | None = None,
    ) -> None:
        super().__init__()
        self.embedding_features = [int(f) for f, _, _ in categorical]
        self.numeric_features = [int(f) for f in numeric]
        tables = [nn.Embedding(int(n), int(d)) for _, n, d in categorical]
        self.embeddings = nn.ModuleList(tables) if names is None else nn.ModuleDict(dict(zip(names, tables)))
        self.mlp = mlp

    def forward(self, x: Any) -> Any:
        """x: [rows, features] float32 -> the MLP's outputs."""
        tables = self.embeddings.values() if isinstance(self.embeddings, nn.ModuleDict) else self.embeddings
        parts = [emb(x[:, f].long()) for f, emb in zip(self.embedding_features, tables)]
        # one slice per numeric feature: ONNX exports it as Slice + Concat (x[:, list] would be GatherND)
        parts.extend(x[:, f : f + 1] for f in self.numeric_features)
        return self.mlp(torch.cat(parts, dim=1))


class NotDescribable(BundleError):
    """The network has the recognised shape but a part the manifest cannot describe; the message names it."""


def has_embedding_shape(model: Any) -> bool:
    """Whether ``model`` looks like the recognised shape (children ``embeddings`` and ``mlp``)."""
    return {name for name, _ in model.named_children()} == {"embeddings", "mlp"}


def infer_embeddings(model: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``(model.embeddings, model.layers)`` of a network of the recognised shape; NotDescribable naming the part
    that does not fit. Call only where ``has_embedding_shape(model)``."""
    from .network import infer_layers, unsupported_layer

    keys, tables, features = _tables(model)
    numeric = _indices(getattr(model, "numeric_features", None), "numeric_features")
    out = []
    for key, feature, emb in zip(keys, features, tables):
        if type(emb) is not nn.Embedding:
            raise NotDescribable(f"embeddings.{key} is a {type(emb).__name__}, not an nn.Embedding")
        if emb.max_norm is not None:
            raise NotDescribable(
                f"embeddings.{key} has max_norm={emb.max_norm}: nn.Embedding renormalises the "
                "table rows it looks up in forward, which the state_dict path does not do"
            )
        out.append(
            {
                **({"name": key} if isinstance(model.embeddings, nn.ModuleDict) else {}),
                "feature": feature,
                "num_embeddings": int(emb.num_embeddings),
                "embedding_dim": int(emb.embedding_dim),
            }
        )
    mlp = model.mlp
    layers = infer_layers(mlp)
    if layers is None:
        raise NotDescribable(f"mlp: {unsupported_layer(mlp)}")
    expected = {table_key(j, t) for j, t in enumerate(out)}
    expected |= {MLP_PREFIX + key for key in mlp.state_dict()}
    extra = sorted(set(model.state_dict()) - expected)
    if extra:
        raise NotDescribable(f"state_dict keys {extra[:5]} belong to neither the embeddings nor the mlp")
    return {"tables": out, "numeric_features": numeric}, layers


def _tables(model: Any) -> tuple[list[str], list[Any], list[int]]:
    """(state_dict key part, nn.Embedding, feature index) per embedding, in order; NotDescribable when
    ``embeddings`` is not a non-empty ModuleList / ModuleDict or ``embedding_features`` does not match it."""
    tables = model.embeddings
    raw = getattr(model, "embedding_features", None)
    if type(tables) is nn.ModuleDict:
        keys = list(tables.keys())
        odd = [k for k in keys if not re.fullmatch(r"[A-Za-z0-9_]+", k)]
        if odd:
            raise NotDescribable(f"embeddings keys {odd[:5]} are not made of letters, digits and '_'")
        if isinstance(raw, Mapping):
            if set(raw) != set(keys):
                raise NotDescribable(f"embedding_features names {sorted(raw)}, the embeddings are {keys}")
            raw = [raw[k] for k in keys]
    elif type(tables) is nn.ModuleList:
        keys = [str(j) for j in range(len(tables))]
    else:
        keys = []
    if not keys:
        raise NotDescribable(
            f"embeddings is an empty or other {type(tables).__name__}; the state_dict path needs "
            "a non-empty nn.ModuleList or nn.ModuleDict of nn.Embedding"
        )
    features = _indices(raw, "embedding_features")
    if len(features) != len(keys):
        raise NotDescribable(f"embedding_features lists {len(features)} features for {len(keys)} embeddings")
    return keys, [tables[k] if type(tables) is nn.ModuleDict else tables[int(k)] for k in keys], features


def code_tables(model: Any) -> list[dict[str, int]] | None:
    """``{"feature", "num_embeddings"}`` per embedding of a module of the recognised shape (the lookups its eager
    forward does, also where the rest cannot be described), or None."""
    try:
        _, tables, features = _tables(model)
        return [{"feature": f, "num_embeddings": int(emb.num_embeddings)} for f, emb in zip(features, tables)]
    except (NotDescribable, AttributeError, TypeError):
        return None


def table_key(j: int, table: Mapping[str, Any]) -> str:
    """The state_dict key of embedding ``j``: ``embeddings.<name>.weight`` (a ModuleDict) or ``embeddings.<j>.weight``."""
    return f"{EMBEDDINGS_PREFIX}{table.get('name', j)}.weight"


def _indices(values: Any, name: str) -> list[int]:
    if values is None:
        raise NotDescribable(f"the network has no {name} (a list of feature indices)")
    if not isinstance(values, (list, tuple)) or not all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values
    ):
        raise NotDescribable(f"{name} is not a list of int feature indices: {values!r:.100}")
    return [int(v) for v in values]


def embedded_width(embeddings: Mapping[str, Any]) -> int:
    """The MLP's input width: the embedding dims plus the numeric features."""
    return sum(t["embedding_dim"] for t in embeddings["tables"]) + len(embeddings["numeric_features"])


def check_embeddings(embeddings: Mapping[str, Any], input_width: int) -> list[str]:
    """Problems of a ``model.embeddings`` object against the feature width (empty when it fits)."""
    problems = []
    for j, t in enumerate(embeddings["tables"]):
        if not 0 <= t["feature"] < input_width:
            problems.append(
                f"model.embeddings.tables[{j}] reads feature {t['feature']}, outside the {input_width} " "features"
            )
    names = [t.get("name") for t in embeddings["tables"]]
    if any(n is not None for n in names) and (None in names or len(set(names)) != len(names)):
        problems.append(
            "model.embeddings.tables: either every table has a distinct name (an nn.ModuleDict) or none "
            "has (an nn.ModuleList)"
        )
    bad = [f for f in embeddings["numeric_features"] if not 0 <= f < input_width]
    if bad:
        problems.append(f"model.embeddings.numeric_features {bad[:5]} are outside the {input_width} features")
    return problems


def code_problems(embeddings: Mapping[str, Any], features: np.ndarray, feature_names: Sequence[str]) -> dict[int, str]:
    """Rows whose embedding codes torch cannot look up, with why (first table in order): the float32 feature is
    NaN, or truncated toward zero it is outside ``[0, num_embeddings)``."""
    x = np.asarray(features, dtype=np.float32)
    out: dict[int, str] = {}
    for t in embeddings["tables"]:
        values = x[:, t["feature"]]
        with np.errstate(invalid="ignore"):
            codes = np.trunc(values)
            bad = np.isnan(values) | (codes < 0) | (codes >= t["num_embeddings"])
        for row in np.flatnonzero(bad):
            out.setdefault(
                int(row),
                f"feature {feature_names[t['feature']]!r} is {float(values[row])!r}, not a code "
                f"of its embedding table (0 to {t['num_embeddings'] - 1}, float truncated "
                "toward zero)",
            )
    return out


def build_embedding_mlp(embeddings: Mapping[str, Any], layers: Sequence[Mapping[str, Any]]) -> EmbeddingMLP:
    """An ``EmbeddingMLP`` built from ``model.embeddings`` and ``model.layers`` (load the state_dict into it)."""
    from .network import build_sequential

    tables = [(t["feature"], t["num_embeddings"], t["embedding_dim"]) for t in embeddings["tables"]]
    names = [t["name"] for t in embeddings["tables"]] if "name" in embeddings["tables"][0] else None
    return EmbeddingMLP(tables, embeddings["numeric_features"], build_sequential(layers), names=names)


def reference_forward(
    embeddings: Mapping[str, Any], layers: Sequence[Mapping[str, Any]], state: Mapping[str, Any], features: np.ndarray
) -> np.ndarray:
    """The network from the spec and the state_dict alone: numpy table lookups and concatenation (exact copies),
    then the MLP rebuilt by ``build_sequential``; float32 logits. Rows with invalid codes raise BundleError."""
    from .network import build_sequential, forward_float32

    x = np.ascontiguousarray(features, dtype=np.float32)
    bad = code_problems(embeddings, x, [f"feature {i}" for i in range(x.shape[1])])
    if bad:
        row = min(bad)
        raise BundleError(f"row {row}: {bad[row]}")
    parts = []
    for j, t in enumerate(embeddings["tables"]):
        table = state[table_key(j, t)].detach().cpu().numpy()
        if table.shape != (t["num_embeddings"], t["embedding_dim"]):
            raise BundleError(
                f"{table_key(j, t)} has shape {tuple(table.shape)}, the spec says "
                f"({t['num_embeddings']}, {t['embedding_dim']})"
            )
        parts.append(table[np.trunc(x[:, t["feature"]]).astype(np.int64)].astype(np.float32))
    parts.append(x[:, list(embeddings["numeric_features"])])
    mlp = build_sequential(layers)
    mlp.load_state_dict({k[len(MLP_PREFIX) :]: v for k, v in state.items() if k.startswith(MLP_PREFIX)}, strict=True)
    with torch.no_grad():
        return forward_float32(mlp.eval(), np.concatenate(parts, axis=1))
