"""The exporter's row-by-row transform (``contract.transform_rows``): refused rows are found by splitting the frame;
a block whose output lacks columns only because it holds no missing value (scikit-learn 1.2's
KNNImputer(add_indicator=True), found by the differential fuzzer on 1.2.2, case-3212-00003, where it crashed in a
numpy broadcast) is transformed again beside a row that has one; a width that still depends on the batch is refused
with a clear error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tabscore_export.contract import transform_rows
from tabscore_export.errors import BundleError


class _BatchWidth:
    """An indicator column only when the batch holds a NaN (as 1.2's KNNImputer); a row with x < 0 is refused."""

    def transform(self, df: pd.DataFrame) -> np.ndarray:
        x = df["x"].to_numpy(dtype=np.float64)
        if (x < 0).any():
            raise ValueError("x < 0")
        cols = [np.nan_to_num(x)]
        if np.isnan(x).any():
            cols.append(np.isnan(x).astype(np.float64))
        return np.column_stack(cols)


def test_refused_rows_are_found_and_the_others_kept():
    frame = pd.DataFrame({"x": [1.0, 2.0, -1.0, 3.0, 4.0, -2.0, 5.0, 6.0]})
    features, refused = transform_rows(_BatchWidth(), frame)
    assert sorted(refused) == [2, 5]
    assert all("x < 0" in m for m in refused.values())
    assert features.shape == (8, 1)
    assert np.isnan(features[[2, 5], 0]).all()
    assert features[[0, 1, 3, 4, 6, 7], 0].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]


def test_a_block_without_a_missing_value_gets_its_indicator_columns():
    frame = pd.DataFrame({"x": [np.nan, 1.0, 2.0, -1.0, 3.0, 4.0, 5.0, 6.0]})
    features, refused = transform_rows(_BatchWidth(), frame)
    assert sorted(refused) == [3]
    assert features.shape == (8, 2)
    kept = [0, 1, 2, 4, 5, 6, 7]
    assert features[kept, 0].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert features[kept, 1].tolist() == [1.0, 0, 0, 0, 0, 0, 0]


class _Erratic(_BatchWidth):
    """One column more for a batch of exactly four rows: no appended row fixes that."""

    def transform(self, df: pd.DataFrame) -> np.ndarray:
        out = super().transform(df.assign(x=df["x"].fillna(0.0)))
        return np.column_stack([out, out]) if len(df) == 4 else out


def test_a_width_that_still_depends_on_the_batch_is_refused_naming_the_cause():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, -1.0, 7.0]})
    with pytest.raises(BundleError, match=r"returned 1 or 2 columns depending on which rows.*KNNImputer"):
        transform_rows(_Erratic(), frame)
