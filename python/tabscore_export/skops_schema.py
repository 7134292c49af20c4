"""The skops file read as JSON only (never unpickled here): what a sealed bundle learns from it."""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass, field
from typing import Any, Iterable

from .errors import BundleError

# ---------------------------------------------------------------------------------------------------------------
# The skops file, read as JSON only (never unpickled here)
# ---------------------------------------------------------------------------------------------------------------


def read_skops_schema(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The ``schema.json`` entry of a .skops zip."""
    try:
        with zipfile.ZipFile(path) as zf:
            return json.loads(zf.read("schema.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        raise BundleError(f"{path} is not a skops file (zip with schema.json): {exc}") from exc


def _schema_nodes(node: Any) -> Iterable[dict[str, Any]]:
    """Every node dict of a skops schema tree."""
    if isinstance(node, dict):
        if "__loader__" in node:
            yield node
        for value in node.values():
            yield from _schema_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_nodes(value)


@dataclass(frozen=True)
class SkopsSummary:
    """What the manifest says about a .skops file."""

    protocol: int
    root_class: str
    sklearn_classes: list[str]
    ufunc_branches: list[str]
    verbose_feature_names_out: bool
    ufunc_names: dict[str, list[str]] = field(default_factory=dict)


def skops_summary(path: str | os.PathLike[str]) -> SkopsSummary:
    """Protocol, root class, sklearn classes and the ColumnTransformer branches that apply a numpy ufunc."""
    schema = read_skops_schema(path)
    if "protocol" not in schema:
        raise BundleError(f"{path}: schema.json has no 'protocol'")
    classes = sorted(
        {
            f"{n['__module__']}.{n['__class__']}"
            for n in _schema_nodes(schema)
            if str(n.get("__module__", "")).startswith("sklearn.")
        }
    )
    root = f"{schema.get('__module__')}.{schema.get('__class__')}"
    branches: list[str] = []
    ufunc_names: dict[str, list[str]] = {}
    verbose = True
    attrs = (schema.get("content") or {}).get("content") or {}
    if isinstance(attrs, dict):
        flag = attrs.get("verbose_feature_names_out")
        if isinstance(flag, dict) and flag.get("content") == "false":
            verbose = False
        transformers = attrs.get("transformers_")
        for entry in (transformers or {}).get("content") or []:
            parts = entry.get("content") if isinstance(entry, dict) else None
            if not parts or len(parts) < 2:
                continue
            name = json.loads(parts[0].get("content", "null")) if isinstance(parts[0], dict) else None
            funcs = sorted(
                {
                    str(n.get("__class__"))
                    for n in _schema_nodes(parts[1])
                    if n.get("__loader__") == "FunctionNode" and str(n.get("__module__", "")).startswith("numpy")
                }
            )
            if isinstance(name, str) and funcs:
                branches.append(name)
                ufunc_names[name] = funcs
    return SkopsSummary(int(schema["protocol"]), root, classes, branches, verbose, ufunc_names)
