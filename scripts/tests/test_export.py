"""Tests of the tabscore bundle exporter (scripts/tabscore_export.py) and the scripts around it.

Run: ``python -m pytest scripts/tests -q`` (after ``scripts/install-python-deps.sh``).
Models are tiny and trained for a few epochs; torch runs on one thread (conftest.py).
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import math
import shutil
from pathlib import Path
from types import ModuleType

import make_parity_set
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import torch
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from torch import nn

import tabscore_export as tx
from tabscore_export import recipes

REPO_ROOT = Path(__file__).resolve().parents[2]


def _script_module(path: Path) -> ModuleType:
    """A script of scripts/ loaded as a module from its file: scripts/ itself is not on the import path (it holds
    launchers named like the package, tabscore_export.py)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_canonical_vectors = _script_module(REPO_ROOT / "scripts" / "make_canonical_vectors.py")
FIXTURES = REPO_ROOT / "bundle-core" / "src" / "test" / "resources" / "fixtures"
FIXTURE_DIRS = sorted(p for p in FIXTURES.glob("*/*") if (p / "metadata.json").is_file())
SAMPLE = REPO_ROOT / "sample-data"
QUALITY_MANIFEST = REPO_ROOT / "bundle-core" / "src" / "test" / "resources" / "manifest" / "quality-fields.json"
CREATED = "2026-11-22T08:00:00Z"


# ---------------------------------------------------------------------------------------------------------------
# Fixtures: three small models, exported once per module
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trained() -> dict[str, recipes.Trained]:
    customers = recipes.make_customer_frame(1200, seed=3)
    return {
        "binary": recipes.train_churn_binary(rows=1200, seed=11, epochs=2),
        "multiclass": recipes.parity_multiclass(customers, seed=5, epochs=2),
        "regression": recipes.parity_regression(customers, seed=6, epochs=2),
    }


