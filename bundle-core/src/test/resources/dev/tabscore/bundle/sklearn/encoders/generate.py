"""Writes the encoder fixtures of EncoderFixturesTest: small OneHotEncoder, OrdinalEncoder and
KBinsDiscretizer graphs fitted by the scikit-learn that runs this script, each saved with skops
next to a JSON file holding fresh rows (unseen categories, NaN, '', case and whitespace variants,
values at and next to bin edges, +-inf) and what scikit-learn's transform gives for each row on
its own: the feature values (repr, exact) or "error" when scikit-learn raises. A graph that
tabscore must refuse carries "refused": a fragment of the expected message instead of rows.

    python3 generate.py              # scikit-learn 1.9.1 (system: skops 0.14, numpy 2.4)
    /work/venvs/sk-<v>/bin/python generate.py    # the other releases, same cases where they exist

The committed sets were written with 1.2.2, 1.3.2, 1.5.2, 1.6.1 (skops 0.10, numpy 1.26), 1.4.2
(skops 0.11), 1.7.2 and 1.8.0 (skops 0.13, numpy 2.3) and 1.9.1; each writes sklearn-<version>/.
(The 1.8.0 venv's pyarrow needed numpy 2 at the time; PYTHONPATH pointing at a stub pyarrow.py
that raises ModuleNotFoundError lets scikit-learn import without it.) For encoders the JSON also
holds "unknown": per row, whether scikit-learn's _check_unknown finds a non-missing value outside
categories_, which the data-quality side (KnownCategories) must agree with.

    python3 generate.py --sweep COUNT SEED OUTDIR/sklearn-<v>   # random cases, not committed;
    mvn -pl bundle-core test -Dtest=EncoderFixturesTest -Dencoders.dir=OUTDIR    # replays them

Missing string values are fed to scikit-learn as np.nan (tabscore's convention, FORMATS.md §6),
int columns with nulls as float64 (as pandas reads them), bools with nulls as object.
"""
import inspect
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd
import sklearn
import skops.io as sio
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder, OrdinalEncoder

warnings.simplefilter("ignore")
V = tuple(int(x) for x in sklearn.__version__.split(".")[:2])
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sklearn-" + sklearn.__version__)
NAN = np.nan


def has_param(cls, name):
    return name in inspect.signature(cls.__init__).parameters


def lazy(make):
    """Estimators are built when their case runs, so cases of later releases can name options
    an older release lacks."""
    make.lazy = True
    return make


def ohe(**kw):
    return lazy(lambda: make_ohe(**kw))


def ordn(**kw):
    return lazy(lambda: OrdinalEncoder(**kw))


def make_ohe(**kw):
    if "sparse_output" in kw and not has_param(OneHotEncoder, "sparse_output"):
        kw["sparse"] = kw.pop("sparse_output")
    if "sparse_output" not in kw and "sparse" not in kw:
        kw["sparse_output" if has_param(OneHotEncoder, "sparse_output") else "sparse"] = False
    return OneHotEncoder(**kw)


def frame(cols):
    """cols: name -> (kind, values). kind: str, float, int, bool (None = missing)."""
    data = {}
    for name, (kind, values) in cols.items():
        if kind == "str":
            data[name] = pd.Series([NAN if v is None else v for v in values], dtype=object)
        elif kind == "pystr":  # None kept as Python None: what a frame read from Parquet holds
            data[name] = pd.Series(list(values), dtype=object)
        elif kind == "float":
            data[name] = pd.Series([NAN if v is None else v for v in values], dtype="float64")
        elif kind == "int":
            if any(v is None for v in values):
                data[name] = pd.Series([NAN if v is None else float(v) for v in values],
                                       dtype="float64")
            else:
                data[name] = pd.Series(values, dtype="int64")
        elif kind == "bool":
            if any(v is None for v in values):
                data[name] = pd.Series([NAN if v is None else v for v in values], dtype=object)
            else:
                data[name] = pd.Series(values, dtype=bool)
        else:
            raise ValueError(kind)
    return pd.DataFrame(data)


def enc_value(v):
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, float) or isinstance(v, np.floating):
        return repr(float(v)).replace("nan", "NaN").replace("inf", "Infinity")
    return v


def java_double(v):
    """repr of a float as Java's Double.parseDouble reads it (NaN, Infinity)."""
    return repr(float(v)).replace("nan", "NaN").replace("inf", "Infinity")


