"""The dirty-data corpus (spark-job/src/test/resources/dirty, scripts/dirty/make_dirty_corpus.py).

* a fresh run of the generator writes the same expected.json, README.md and Parquet inputs as the committed ones
  (the committed bundle's .skops bytes differ from run to run, so the bundle itself is not compared byte for byte);
* the committed bundle validates (hashes, schema, golden replay);
* per case: the committed bundle's preprocessor and model, fed that row of the committed Parquet file as pandas reads
  it, do what expected.json says scikit-learn does; the tabscore expectation follows from the contract; the raw
  values in expected.json decode to exactly what the Parquet file holds.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import re
from pathlib import Path

import make_dirty_corpus as dirty
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import tabscore_export as tx

CORPUS = dirty.DEFAULT_OUT
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="ascii"))
CASES = [(f["file"], c) for f in EXPECTED["files"] for c in f["cases"]]
FILES = {f["file"]: f for f in EXPECTED["files"]}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dirty")
    dirty.generate(out)
    return out


@pytest.fixture(scope="module")
def committed_bundle():
    import skops.io as sio
    import torch

    root = CORPUS / "bundle"
    manifest = tx.read_manifest(root)
    path = root / tx.PREPROCESSOR
    pre = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    net = tx.build_sequential(manifest["model"]["layers"])
    net.load_state_dict(torch.load(root / tx.STATE_DICT, map_location="cpu", weights_only=True), strict=True)
    with tx._torchscript_quiet():
        traced = torch.jit.load(str(root / tx.TORCHSCRIPT), map_location="cpu")
    return pre, net.eval(), traced


@pytest.fixture(scope="module")
def frames() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    out = {}
    for name in FILES:
        raw = pd.read_parquet(CORPUS / name, engine="pyarrow")
        out[name] = (raw, tx.sklearn_frame(raw))
    return out


# ---------------------------------------------------------------------------------------------------------------
# No drift
# ---------------------------------------------------------------------------------------------------------------


# The network's float32 outputs may differ by an ulp between CPUs (torch picks its kernels by
# instruction set): they are compared within the manifest's output tolerance, everything else
# (features, verdicts, counts) exactly.
OUTPUT_ATOL, OUTPUT_RTOL = 1e-6, 1e-5


def _outputs_close(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_outputs_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_outputs_close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= OUTPUT_ATOL + OUTPUT_RTOL * abs(b)
    return a == b


def _same_case(got: dict, want: dict | None) -> bool:
    return want is not None and _outputs_close(got, want)


def test_fresh_expected_json_is_identical(fresh):
    got = (fresh / "expected.json").read_text(encoding="ascii")
    want = (CORPUS / "expected.json").read_text(encoding="ascii")
    if got != want:
        fresh_cases = {(f["file"], c["id"]): c for f in json.loads(got)["files"] for c in f["cases"]}
        stale = [
            key
            for key, c in fresh_cases.items()
            if not _same_case(c, next((w for fn, w in CASES if (fn, w["id"]) == key), None))
        ]
        if stale or _strip_outputs(json.loads(got)) != _strip_outputs(json.loads(want)):
            pytest.fail(
                f"expected.json drifted (regenerate with scripts/dirty/make_dirty_corpus.py); cases "
                f"differing: {stale[:10]}"
            )


def _strip_outputs(doc):
    """The document without the network's outputs (compared apart, within tolerance)."""
    if isinstance(doc, dict):
        return {k: _strip_outputs(v) for k, v in doc.items() if k != "outputs"}
    if isinstance(doc, list):
        return [_strip_outputs(v) for v in doc]
    return doc


_PROB = re.compile(r"prob (-?[0-9.e+-]+)")


def test_fresh_readme_is_identical(fresh):
    got = (fresh / "README.md").read_text(encoding="utf-8")
    want = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert _PROB.sub("prob P", got) == _PROB.sub("prob P", want)
    for g, w in zip(_PROB.findall(got), _PROB.findall(want)):
        assert abs(float(g) - float(w)) <= OUTPUT_ATOL + OUTPUT_RTOL * abs(float(w)), (g, w)


def test_fresh_inputs_are_identical(fresh):
    names = sorted(p.name for p in CORPUS.glob("*.parquet"))
    assert names == sorted(FILES)
    assert sorted(p.name for p in fresh.glob("*.parquet")) == names
    for name in names:
        want, got = pq.read_table(CORPUS / name), pq.read_table(fresh / name)
        assert got.schema.equals(want.schema), name
        assert repr(got.to_pylist()) == repr(want.to_pylist()), name  # repr: NaN equals NaN, -0.0 is not 0.0


def test_fresh_bundle_has_the_same_contract(fresh):
    want, got = tx.read_manifest(CORPUS / "bundle"), tx.read_manifest(fresh / "bundle")
    for key in ("input", "features", "model", "golden"):
        assert got[key] == want[key], key
    assert got["artifacts"][tx.STATE_DICT] == want["artifacts"][tx.STATE_DICT]  # the rounded weights


def test_committed_bundle_validates():
    done = tx.validate_bundle(CORPUS / "bundle")
    assert "golden replay (preprocessor + model)" in done