@pytest.fixture(scope="module")
def bundles(trained, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bundles")
    out = {}
    for task, t in trained.items():
        out[task] = root / task
        tx.export_bundle(
            t.preprocessor,
            t.model,
            t.train_df,
            out[task],
            name=f"test-{task}",
            version="0.1.0",
            task=t.task,
            classes=t.classes,
            target=t.target,
            snapshot_id="snap-1",
            run_id="run-1",
            metrics=t.metrics,
            created_at=CREATED,
        )
    return out


TASKS = ["binary", "multiclass", "regression"]


# ---------------------------------------------------------------------------------------------------------------
# export_bundle
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("task", TASKS)
def test_manifest_validates_against_schema(bundles, task):
    manifest = tx.read_manifest(bundles[task])
    tx.validate_manifest(manifest)
    tx.check_consistency(manifest)
    assert manifest["task"] == task
    assert manifest["format_version"] == 1
    assert manifest["created_at"] == CREATED
    assert manifest["model"]["output_head"] == tx.HEADS[task]
    assert manifest["model"]["layers"] is not None
    assert manifest["training"]["snapshot_id"] == "snap-1" and manifest["training"]["run_id"] == "run-1"
    assert set(manifest["training"]["statistics"]) == {c["name"] for c in manifest["input"]["columns"]}
    assert list(manifest["training"]["output_statistics"]) == manifest["golden"]["output_columns"]
    assert all("policy" not in c for c in manifest["input"]["columns"])
    assert set(manifest["versions"]) >= {"python", "scikit-learn", "numpy", "pandas", "skops", "torch", "pyarrow"}
    expected = {
        "binary": ["prob"],
        "multiclass": ["prob_bronze", "prob_silver", "prob_gold", "label"],
        "regression": ["prediction"],
    }[task]
    assert manifest["golden"]["output_columns"] == expected


def test_manifest_input_contract(bundles, trained):
    manifest = tx.read_manifest(bundles["binary"])
    assert [c["name"] for c in manifest["input"]["columns"]] == ["age", "income", "region", "channel"]
    assert "customer_id" not in json.dumps(manifest["input"])
    kinds = {c["name"]: (c["kind"], c["dtype"], c["nullable"]) for c in manifest["input"]["columns"]}
    assert kinds["age"] == ("numeric", "float64", True)
    assert kinds["region"] == ("categorical", "string", True)
    multi = {c["name"]: (c["kind"], c["dtype"]) for c in tx.read_manifest(bundles["multiclass"])["input"]["columns"]}
    assert multi["tenure_months"] == ("numeric", "int64")
    assert multi["weekday"] == ("categorical", "int64")
    assert (
        list(trained["binary"].preprocessor.get_feature_names_out()) == manifest["features"]["names"]
        and manifest["features"]["width"] == 11
    )


def test_ufunc_features_listed(bundles):
    regression = tx.read_manifest(bundles["regression"])
    assert regression["golden"]["feature_tolerance"]["ufunc_features"][:2] == ["log__income", "log__monthly_spend"]
    assert tx.read_manifest(bundles["binary"])["golden"]["feature_tolerance"]["ufunc_features"] == []


def test_ufunc_features_carry_the_ulp_contract_and_their_sources(bundles):
    tol = tx.read_manifest(bundles["regression"])["golden"]["feature_tolerance"]
    assert tol["ufunc_ulps"] == tx.UFUNC_ULPS and "ufunc_abs" not in tol
    assert tol["ufunc_sources"]["log__income"] == ["log1p"]
    assert list(tol["ufunc_sources"]) == tol["ufunc_features"]


def test_ufunc_envelope_holds_numpys_result_after_a_scaler():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, MinMaxScaler

    frame = pd.DataFrame({"x": [0.5, 3.0, 700.0, 709.0, 1e-300]})
    pre = make_pipeline(FunctionTransformer(np.exp), MinMaxScaler()).fit(frame)
    want = pre.transform(frame)
    lo, hi = tx.ufunc_envelope(pre, frame, tx.UFUNC_ULPS)
    assert ((lo <= want) & (want <= hi)).all() and (lo < hi).any()


def test_ufunc_envelope_holds_a_product_of_results_moved_apart():
    # sin then PolynomialFeatures: with sin(a) > 0 > sin(b), the product's extremes come from moving the two results
    # in opposite directions, which moving every result the same way never does (fuzzer case 6161-00148)
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, PolynomialFeatures

    from tabscore_export.tolerance import _nudged

    frame = pd.DataFrame({"a": [0.7, 2.0, 1.3], "b": [-0.9, -2.5, 4.0]})
    pre = make_pipeline(FunctionTransformer(np.sin), PolynomialFeatures(interaction_only=True)).fit(frame)
    lo, hi = tx.ufunc_envelope(pre, frame, tx.UFUNC_ULPS)
    k = tx.UFUNC_ULPS
    apart = []
    for sign in (-1, 1):
        moved = make_pipeline(
            FunctionTransformer(_nudged(np.sin, sign * k, 0)), PolynomialFeatures(interaction_only=True)
        ).fit(frame)
        apart.append(moved.transform(frame))
    same = [
        make_pipeline(FunctionTransformer(_nudged(np.sin, s * k)), PolynomialFeatures(interaction_only=True))
        .fit(frame)
        .transform(frame)
        for s in (-1, 1)
    ]
    same_lo, same_hi = np.minimum(*same), np.maximum(*same)
    for x in apart:
        assert ((lo <= x) & (x <= hi)).all()
    # the product column a*b: moved apart it leaves the envelope of moving both the same way
    assert any(((x[:, 3] < same_lo[:, 3]) | (x[:, 3] > same_hi[:, 3])).any() for x in apart)


@pytest.mark.parametrize("task", TASKS)
def test_artifact_hashes_and_sizes_match_files(bundles, task):
    root = bundles[task]
    manifest = tx.read_manifest(root)
    assert sorted(manifest["artifacts"]) == sorted(
        [tx.PREPROCESSOR, tx.TORCHSCRIPT, tx.STATE_DICT, tx.ONNX, tx.GOLDEN_INPUT, tx.GOLDEN_OUTPUT]
    )
    for rel, entry in manifest["artifacts"].items():
        data = (root / rel).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_golden_input_is_typed_with_null_nan_and_empty_distinct(bundles):
    table = pq.read_table(bundles["binary"] / tx.GOLDEN_INPUT)
    assert table.schema.equals(
        pa.schema([("age", pa.float64()), ("income", pa.float64()), ("region", pa.string()), ("channel", pa.string())])
    )
    for name in ("age", "income"):
        col = table.column(name).combine_chunks()
        values = col.to_numpy(zero_copy_only=False)
        valid = np.asarray(col.is_valid())
        assert col.null_count > 0, f"{name}: no null"
        assert np.isnan(values[valid]).any(), f"{name}: no NaN that is not a null"
    for name in ("region", "channel"):
        values = table.column(name).to_pylist()
        assert None in values and "" in values
        assert any(isinstance(v, str) and v.startswith("unseen_") for v in values)
    assert table.num_rows == tx.read_manifest(bundles["binary"])["golden"]["rows"]
    all_null_rows = [
        i for i in range(table.num_rows) if all(table.column(c)[i].as_py() is None for c in table.column_names)
    ]
    assert all_null_rows, "no all-missing row"
    multi = pq.read_table(bundles["multiclass"] / tx.GOLDEN_INPUT)
    assert multi.schema.field("tenure_months").type == pa.int64()
    assert multi.column("tenure_months").null_count > 0


@pytest.mark.parametrize("task", TASKS)
def test_golden_output_reproduces_python(bundles, trained, task):
    root, t = bundles[task], trained[task]
    manifest = tx.read_manifest(root)
    out = pq.read_table(root / tx.GOLDEN_OUTPUT)
    names = manifest["features"]["names"]
    assert out.column_names == names + tx.golden_model_column_names(task, manifest["classes"])
    assert all(out.schema.field(n).type == pa.float64() for n in names)
    features = tx.transform_features(t.preprocessor, tx.read_golden_input(root / tx.GOLDEN_INPUT))
    golden = np.stack([out.column(n).to_numpy() for n in names], axis=1)
    assert np.array_equal(features, golden)
    assert np.isfinite(golden).all()
    logits = tx.forward_float32(t.model.eval(), golden)
    if task == "binary":
        assert np.allclose(out.column("logit").to_numpy(), logits[:, 0], rtol=1e-6, atol=1e-6)
        prob = out.column("prob").to_numpy()
        expected = torch.sigmoid(torch.from_numpy(out.column("logit").to_numpy().copy())).numpy()
        assert np.allclose(prob, expected, rtol=1e-5, atol=1e-6)
    elif task == "multiclass":
        probs = np.stack([out.column(f"prob_{c}").to_numpy() for c in manifest["classes"]], axis=1)
        assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-6)
        labels = [manifest["classes"][i] for i in probs.argmax(axis=1)]
        assert out.column("label").to_pylist() == labels
        assert out.schema.field("label").type == pa.string()
    else:
        assert np.allclose(out.column("prediction").to_numpy(), logits[:, 0], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("task", TASKS)
def test_skops_reload_gives_identical_features(bundles, task):
    import skops.io as sio

    root = bundles[task]
    path = root / tx.PREPROCESSOR
    reloaded = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    features = tx.transform_features(reloaded, tx.read_golden_input(root / tx.GOLDEN_INPUT))
    out = pq.read_table(root / tx.GOLDEN_OUTPUT)
    names = tx.read_manifest(root)["features"]["names"]
    assert np.array_equal(features, np.stack([out.column(n).to_numpy() for n in names], axis=1))


@pytest.mark.parametrize("task", TASKS)
def test_torchscript_and_layers_match_golden(bundles, task):
    root = bundles[task]
    manifest = tx.read_manifest(root)
    out = pq.read_table(root / tx.GOLDEN_OUTPUT)
    features = np.stack([out.column(n).to_numpy() for n in manifest["features"]["names"]], axis=1)
    scripted = torch.jit.load(str(root / tx.TORCHSCRIPT))
    net = tx.build_sequential(manifest["model"]["layers"])
    net.load_state_dict(torch.load(root / tx.STATE_DICT, weights_only=True))
    a = tx.forward_float32(scripted, features)
    b = tx.forward_float32(net.eval(), features)
    assert np.allclose(a, b, rtol=1e-6, atol=1e-6)


def test_validate_bundle_accepts_and_replays(bundles):
    for root in bundles.values():
        done = tx.validate_bundle(root)
        assert done[-1].startswith("golden replay")


def test_validate_bundle_detects_tampering(bundles, tmp_path):
    copy_dir = tmp_path / "tampered"
    shutil.copytree(bundles["binary"], copy_dir)
    data = bytearray((copy_dir / tx.STATE_DICT).read_bytes())
    data[-30] ^= 0xFF
    (copy_dir / tx.STATE_DICT).write_bytes(bytes(data))
    with pytest.raises(tx.BundleError, match="model_state.pt"):
        tx.validate_bundle(copy_dir, replay=False)
    shutil.copyfile(bundles["binary"] / tx.STATE_DICT, copy_dir / tx.STATE_DICT)
    tx.validate_bundle(copy_dir, replay=False)
    (copy_dir / "extra.txt").write_text("x")
    with pytest.raises(tx.BundleError, match="artifacts"):
        tx.validate_bundle(copy_dir, replay=False)


def test_digest_stable_across_reserialization(bundles):
    path = bundles["binary"] / tx.MANIFEST
    manifest = tx.read_manifest(path)
    digest = tx.manifest_digest(manifest)
    assert digest.startswith("sha256:") and len(digest) == 7 + 64
    compact = json.loads(json.dumps(manifest, separators=(",", ":"), sort_keys=True))
    reordered = dict(reversed(list(manifest.items())))
    assert tx.manifest_digest(compact) == digest
    assert tx.manifest_digest(reordered) == digest
    assert tx.manifest_digest(json.loads(path.read_text())) == digest
    changed = copy.deepcopy(manifest)
    changed["version"] = "0.1.1"
    assert tx.manifest_digest(changed) != digest
    tx.write_manifest(manifest, path.parent / "again.json")
    try:
        assert tx.manifest_digest(tx.read_manifest(path.parent / "again.json")) == digest
    finally:
        (path.parent / "again.json").unlink()


def test_training_statistics_shapes(bundles):
    stats = tx.read_manifest(bundles["binary"])["training"]["statistics"]
    age = stats["age"]
    assert age["count"] == 1200 and 0 < age["missing_rate"] < 0.2
    assert list(age["quantiles"]) == list(tx.QUANTILES)
    assert len(age["histogram"]["edges"]) == 11 and len(age["histogram"]["fractions"]) == 10
    assert math.isclose(sum(age["histogram"]["fractions"]), 1.0)
    assert age["min"] <= age["quantiles"]["0.5"] <= age["max"]
    region = stats["region"]
    assert region["cardinality"] == 5 and math.isclose(sum(region["frequencies"].values()), 1.0)


def _training_outputs(t: recipes.Trained, manifest: dict) -> dict[str, np.ndarray]:
    """The model's outputs on the training frame, computed independently of output_statistics."""
    names = [c["name"] for c in manifest["input"]["columns"]]
    features = tx.transform_features(t.preprocessor, tx.sklearn_frame(t.train_df[names]))
    return tx.model_columns(tx.forward_float32(t.model.eval(), features), manifest["task"], manifest["classes"])


def _check_numeric_output_stats(stats: dict, values: np.ndarray, rows: int) -> None:
    assert stats["missing_rate"] == 0.0 and stats["count"] == rows
    assert math.isclose(stats["mean"], float(np.mean(values)), rel_tol=1e-12)
    assert stats["min"] == float(values.min()) and stats["max"] == float(values.max())
    assert list(stats["quantiles"]) == list(tx.QUANTILES)
    assert math.isclose(stats["quantiles"]["0.5"], float(np.quantile(values, 0.5)), rel_tol=1e-12)
    assert len(stats["histogram"]["edges"]) == 11 and len(stats["histogram"]["fractions"]) == 10
    assert stats["histogram"]["edges"][0] == stats["min"] and stats["histogram"]["edges"][-1] == stats["max"]
    assert math.isclose(sum(stats["histogram"]["fractions"]), 1.0)


@pytest.mark.parametrize("task", TASKS)
def test_output_statistics_over_the_training_outputs(bundles, trained, task):
    manifest, t = tx.read_manifest(bundles[task]), trained[task]
    stats = manifest["training"]["output_statistics"]
    rows = len(t.train_df)
    assert list(stats) == tx.output_columns(task, manifest["classes"])
    outputs = _training_outputs(t, manifest)
    for name in stats:
        if name != "label":
            _check_numeric_output_stats(stats[name], outputs[name], rows)
    if task == "binary":
        assert 0.0 < stats["prob"]["min"] <= stats["prob"]["mean"] <= stats["prob"]["max"] < 1.0
    if task == "multiclass":
        label = stats["label"]
        assert label["missing_rate"] == 0.0 and label["count"] == rows
        assert math.isclose(sum(label["frequencies"].values()), 1.0)
        assert set(label["frequencies"]) <= {str(c) for c in manifest["classes"]}
        assert label["cardinality"] == len(label["frequencies"]) == len(set(outputs["label"]))
        want = pd.Series(outputs["label"]).value_counts(normalize=True)
        for c, share in label["frequencies"].items():
            assert math.isclose(share, float(want[c]))
        assert "min" not in label and "histogram" not in label


def test_output_statistics_count_rows_without_finite_output_as_missing():
    pre = ColumnTransformer([("pass", "passthrough", ["x"])]).fit(pd.DataFrame({"x": [1.0, 2.0]}))
    model = nn.Sequential(nn.Linear(1, 1))
    frame = pd.DataFrame({"x": [1.0, 2.0, np.nan, 4.0]})
    contract = [{"name": "x", "kind": "passthrough", "dtype": "float64", "nullable": False}]
    stats = tx.output_statistics(pre, model.eval(), frame, contract, "regression", None)["prediction"]
    assert stats["count"] == 4 and stats["missing_rate"] == 0.25
    assert len(stats["histogram"]["edges"]) == 11


def test_policies_written_into_the_contract(trained, tmp_path):
    t = trained["binary"]
    policies = {
        "region": {"on_unknown": "fail", "max_unknown_rate": 0.05, "on_null": "reject"},
        "age": {"on_null": "reject", "on_invalid": "fail"},
        "channel": {"on_unknown": "reject"},
        "income": {"on_unknown": "preprocess"},
    }
    manifest = tx.export_bundle(
        t.preprocessor,
        t.model,
        t.train_df,
        tmp_path / "p",
        name="p",
        version="1",
        task="binary",
        created_at=CREATED,
        policies=policies,
    )
    columns = {c["name"]: c for c in tx.read_manifest(tmp_path / "p")["input"]["columns"]}
    assert columns["region"]["policy"] == {"on_null": "reject", "on_unknown": "fail", "max_unknown_rate": 0.05}
    assert columns["age"]["policy"] == {"on_null": "reject", "on_invalid": "fail"}
    assert columns["channel"]["policy"] == {"on_unknown": "reject"}
    assert columns["income"]["policy"] == {"on_unknown": "preprocess"}
    assert list(columns["region"]) == ["name", "kind", "dtype", "nullable", "training_nulls", "policy"]
    tx.validate_bundle(tmp_path / "p", replay=False)
    assert manifest["input"]["columns"] == list(columns.values())


@pytest.mark.parametrize(
    "policies,message",
    [
        ({"regoin": {"on_null": "reject"}, "age": {}}, r"not inputs of the preprocessor: \['regoin'\]"),
        ({"region": {"on_null": "drop"}}, r"'region': on_null must be one of \['preprocess', 'reject'\], got 'drop'"),
        ({"region": {"on_invalid": "preprocess"}}, r"on_invalid must be one of \['reject', 'fail'\]"),
        ({"region": {"on_unknwon": "fail"}}, r"unknown members \['on_unknwon'\]"),
        ({"age": {"on_unknown": "fail"}}, r"'age': on_unknown='fail' needs a categorical column, but 'age' is numeric"),
        ({"income": {"on_unknown": "reject"}}, r"needs a categorical column, but 'income' is numeric"),
        ({"region": {"max_unknown_rate": 0.1}}, r"max_unknown_rate is allowed only with on_unknown='fail'"),
        ({"region": {"on_unknown": "reject", "max_unknown_rate": 0.1}}, r"only with on_unknown='fail'"),
        ({"region": {"on_unknown": "fail", "max_unknown_rate": 1.5}}, r"max_unknown_rate must be a number in \[0, 1\]"),
        ({"region": {"on_unknown": "fail", "max_unknown_rate": True}}, r"max_unknown_rate must be a number"),
        ({"region": {"on_unknown": "fail", "max_unknown_rate": math.nan}}, r"max_unknown_rate must be a number"),
        ({"region": "reject"}, r"policy of column 'region' must be a mapping"),
    ],
)
def test_policies_refused(trained, tmp_path, policies, message):
    t = trained["binary"]
    with pytest.raises(tx.BundleError, match=message):
        tx.export_bundle(
            t.preprocessor,
            t.model,
            t.train_df,
            tmp_path / "bad",
            name="bad",
            version="1",
            task="binary",
            policies=policies,
        )
    assert not (tmp_path / "bad").exists()


@pytest.mark.parametrize(
    "column,policy,where",
    [
        (2, {"on_null": "drop"}, "/input/columns/2/policy/on_null"),
        (2, {"on_unknown": "fail", "extra": 1}, "/input/columns/2/policy"),
        (2, {"max_unknown_rate": 0.1}, "/input/columns/2/policy"),
        (2, {"on_unknown": "reject", "max_unknown_rate": 0.1}, "/input/columns/2/policy/on_unknown"),
        (2, {"on_unknown": "fail", "max_unknown_rate": -0.1}, "/input/columns/2/policy/max_unknown_rate"),
        (0, {"on_unknown": "fail"}, "/input/columns/0/policy/on_unknown"),
    ],
)
def test_schema_refuses_bad_policies(bundles, column, policy, where):
    manifest = tx.read_manifest(bundles["binary"])
    manifest["input"]["columns"][column]["policy"] = policy
    with pytest.raises(tx.BundleError, match=f"at {where}:"):
        tx.validate_manifest(manifest)


def test_schema_and_consistency_of_output_statistics(bundles):
    manifest = tx.read_manifest(bundles["multiclass"])
    bad = copy.deepcopy(manifest)
    del bad["training"]["output_statistics"]["label"]["count"]
    with pytest.raises(tx.BundleError, match="at /training/output_statistics/label:"):
        tx.validate_manifest(bad)
    bad = copy.deepcopy(manifest)
    bad["training"]["output_statistics"]["prob_platinum"] = bad["training"]["output_statistics"].pop("prob_gold")
    tx.validate_manifest(bad)
    with pytest.raises(tx.BundleError, match="output_statistics columns"):
        tx.check_consistency(bad)
    without = copy.deepcopy(manifest)
    del without["training"]["output_statistics"]
    tx.validate_manifest(without)
    tx.check_consistency(without)


def test_java_quality_fields_manifest_is_valid_and_its_digest_recorded():
    """bundle-core's ManifestQualityFieldsTest reads this manifest and expects the same digest."""
    manifest = tx.read_manifest(QUALITY_MANIFEST)
    tx.validate_manifest(manifest)
    tx.check_consistency(manifest)
    assert any("policy" in c for c in manifest["input"]["columns"])
    assert "label" in manifest["training"]["output_statistics"]
    recorded = QUALITY_MANIFEST.with_suffix(".digest").read_text(encoding="utf-8").strip()
    assert recorded == tx.manifest_digest(manifest)


def test_categorical_statistics_top_100_and_other():
    values = pd.Series([f"c{i:03d}" for i in range(150) for _ in range(1 + (i < 10))] + [None] * 10, name="c")
    stats = tx.column_statistics(values, "categorical", "string")
    assert stats["cardinality"] == 150
    assert len(stats["frequencies"]) == 101 and tx.OTHER_KEY in stats["frequencies"]
    assert math.isclose(sum(stats["frequencies"].values()), 1.0)
    assert math.isclose(stats["missing_rate"], 10 / 170)
    assert list(stats["frequencies"])[:2] == ["c000", "c001"]


def test_contract_kinds_passthrough_boolean_and_non_nullable(tmp_path):
    rng = np.random.default_rng(0)
    n = 200
    df = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "flag": rng.random(n) < 0.5,
            "city": rng.choice(["a", "b"], n).astype(object),
            "score": rng.normal(size=n),
            "y": rng.random(n) < 0.5,
        }
    )
    df.loc[:5, "x"] = np.nan
    pre = ColumnTransformer(
        [
            ("num", Pipeline([("imp", SimpleImputer()), ("sc", StandardScaler())]), ["x"]),
            ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["flag", "city"]),
        ],
        remainder="passthrough",
    ).fit(df[["x", "flag", "city", "score"]])
    contract = {c["name"]: c for c in tx.input_contract(pre, df)}
    assert (contract["x"]["kind"], contract["x"]["nullable"]) == ("numeric", True)
    assert (contract["flag"]["kind"], contract["flag"]["dtype"]) == ("boolean", "bool")
    assert contract["city"]["kind"] == "categorical"
    assert (contract["score"]["kind"], contract["score"]["nullable"]) == ("passthrough", False)
    torch.manual_seed(0)
    model = recipes.mlp(pre.transform(df[["x", "flag", "city", "score"]]).shape[1], (4,), 1)
    manifest = tx.export_bundle(
        pre, model, df, tmp_path / "b", name="kinds", version="1", task="binary", target="y", created_at=CREATED
    )
    golden = pq.read_table(tmp_path / "b" / tx.GOLDEN_INPUT)
    assert golden.schema.field("flag").type == pa.bool_()
    assert golden.column("score").null_count == 0
    assert golden.column("flag").null_count > 0
    tx.validate_bundle(tmp_path / "b")
    assert manifest["golden"]["rows"] == golden.num_rows


