"""Embeddings then an MLP on the no-code state_dict path (issue 16): tabscore_export.nets and the exporter's use of it."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import torch
from torch import nn

import tabscore_export as tx
from tabscore_export import nets, recipes


@pytest.fixture(scope="module")
def embedded() -> recipes.Trained:
    return recipes.train_churn_embedded(rows=800, seed=11, epochs=1)


def _export(t: recipes.Trained, out, model=None, **kw):
    return tx.export_bundle(
        t.preprocessor,
        t.model if model is None else model,
        t.train_df,
        out,
        name="embedded",
        version="0.1.0",
        task="binary",
        classes=[0, 1],
        target=t.target,
        created_at="2026-12-05T00:00:00Z",
        **kw,
    )


def _golden_features(root, manifest) -> np.ndarray:
    out = pq.read_table(root / tx.GOLDEN_OUTPUT)
    return np.stack([out.column(n).to_numpy() for n in manifest["features"]["names"]], axis=1)


def test_the_spec_describes_the_network_and_every_artifact_replays_it(embedded, tmp_path):
    root = tmp_path / "b"
    manifest = _export(embedded, root, onnx=True)
    model = manifest["model"]
    assert (model["state_dict"], model["onnx"], model["torchscript"]) == (tx.STATE_DICT, tx.ONNX, tx.TORCHSCRIPT)
    assert model["embeddings"] == {
        "tables": [
            {"feature": 2, "num_embeddings": 7, "embedding_dim": 3},
            {"feature": 3, "num_embeddings": 5, "embedding_dim": 2},
        ],
        "numeric_features": [0, 1],
    }
    assert [layer["type"] for layer in model["layers"]] == [
        "Linear",
        "BatchNorm1d",
        "SiLU",
        "Linear",
        "LayerNorm",
        "GELU",
        "Dropout",
        "Linear",
    ]
    assert model["layers"][0]["in_features"] == 3 + 2 + 2
    state = torch.load(root / tx.STATE_DICT, weights_only=True)
    assert {"embeddings.0.weight", "embeddings.1.weight", "mlp.0.weight", "mlp.1.running_var"} <= set(state)
    assert tx.validate_bundle(root)[-1].startswith("golden replay")
    # the spec alone (numpy lookups + rebuilt MLP) and the rebuilt EmbeddingMLP give the eager model's logits
    features = _golden_features(root, manifest)
    eager = tx.forward_float32(embedded.model.eval(), features)
    np.testing.assert_array_equal(nets.reference_forward(model["embeddings"], model["layers"], state, features), eager)
    rebuilt = nets.build_embedding_mlp(model["embeddings"], model["layers"])
    rebuilt.load_state_dict(state, strict=True)
    np.testing.assert_array_equal(tx.forward_float32(rebuilt.eval(), features), eager)


class _ByKey(nets.EmbeddingMLP):
    """A mirror whose embedding_features maps the ModuleDict's keys to features."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        parts = [emb(x[:, self.embedding_features[k]].long()) for k, emb in self.embeddings.items()]
        return self.mlp(torch.cat(parts + [x[:, f : f + 1] for f in self.numeric_features], dim=1))


def test_a_module_dict_of_embeddings_keeps_its_keys(embedded, tmp_path):
    source = embedded.model
    net = _ByKey([(2, 7, 3), (3, 5, 2)], [0, 1], copy.deepcopy(source.mlp), names=["region", "channel"])
    for emb, trained in zip(net.embeddings.values(), source.embeddings):
        emb.load_state_dict(trained.state_dict())
    net.embedding_features = {"channel": 3, "region": 2}
    manifest = _export(embedded, tmp_path / "b", model=net, torchscript=False, onnx=False)
    assert [t.get("name") for t in manifest["model"]["embeddings"]["tables"]] == ["region", "channel"]
    state = torch.load(tmp_path / "b" / tx.STATE_DICT, weights_only=True)
    assert {"embeddings.region.weight", "embeddings.channel.weight"} <= set(state)
    tx.validate_bundle(tmp_path / "b")
    features = _golden_features(tmp_path / "b", manifest)
    np.testing.assert_array_equal(tx.forward_float32(net.eval(), features), tx.forward_float32(source.eval(), features))
    rebuilt = nets.build_embedding_mlp(manifest["model"]["embeddings"], manifest["model"]["layers"])
    rebuilt.load_state_dict(state, strict=True)
    np.testing.assert_array_equal(tx.forward_float32(rebuilt.eval(), features), tx.forward_float32(net, features))


def test_codes_convert_as_torch_and_the_rest_are_the_values_torch_raises_on():
    emb = nn.Embedding(3, 2)
    spec = {"tables": [{"feature": 0, "num_embeddings": 3, "embedding_dim": 2}], "numeric_features": []}
    values = [-0.5, 0.0, 2.9, 2.99999, float("nan"), -1.0, 3.0, float("inf"), -float("inf"), 1e20]
    bad = nets.code_problems(spec, np.array(values).reshape(-1, 1), ["f"])
    for row, v in enumerate(values):
        try:
            emb(torch.tensor([v], dtype=torch.float32).long())
            torch_ok = True
        except IndexError:
            torch_ok = False
        assert (row not in bad) == torch_ok, v
    assert "feature 'f' is -1.0, not a code" in bad[5]


