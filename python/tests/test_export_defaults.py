"""The exporter works on defaults (issue 12, item 4): each test is a minimal reproducer of a failure the
differential fuzzer (scripts/difffuzz/) found in export_bundle, run on the graph a user fits by default."""

from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import torch
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, MaxAbsScaler, OneHotEncoder, OrdinalEncoder, StandardScaler
from torch import nn

import tabscore_export as tx

CREATED = "2026-12-05T05:00:00Z"


def _export(pre, train, out, model=None, **kw):
    pre.fit(tx.sklearn_frame(train))
    width = len(pre.get_feature_names_out())
    torch.manual_seed(0)
    net = model if model is not None else nn.Sequential(nn.Linear(width, 3), nn.ReLU(), nn.Linear(3, 1))
    return tx.export_bundle(
        pre, net, train, out, name="defaults", version="1.0.0", task="binary", created_at=CREATED, **kw
    )


def _frame(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "x": rng.standard_normal(n),
            "city": pd.Series(rng.choice(["a", "b", "c"], size=n), dtype=object),
            "code": pd.Series(rng.choice(["p", "q"], size=n), dtype=object),
        }
    )


def test_default_encoders_get_a_golden_batch_without_unseen_categories_in_their_columns(tmp_path):
    # handle_unknown='error' is the default of both encoders: scikit-learn raises on an unseen category, so the
    # golden batch must not feed it one (it did: "ValueError: Found unknown categories").
    pre = ColumnTransformer(
        [("num", StandardScaler(), ["x"]), ("city", OneHotEncoder(), ["city"]), ("code", OrdinalEncoder(), ["code"])]
    )
    manifest = _export(pre, _frame(), tmp_path / "b")
    golden = pq.read_table(tmp_path / "b" / tx.GOLDEN_INPUT).to_pandas()
    assert set(golden["city"].dropna()) <= {"a", "b", "c"}
    assert set(golden["code"].dropna()) <= {"p", "q"}
    # out-of-range numbers still reach the scaler, which accepts them
    assert golden["x"].abs().max() > 100
    assert manifest["golden"]["rows"] == len(golden)
    tx.validate_bundle(tmp_path / "b", replay=True)  # raises on any problem


def test_unseen_categories_stay_where_the_encoder_accepts_them(tmp_path):
    pre = ColumnTransformer(
        [("city", OneHotEncoder(handle_unknown="ignore"), ["city"]), ("code", OneHotEncoder(), ["code"])]
    )
    _export(pre, _frame(), tmp_path / "b")
    golden = pq.read_table(tmp_path / "b" / tx.GOLDEN_INPUT).to_pandas()
    assert "unseen_city" in set(golden["city"].dropna())
    assert set(golden["code"].dropna()) <= {"p", "q"}


def test_int64_near_2_62_is_exact(tmp_path):
    # int(hi + 1000.0 * span) overflowed: "OverflowError: Python int too large to convert to C long"
    train = pd.DataFrame({"big": np.array([2**62 - 7, -(2**62) + 3, 2**62, 12345] * 10, dtype=np.int64)})
    pre = ColumnTransformer([("num", StandardScaler(), ["big"])])
    _export(pre, train, tmp_path / "b")
    values = pq.read_table(tmp_path / "b" / tx.GOLDEN_INPUT).column("big").to_pylist()
    assert 2**62 - 7 in values and -(2**62) + 3 in values
    assert max(v for v in values if v is not None) == 2**63 - 1  # the out-of-range probe, held in int64
    assert min(v for v in values if v is not None) == -(2**63)


def test_huge_float_column_probe_stays_finite(tmp_path):
    # was: hi + 1000 * span = inf, a different case (refused by most steps) than an out-of-range number
    train = pd.DataFrame({"h": np.linspace(-1e306, 1e307, 40)})
    pre = ColumnTransformer([("num", MaxAbsScaler(), ["h"])])
    _export(pre, train, tmp_path / "b")
    values = np.array(pq.read_table(tmp_path / "b" / tx.GOLDEN_INPUT).column("h").to_pylist(), dtype=float)
    assert np.isinf(values).sum() == 0
    assert np.nanmax(values) == np.finfo(np.float64).max


