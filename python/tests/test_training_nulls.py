"""None versus NaN in string columns (issue 12): the exporter records what the fitted graph saw for a null
(input.columns[].training_nulls) and computes the golden batch feeding nulls that way; Java scores a null as
Python None where that is "none" (bundle-core TrainingNullsBundleTest)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import torch
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from torch import nn

import tabscore_export as tx

CREATED = "2026-12-05T05:00:00Z"


def _export(pre, train, out, fit_on=None):
    pre.fit(train if fit_on is None else fit_on)
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(len(pre.get_feature_names_out()), 1))
    return tx.export_bundle(pre, net, train, out, name="nulls", version="1.0.0", task="binary", created_at=CREATED)


def _columns(manifest):
    return {c["name"]: c for c in manifest["input"]["columns"]}


def _frame(city):
    return pd.DataFrame({"city": pd.Series(city, dtype=object), "x": np.arange(len(city), dtype=np.float64)})


def test_a_frame_read_from_parquet_scores_a_null_as_the_none_category(tmp_path):
    train = _frame(["a", None, "b", "a"] * 10)
    pre = ColumnTransformer([("c", OneHotEncoder(sparse_output=False), ["city"]), ("n", StandardScaler(), ["x"])])
    m = _export(pre, train, tmp_path / "b")
    city = _columns(m)["city"]
    assert city["training_nulls"] == "none" and city["nullable"] is True
    assert "training_nulls" not in _columns(m)["x"]
    assert m["features"]["names"][:3] == ["c__city_a", "c__city_b", "c__city_None"]
    # the golden batch holds nulls and scikit-learn's features for them are the None column
    gin = pq.read_table(tmp_path / "b" / "golden" / "input.parquet").to_pandas()
    gout = pq.read_table(tmp_path / "b" / "golden" / "output.parquet").to_pandas()
    nulls = gin["city"].isna().to_numpy()
    assert nulls.any()
    assert (gout.loc[nulls, "c__city_None"] == 1.0).all()
    frame = tx.read_golden_input(tmp_path / "b" / "golden" / "input.parquet", m["input"]["columns"])
    assert all(v is None for v in frame.loc[nulls, "city"])
    tx.validate_bundle(tmp_path / "b")


def test_fitted_on_sklearn_frame_a_null_stays_nan(tmp_path):
    # the documented way: fit on sklearn_frame(train_df), pass train_df (holding None): nothing changes
    train = _frame(["a", None, "b", "a"] * 10)
    pre = ColumnTransformer([("c", OneHotEncoder(sparse_output=False), ["city"])])
    m = _export(pre, train, tmp_path / "b", fit_on=tx.sklearn_frame(train))
    assert _columns(m)["city"]["training_nulls"] == "nan"
    assert m["features"]["names"] == ["c__city_a", "c__city_b", "c__city_nan"]


def test_none_and_nan_told_apart_score_a_null_as_none_with_a_warning_naming_the_column(tmp_path):
    # a null at scoring is one value: None, as pandas reads a Parquet null; the NaN category is never reached
    train = _frame(["a", None, "b", np.nan] * 10)
    pre = ColumnTransformer([("c", OneHotEncoder(sparse_output=False), ["city"])])
    with pytest.warns(UserWarning, match=r"column 'city' holds both None and NaN .* scored as None"):
        m = _export(pre, train, tmp_path / "b")
    assert _columns(m)["city"]["training_nulls"] == "none_and_nan"
    assert m["features"]["names"] == ["c__city_a", "c__city_b", "c__city_None", "c__city_nan"]
    gin = pq.read_table(tmp_path / "b" / "golden" / "input.parquet").to_pandas()
    gout = pq.read_table(tmp_path / "b" / "golden" / "output.parquet").to_pandas()
    nulls = gin["city"].isna().to_numpy()
    assert nulls.any() and (gout.loc[nulls, "c__city_None"] == 1.0).all() and (gout["c__city_nan"] == 0.0).all()


def test_none_and_nan_treated_alike_are_accepted(tmp_path):
    # None and NaN are both rare in 'city': infrequent categories share one column, so a null gives the same
    # features either way and the column is accepted (scored as NaN); 'kind' holds None only
    city = ["a", "b"] * 20
    city[3], city[8] = None, np.nan
    train = pd.DataFrame(
        {"city": pd.Series(city, dtype=object), "kind": pd.Series(["p", None, "q", "p"] * 10, dtype=object)}
    )
    pre = ColumnTransformer(
        [
            (
                "city",
                OneHotEncoder(sparse_output=False, min_frequency=3, handle_unknown="infrequent_if_exist"),
                ["city"],
            ),
            ("kind", OneHotEncoder(sparse_output=False), ["kind"]),
        ]
    )
    m = _export(pre, train, tmp_path / "b")
    assert _columns(m)["city"]["training_nulls"] == "none_and_nan"
    assert _columns(m)["kind"]["training_nulls"] == "none"
    assert "city__city_infrequent_sklearn" in m["features"]["names"]