def unknown_rows(est, T):
    """Per row: does some column hold a value, not missing, outside categories_ (what the data
    quality side counts as an unknown category, whatever handle_unknown does with it)."""
    from sklearn.utils._encode import _check_unknown
    out = []
    for r in range(len(T)):
        flag = False
        for j, c in enumerate(T.columns):
            v = T[c].iloc[r]
            if pd.isna(v):
                continue
            cats = est.categories_[j]
            flag |= len(_check_unknown(np.array([v], dtype=cats.dtype if cats.dtype.kind != "O"
                                                  else object), cats)) > 0
        out.append(bool(flag))
    return out


def dense(x):
    return x.toarray() if hasattr(x, "toarray") else np.asarray(x)


CASES = []


def case(name, est, train, test, min_version=(1, 2), refused=None, reason="UNSUPPORTED_OPTION"):
    CASES.append((name, est, train, test, min_version, (refused, reason) if refused else None))


def write(name, est, train, test, refused):
    X = frame(train)
    if getattr(est, "lazy", False):
        est = est()
    est.fit(X)
    tp = os.path.join(OUT, name + ".skops")
    sio.dump(est, tp)
    doc = {"case": name, "sklearn": sklearn.__version__, "estimator": repr(est)}
    if refused:
        doc["refused"], doc["refused_reason"] = refused
    else:
        if callable(test):
            test = test(est)
        T = frame(test)
        rows = []
        for r in range(len(T)):
            try:
                y = dense(est.transform(T.iloc[[r]]))[0]
                rows.append({"dtype": str(y.dtype),
                             "values": [java_double(v) for v in y]})
            except ValueError as e:
                rows.append({"error": str(e).splitlines()[0][:200]})
        doc["features"] = [str(f) for f in est.get_feature_names_out()]
        if isinstance(est, (OneHotEncoder, OrdinalEncoder)):
            doc["unknown"] = unknown_rows(est, T)
        doc["input"] = {c: {"kind": "pystr" if k == "str" else k,
                            "values": [enc_value(v) for v in vals]}
                        for c, (k, vals) in test.items()}
        doc["rows"] = rows
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")


# ---- shared frames ----------------------------------------------------------------------
CITY = ["Paris", "paris", "Paris ", "Lyon", "Lyon", "Lyon", "Nice", "Nice", "", None, "Oslo",
        "Paris", "Paris", "Lyon"]
CITY_TEST = ["Paris", "paris", "PARIS", " Paris", "Paris ", "", " ", None, "Rome", "Oslo",
             "Nice", "Lyon", "nan", "None"]
WEEK = [0, 1, 2, 2, 3, 3, 3, 4, 5, 6, 6, 6, 6, 1]
WEEK_TEST = [0, 3, 6, 7, -1, 2, 4, 5, 1, 3, 6, 0, 2, 1]
WEEK_NULL = [0, 1, None, 2, 3, 3, None, 4, 5, 6, 6, 6, 6, 1]
WEEK_NULL_TEST = [0, None, 7, 3, 2, 6, 1, 5, None, 4, 3, 0, 6, 2]
FLAG = [True, False, True, True, None, False, True, True, False, True, None, True, False, True]
FLAG_TEST = [True, False, None, True, False, None, True, True, False, False, True, None, True, True]

OHE_COLS = {"city": ("str", CITY), "week": ("int", WEEK)}
OHE_TEST = {"city": ("str", CITY_TEST), "week": ("int", WEEK_TEST)}

# ---- OneHotEncoder ----------------------------------------------------------------------
for dt, label in [(np.float32, "float32"), (np.int8, "int8"), (np.int64, "int64"),
                  (bool, "bool"), (np.uint8, "uint8"), (float, "pyfloat")]:
    case("ohe_dtype_" + label, ohe(handle_unknown="ignore", dtype=dt), OHE_COLS, OHE_TEST)
case("ohe_dtype_str_f4", ohe(handle_unknown="ignore", dtype="f4"), OHE_COLS, OHE_TEST)
case("ohe_dtype_float16", ohe(handle_unknown="ignore", dtype=np.float16), OHE_COLS, None,
     refused="float16")  # fits, but scipy.sparse refuses float16 at every transform
case("ohe_sparse_default", lazy(lambda: OneHotEncoder(handle_unknown="ignore")), OHE_COLS, OHE_TEST)
case("ohe_sparse_infrequent", lazy(lambda: OneHotEncoder(handle_unknown="infrequent_if_exist",
                                                         min_frequency=2)), OHE_COLS, OHE_TEST)
