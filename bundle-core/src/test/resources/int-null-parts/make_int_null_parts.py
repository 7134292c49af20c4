"""A bundle whose OrdinalEncoder learned int64 categories beyond 2^53 (an Int64 column without a null in training;
handle_unknown='error', so a null is refused too), and a batch with a null (so pandas makes the column float64 and
matches BIG + 1 with the category BIG, as float64 rounds both alike) (``fresh.parquet``) where one row is refused (an unseen category under
handle_unknown='error'), so the scorer scores the rest in parts. pandas keeps the whole frame's float64 in every
part (``df.iloc``); ``expected.json`` holds scikit-learn's features per row (null where refused).
GuardedScorerIntNullPartsTest checks Java scores the same rows (a differential fuzzer mismatch, case-9292-00033).
Run with the system python: ``python3 make_int_null_parts.py``.
"""

import json
import os
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.preprocessing import OrdinalEncoder  # noqa: E402

import tabscore_export as tx  # noqa: E402

BIG = 4605297224585397536  # beyond 2^53: float64 rounds it (and BIG + 1) to 4605297224585397760


def main():
    train = pd.DataFrame({"k": pd.Series(pd.array([BIG, 7, 3, BIG, 7, 3] * 7, dtype="Int64"))})  # int64 categories
    pre = ColumnTransformer([("o", OrdinalEncoder(encoded_missing_value=-2), ["k"])])
    pre.fit(tx.sklearn_frame(train))
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = tx.export_bundle(pre, torch.nn.Sequential(torch.nn.Linear(1, 1)), train, HERE / "bundle", name="parts",
                             version="1.0.0", task="binary", classes=[0, 1], created_at="2026-12-05T00:00:00Z",
                             overwrite=True)
    # BIG + 1 is BIG as float64 (found), 5 is unseen (refused), the null is the NaN category
    fresh = pd.DataFrame({"k": pd.Series(pd.array([7, BIG + 1, None, 5, BIG + 1, 3], dtype="Int64"))})
    tx.write_parquet(tx.golden_input_table(fresh, m["input"]["columns"]), HERE / "fresh.parquet")
    frame = tx.read_golden_input(HERE / "fresh.parquet", m["input"]["columns"])
    features, refused = tx.transform_rows(pre, frame)
    rows = [None if r in refused else [float(v) for v in features[r]] for r in range(len(frame))]
    (HERE / "expected.json").write_text(json.dumps({"rows": rows}, indent=1) + "\n")
    print(rows)


if __name__ == "__main__":
    main()
