"""tabscore_export.explain (`tabscore-export explain`) on real bundles: its feature lines are the golden batch's
values (what the
exporter computed) and its model lines within the output tolerance, and its leaf steps compose
to the features (the Java side is diffed
against these lines by bundle-core's ExplainCommandTest)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

import tabscore_export as tx
from tabscore_export import explain as te

ROOT = Path(__file__).resolve().parents[2]
BUNDLES = [
    ROOT / "sample-data" / "bundle",
    ROOT / "bundle-core" / "src" / "test" / "resources" / "explain" / "graph-bundle",
]


def section(lines: list[str], name: str) -> dict[str, str]:
    start = lines.index(name) + 1
    out = {}
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        key, value = line.strip().split(" = ", 1)
        out[key] = value
    return out


@pytest.mark.parametrize("bundle", BUNDLES, ids=lambda p: p.name)
def test_features_and_outputs_are_the_golden_values(bundle: Path) -> None:
    loaded = te.Loaded(bundle)
    golden_in = tx.read_golden_input(bundle / "golden" / "input.parquet")
    golden_out = pq.read_table(bundle / "golden" / "output.parquet").to_pandas()
    for i in range(0, len(golden_in), 7):
        lines = te.explain(loaded, golden_in.iloc[[i]].reset_index(drop=True))
        features = section(lines, "features")
        assert list(features) == list(loaded.pre.get_feature_names_out())
        for name, value in features.items():
            assert value == te.fmt(golden_out[name].iloc[i]), (i, name)
        # one row through the network may differ from the golden batch's pass by float32 ulps
        # (another BLAS path); within the manifest's output tolerance
        prob, expected = float(section(lines, "model")["prob"]), golden_out["prob"].iloc[i]
        assert abs(prob - expected) <= 1e-6 + 1e-5 * abs(expected), (i, prob, expected)


def test_leaf_steps_are_named_by_their_graph_path() -> None:
    bundle = BUNDLES[1]
    lines = te.explain(te.Loaded(bundle), tx.read_golden_input(bundle / "golden" / "input.parquet").iloc[[0]])
    steps = [line for line in lines if line.startswith("step ")]
    assert "step transformers_[0] 'inner' > transformers_[0] 'n' > steps[2] 'sc'" in steps
    assert "step transformers_[1] 'u' > transformer_list[2] 'p'" in steps
    assert not any("steps[1] 'p'" in s for s in steps)  # a passthrough step does nothing
    # the FeatureUnion's 'm' member before its weight 2.5, the feature after it
    m = float(section(lines, "step transformers_[1] 'u' > transformer_list[1] 'm'")["d"])
    assert float(section(lines, "features")["u__m__d"]) == m * 2.5