case("ohe_error", ohe(), OHE_COLS, OHE_TEST)
case("ohe_error_unseen_nan", ohe(), {"week": ("int", WEEK)}, {"week": ("int", WEEK_NULL_TEST)})
case("ohe_warn", ohe(handle_unknown="warn", max_categories=4), OHE_COLS, OHE_TEST,
     min_version=(1, 6))
case("ohe_drop_explicit", ohe(drop=["Lyon", 3], handle_unknown="ignore"), OHE_COLS, OHE_TEST)
case("ohe_drop_explicit_nan", ohe(drop=[NAN, 6], handle_unknown="ignore"), OHE_COLS, OHE_TEST)
case("ohe_drop_explicit_infrequent", ohe(drop=["Lyon", 6], handle_unknown="infrequent_if_exist",
                                         min_frequency=2), OHE_COLS, OHE_TEST)
case("ohe_drop_first_infrequent", ohe(drop="first", handle_unknown="infrequent_if_exist",
                                      max_categories=3), OHE_COLS, OHE_TEST)
case("ohe_drop_if_binary_infrequent",
     ohe(drop="if_binary", handle_unknown="infrequent_if_exist", max_categories=2),
     OHE_COLS, OHE_TEST)
case("ohe_drop_first_dropped_is_infrequent",
     ohe(drop="first", handle_unknown="infrequent_if_exist", min_frequency=3),
     {"city": ("str", ["", "a", "b", "b", "b", "c", "c", "c"])},
     {"city": ("str", ["", "a", "b", "c", "d", None])})
case("ohe_categories_explicit",
     ohe(categories=[["Paris", "Lyon", "Nice", "", "Oslo", "paris", "Paris ", NAN],
                     [0, 1, 2, 3, 4, 5, 6]], handle_unknown="ignore"),
     OHE_COLS, OHE_TEST)
case("ohe_categories_explicit_numeric_nan",
     ohe(categories=[[0.0, 2.0, 4.0, 6.0, NAN]], handle_unknown="ignore", drop="first"),
     {"week": ("int", WEEK_NULL)}, {"week": ("int", WEEK_NULL_TEST)})
case("ohe_int_with_nulls", ohe(handle_unknown="infrequent_if_exist", min_frequency=2),
     {"week": ("int", WEEK_NULL)}, {"week": ("int", WEEK_NULL_TEST)})
case("ohe_bool", ohe(handle_unknown="ignore"), {"flag": ("bool", FLAG)},
     {"flag": ("bool", FLAG_TEST)})
case("ohe_bool_no_nulls", ohe(handle_unknown="error", drop="if_binary"),
     {"flag": ("bool", [True, False, True])}, {"flag": ("bool", [False, True, True])})
BIG = 2 ** 62
HUGE = [BIG, BIG + 1, BIG + 2, -BIG, 2 ** 53 + 1, 2 ** 53, 7, BIG, 7]
HUGE_TEST = [BIG, BIG + 1, BIG + 3, -BIG, -BIG - 1, 2 ** 53 + 1, 2 ** 53 + 2, 7, 8,
             2 ** 63 - 1]
case("ohe_int64_beyond_2p53", ohe(handle_unknown="ignore"), {"id": ("int", HUGE)},
     {"id": ("int", HUGE_TEST)})
case("ord_int64_beyond_2p53", ordn(handle_unknown="use_encoded_value", unknown_value=-1),
     {"id": ("int", HUGE)}, {"id": ("int", HUGE_TEST)})
case("ohe_none_category", ohe(handle_unknown="ignore"),
     {"city": ("pystr", ["a", None, "b", "a"])}, None, refused="None")
case("ohe_none_and_nan_category", ohe(handle_unknown="ignore"),
     {"city": ("pystr", ["a", None, NAN, "b"])}, None, refused="None")
# a callable combiner: refused, naming it (a trusted numpy ufunc reaches the encoder's check;
# an arbitrary function is already refused by the reader as an untrusted type, exit 16)
case("ohe_feature_name_combiner_ufunc", ohe(feature_name_combiner=np.log1p), OHE_COLS, None,
     min_version=(1, 3), refused="feature_name_combiner")
case("ohe_feature_name_combiner_untrusted", ohe(feature_name_combiner=np.char.add), OHE_COLS,
     None, min_version=(1, 3), refused="feature_name_combiner", reason="UNTRUSTED_TYPE")