def test_features_beyond_float32_name_the_feature(tmp_path):
    # was: "TorchScript reload differs from the eager model (max abs diff nan)", then a refusal of the training
    # rows; now a warning naming the feature: the network sees inf there, in Python and Java alike (golden replay
    # matches inf with inf), so the bundle is written
    train = pd.DataFrame({"w": np.linspace(1e38, 9e38, 40)})
    pre = ColumnTransformer([("keep", "passthrough", ["w"])])
    with pytest.warns(UserWarning, match=r"feature 'keep__w' is .*beyond float32's range"):
        m = _export(pre, train, tmp_path / "b")
    out = pq.read_table(tmp_path / "b" / "golden" / "output.parquet").to_pandas()
    assert m["golden"]["rows"] >= 32 and not np.isfinite(out["keep__w"].to_numpy(dtype=np.float32)).all()
    tx.validate_bundle(tmp_path / "b")


def test_no_finite_golden_row_keeps_the_training_rows(tmp_path):
    # was: "no golden row gives finite features": a string column missing in every training row, ordinal-encoded
    # (encoded_missing_value NaN), so every row has a NaN feature and every unseen-category probe is refused
    train = pd.DataFrame({"c": pd.Series([None] * 40, dtype=object), "x": np.arange(40.0)})
    pre = ColumnTransformer([("o", OrdinalEncoder(), ["c"]), ("n", StandardScaler(), ["x"])])
    with pytest.warns(UserWarning, match=r"every golden row has a non-finite feature \(\['o__c'\]\)"):
        m = _export(pre, train, tmp_path / "b")
    out = pq.read_table(tmp_path / "b" / "golden" / "output.parquet").to_pandas()
    assert m["golden"]["rows"] > 0 and out["o__c"].isna().all() and out["prob"].isna().all()
    tx.validate_bundle(tmp_path / "b")


class Residual(nn.Module):
    """Not a plain nn.Sequential: Java cannot rebuild it from a state_dict."""

    def __init__(self, width: int) -> None:
        super().__init__()
        self.a = nn.Linear(width, 2)
        self.skip = nn.Linear(width, 1, bias=False)
        self.b = nn.Linear(2, 1)

    def forward(self, x):
        return self.b(self.a(x).relu()) + self.skip(x)


def test_a_network_without_layers_gets_no_state_dict(tmp_path):
    # was: model_state.pt written with layers: null, which verify then refused (exit 27)
    pre = ColumnTransformer([("num", StandardScaler(), ["x"])])
    torch.manual_seed(1)
    manifest = _export(pre, _frame(), tmp_path / "b", model=Residual(1))
    assert manifest["model"]["layers"] is None
    assert manifest["model"]["state_dict"] is None
    assert not (tmp_path / "b" / tx.STATE_DICT).exists()
    assert tx.STATE_DICT not in manifest["artifacts"]


def test_a_state_dict_without_layers_is_inconsistent(tmp_path):
    pre = ColumnTransformer([("num", StandardScaler(), ["x"])])
    manifest = _export(pre, _frame(), tmp_path / "b")
    broken = copy.deepcopy(manifest)
    broken["model"]["layers"] = None
    with pytest.raises(tx.BundleError, match="model.state_dict needs model.layers"):
        tx.check_consistency(broken)


def test_schema_error_names_the_unexpected_key(tmp_path):
    # was: "... is not valid under any of the given schemas"
    pre = ColumnTransformer([("num", StandardScaler(), ["x"])])
    manifest = _export(pre, _frame(), tmp_path / "b")
    broken = json.loads(json.dumps(manifest))
    broken["model"]["layers"][1]["inplace"] = False
    with pytest.raises(tx.BundleError) as err:
        tx.validate_manifest(broken)
    text = str(err.value)
    assert "'inplace'" in text and "/model/layers/1" in text
    assert "is not valid under any of the given schemas" not in text


def test_a_refused_training_row_names_row_and_reason(tmp_path):
    train = _frame()
    pre = ColumnTransformer([("city", OneHotEncoder(), ["city"])])
    pre.fit(tx.sklearn_frame(train))
    golden = train.head(3).copy()
    golden.loc[1, "city"] = "zzz"
    with pytest.raises(
        tx.BundleError, match=r"golden row 1: scikit-learn refuses it: ValueError: Found unknown categories"
    ):
        tx.export_bundle(
            pre,
            nn.Sequential(nn.Linear(3, 1)),
            train,
            tmp_path / "b",
            golden_df=golden,
            name="d",
            version="1",
            task="binary",
            created_at=CREATED,
        )