def test_user_golden_rows_keep_nan_and_must_give_finite_features(trained, tmp_path):
    t = trained["binary"]
    golden = pd.DataFrame(
        {
            "age": pd.arrays.FloatingArray(np.array([30.0, np.nan, 0.0]), np.array([False, False, True])),
            "income": [50000.0, 60000.0, 70000.0],
            "region": ["north", None, ""],
            "channel": ["web", "store", None],
        }
    )
    tx.export_bundle(
        t.preprocessor,
        t.model,
        t.train_df,
        tmp_path / "g",
        golden,
        name="g",
        version="1",
        task="binary",
        created_at=CREATED,
    )
    age = pq.read_table(tmp_path / "g" / tx.GOLDEN_INPUT).column("age")
    assert age.to_pylist()[2] is None and math.isnan(age.to_pylist()[1])
    pre = ColumnTransformer([("pass", "passthrough", ["age"])]).fit(t.train_df[["age"]].fillna(0))
    model = nn.Sequential(nn.Linear(1, 1))
    with pytest.raises(tx.BundleError, match="non-finite"):
        tx.export_bundle(
            pre,
            model,
            t.train_df,
            tmp_path / "h",
            pd.DataFrame({"age": [1.0, None]}),
            name="h",
            version="1",
            task="binary",
        )
    assert not (tmp_path / "h").exists()