# ---- OrdinalEncoder ---------------------------------------------------------------------
case("ord_default", ordn(), OHE_COLS, OHE_TEST)
case("ord_use_encoded", ordn(handle_unknown="use_encoded_value", unknown_value=-1),
     OHE_COLS, OHE_TEST)
case("ord_float32_big_values",
     ordn(handle_unknown="use_encoded_value", unknown_value=16777217,
                    encoded_missing_value=-16777219, dtype=np.float32), OHE_COLS, OHE_TEST)
case("ord_float64_nan_unknown",
     ordn(handle_unknown="use_encoded_value", unknown_value=NAN), OHE_COLS, OHE_TEST)
case("ord_int8", ordn(handle_unknown="use_encoded_value", unknown_value=-1,
                                encoded_missing_value=-2, dtype=np.int8), OHE_COLS, OHE_TEST)
case("ord_int8_wraps",
     ordn(handle_unknown="use_encoded_value", unknown_value=-1, dtype=np.int8),
     {"n": ("int", list(range(300)))}, {"n": ("int", [0, 127, 128, 200, 255, 256, 299, 300])})
case("ord_int64_missing",
     ordn(handle_unknown="use_encoded_value", unknown_value=-1,
                    encoded_missing_value=-9, dtype=np.int64),
     {"week": ("int", WEEK_NULL)}, {"week": ("int", WEEK_NULL_TEST)})
case("ord_dtype_str", ordn(handle_unknown="use_encoded_value", unknown_value=16777217,
                           dtype="float32"), OHE_COLS, OHE_TEST)
case("ord_float16", ordn(handle_unknown="use_encoded_value", unknown_value=4097,
                         encoded_missing_value=-70000, dtype=np.float16), OHE_COLS, OHE_TEST)
case("ord_bool_dtype", ordn(handle_unknown="use_encoded_value", unknown_value=-1,
                            encoded_missing_value=-2, dtype=bool), OHE_COLS, OHE_TEST)
case("ord_min_frequency",
     ordn(handle_unknown="use_encoded_value", unknown_value=-1, min_frequency=2),
     OHE_COLS, OHE_TEST, min_version=(1, 3))
case("ord_max_categories",
     ordn(handle_unknown="use_encoded_value", unknown_value=99, max_categories=3,
                    encoded_missing_value=-5),
     OHE_COLS, OHE_TEST, min_version=(1, 3))
case("ord_max_categories_error", ordn(max_categories=2),
     {"week": ("int", WEEK_NULL)}, {"week": ("int", WEEK_NULL_TEST)}, min_version=(1, 3))
case("ord_categories_explicit",
     ordn(categories=[["Paris", "Lyon", "Nice", "", "Oslo", "paris", "Paris ", NAN],
                                [0, 1, 2, 3, 4, 5, 6]],
                    handle_unknown="use_encoded_value", unknown_value=-1),
     OHE_COLS, OHE_TEST)
case("ord_bool", ordn(handle_unknown="use_encoded_value", unknown_value=-1),
     {"flag": ("bool", FLAG)}, {"flag": ("bool", FLAG_TEST)})
case("ord_none_category", ordn(), {"city": ("pystr", ["a", None, "b"])}, None,
     refused="None")

# ---- KBinsDiscretizer -------------------------------------------------------------------
RNG = np.random.RandomState(7)
X1 = np.round(RNG.normal(10, 3, 60), 3).tolist()
X2 = [1.0] * 30 + [2.0] * 20 + [3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0]
CONST = [4.25] * 60
NEAR = [5.0] * 59 + [5.0 + 4e-9]
KB_COLS = {"x": ("float", X1), "t": ("float", X2)}


def edge_rows(est, cols=("x", "t"), extra=()):
    """Every edge, its neighbours and float32 neighbours, the training extremes, +-inf, NaN."""
    per = []
    for j, name in enumerate(cols):
        vals = []
        for e in est.bin_edges_[j]:
            if np.isfinite(e):
                f32 = float(np.float32(e))
                vals += [float(e), float(np.nextafter(e, -np.inf)),
                         float(np.nextafter(e, np.inf)), f32,
                         float(np.nextafter(np.float32(e), np.float32(np.inf)))]
        vals += [-1e300, 1e300, 3.5e38, 3.5e39, 0.0, -0.0] + list(extra)
        per.append(vals)
    n = max(len(v) for v in per) + 3
    out = {}
    for j, name in enumerate(cols):
        v = per[j] + [0.0] * (n - 3 - len(per[j]))
        v += [np.inf, -np.inf, NAN] if j == 0 else [v[0], v[1], v[2]]
        out[name] = ("float", v)
    return out


