#!/usr/bin/env python3
"""Generate sample-data/: a real churn bundle, a scoring input snapshot and Python's predictions for it.

    sample-data/
      bundle/                                  seed-binary bundle (export_bundle): manifest.json, preprocessor.skops,
                                               model.torchscript.pt, model_state.pt, golden/{input,output}.parquet
      input/snapshot=2026-11-01/part-0.parquet customer_id (int64) + age, income (double), region, channel (string):
                                               5,000 rows with nulls, a few NaN (not null) ages, huge incomes and
                                               unseen categories (atlantis, North, " north", "", carrier_pigeon, Web)
      expected/predictions.parquet             customer_id, prob: Python's float32 forward pass widened to double

Usage: ``python scripts/make_sample_data.py [--out sample-data]``. Fixed seeds: everything but the bytes of
preprocessor.skops and model.torchscript.pt (and so the artifact hashes) is the same on every run on one machine.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import torch

import tabscore_export as tx
from tabscore_export import recipes

REPO_ROOT = Path(__file__).resolve().parent.parent

TRAIN_SEED = 20261101
INPUT_SEED = 20261102
SNAPSHOT = "2026-11-01"
TRAINING_SNAPSHOT = "2026-10-01"
CREATED_AT = "2026-11-01T06:00:00Z"
UNSEEN = {"region": ["atlantis", "North", " north", ""], "channel": ["carrier_pigeon", "Web"]}


def generate(out: Path, *, train_rows: int = 5000, input_rows: int = 5000, epochs: int = 15) -> dict:
    """Train the churn model, export the bundle, write the input snapshot and the expected predictions."""
    torch.set_num_threads(1)
    trained = recipes.train_churn_binary(rows=train_rows, seed=TRAIN_SEED, epochs=epochs)
    manifest = tx.export_bundle(
        trained.preprocessor,
        trained.model,
        trained.train_df,
        out / "bundle",
        name="seed-binary",
        version="1.0.0",
        task="binary",
        classes=[0, 1],
        target=recipes.CHURN_TARGET,
        snapshot_id=TRAINING_SNAPSHOT,
        run_id="make_sample_data",
        metrics=trained.metrics,
        created_at=CREATED_AT,
        overwrite=True,
    )

    raw = recipes.make_churn_frame(input_rows, INPUT_SEED, first_id=500000).drop(columns=[recipes.CHURN_TARGET])
    scoring = recipes.scoring_frame(
        raw, INPUT_SEED, unseen=UNSEEN, nan_columns=["age"], huge_columns=["income"], share=0.004
    )
    input_dir = out / "input" / f"snapshot={SNAPSHOT}"
    if input_dir.parent.exists():
        shutil.rmtree(input_dir.parent)
    input_path = input_dir / "part-0.parquet"
    recipes.write_input_parquet(scoring, input_path)

    predictions = recipes.predictions_frame(trained, input_path, recipes.CHURN_ID, manifest)
    if not predictions["prob"].notna().all():
        raise tx.BundleError("some sample predictions are NaN")
    recipes.write_predictions(predictions, out / "expected" / "predictions.parquet")
    return manifest


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "sample-data")
    parser.add_argument("--train-rows", type=int, default=5000)
    parser.add_argument("--input-rows", type=int, default=5000)
    parser.add_argument("--epochs", type=int, default=15)
    args = parser.parse_args(argv)
    manifest = generate(args.out, train_rows=args.train_rows, input_rows=args.input_rows, epochs=args.epochs)
    print(f"wrote {args.out}: bundle {manifest['name']} {manifest['version']} {tx.manifest_digest(manifest)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