def test_corpus_is_small():
    total = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    assert total < 1_000_000, total


# ---------------------------------------------------------------------------------------------------------------
# Per case
# ---------------------------------------------------------------------------------------------------------------


def _float(encoded) -> float:
    return (
        {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(encoded, encoded)
        if isinstance(encoded, str)
        else float(encoded)
    )


def _same_double(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1.0, a) == math.copysign(1.0, b))


def assert_same_sklearn(got: dict, want: dict, tol: dict) -> None:
    assert got["sklearn"] == want["sklearn"], (got, want)
    if want["sklearn"] == "raises":
        assert got == want
        return
    assert got.get("transform_dtype") == want.get("transform_dtype")
    g, w = [_float(v) for v in got["features"]], [_float(v) for v in want["features"]]
    assert len(g) == len(w) and all(_same_double(a, b) for a, b in zip(g, w)), (g, w)
    for name, value in want["outputs"].items():
        a, b = _float(got["outputs"][name]), _float(value)
        assert (math.isnan(a) and math.isnan(b)) or abs(a - b) <= tol["atol"] + tol["rtol"] * abs(b), (name, a, b)


def decode(encoded, dtype: pa.DataType):
    """An expected.json raw value back to the Python value pyarrow's to_pylist gives."""
    if encoded is None:
        return None
    if pa.types.is_floating(dtype):
        return _float(encoded)
    if pa.types.is_integer(dtype):
        return int(encoded)
    if pa.types.is_string(dtype):
        return encoded if isinstance(encoded, str) else encoded["prefix"] + encoded["repeat"] * encoded["times"]
    if pa.types.is_decimal(dtype):
        return decimal.Decimal(encoded)
    if pa.types.is_timestamp(dtype):
        value = dt.datetime.fromisoformat(encoded.removesuffix("Z"))
        return value.replace(tzinfo=dt.timezone.utc) if dtype.tz else value
    if pa.types.is_date(dtype):
        return dt.date.fromisoformat(encoded)
    if pa.types.is_map(dtype):
        return [tuple(kv) for kv in encoded]
    if pa.types.is_list(dtype):
        return [_float(v) for v in encoded]
    if pa.types.is_struct(dtype):
        return dict(encoded)
    raise AssertionError(f"no decoding for {dtype}")


@pytest.mark.parametrize(
    "file,case", CASES, ids=[f"{f.removesuffix('.parquet')}-{c['id']}-{c['case']}" for f, c in CASES]
)
def test_case(file, case, committed_bundle, frames):
    pre, net, traced = committed_bundle
    raw, frame = frames[file]
    spec = FILES[file]
    position = raw.index[raw["id"] == case["id"]]
    assert len(position) == 1, f"id {case['id']} is not exactly once in {file}"
    i = int(position[0])
    inputs = EXPECTED["bundle"]["input_columns"]
    tol = EXPECTED["bundle"]["output_tolerance"]

    # the values expected.json lists are the values the file holds, in the file's types
    table = pq.read_table(CORPUS / file)
    assert [{"name": f.name, "type": str(f.type)} for f in table.schema] == spec["schema"]
    stored = table.slice(i, 1).to_pylist()[0]
    for col in inputs:
        want = decode(case["values"][col], table.schema.field(col).type)
        got = stored[col]
        if isinstance(want, float) and isinstance(got, float):
            assert _same_double(got, want), col
        else:
            assert got == want, col

    # scikit-learn on that row, as pandas reads it (then None -> NaN), through the committed bundle
    for model in (net, traced):
        assert_same_sklearn(
            dirty.sklearn_row(pre, model, frame.iloc[[i]][inputs].reset_index(drop=True)), case["sklearn"], tol
        )
    plain = dirty.sklearn_row(pre, net, raw.iloc[[i]][inputs].reset_index(drop=True))
    assert_same_sklearn(plain, case.get("sklearn_without_none_to_nan", case["sklearn"]), tol)

    # the tabscore expectation
    if spec["tabscore"]["tabscore"] == "schema_refused":
        assert "tabscore" not in case
        assert spec["tabscore"]["exit_code"] == 30
        assert spec["tabscore"]["column"] in inputs
        assert not pa.types.is_floating(table.schema.field(spec["tabscore"]["column"]).type)
        return
    expectation = case["tabscore"]
    row = {col: stored[col] for col in inputs}
    if expectation["tabscore"] == "scored":
        assert case["sklearn"]["sklearn"] == "scored", "tabscore scores only what sklearn scores"
        missing, unknown = dirty.missing_and_unknown(pre, row)
        assert (expectation["missing"], expectation["unknown"]) == (missing, unknown)
        return
    assert expectation["tabscore"] == "rejected"
    assert case["sklearn"]["sklearn"] == "raises"
    assert expectation["column"] == expectation["columns"][0]
    assert expectation["columns"] == sorted(expectation["columns"], key=inputs.index)
    for col in expectation["columns"]:
        if expectation["reason"] == "invalid_value":
            with pytest.raises(ValueError):
                float(row[col])
        else:
            assert expectation["reason"] == "refused_by_preprocessor"
            assert math.isinf(float(row[col])) and col != "score"  # score is the passthrough column