def kb(**kw):
    return lazy(lambda: make_kb(**kw))


def make_kb(**kw):
    if V >= (1, 7) and "quantile_method" not in kw and kw.get("strategy", "quantile") == "quantile":
        kw["quantile_method"] = "averaged_inverted_cdf"
    if V < (1, 5) and "subsample" not in kw:
        kw["subsample"] = None
    return KBinsDiscretizer(**kw)


for enc in ["ordinal", "onehot-dense", "onehot"]:
    for strat in ["uniform", "quantile", "kmeans"]:
        case("kb_%s_%s" % (enc.replace("-", "_"), strat), kb(n_bins=4, encode=enc,
                                                             strategy=strat),
             KB_COLS, lambda est: edge_rows(est))
case("kb_float32_ordinal", kb(n_bins=5, encode="ordinal", strategy="uniform", dtype=np.float32),
     {"x": ("float", [0.0, 0.1, 0.7, 1.0, 0.3]), "t": ("float", X2[:5])},
     lambda est: edge_rows(est))
case("kb_float32_onehot_dense", kb(n_bins=3, encode="onehot-dense", strategy="quantile",
                                   dtype=np.float32), KB_COLS, lambda est: edge_rows(est))
case("kb_float64_dtype", kb(n_bins=3, encode="onehot", strategy="kmeans", dtype=np.float64),
     KB_COLS, lambda est: edge_rows(est))
case("kb_constant_column", kb(n_bins=3, encode="onehot-dense", strategy="quantile"),
     {"x": ("float", X1), "t": ("float", CONST)}, lambda est: edge_rows(est))
case("kb_near_constant_kmeans", kb(n_bins=3, encode="ordinal", strategy="kmeans"),
     {"x": ("float", X1), "t": ("float", NEAR)}, lambda est: edge_rows(est, extra=(5.0, 5.1)))
case("kb_near_constant_quantile", kb(n_bins=3, encode="ordinal", strategy="quantile"),
     {"x": ("float", X1), "t": ("float", NEAR)}, lambda est: edge_rows(est, extra=(5.0, 5.1)))
case("kb_duplicate_edges", kb(n_bins=6, encode="onehot-dense", strategy="quantile"),
     KB_COLS, lambda est: edge_rows(est))
case("kb_quantile_linear", kb(n_bins=4, encode="ordinal", strategy="quantile",
                              quantile_method="linear"), KB_COLS, lambda est: edge_rows(est),
     min_version=(1, 7))
case("kb_quantile_inverted_cdf", kb(n_bins=4, encode="onehot-dense", strategy="quantile",
                                    quantile_method="inverted_cdf"),
     KB_COLS, lambda est: edge_rows(est), min_version=(1, 7))
case("kb_subsample", kb(n_bins=4, encode="ordinal", strategy="quantile", subsample=20,
                        random_state=0), KB_COLS, lambda est: edge_rows(est))
case("kb_in_column_transformer",
     lazy(lambda: ColumnTransformer(
         [("kb", make_kb(n_bins=3, encode="onehot", strategy="uniform"), ["x"]),
          ("oh", OneHotEncoder(handle_unknown="ignore"), ["t"])], sparse_threshold=0.0)),
     KB_COLS, lambda est: with_t(edge_rows(est.named_transformers_["kb"], cols=("x",))))


def with_t(rows):
    """Adds the one-hot column t (1.0, 2.0 known; 99.0 and NaN unseen) to KBins edge rows."""
    n = len(rows["x"][1])
    rows["t"] = ("float", ([1.0, 2.0, 99.0, NAN] * n)[:n])
    return rows


VOCAB = ["a", "A", "a ", " a", "b", "B", "", " ", "c", "nan", "None", "é", "d", "e"]


def random_column(rng, n, kind):
    if kind == "str":
        vals = [str(v) for v in rng.choice(VOCAB[:rng.randint(2, 10)], n)]
        return ("str", [None if rng.rand() < 0.15 else v for v in vals])
    if kind == "int":
        vals = [int(v) for v in rng.randint(-3, rng.randint(1, 8), n)]
        return ("int", [None if rng.rand() < 0.1 else v for v in vals])
    if kind == "bool":
        return ("bool", [None if rng.rand() < 0.1 else bool(v) for v in rng.randint(0, 2, n)])
    vals = np.round(rng.normal(0, rng.choice([1e-9, 1, 1e6]), n), rng.randint(0, 4))
    return ("float", [float(v) for v in vals])