def test_duplicate_feature_names_are_kept_and_columns_are_distinct(tmp_path):
    # was: "feature names are not unique: ['c__city_nan'] appear more than once": the category "nan" (a string)
    # and NaN (missing) both give the feature name c__city_nan, as scikit-learn names them
    train = pd.DataFrame(
        {
            "city": pd.Series(["a", "nan", None, "a", "nan", None] * 5, dtype=object),
            "x": np.arange(30, dtype=np.float64),
        }
    )
    pre = ColumnTransformer(
        [
            ("c", OneHotEncoder(sparse_output=False), ["city"]),
            ("l", FunctionTransformer(np.log1p, feature_names_out="one-to-one"), ["x"]),
            ("l2", FunctionTransformer(np.log1p, feature_names_out="one-to-one"), ["x"]),
        ],
        verbose_feature_names_out="{feature_name}",
    )
    pre.fit(tx.sklearn_frame(train))
    names = list(pre.get_feature_names_out())
    assert names == ["city_a", "city_nan", "city_nan", "x", "x"]
    with pytest.warns(UserWarning, match=r"get_feature_names_out\(\) repeats \['city_nan', 'x'\]"):
        m = tx.export_bundle(
            pre,
            nn.Sequential(nn.Linear(len(names), 1)),
            train,
            tmp_path / "b",
            name="d",
            version="1",
            task="binary",
            created_at=CREATED,
        )
    assert m["features"]["names"] == names  # scikit-learn's, positional
    columns = ["city_a", "city_nan", "city_nan__2", "x", "x__2"]
    assert tx.feature_columns(names) == columns
    assert pq.read_table(tmp_path / "b" / tx.GOLDEN_OUTPUT).column_names == columns + ["logit", "prob"]
    tol = m["golden"]["feature_tolerance"]
    assert tol["ufunc_features"] == ["x", "x__2"] and list(tol["ufunc_sources"]) == ["x", "x__2"]
    golden = pq.read_table(tmp_path / "b" / tx.GOLDEN_OUTPUT).to_pandas()
    nan_row = golden.index[golden["city_nan__2"] == 1.0]
    assert len(nan_row) and (golden.loc[nan_row, "city_nan"] == 0.0).all()  # two features, never merged
    assert "golden replay" in " ".join(tx.validate_bundle(tmp_path / "b"))  # by the distinct columns


def test_feature_columns_number_later_occurrences_past_every_name_taken():
    assert tx.feature_columns(["a", "a", "a__2", "a", "b"]) == ["a", "a__3", "a__2", "a__4", "b"]
    assert tx.feature_columns(["a", "b"]) == ["a", "b"]


def test_a_none_category_is_named(tmp_path):
    # a graph fitted on a frame holding None learns a None category; a train_df without any None (here the
    # NaN form of the same frame) cannot be the frame it was fitted on: named, with what to pass instead
    train = pd.DataFrame({"city": pd.Series(["a", None, "b", "a"] * 10, dtype=object)})
    pre = ColumnTransformer([("c", OneHotEncoder(sparse_output=False), ["city"])]).fit(train)
    with pytest.raises(
        tx.BundleError,
        match=r"OneHotEncoder learned None as a category of column\(s\) \['city'\], " r"but train_df holds no None",
    ):
        tx.export_bundle(
            pre,
            nn.Sequential(nn.Linear(3, 1)),
            tx.sklearn_frame(train),
            tmp_path / "b",
            name="d",
            version="1",
            task="binary",
            created_at=CREATED,
        )


def test_a_nullable_bool_column_is_fed_as_object_even_without_a_null(tmp_path):
    # was (scikit-learn 1.2/1.4): "no golden row gives finite features (TypeError: ufunc 'isnan' not supported)":
    # fitted as an object column (sklearn_frame of pandas' boolean), the golden batch lost its null rows, read back
    # as bool, and the encoder's _check_unknown refused bool against object categories. Fed as object now.
    train = pd.DataFrame({"b": pd.Series(pd.array([True, False, None, True] * 10, dtype="boolean"))})
    m = _export(
        ColumnTransformer([("o", OneHotEncoder(sparse_output=False, handle_unknown="ignore"), ["b"])]),
        train,
        tmp_path / "b",
    )
    assert tx.fitted_dtypes(train, m["input"]["columns"]) == {"b": "object"}
    no_null = tmp_path / "no_null.parquet"
    tx.write_parquet(tx.golden_input_table(train.dropna(), m["input"]["columns"]), no_null)
    assert tx.read_golden_input(no_null).dtypes["b"] == np.dtype(bool)
    assert tx.read_golden_input(no_null, m["input"]["columns"], {"b": "object"}).dtypes["b"] == np.dtype(object)


