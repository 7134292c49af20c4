"""Generates the parameter-surface fixtures of the scalers, imputers and FunctionTransformer.

Each case is one transformer (or a small Pipeline) fitted with real scikit-learn on a pandas frame,
stored as ``sklearn-<version>/<case>/preprocessor.skops`` together with what scikit-learn computes
on the fresh rows of ``frames/<frame>.parquet``:

* ``expected.npy``: ``transform`` of the whole fresh frame (absent when scikit-learn refuses it);
* ``rows.npy``: ``transform`` of each row alone (``df.iloc[[i]]``, so with the whole frame's
  dtypes), NaN where that row is refused; ``rows_ok.npy``: 1.0 where it is accepted.

Run with the system python (scikit-learn 1.9.1; writes the frames too) and with older releases
from their virtualenvs (1.2.2 1.3.2 1.4.2 1.5.2 1.6.1 1.7.2 1.8.0; numpy 1.26 up to 1.6, 2.3 for
1.7/1.8; VERSIONS.json in each folder), which only write the estimator files::

    python3 make_surface.py
    for v in 1.2.2 1.3.2 1.4.2 1.5.2 1.6.1 1.7.2 1.8.0; do /work/venvs/sk-$v/bin/python make_surface.py; done

``ufunc/`` holds numpy's results of every supported ufunc on a fixed set of float64 values
(``inputs.npy``, ``<name>.npy``), written by the system numpy, for UfuncContractTest.
"""

import json
import os
import sys
import warnings

import numpy as np
import pandas as pd
import sklearn
import skops.io as sio
from sklearn.impute import MissingIndicator, SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, MaxAbsScaler, MinMaxScaler, RobustScaler, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = sklearn.__version__
NEW = tuple(int(p) for p in VERSION.split(".")[:2])
I64MIN = -(2**63)

