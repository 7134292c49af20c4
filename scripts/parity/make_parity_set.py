#!/usr/bin/env python3
"""Build a fresh Python-vs-Java parity set: four newly trained bundles, one scoring input, Python's predictions.

    OUT_DIR/
      parity.json                      index: input, id column, and per bundle its folder, expected file,
                                       output columns, tolerance, manifest digest and model artifact kinds
      bundles/parity-binary/           binary (imputer add_indicator, StandardScaler, MinMaxScaler, one-hot ignore,
                                       one-hot min_frequency + infrequent_if_exist with NaN as a category; Dropout);
                                       all three model artifacts: state_dict, ONNX and TorchScript
      bundles/parity-multiclass/       bronze/silver/gold (KBinsDiscretizer quantile, log1p, OrdinalEncoder,
                                       one-hot on int64 weekday, one-hot drop='first'; LeakyReLU, GELU);
                                       TorchScript only
      bundles/parity-regression/       spend (log1p + imputer add_indicator + RobustScaler, KBinsDiscretizer uniform,
                                       MinMaxScaler on int64, one-hot min_frequency/max_categories, OrdinalEncoder;
                                       Tanh, Identity); ONNX only
      bundles/parity-embedded/         binary churn through tabscore_export.nets.EmbeddingMLP: plan, device and region
                                       as OrdinalEncoder codes looked up in embeddings, then BatchNorm1d, LayerNorm,
                                       SiLU, GELU; state_dict only (model.embeddings + model.layers)
      input/part-0.parquet             id (int64) and every raw column of the three bundles; nulls in every column
                                       but id, NaN (not null) in the float columns, unseen categories and values,
                                       huge and negative numbers
      expected/<bundle>.parquet        id + the bundle's golden.output_columns, from Python (float32 forward pass
                                       over the whole input at once, widened to double; label as string)

Usage: ``python scripts/parity/make_parity_set.py OUT_DIR --rows 10000``. Compare Java's predictions with
``|java - python| <= atol + rtol * |python|`` (the manifest's golden.output_tolerance) and labels exactly.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch

import tabscore_export as tx
from tabscore_export import recipes

TARGETS = ["churn", "tier", "spend_next"]
UNSEEN = {
    "region": ["atlantis", "North", ""],
    "channel": ["carrier_pigeon", "WEB"],
    "plan": ["platinum", "Basic"],
    "device": ["fridge", "iOS"],
}
# One bundle per model artifact kind (issue 16): the export_bundle flags say which artifacts each one has.
RECIPES = [
    ("parity-binary", recipes.parity_binary, {"torchscript": True, "onnx": True, "state_dict": True}),
    ("parity-multiclass", recipes.parity_multiclass, {"torchscript": True, "onnx": False, "state_dict": False}),
    ("parity-regression", recipes.parity_regression, {"torchscript": False, "onnx": True, "state_dict": False}),
    ("parity-embedded", recipes.parity_embedded, {"torchscript": False, "onnx": False, "state_dict": True}),
]
KINDS = ("state_dict", "onnx", "torchscript")


def scoring_input(rows: int, seed: int):
    """The scoring frame: a fresh customer draw with edge cases added (see the module docstring)."""
    frame = recipes.make_customer_frame(rows, seed, first_id=1_000_000).drop(columns=TARGETS)
    rng = np.random.default_rng(seed)
    picks = rng.choice(rows, size=max(rows // 200, 4), replace=False)
    frame.loc[picks[: len(picks) // 2], "weekday"] = 7  # an unseen weekday category
    frame.loc[picks[len(picks) // 2 :], "age"] = -5.0  # out of the training range, below
    return recipes.scoring_frame(
        frame,
        seed,
        unseen=UNSEEN,
        nan_columns=["age", "income", "monthly_spend"],
        int_null_columns=["tenure_months", "weekday"],
        huge_columns=["age", "income", "monthly_spend"],
        share=0.005,
    )


def build(out: Path, *, rows: int, train_rows: int, epochs: int, seed: int) -> dict:
    """Train, export, write the input and the expected predictions; return the parity.json index."""
    torch.set_num_threads(1)
    if out.exists() and any(out.iterdir()):
        if not (out / "parity.json").is_file():
            raise tx.BundleError(f"{out} is not empty and holds no parity.json; refusing to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    train = recipes.make_customer_frame(train_rows, seed)
    input_path = out / "input" / "part-0.parquet"
    recipes.write_input_parquet(scoring_input(rows, seed + 1), input_path)
    index = {"input": "input/part-0.parquet", "id_column": "id", "rows": rows, "bundles": []}
    for offset, (name, recipe, artifacts) in enumerate(RECIPES):
        trained = recipe(train, seed + 10 * (offset + 1), epochs)
        manifest = tx.export_bundle(
            trained.preprocessor,
            trained.model,
            trained.train_df,
            out / "bundles" / name,
            name=name,
            version="1.0.0",
            task=trained.task,
            classes=trained.classes,
            target=trained.target,
            snapshot_id=f"parity-seed-{seed}",
            run_id="make_parity_set",
            metrics=trained.metrics,
            **artifacts,
        )
        kinds = [k for k in KINDS if manifest["model"].get(k)]
        if kinds != [k for k in KINDS if artifacts[k]]:
            raise tx.BundleError(f"{name}: wrote model artifacts {kinds}, asked for {artifacts}")
        predictions = recipes.predictions_frame(trained, input_path, "id", manifest)
        numeric = predictions.drop(columns=["id", "label"], errors="ignore").to_numpy(dtype=np.float64)
        if not np.isfinite(numeric).all():
            raise tx.BundleError(f"{name}: some Python predictions are not finite")
        expected = out / "expected" / f"{name}.parquet"
        recipes.write_predictions(predictions, expected)
        index["bundles"].append(
            {
                "name": name,
                "bundle": f"bundles/{name}",
                "digest": tx.manifest_digest(manifest),
                "task": manifest["task"],
                "expected": f"expected/{name}.parquet",
                "output_columns": manifest["golden"]["output_columns"],
                "output_tolerance": manifest["golden"]["output_tolerance"],
                "kinds": kinds,
                "metrics": trained.metrics,
            }
        )
    (out / "parity.json").write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    return index


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--rows", type=int, default=10000, help="scoring input rows (at least 10,000 for CI)")
    parser.add_argument("--train-rows", type=int, default=4000)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be positive")
    started = time.monotonic()
    try:
        index = build(args.out_dir, rows=args.rows, train_rows=args.train_rows, epochs=args.epochs, seed=args.seed)
    except tx.BundleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    names = ", ".join(f"{b['name']} {b['digest'][:19]}" for b in index["bundles"])
    print(f"wrote {args.out_dir} ({index['rows']} rows; {names}) in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