def test_an_int_column_fitted_as_float64_is_fed_as_float64_even_without_a_null(tmp_path):
    # was: "no golden row gives finite features (ValueError: The dtype of the filling value (i.e. dtype('float64'))
    # cannot be cast to the input data that is dtype('int64'))": a nullable Int64 column with a null is float64 to
    # the imputer at fit; the golden batch without its null rows read back as int64
    from sklearn.impute import SimpleImputer

    train = pd.DataFrame({"k": pd.Series(pd.array([1, None, 3, 4] * 10, dtype="Int64"))})
    pre = ColumnTransformer([("i", SimpleImputer(strategy="constant", fill_value=0.5), ["k"])])
    m = _export(pre, train, tmp_path / "b")
    assert tx.fitted_dtypes(train, m["input"]["columns"]) == {"k": "float64"}
    no_null = tmp_path / "no_null.parquet"
    tx.write_parquet(tx.golden_input_table(train.dropna(), m["input"]["columns"]), no_null)
    with pytest.raises(ValueError, match="filling value"):
        pre.transform(tx.read_golden_input(no_null))
    frame = tx.read_golden_input(no_null, m["input"]["columns"], {"k": "float64"})
    assert frame.dtypes["k"] == np.float64 and pre.transform(frame).shape == (30, 1)


def test_a_row_the_nudged_graph_refuses_has_no_ufunc_envelope():
    # fuzzer case-1401-00103 (issue 14): cos(0) = 1.0 into SplineTransformer(extrapolation='error') whose knots are
    # [1, 1]; nudged up, the row lies past the knots. The envelope used to raise (no bundle, no fuzzer envelope);
    # now that row's envelope is NaN (it must match exactly, as Java's GoldenReplay requires), the others have one.
    from sklearn.preprocessing import FunctionTransformer, SplineTransformer

    train = pd.DataFrame({"z": np.zeros(40), "x": np.linspace(-1, 1, 40)})
    pre = Pipeline(
        [
            ("cos", FunctionTransformer(np.cos, feature_names_out="one-to-one")),
            ("spline", SplineTransformer(n_knots=2, degree=1, extrapolation="error")),
        ]
    )
    pre = ColumnTransformer(
        [
            ("cs", pre, ["z"]),
            (
                "c2",
                Pipeline(
                    [("cos", FunctionTransformer(np.cos, feature_names_out="one-to-one")), ("scale", MaxAbsScaler())]
                ),
                ["x"],
            ),
        ]
    ).fit(train)
    lo, hi = tx.ufunc_envelope(pre, train.iloc[[0, 1]], 4)
    assert lo.shape == hi.shape == (2, 3) and np.isnan(lo).all() and np.isnan(hi).all()
    plain = ColumnTransformer([("c2", pre.transformers[1][1], ["x"])]).fit(train)
    lo, hi = tx.ufunc_envelope(plain, train.iloc[[0, 1]], 4)
    assert (lo < hi).all()


def test_a_preprocessor_without_features_is_named(tmp_path):
    # fuzzer case-1403-00244 (issue 14): a selector that keeps nothing (SelectPercentile of one feature) gave "manifest does not match
    # manifest.schema.json: at /features/names: [] should be non-empty"
    from sklearn.feature_selection import SelectPercentile, f_regression

    train = pd.DataFrame({"a": np.arange(20.0) % 7})
    # the default percentile 10 of one feature keeps int(1 * 0.1) = 0
    pre = ColumnTransformer([("p", SelectPercentile(f_regression), ["a"])]).fit(train, np.arange(20.0))
    with pytest.raises(tx.BundleError, match="outputs no features"):
        tx.export_bundle(pre, nn.Linear(1, 1), train, tmp_path / "b", name="n", version="1", task="regression")


def test_transform_width_differing_from_the_names_is_refused_naming_both(tmp_path):
    # scikit-learn 1.2-1.9: KNNImputer(keep_empty_features=True) keeps a column missing in every training row in
    # transform but drops its name from get_feature_names_out; the network was built on one width, the manifest
    # would name another (the fuzzer met it as "the model does not accept N float32 features")
    from sklearn.impute import KNNImputer

    train = pd.DataFrame({"a": np.arange(20.0), "empty": np.full(20, np.nan), "b": np.arange(20.0) * 2})
    pre = KNNImputer(keep_empty_features=True).fit(train)
    assert tx.transform_features(pre, train).shape[1] == 3 and len(pre.get_feature_names_out()) == 2
    net = nn.Sequential(nn.Linear(3, 1))
    with pytest.raises(tx.BundleError, match=r"transform returns 3 columns but get_feature_names_out\(\) names 2"):
        tx.export_bundle(pre, net, train, tmp_path / "b", name="w", version="1.0.0", task="binary", created_at=CREATED)
    assert not (tmp_path / "b").exists()
