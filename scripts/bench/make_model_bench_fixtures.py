#!/usr/bin/env python3
"""Write the networks of PredictorBenchmark (issue 16) in all three model formats:

    benchmarks/models/seed-binary/          the sklearn-1.9.1 seed-binary fixture's MLP 11-64-32-1 (its state_dict)
    benchmarks/models/mlp-20-128-64-32-1/   a heavier MLP 20-128-64-32-1 (ReLU), seeded random weights

each with model.json (the manifest's /model object), model_state.pt, model.torchscript.pt and model.onnx (through
tabscore_export.onnx_export, checked against the eager network). Re-run after changing the exporter:
``python scripts/bench/make_model_bench_fixtures.py``.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
import torch

import tabscore_export as tx
from tabscore_export import onnx_export as tabscore_onnx

ROOT = Path(__file__).resolve().parent.parent.parent
SEED = ROOT / "bundle-core" / "src" / "test" / "resources" / "fixtures" / "sklearn-1.9.1" / "seed-binary"
OUT = ROOT / "benchmarks" / "models"


def write(name: str, layers: list[dict], state: dict) -> None:
    net = tx.build_sequential(layers)
    net.load_state_dict(state, strict=True)
    net.eval()
    width, out_dim = tx.layer_dims(layers)
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    torch.save(net.state_dict(), folder / tx.STATE_DICT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        traced = torch.jit.trace(net, torch.zeros(1, width))
    torch.jit.save(traced, str(folder / tx.TORCHSCRIPT))
    features = np.random.default_rng(0).normal(size=(64, width)).astype(np.float32)
    tabscore_onnx.write_onnx(net, features, tx.forward_float32(net, features), folder / tx.ONNX, 1e-5, 1e-6)
    model = {
        "torchscript": tx.TORCHSCRIPT,
        "state_dict": tx.STATE_DICT,
        "onnx": tx.ONNX,
        "input_dtype": "float32",
        "input_width": width,
        "output_dim": out_dim,
        "output_head": "sigmoid",
        "layers": layers,
    }
    (folder / "model.json").write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    print(folder)


def main() -> int:
    torch.set_num_threads(1)
    seed_layers = json.loads((SEED / "metadata.json").read_text())["model"]["layers"]
    write("seed-binary", seed_layers, torch.load(SEED / tx.STATE_DICT, weights_only=True))
    torch.manual_seed(20)
    widths = [20, 128, 64, 32, 1]
    heavy = []
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        heavy.append({"type": "Linear", "in_features": a, "out_features": b, "bias": True})
        if i < len(widths) - 2:
            heavy.append({"type": "ReLU"})
    write("mlp-20-128-64-32-1", heavy, tx.build_sequential(heavy).state_dict())
    return 0


if __name__ == "__main__":
    sys.exit(main())