UFUNCS = ["abs", "absolute", "fabs", "negative", "positive", "square", "sign", "floor", "ceil", "trunc",
          "rint", "sqrt", "reciprocal", "deg2rad", "rad2deg", "isnan", "isinf", "isfinite", "logical_not",
          "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "arcsin", "arccos",
          "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "cbrt"]


def train_num():
    """Numeric training frame: x spread, z constant, e all missing, n with NaN, k int64, m int with -1."""
    rng = np.random.default_rng(7)
    x = np.round(rng.normal(10, 4, 40), 3)
    x[3] = -3.5
    x[5] = 25.25
    n = x.copy()
    n[::4] = np.nan
    k = rng.integers(-50, 50, 40).astype(np.int64)
    m = k.copy()
    m[::5] = -1
    return pd.DataFrame({"x": x, "z": np.full(40, 2.5), "e": np.full(40, np.nan), "n": n, "k": k, "m": m})


def fresh_num():
    """Fresh numeric rows: NaN, signed zeros, training min/max, huge and tiny magnitudes, inf."""
    x = [np.nan, -0.0, 0.0, -3.5, 25.25, 1e300, -1e300, 5e-324, -5e-324, 1e-310, 10.0, 7.125,
         np.inf, 3.0, 2.5, 1.0]
    r = len(x)
    e = [np.nan] * r
    e[12] = 1.0
    e[13] = np.inf  # inf only in the column dropped at fit: scikit-learn still refuses the row
    z = [2.5, np.nan, 2.5, 0.0, -1.0, 3.0, 2.5, 2.5, 2.5, 2.5, 1e20, 2.5, 2.5, 2.5, -np.inf, 2.5]
    n = list(x)
    n[1] = np.nan
    k = [3, -1, 0, -50, 49, 2**62 + 1, -(2**62) - 1, 7, -7, 1, 2, -2, 5, 6, 1000, 4]
    m = [-1, -1, 0, -50, 49, 12, 13, -1, 2, 1, 0, -2, 5, 6, 7, 8]
    return pd.DataFrame({"x": x, "z": z, "e": e, "n": n, "k": np.array(k, dtype=np.int64),
                         "m": np.array(m, dtype=np.int64)})


def train_obj(na=np.nan):
    """Strings with missing values as NaN (the convention of the job's Python reference), or None."""
    c = ["a", "b", "a", na, "c", "a", "", "b", na, "a"] * 3
    d = ["p", na, "q", "p", "", "p", "q", na, "p", "r"] * 3
    return pd.DataFrame({"c": c, "d": d, "u": [na] * 30}, dtype=object)


def fresh_obj(na=np.nan):
    c = ["a", na, "", "zz", " a", "A", "b", "c"]
    d = ["", "p", na, "q", "r", "s", na, "p"]
    return pd.DataFrame({"c": c, "d": d, "u": [na, "x", na, na, na, na, na, na]}, dtype=object)


def train_int():
    """int64 values without nulls, one int column with nulls (float64 in pandas), bools."""
    return pd.DataFrame({"i": np.array([-3, 0, 7, 2**40, -(2**40), 1, 2], dtype=np.int64),
                         "j": [1.0, np.nan, 3.0, -4.0, 5.0, 6.0, 7.0],
                         "b": [True, False, True, True, False, False, True],
                         "f": [0.5, -1.5, 2.0, 3.25, -0.0, 8.0, 1e6]})


def fresh_int():
    return pd.DataFrame({"i": np.array([I64MIN, 2**63 - 1, 0, -1, 3037000500, 2**53 + 1, -7, 1], dtype=np.int64),
                         "j": [float(I64MIN), np.nan, -0.0, 0.0, 2.0**53 + 2, 0.5, -2.5, 1.5],
                         "b": [True, False, False, True, True, False, True, False],
                         "f": [np.nan, 1.0, -0.0, np.inf, 2.0**60, 0.5, -3.0, 7.0]})


def train_pos():
    return pd.DataFrame({"x": np.linspace(0.5, 40.0, 25)})


def fresh_pos():
    return pd.DataFrame({"x": [0.5, 40.0, 1e-300, 700.0, 709.0, 1e10, 3.0, 0.75, 1.0, np.nan, -0.0, 2.0]})


def train_intn():
    """An int64 column with nulls: pandas holds it as float64, parquet as a nullable int64."""
    return pd.DataFrame({"v": [1.0, -3.0, np.nan, 7.0, 2.0**40, -5.0]})


def fresh_intn():
    return pd.DataFrame({"v": [float(I64MIN), np.nan, 3.0, -5.0, float(2**62), 0.0, -1.0, 3037000500.0]})


def fresh_posf():
    """Finite after exp and log: a golden batch for a ufunc followed by a scaler."""
    return pd.DataFrame({"x": [0.5, 40.0, 1e-300, 700.0, 709.0, 3.0, 0.75, 1.0, np.nan, 2.0, 0.1, 705.5]})


FRAMES = {"posf": (train_pos, fresh_posf), "intn": (train_intn, fresh_intn), "num": (train_num, fresh_num), "obj": (train_obj, fresh_obj),
          # fitted on None (as users' frames hold it); scored on NaN, the job's reference for a null string
          "objnone": (lambda: train_obj(None), fresh_obj), "int": (train_int, fresh_int),
          "pos": (train_pos, fresh_pos)}


def cases():
    """(name, frame, columns, estimator factory, minimum release)."""
    out = []
    num = ["x", "z", "n"]
    add = out.append
    add(("std-default", "num", num, lambda: StandardScaler(), (1, 2)))
    add(("std-nomean", "num", num, lambda: StandardScaler(with_mean=False), (1, 2)))
    add(("std-nostd", "num", num, lambda: StandardScaler(with_std=False), (1, 2)))
    add(("std-neither", "num", num, lambda: StandardScaler(with_mean=False, with_std=False), (1, 2)))
    add(("minmax-default", "num", num, lambda: MinMaxScaler(), (1, 2)))
    add(("minmax-range-clip", "num", num, lambda: MinMaxScaler(feature_range=(-2, 3.5), clip=True), (1, 2)))
    add(("maxabs-default", "num", num, lambda: MaxAbsScaler(), (1, 2)))
    add(("maxabs-clip", "num", num, lambda: MaxAbsScaler(clip=True), (1, 8)))
    add(("robust-default", "num", num, lambda: RobustScaler(), (1, 2)))
    add(("robust-unitvar", "num", num, lambda: RobustScaler(unit_variance=True, quantile_range=(10.0, 90.0)), (1, 2)))
    add(("robust-nocenter", "num", num, lambda: RobustScaler(with_centering=False), (1, 2)))
    add(("robust-noscale", "num", num, lambda: RobustScaler(with_scaling=False), (1, 2)))
    numi = ["x", "z", "e", "n", "k"]
    add(("imp-mean", "num", numi, lambda: SimpleImputer(), (1, 2)))
    add(("imp-median-indicator", "num", numi, lambda: SimpleImputer(strategy="median", add_indicator=True), (1, 2)))
    add(("imp-mostfreq-num", "num", numi, lambda: SimpleImputer(strategy="most_frequent"), (1, 2)))
    add(("imp-constant-num", "num", ["x", "n", "k"], lambda: SimpleImputer(strategy="constant", fill_value=-7.5), (1, 2)))
    add(("imp-constant-int", "num", ["x", "n", "k"], lambda: SimpleImputer(strategy="constant", fill_value=3), (1, 2)))
    add(("imp-constant-default-num", "num", ["x", "n", "e"], lambda: SimpleImputer(strategy="constant"), (1, 2)))
    add(("imp-constant-default-obj", "obj", ["c", "d", "u"], lambda: SimpleImputer(strategy="constant"), (1, 2)))
    add(("imp-constant-bool", "num", ["x", "n"], lambda: SimpleImputer(strategy="constant", fill_value=True), (1, 2)))
    add(("imp-keep-empty", "num", numi, lambda: SimpleImputer(keep_empty_features=True), (1, 2)))
    add(("imp-keep-empty-median", "num", numi,
         lambda: SimpleImputer(strategy="median", keep_empty_features=True, add_indicator=True), (1, 2)))
    add(("imp-mv-minus1", "num", ["k", "m"], lambda: SimpleImputer(missing_values=-1, strategy="median"), (1, 2)))
    add(("imp-mv-minus1-float", "num", ["x", "m"],
         lambda: SimpleImputer(missing_values=-1.0, strategy="mean", add_indicator=True), (1, 2)))
    add(("imp-int-mostfreq-reciprocal", "num", ["k", "m"], lambda: Pipeline([
        ("i", SimpleImputer(missing_values=-1, strategy="most_frequent")),
        ("f", FunctionTransformer(np.reciprocal))]), (1, 2)))
    add(("imp-int-constant-square", "num", ["k", "m"], lambda: Pipeline([
        ("i", SimpleImputer(missing_values=-1, strategy="constant", fill_value=3037000500)),
        ("f", FunctionTransformer(np.square))]), (1, 2)))
    add(("imp-mixed-mostfreq-abs", "num", ["x", "k"], lambda: Pipeline([
        ("i", SimpleImputer(strategy="most_frequent")), ("f", FunctionTransformer(np.abs))]), (1, 2)))
    add(("imp-mostfreq-obj", "obj", ["c", "d"], lambda: SimpleImputer(strategy="most_frequent"), (1, 2)))
    add(("imp-constant-obj", "obj", ["c", "d", "u"], lambda: SimpleImputer(strategy="constant", fill_value="zz",
                                                                          add_indicator=True), (1, 2)))
    add(("imp-mv-empty", "objnone", ["c", "d"], lambda: SimpleImputer(missing_values="", strategy="most_frequent"), (1, 2)))
    add(("imp-mv-none", "objnone", ["c", "d"], lambda: SimpleImputer(missing_values=None, strategy="constant",
                                                                 fill_value="none!"), (1, 2)))
    add(("mi-default", "num", ["x", "n", "k"], lambda: MissingIndicator(), (1, 2)))
    add(("mi-all", "num", ["x", "n", "k"], lambda: MissingIndicator(features="all"), (1, 2)))
    add(("mi-noerror", "num", ["x", "n", "k"], lambda: MissingIndicator(error_on_new=False), (1, 2)))
    add(("mi-mv-minus1", "num", ["k", "m"], lambda: MissingIndicator(missing_values=-1, features="all"), (1, 2)))
    add(("mi-obj", "objnone", ["c", "d"], lambda: MissingIndicator(missing_values="", features="all"), (1, 2)))
    for u in UFUNCS:
        add((f"ft-{u}", "num", ["x", "n"], lambda u=u: FunctionTransformer(getattr(np, u),
                                                                            feature_names_out="one-to-one"), (1, 2)))
    for u in ["abs", "negative", "square", "sign", "reciprocal", "floor", "rint", "exp", "log1p", "isnan",
              "logical_not", "fabs"]:
        add((f"ft-int-{u}", "int", ["i", "j"], lambda u=u: FunctionTransformer(getattr(np, u),
                                                                              feature_names_out="one-to-one"), (1, 2)))
    for u in ["abs", "square", "floor", "exp", "log1p", "sqrt", "reciprocal", "isnan", "logical_not", "arctan"]:
        add((f"ft-bool-{u}", "int", ["b"], lambda u=u: FunctionTransformer(getattr(np, u),
                                                                          feature_names_out="one-to-one"), (1, 2)))
    for u in ["abs", "negative", "square", "reciprocal", "sign", "exp"]:
        add((f"ft-intn-{u}", "intn", ["v"], lambda u=u: FunctionTransformer(getattr(np, u),
                                                                           feature_names_out="one-to-one"), (1, 2)))
    add(("ft-validate-int", "int", ["i"], lambda: FunctionTransformer(np.abs, validate=True,
                                                                       feature_names_out="one-to-one"), (1, 2)))
    add(("ft-validate-mixed", "int", ["i", "f"], lambda: FunctionTransformer(np.square, validate=True,
                                                                              feature_names_out="one-to-one"), (1, 2)))
    add(("ft-validate-num", "num", ["x"], lambda: FunctionTransformer(np.log1p, validate=True,
                                                                            feature_names_out="one-to-one"), (1, 2)))
    add(("ft-expm1-names-none-inverse", "num", ["x", "n"], lambda: FunctionTransformer(
        np.expm1, inverse_func=np.log1p, check_inverse=False, accept_sparse=True), (1, 2)))
    add(("ft-identity", "num", ["x", "n"], lambda: FunctionTransformer(feature_names_out="one-to-one"), (1, 2)))
    add(("ft-log1p-std", "posf", ["x"], lambda: Pipeline([("f", FunctionTransformer(np.log1p)),
                                                          ("s", StandardScaler())]), (1, 2)))
    add(("ft-exp-minmax", "posf", ["x"], lambda: Pipeline([("f", FunctionTransformer(np.exp)),
                                                          ("s", MinMaxScaler())]), (1, 2)))
    add(("ft-log-robust", "posf", ["x"], lambda: Pipeline([("f", FunctionTransformer(np.log)),
                                                          ("s", RobustScaler())]), (1, 2)))
    add(("ft-tanh-maxabs", "posf", ["x"], lambda: Pipeline([("f", FunctionTransformer(np.tanh)),
                                                           ("s", MaxAbsScaler())]), (1, 2)))
    return out


def transform_or_none(est, df):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = est.transform(df)
    except (ValueError, TypeError):
        return None
    out = np.asarray(out)
    if out.dtype == object:
        return out
    return out.astype(np.float64)


def encode(out):
    """Object outputs (strings) are stored as JSON; numeric ones as float64."""
    return out if out.dtype != object else None


def write_case(name, frame, cols, make):
    train, fresh = FRAMES[frame][0]()[cols], FRAMES[frame][1]()[cols]
    est = make()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            est.fit(train)
        except (ValueError, TypeError) as e:
            print(f"  {name}: not fitted: {e}")
            return
    d = os.path.join(HERE, f"sklearn-{VERSION}", name)
    os.makedirs(d, exist_ok=True)
    sio.dump(est, os.path.join(d, "preprocessor.skops"))
    full = transform_or_none(est, fresh)
    meta = {"frame": frame, "columns": cols, "full_ok": full is not None}
    rows, ok, obj_rows = [], [], []
    for i in range(len(fresh)):
        r = transform_or_none(est, fresh.iloc[[i]])
        ok.append(r is not None)
        obj_rows.append(None if r is None else [None if v is None or v != v else v for v in r[0].tolist()]
                        if r.dtype == object else None)
        rows.append(r)
    width = next((r.shape[1] for r in rows if r is not None), full.shape[1] if full is not None else 0)
    if full is not None and full.dtype == object or any(r is not None and r.dtype == object for r in rows):
        meta["object_rows"] = obj_rows
        meta["object_full"] = None if full is None else [[None if v is None or v != v else v for v in row]
                                                        for row in full.tolist()]
    else:
        if full is not None:
            np.save(os.path.join(d, "expected.npy"), np.ascontiguousarray(full))
        arr = np.full((len(fresh), width), np.nan)
        for i, r in enumerate(rows):
            if r is not None:
                arr[i] = r[0]
        np.save(os.path.join(d, "rows.npy"), arr)
    meta["rows_ok"] = ok
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(meta, f, indent=1)


def write_frames():
    d = os.path.join(HERE, "frames")
    os.makedirs(d, exist_ok=True)
    for name, (_, fresh) in FRAMES.items():
        if name == "objnone":
            continue  # the same parquet as obj: a null is None and NaN alike
        if name == "intn":  # written as nullable int64 (the values are integers), read back by pandas as float64
            fresh().astype("Int64").to_parquet(os.path.join(d, f"{name}.parquet"), index=False)
            continue
        fresh().to_parquet(os.path.join(d, f"{name}.parquet"), index=False)


def write_ufuncs():
    """numpy's float64 results on values spanning every magnitude and the domain edges."""
    rng = np.random.default_rng(12)
    special = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, np.nan, np.inf, -np.inf, 709.78, 710.0, -745.2,
               -746.0, 1e300, -1e300, 5e-324, 2.0**-1022, 1e-20, -1e-20, 0.9999999999999999, 1.0000000000000002,
               np.pi, np.pi / 2, 1e22, 2.0**60, 3.0, 8.0, 1024.0, 1e-5, 100.0, 1000.0, 44.5, -44.5, 19.0, 20.0]
    mags = np.concatenate([rng.uniform(-1, 1, 1500), rng.uniform(-50, 50, 1500), rng.uniform(-750, 750, 800),
                           np.exp(rng.uniform(-700, 700, 800)) * rng.choice([-1, 1], 800),
                           rng.uniform(0.9, 1.1, 400)])
    x = np.concatenate([special, mags]).astype(np.float64)
    d = os.path.join(HERE, "ufunc")
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, "inputs.npy"), x)
    with np.errstate(all="ignore"):
        for u in UFUNCS:
            np.save(os.path.join(d, f"{u}.npy"), getattr(np, u)(x).astype(np.float64))
        bools = np.array([False, True])
        table = {}
        for u in UFUNCS:
            try:
                r = getattr(np, u)(bools)
                table[u] = {"dtype": str(r.dtype), "values": [float(v) for v in r.astype(np.float64)]}
            except TypeError:
                table[u] = {"dtype": "error", "values": []}
    with open(os.path.join(d, "bool.json"), "w") as f:
        json.dump({"numpy": np.__version__, "results": table}, f, indent=1)


