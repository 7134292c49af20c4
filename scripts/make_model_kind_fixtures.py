#!/usr/bin/env python3
"""Write the model-kind test bundles (issue 16): each network exported as state_dict, ONNX and TorchScript at once.

    bundle-core/src/test/resources/model-kinds/normed-binary/   churn preprocessor (11 features) ->
        tabscore_recipes.normed_mlp: Linear, BatchNorm1d, SiLU, Linear, LayerNorm, ELU, Dropout, Linear,
        Softplus(beta=2, threshold=10), Linear, Mish, Linear (sigmoid head)
    bundle-core/src/test/resources/model-kinds/embedded-binary/ churn: scaled age/income, region and channel as
        OrdinalEncoder codes (region: unseen -> n, missing -> n+1; channel: missing -> n, unseen -> -1, which no
        table row has) -> tabscore_recipes.embed_mlp: tabscore_export.nets.EmbeddingMLP with embeddings 7x3
        (region) and 5x2 (channel), then Linear, BatchNorm1d, SiLU, Linear,
        LayerNorm, GELU, Dropout, Linear (sigmoid head); model.embeddings in the manifest

The Java tests derive the single-kind bundles (ONNX only, state_dict only, TorchScript only) from it by dropping
artifacts from the manifest, so all four score the same trained weights; the hostile ONNX files are edits of its
model.onnx. Re-run after changing the exporter: ``python scripts/make_model_kind_fixtures.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch

import tabscore_export as tx
from tabscore_export import recipes

OUT = Path(__file__).resolve().parent.parent / "bundle-core" / "src" / "test" / "resources" / "model-kinds"


def main() -> int:
    torch.set_num_threads(1)
    for name, trained in (
        ("normed-binary", recipes.train_churn_normed(rows=2000, seed=20261216, epochs=3)),
        ("embedded-binary", recipes.train_churn_embedded(rows=2000, seed=20261217, epochs=3)),
    ):
        tx.export_bundle(
            trained.preprocessor,
            trained.model,
            trained.train_df,
            OUT / name,
            name=name,
            version="1.0.0",
            task="binary",
            classes=[0, 1],
            target=trained.target,
            snapshot_id="fixture",
            run_id="make_model_kind_fixtures",
            created_at="2026-12-05T00:00:00Z",
            overwrite=True,
            onnx=True,
        )
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