def pick(rng, options):
    """A random element, keeping its Python type (int stays int)."""
    return options[rng.randint(len(options))]


def random_case(rng, i):
    """One random encoder over random columns, for the long sweep (not committed)."""
    which = rng.choice(["ohe", "ord", "kb"])
    n = rng.randint(8, 40)
    if which == "kb":
        cols = {"x%d" % j: random_column(rng, n, "float") for j in range(rng.randint(1, 3))}
        kw = dict(n_bins=int(rng.randint(2, 7)), encode=str(rng.choice(
            ["ordinal", "onehot", "onehot-dense"])), strategy=str(rng.choice(
                ["uniform", "quantile", "kmeans"])))
        if rng.rand() < 0.3:
            kw["dtype"] = np.float32
        if V >= (1, 7) and kw["strategy"] == "quantile":
            kw["quantile_method"] = str(rng.choice(["linear", "averaged_inverted_cdf",
                                                    "inverted_cdf", "hazen", "closest_observation"]))
        est = make_kb(**kw)

        def test(e, cols=cols):
            rows = edge_rows(e, cols=tuple(cols))
            return rows
    else:
        kinds = [rng.choice(["str", "str", "int", "bool"]) for _ in range(rng.randint(1, 3))]
        cols = {"c%d" % j: random_column(rng, n, k) for j, k in enumerate(kinds)}
        kw = {}
        if rng.rand() < 0.4:
            kw["min_frequency"] = pick(rng, [1, 2, 3, 0.1, 0.25])
        if rng.rand() < 0.3:
            kw["max_categories"] = int(rng.randint(2, 5))
        if which == "ord" and V < (1, 3):
            kw = {}
        if rng.rand() < 0.4:
            kw["dtype"] = rng.choice([np.float32, np.float16, np.int8, np.int64, np.float64])
            if which == "ohe" and kw["dtype"] is np.float16:
                kw["dtype"] = np.uint8
        if which == "ohe":
            kw["handle_unknown"] = str(rng.choice(
                ["error", "ignore", "infrequent_if_exist"] + (["warn"] if V >= (1, 6) else [])))
            kw["drop"] = rng.choice([None, "first", "if_binary"])
            kw["sparse_output"] = bool(rng.rand() < 0.5)
            est = make_ohe(**kw)
        else:
            if rng.rand() < 0.7:
                kw["handle_unknown"] = "use_encoded_value"
                kw["unknown_value"] = pick(rng, [-1, 99, np.nan])
                if np.isnan(kw["unknown_value"]) and np.dtype(kw.get("dtype", float)).kind != "f":
                    kw["unknown_value"] = -1
            if rng.rand() < 0.5 or np.dtype(kw.get("dtype", float)).kind != "f":
                kw["encoded_missing_value"] = pick(rng, [-2, -7, 50])
            est = OrdinalEncoder(**kw)

        def test(e, cols=cols, n=n):
            return {c: random_column(rng, 12, k) for c, (k, _) in cols.items()}
    return "random_%04d_%s" % (i, which), est, cols, test


def sweep(count, seed, out):
    global OUT
    OUT = out
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(seed)
    done = skipped = 0
    reasons = {}
    for i in range(count):
        name, est, train, test = random_case(rng, i)
        try:
            write(name, est, train, test, None)
            done += 1
        except (ValueError, TypeError) as e:  # scikit-learn refused the fit: not a case
            skipped += 1
            reasons[str(e)[:60]] = reasons.get(str(e)[:60], 0) + 1
            for ext in (".skops", ".json"):
                if os.path.exists(os.path.join(OUT, name + ext)):
                    os.remove(os.path.join(OUT, name + ext))
    print("sweep: wrote", done, "random cases to", OUT, "(", skipped, "not fitted:", reasons, ")")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--sweep":
        # python3 generate.py --sweep COUNT SEED OUTDIR: random cases for
        # mvn ... -Dtest=EncoderFixturesTest -Dencoders.dir=OUTDIR
        sweep(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
        return
    os.makedirs(OUT, exist_ok=True)
    n = 0
    for name, est, train, test, min_version, refused in CASES:
        if V < min_version:
            continue
        write(name, est, train, test, refused)
        n += 1
    print("wrote", n, "cases to", OUT)


if __name__ == "__main__":
    main()
