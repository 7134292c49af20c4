"""One row through a bundle, step by step, computed by scikit-learn and PyTorch.

The Python counterpart of ``tabscore bundle explain``: it prints the same lines, so that a
disputed prediction can be checked by diffing the two outputs::

    scripts/tabscore bundle explain BUNDLE --row '{"age": 31, ...}' > java.txt
    tabscore-export explain BUNDLE --row '{"age": 31, ...}' > python.txt
    diff java.txt python.txt

Sections: ``input`` (the raw values as scikit-learn sees them), one ``step <path>`` per leaf step
of the sklearn graph (its output columns, named by its ``get_feature_names_out``, before any
``transformer_weights``; the path as tabscore names steps, e.g. ``transformers_[0] 'num' >
steps[1] 'scaler'``), ``features`` (the preprocessor's output) and ``model`` (the bundle's
output columns). Values are Python reprs; a missing value is ``nan``.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import scipy.sparse as sp

import tabscore_export as tx


def fmt(v: Any) -> str:
    """A cell as tabscore prints it: Python's repr, every missing value as nan."""
    if v is None or v is pd.NA:
        return "nan"
    if isinstance(v, (bool, np.bool_)):
        return repr(bool(v))
    if isinstance(v, (int, np.integer)):
        return repr(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return repr(str(v))


def columns_of(x: Any, names: list[str]) -> list[tuple[str, list[Any]]]:
    """The columns of a step's output (ndarray, sparse matrix or DataFrame) with their names."""
    if sp.issparse(x):
        x = x.toarray()
    if isinstance(x, pd.DataFrame):
        return [(n, list(x.iloc[:, j])) for j, n in enumerate(names)]
    x = np.asarray(x)
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    return [(n, list(x[:, j])) for j, n in enumerate(names)]


class Explainer:
    """Walks the fitted graph as tabscore does, printing the output of every leaf step."""

    def __init__(self, emit: Callable[[str], None]):
        self.emit = emit

    def run(self, est: Any, x: Any, names: list[str], path: list[str]) -> tuple[Any, list[str]]:
        """Transforms ``x`` by ``est`` (scikit-learn's own transform) and returns the result and
        its names, printing leaf steps on the way."""
        from sklearn.compose import ColumnTransformer
        from sklearn.pipeline import FeatureUnion, Pipeline

        if isinstance(est, Pipeline):
            for i, (name, step) in enumerate(est.steps):
                if step is None or (isinstance(step, str) and step == "passthrough"):
                    continue
                x, names = self.run(step, x, names, path + [f"steps[{i}] '{name}'"])
            return x, names
        if isinstance(est, ColumnTransformer):
            for i, (name, trans, _) in enumerate(est.transformers_):
                idx = list(est._transformer_to_input_indices[name])
                if (isinstance(trans, str) and trans == "drop") or not idx:
                    continue
                sub_names = [names[j] for j in idx]
                sub = (
                    x[sub_names]
                    if isinstance(x, pd.DataFrame) and hasattr(est, "feature_names_in_")
                    else (x.iloc[:, idx] if isinstance(x, pd.DataFrame) else x[:, idx])
                )
                label = f"transformers_[{i}] '{name}'"
                if isinstance(trans, str) and trans == "passthrough":
                    self.leaf(path + [label], columns_of(sub, sub_names))
                else:
                    self.run(trans, sub, sub_names, path + [label])
            return self.whole(est, x)
        if isinstance(est, FeatureUnion):
            for i, (name, trans) in enumerate(est.transformer_list):
                label = f"transformer_list[{i}] '{name}'"
                if isinstance(trans, str) and trans == "drop":
                    continue
                if isinstance(trans, str) and trans == "passthrough":
                    self.leaf(path + [label], columns_of(x, names))
                else:
                    self.run(trans, x, names, path + [label])
            return self.whole(est, x)
        out, out_names = self.whole(est, x, names)
        if path:
            self.leaf(path, columns_of(out, out_names))
        return out, out_names

    @staticmethod
    def whole(est: Any, x: Any, names: list[str] | None = None) -> tuple[Any, list[str]]:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            out = est.transform(x)
            out_names = list(est.get_feature_names_out(names) if names is not None else est.get_feature_names_out())
        return out, out_names

    def leaf(self, path: list[str], cols: list[tuple[str, list[Any]]]) -> None:
        self.emit("step " + " > ".join(path))
        for name, values in cols:
            self.emit(f"  {name} = {fmt(values[0])}")


def load_model(bundle: Path, manifest: dict[str, Any], which: str) -> Any:
    import torch

    model = manifest["model"]
    if which in ("auto", "torchscript") and model.get("torchscript"):
        return torch.jit.load(str(bundle / model["torchscript"]), map_location="cpu").eval()
    if which == "torchscript":
        raise SystemExit("the bundle has no TorchScript model")
    if model.get("embeddings"):
        from .nets import build_embedding_mlp

        net = build_embedding_mlp(model["embeddings"], model["layers"])
    else:
        net = tx.build_sequential(model["layers"])
    net.load_state_dict(torch.load(str(bundle / model["state_dict"]), map_location="cpu", weights_only=True))
    return net.eval()


class Loaded:
    """A bundle's manifest, fitted preprocessor and network, loaded once."""

    def __init__(self, bundle: Path, model: str = "auto"):
        import skops.io as sio

        self.manifest = tx.read_manifest(bundle / tx.MANIFEST)
        path = bundle / self.manifest.get("preprocessor", {}).get("path", tx.PREPROCESSOR)
        self.pre = sio.load(path, trusted=sio.get_untrusted_types(file=path))
        self.net = load_model(bundle, self.manifest, model)


def explain(loaded: Loaded, row: pd.DataFrame) -> list[str]:
    """The explain lines for a one-row frame as read by ``read_golden_input`` / ``_typed_frame``."""
    manifest, pre = loaded.manifest, loaded.pre
    contract = manifest["input"]["columns"]
    lines: list[str] = [f"bundle {manifest['name']} {manifest['version']}", "input"]
    for c in contract:
        lines.append(f"  {c['name']} = {fmt(row[c['name']].iloc[0])}")
    names = [c["name"] for c in contract]
    Explainer(lines.append).run(pre, row, list(getattr(pre, "feature_names_in_", names)), [])
    features = tx.transform_features(pre, row)
    lines.append("features")
    for name, v in zip(tx.feature_columns([str(f) for f in pre.get_feature_names_out()]), features[0]):
        lines.append(f"  {name} = {fmt(v)}")
    task, classes = manifest["task"], manifest.get("classes")
    cols = tx.model_columns(tx.forward_float32(loaded.net, features), task, classes)
    lines.append("model")
    for name in tx.output_columns(task, classes):
        v = cols[name][0]
        lines.append(f"  {name} = {fmt(v) if name != 'label' else repr(str(v))}")
    return lines


def input_frame(args: argparse.Namespace, manifest: dict[str, Any]) -> pd.DataFrame:
    if args.row is not None:
        record = json.loads(args.row)
        missing = [c["name"] for c in manifest["input"]["columns"] if c["name"] not in record]
        if missing:
            raise SystemExit(f"--row lacks input columns {missing}")
        return tx.frame_as_fitted(
            tx.sklearn_frame(tx._typed_frame([record], manifest["input"]["columns"])), manifest["input"]["columns"]
        )
    if args.input.endswith(".csv"):
        # typed by the contract, as the Java side reads a CSV
        contract = manifest["input"]["columns"]
        text = {c["name"]: str for c in contract if c["dtype"] == "string"}
        raw = pd.read_csv(args.input, keep_default_na=True, float_precision="round_trip", dtype=text)
        records = raw.to_dict("records")
        df = tx.frame_as_fitted(tx.sklearn_frame(tx._typed_frame(records, contract)), contract)
    else:
        df = tx.read_golden_input(args.input, manifest["input"]["columns"])
    return df


def add_arguments(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The explain options (``tabscore-export explain`` and ``scripts/tabscore_explain.py``)."""
    p.add_argument("bundle")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--row", help="the row as a JSON object keyed by input column")
    src.add_argument("--input", help="a .parquet or .csv file (with --row-index)")
    p.add_argument(
        "--row-index", default="0", help="row of --input (from 0), or 'all' for every row, each after a line 'row N'"
    )
    p.add_argument("--model", default="auto", choices=["auto", "torchscript", "state_dict"])
    return p


def run(args: argparse.Namespace) -> int:
    """Print the explain lines of the chosen row(s)."""
    bundle = Path(args.bundle)
    manifest = tx.read_manifest(bundle / tx.MANIFEST)
    df = input_frame(args, manifest)
    if args.row is not None or args.row_index != "all":
        index = 0 if args.row is not None else int(args.row_index)
        if not 0 <= index < len(df):
            raise SystemExit(f"--row-index {index} is not a row of {args.input} ({len(df)} rows)")
        rows = [(None, df.iloc[[index]].reset_index(drop=True))]
    else:
        rows = [(i, df.iloc[[i]].reset_index(drop=True)) for i in range(len(df))]
    loaded = Loaded(bundle, args.model)
    for i, row in rows:
        if i is not None:
            print(f"row {i}")
        for line in explain(loaded, row):
            print(line)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = add_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    return run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