def test_export_rejects_bad_arguments(trained, tmp_path):
    t = trained["binary"]
    with pytest.raises(tx.BundleError, match="leakage"):
        tx.export_bundle(
            t.preprocessor, t.model, t.train_df, tmp_path / "a", name="a", version="1", task="binary", target="age"
        )
    with pytest.raises(tx.BundleError, match="needs 3"):
        tx.export_bundle(
            t.preprocessor,
            t.model,
            t.train_df,
            tmp_path / "b",
            name="b",
            version="1",
            task="multiclass",
            classes=["x", "y", "z"],
        )
    with pytest.raises(tx.BundleError, match="classes must be None"):
        tx.export_bundle(
            t.preprocessor,
            t.model,
            t.train_df,
            tmp_path / "c",
            name="c",
            version="1",
            task="regression",
            classes=[0, 1],
        )
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "keep.txt").write_text("x")
    with pytest.raises(tx.BundleError, match="not empty"):
        tx.export_bundle(t.preprocessor, t.model, t.train_df, tmp_path / "d", name="d", version="1", task="binary")


def test_layers_inference():
    assert tx.infer_layers(nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Dropout(0.1), nn.Linear(4, 1))) == [
        {"type": "Linear", "in_features": 3, "out_features": 4, "bias": True},
        {"type": "LeakyReLU", "negative_slope": 0.2},
        {"type": "Dropout", "p": 0.1},
        {"type": "Linear", "in_features": 4, "out_features": 1, "bias": True},
    ]
    # BatchNorm1d is a layer spec since issue 16, but not without running statistics (batch statistics at eval)
    assert (
        tx.infer_layers(nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4, track_running_stats=False), nn.Linear(4, 1)))
        is None
    )
    assert tx.infer_layers(nn.Sequential(nn.Linear(3, 4), nn.PReLU(), nn.Linear(4, 1))) is None
    assert tx.infer_layers(nn.Sequential(nn.Linear(3, 4), nn.GELU(approximate="tanh"), nn.Linear(4, 1))) is None

    class Wrapper(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = nn.Sequential(nn.Linear(3, 1))

        def forward(self, x):  # pragma: no cover - not called
            return self.net(x)

    assert tx.infer_layers(Wrapper()) is None


def test_cli_digest_and_validate(bundles, capsys):
    assert tx.main(["digest", str(bundles["regression"])]) == 0
    digest = capsys.readouterr().out.strip()
    assert digest == tx.manifest_digest(tx.read_manifest(bundles["regression"]))
    assert tx.main(["validate", "--no-replay", str(bundles["regression"])]) == 0
    assert "OK" in capsys.readouterr().out
    assert tx.main(["validate", "/nonexistent/bundle"]) == 1


# ---------------------------------------------------------------------------------------------------------------
# seal
# ---------------------------------------------------------------------------------------------------------------


def test_fixture_dirs_found():
    assert len(FIXTURE_DIRS) == 16


@pytest.mark.parametrize("src", FIXTURE_DIRS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_seal_fixture(src, tmp_path):
    meta = json.loads((src / "metadata.json").read_text())
    manifest = tx.seal(src, tmp_path / "bundle", created_at=CREATED)
    tx.validate_manifest(tx.read_manifest(tmp_path / "bundle"))
    done = tx.validate_bundle(tmp_path / "bundle")
    assert manifest["name"] == meta["bundle"]
    assert manifest["golden"]["rows"] == 64
    assert manifest["features"]["names"] == meta["feature_names_out"]
    assert [c["name"] for c in manifest["input"]["columns"]] == meta["input_columns"]
    assert manifest["preprocessor"]["skops_protocol"] == meta["preprocessor"]["skops_protocol"]
    assert manifest["preprocessor"]["sklearn_classes"] == sorted(meta["preprocessor"]["sklearn_classes"])
    assert manifest["versions"]["scikit-learn"] == meta["versions"]["sklearn"]
    assert manifest["model"]["layers"] == meta["model"]["layers"]
    assert "output_statistics" not in manifest["training"]
    assert all("policy" not in c for c in manifest["input"]["columns"])
    for rel in (tx.PREPROCESSOR, tx.TORCHSCRIPT, tx.STATE_DICT):
        assert manifest["artifacts"][rel]["sha256"] == meta["artifacts"][rel]["sha256"]
    golden = pq.read_table(tmp_path / "bundle" / tx.GOLDEN_OUTPUT)
    seed_out = tx.read_seed_csv(src / "golden_output.csv", meta["versions"]["pandas"])
    for name in meta["feature_names_out"]:
        assert np.array_equal(golden.column(name).to_numpy(), seed_out[name].to_numpy(dtype=np.float64))
    if manifest["versions"]["scikit-learn"] == "1.9.1":
        assert done[-1].startswith("golden replay")
    if meta["bundle"] == "regression-ordinal":
        assert {"log__sqft", "log__lot_size"} <= set(manifest["golden"]["feature_tolerance"]["ufunc_features"])
    if meta["bundle"] == "multiclass-softmax":
        passthrough = [c for c in manifest["input"]["columns"] if c["name"] == "satisfaction"][0]
        assert (passthrough["kind"], passthrough["nullable"]) == ("passthrough", False)
        assert manifest["classes"] == ["bronze", "silver", "gold"]


def test_seal_reads_none_by_pandas_version(tmp_path):
    old = tx.seal(FIXTURES / "sklearn-1.2.1" / "multiclass-softmax", tmp_path / "old")
    new = tx.seal(FIXTURES / "sklearn-1.9.1" / "multiclass-softmax", tmp_path / "new")
    assert old["versions"]["pandas"] == "1.5.3" and new["versions"]["pandas"] == "2.3.3"
    assert pq.read_table(tmp_path / "old" / tx.GOLDEN_INPUT).column("support")[50].as_py() == "None"
    assert pq.read_table(tmp_path / "new" / tx.GOLDEN_INPUT).column("support")[50].as_py() is None


def test_seal_refuses_changed_artifacts(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(FIXTURES / "sklearn-1.9.1" / "seed-binary", src)
    with open(src / tx.STATE_DICT, "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(tx.BundleError, match="metadata.json artifacts"):
        tx.seal(src, tmp_path / "out")


def test_seal_computes_statistics_when_data_csv_present(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(FIXTURES / "sklearn-1.9.1" / "infrequent-kbins", src)
    rng = np.random.default_rng(1)
    pd.DataFrame(
        {
            "product_category": rng.choice(["books", "toys"], 50),
            "browser": rng.choice(["chrome", "edge"], 50),
            "session_seconds": rng.random(50) * 100,
            "pages_viewed": rng.integers(1, 9, 50).astype(float),
            "cart_value": rng.random(50),
            "weekday": rng.integers(0, 7, 50),
            "purchased": rng.integers(0, 2, 50),
        }
    ).to_csv(src / "data.csv", index=False)
    meta = json.loads((src / "metadata.json").read_text())
    del meta["artifacts"]["data.csv"]  # our stand-in data.csv is not the one metadata.json lists
    (src / "metadata.json").write_text(json.dumps(meta))
    manifest = tx.seal(src, tmp_path / "out")
    assert manifest["training"]["rows"] == 50
    assert manifest["training"]["statistics"]["weekday"]["cardinality"] <= 7
    assert "histogram" in manifest["training"]["statistics"]["cart_value"]


# ---------------------------------------------------------------------------------------------------------------
# canonical JSON
# ---------------------------------------------------------------------------------------------------------------


def test_canonical_vectors_file_is_current_and_correct():
    path = make_canonical_vectors.VECTORS_PATH
    assert path.read_text(encoding="utf-8") == make_canonical_vectors.render()
    vectors = json.loads(path.read_text(encoding="utf-8"))
    assert len(vectors) >= 40
    for v in vectors:
        canonical = tx.canonical_json(v["input"])
        assert canonical.decode("utf-8") == v["canonical"]
        assert hashlib.sha256(canonical).hexdigest() == v["sha256"]


@pytest.mark.parametrize(
    "value,text",
    [
        (1e-7, "1e-7"),
        (1e21, "1e+21"),
        (0.1, "0.1"),
        (5e-324, "5e-324"),
        (-0.0, "0"),
        (123456789012345680000, "123456789012345680000"),
        (1.5, "1.5"),
        (100.0, "100"),
        (1e-05, "0.00001"),
        ({"b": 1, "a": [True, None]}, '{"a":[true,null],"b":1}'),
        ({"\ufb33": 1, "\U0001f600": 2}, '{"\U0001f600":2,"\ufb33":1}'),
        ("\u00e9\n", '"\u00e9\\n"'),
    ],
)
def test_canonical_json_rules(value, text):
    assert tx.canonical_json(value) == text.encode("utf-8")


@pytest.mark.parametrize("bad", [math.nan, math.inf, {"a": -math.inf}, {1: "x"}, object()])
def test_canonical_json_rejects_non_json(bad):
    with pytest.raises(tx.BundleError):
        tx.canonical_json(bad)


# ---------------------------------------------------------------------------------------------------------------
# sample-data and the parity set
# ---------------------------------------------------------------------------------------------------------------


def test_sample_data_bundle_and_expected_predictions():
    bundle = SAMPLE / "bundle"
    done = tx.validate_bundle(bundle)
    assert done[-1].startswith("golden replay")
    manifest = tx.read_manifest(bundle)
    assert manifest["name"] == "seed-binary" and manifest["features"]["width"] == 11
    assert all("policy" not in c for c in manifest["input"]["columns"])
    prob_stats = manifest["training"]["output_statistics"]["prob"]
    assert prob_stats["count"] == manifest["training"]["rows"] and prob_stats["missing_rate"] == 0.0
    assert [layer.get("out_features") for layer in manifest["model"]["layers"] if layer["type"] == "Linear"] == [
        64,
        32,
        1,
    ]
    inputs = list(SAMPLE.glob("input/snapshot=*/part-*.parquet"))
    assert len(inputs) == 1
    table = pq.read_table(inputs[0])
    assert table.column_names == ["customer_id", "age", "income", "region", "channel"]
    assert table.num_rows >= 5000
    regions = set(table.column("region").to_pylist())
    assert {None, "", "atlantis", "North"} <= regions
    expected = pq.read_table(SAMPLE / "expected" / "predictions.parquet")
    assert expected.column_names == ["customer_id", "prob"]
    assert expected.column("customer_id").to_pylist() == table.column("customer_id").to_pylist()

    import skops.io as sio

    path = bundle / tx.PREPROCESSOR
    pre = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    frame = tx.read_golden_input(inputs[0])
    features = tx.transform_features(pre, frame[[c["name"] for c in manifest["input"]["columns"]]])
    prob = tx.model_columns(
        tx.forward_float32(torch.jit.load(str(bundle / tx.TORCHSCRIPT)), features), "binary", [0, 1]
    )["prob"]
    assert np.allclose(prob, expected.column("prob").to_numpy(), rtol=1e-5, atol=1e-6)
    total = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file())
    assert total < 1_000_000


def test_parity_set_small(tmp_path):
    out = tmp_path / "parity"
    index = make_parity_set.build(out, rows=400, train_rows=600, epochs=1, seed=3)
    assert [b["name"] for b in index["bundles"]] == [
        "parity-binary",
        "parity-multiclass",
        "parity-regression",
        "parity-embedded",
    ]
    assert [b["kinds"] for b in index["bundles"]] == [
        ["state_dict", "onnx", "torchscript"],
        ["torchscript"],
        ["onnx"],
        ["state_dict"],
    ]
    table = pq.read_table(out / index["input"])
    assert table.num_rows == 400 and table.column_names[0] == "id"
    assert table.schema.field("weekday").type == pa.int64() and table.column("weekday").null_count > 0
    embedded = tx.read_manifest(out / "bundles" / "parity-embedded")["model"]
    assert embedded["embeddings"]["numeric_features"] == [0, 1, 2] and len(embedded["embeddings"]["tables"]) == 3
    assert {"BatchNorm1d", "LayerNorm"} <= {layer["type"] for layer in embedded["layers"]}
    for entry in index["bundles"]:
        tx.validate_bundle(out / entry["bundle"], replay=False)
        assert tx.manifest_digest(tx.read_manifest(out / entry["bundle"])) == entry["digest"]
        expected = pq.read_table(out / entry["expected"])
        assert expected.column_names == ["id"] + entry["output_columns"]
        assert expected.column("id").to_pylist() == table.column("id").to_pylist()
    assert json.loads((out / "parity.json").read_text()) == index