def test_golden_rows_with_codes_torch_cannot_look_up_are_left_out_or_named(embedded, tmp_path):
    manifest = _export(embedded, tmp_path / "b", torchscript=False, onnx=False)
    golden = pq.read_table(tmp_path / "b" / tx.GOLDEN_INPUT).to_pandas()
    assert manifest["golden"]["rows"] == len(golden) and "carrier_pigeon" not in set(golden["channel"].dropna())
    rows = embedded.train_df.head(3).copy()
    rows.loc[rows.index[1], "channel"] = "carrier_pigeon"  # unseen: the encoder gives -1
    with pytest.raises(
        tx.BundleError,
        match=r"golden row 1: the network cannot look it up: feature " r"'channel__channel' is -1.0, not a code",
    ):
        _export(embedded, tmp_path / "c", golden_df=rows, torchscript=False, onnx=False)


class _NumericFirst(nn.Module):
    """Mirrors the recognised shape but concatenates the numeric features first: not what the spec says."""

    def __init__(self, net: nets.EmbeddingMLP) -> None:
        super().__init__()
        self.embeddings, self.mlp = net.embeddings, net.mlp
        self.embedding_features, self.numeric_features = net.embedding_features, net.numeric_features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        parts = [x[:, f : f + 1] for f in self.numeric_features]
        parts += [emb(x[:, f].long()) for f, emb in zip(self.embedding_features, self.embeddings)]
        return self.mlp(torch.cat(parts, dim=1))


def test_a_mirrored_module_is_kept_only_where_the_spec_reproduces_it(embedded, tmp_path):
    net = copy.deepcopy(embedded.model)

    class Mirror(_NumericFirst):
        def forward(self, x: torch.Tensor) -> torch.Tensor:  # the documented order: embeddings, then numbers
            parts = [emb(x[:, f].long()) for f, emb in zip(self.embedding_features, self.embeddings)]
            return self.mlp(torch.cat(parts + [x[:, f : f + 1] for f in self.numeric_features], dim=1))

    manifest = _export(embedded, tmp_path / "mirror", model=Mirror(net), torchscript=False, onnx=False)
    assert manifest["model"]["embeddings"]["numeric_features"] == [0, 1]
    with pytest.raises(tx.BundleError, match="embeddings \\+ layers \\+ state_dict differs from the eager model"):
        _export(embedded, tmp_path / "swapped", model=_NumericFirst(net), torchscript=False, onnx=False)


@pytest.mark.parametrize(
    "change, named",
    [
        (lambda net: setattr(net.embeddings[1], "max_norm", 1.0), "embeddings.1 has max_norm=1.0"),
        (lambda net: net.mlp.__setitem__(2, nn.PReLU()), "mlp: layer 2 \\(PReLU"),
        (lambda net: net.register_buffer("scale", torch.ones(1)), "state_dict keys \\['scale'\\]"),
        (lambda net: setattr(net, "numeric_features", [0, True]), "numeric_features is not a list"),
    ],
)
def test_what_the_spec_cannot_describe_is_named(embedded, tmp_path, change, named):
    net = copy.deepcopy(embedded.model)
    change(net)
    with pytest.warns(UserWarning, match=f"{tx.STATE_DICT} left out: .*{named}"):
        manifest = _export(embedded, tmp_path / "ts", model=net, onnx=False)
    assert manifest["model"]["state_dict"] is None and "embeddings" not in manifest["model"]
    with pytest.raises(tx.BundleError, match=f"no model artifact to write.*{named}"):
        _export(embedded, tmp_path / "sd", model=net, torchscript=False, onnx=False)


def test_inconsistent_embeddings_are_refused(embedded, tmp_path):
    manifest = _export(embedded, tmp_path / "b", torchscript=False, onnx=False)
    bad = copy.deepcopy(manifest)
    bad["model"]["embeddings"]["tables"][0]["feature"] = 9
    with pytest.raises(tx.BundleError, match="reads feature 9, outside the 4 features"):
        tx.check_consistency(bad)
    bad = copy.deepcopy(manifest)
    bad["model"]["embeddings"]["numeric_features"] = [0]
    with pytest.raises(tx.BundleError, match="layers map 7 -> 1, model says 6 -> 1"):
        tx.check_consistency(bad)
    bad = copy.deepcopy(manifest)
    bad["model"]["embeddings"]["tables"][0]["size"] = 3
    with pytest.raises(tx.BundleError):
        tx.validate_manifest(bad)


def test_explain_loads_the_state_dict_network(embedded, tmp_path):
    from tabscore_export.explain import load_model

    root = tmp_path / "b"
    manifest = _export(embedded, root, torchscript=False, onnx=False)
    net = load_model(root, manifest, "auto")
    x = pd.DataFrame(_golden_features(root, manifest)).to_numpy()
    np.testing.assert_array_equal(tx.forward_float32(net, x), tx.forward_float32(embedded.model.eval(), x))
