"""Bundles whose golden batch holds non-finite model inputs, as the network saw them in training (issue 12).

* ``nan-features``: a string column missing in every training row, ordinal-encoded (encoded_missing_value NaN):
  every row has a NaN feature, so the golden batch holds training rows as they are and the outputs are NaN.
* ``beyond-float32``: a column of magnitude 1e300 passed through: the float32 network input is inf.

GoldenReplayNonFiniteTest opens each (verify: golden replay must match NaN with NaN and inf with inf).
Run with the system python: ``python3 make_nonfinite_golden.py``.
"""

import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.preprocessing import OrdinalEncoder, StandardScaler  # noqa: E402

import tabscore_export as tx  # noqa: E402


def main():
    torch.manual_seed(0)
    train = pd.DataFrame({"c": pd.Series([None] * 40, dtype=object), "x": np.arange(40.0),
                          "big": np.linspace(-1e300, 1e300, 40)})
    graphs = {
        "nan-features": (ColumnTransformer([("o", OrdinalEncoder(), ["c"]), ("n", StandardScaler(), ["x"])]),
                         "binary", [0, 1]),
        "beyond-float32": (ColumnTransformer([("p", "passthrough", ["big", "x"])]), "multiclass", ["a", "b", "c"]),
    }
    for name, (pre, task, classes) in graphs.items():
        pre.fit(tx.sklearn_frame(train))
        width = len(pre.get_feature_names_out())
        net = torch.nn.Sequential(torch.nn.Linear(width, 4), torch.nn.ReLU(), torch.nn.Linear(4, len(classes)
                                                                                                if task == "multiclass" else 1))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tx.export_bundle(pre, net, train, os.path.join(HERE, name), name=name, version="1.0.0", task=task,
                             classes=classes, created_at="2026-12-05T00:00:00Z", overwrite=True)
        print(name)


if __name__ == "__main__":
    main()