def write_refused():
    """Estimators scikit-learn fits that tabscore refuses, each naming the reason (SurfaceFixtureTest)."""
    d = os.path.join(HERE, "refused")
    os.makedirs(d, exist_ok=True)
    train = train_obj(None)[["c", "d"]]
    est = SimpleImputer(missing_values=pd.NA, strategy="most_frequent").fit(train)
    sio.dump(est, os.path.join(d, "imp-mv-pdna.skops"))
    est = FunctionTransformer(np.log1p, kw_args={"dtype": "float32"}, feature_names_out="one-to-one")
    sio.dump(est.fit(train_pos()), os.path.join(d, "ft-kw-args.skops"))


def main():
    """Writes every case, or only the cases named on the command line (keeps the other files as they are)."""
    only = set(sys.argv[1:])
    if VERSION == "1.9.1" and not only:
        write_frames()
        write_ufuncs()
        write_refused()
    for name, frame, cols, make, since in cases():
        if NEW >= since and (not only or name in only):
            write_case(name, frame, cols, make)
    with open(os.path.join(HERE, f"sklearn-{VERSION}", "VERSIONS.json"), "w") as f:
        json.dump({"sklearn": VERSION, "skops": sio.__name__ and __import__("skops").__version__,
                   "numpy": np.__version__, "pandas": pd.__version__}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
