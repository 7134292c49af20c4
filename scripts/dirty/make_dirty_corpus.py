#!/usr/bin/env python3
"""Build the dirty-data corpus (issue 8, item 4): a small bundle, one Parquet input per schema variant, and
``expected.json`` holding, per row, what scikit-learn does with those values and what tabscore must do.

    OUT_DIR/
      bundle/                      export_bundle of a ColumnTransformer over age, income (median imputer + scaler),
                                   score (remainder="passthrough": Inf and NaN reach the model), region, channel
                                   (most_frequent imputer + one-hot, handle_unknown="ignore"; "" is a trained
                                   channel category, not a region one); 12 features; a 12-8-1 ReLU MLP (binary,
                                   sigmoid head)
      typed.parquet                the contract's own types: NaN / +-Inf / null / extreme doubles, null vs "",
                                   unicode, case and whitespace variants, strings that look like NA, 100k-char strings
      numeric_as_string.parquet    age (imputed) and score (passthrough) stored as strings: what float(str) accepts,
                                   rejects, and parses to nan / inf
      decimal.parquet              age decimal(38,18), score decimal(20,10)
      int_as_double.parquet        income int64 (the allowed int -> double coercion; 2^53 + 1 rounds)
      timestamp.parquet            age timestamp[us, UTC]          (schema refused, exit 30)
      timestamp_ntz.parquet        age timestamp[us] (no zone)     (schema refused, exit 30)
      date.parquet                 income date32                   (schema refused, exit 30)
      nested_array.parquet         age list<double>                (schema refused, exit 30)
      nested_struct.parquet        region struct<name, code>       (schema refused, exit 30)
      nested_map.parquet           channel map<string, string>     (schema refused, exit 30)
      expected.json                per file and case: raw values, what scikit-learn does, what tabscore must do
      README.md                    the files and cases, and expected.json's structure (generated too)

The Python reference for a row is the repository's golden-batch reading: ``pandas.read_parquet`` (pyarrow), then
None -> NaN in object columns (``tabscore_export.sklearn_frame``; scikit-learn treats only NaN as missing there),
that single row through ``preprocessor.transform``, the result as float64, the float32 forward pass and the sigmoid
(``forward_float32`` / ``model_columns``, as the exporter computes golden outputs). Where reading without the
None -> NaN step gives another result, the case also records ``sklearn_without_none_to_nan``.

The MLP is trained (Adam, fixed seeds, one thread), then every weight is rounded to a multiple of 2^-7 so that the
exported weights do not depend on the CPU's float rounding during training. Everything in expected.json is then the
same on every run; the bundle's .skops and TorchScript bytes (and so its artifact hashes) are not.

Usage: ``python scripts/dirty/make_dirty_corpus.py OUT_DIR`` (the committed copy lives in
``spark-job/src/test/resources/dirty/``; ``--check`` compares a fresh expected.json with the one in OUT_DIR).
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import json
import math
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import torch
from sklearn.compose import ColumnTransformer
from sklearn.metrics import roc_auc_score

import tabscore_export as tx
from tabscore_export import recipes

FORMAT = 1
SEED = 20261108
TRAIN_ROWS = 600
EPOCHS = 40
WEIGHT_GRID = 2.0**-7
CREATED_AT = "2026-11-08T00:00:00Z"
BUNDLE_NAME = "dirty-corpus"
BUNDLE_VERSION = "1.0.0"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "spark-job" / "src" / "test" / "resources" / "dirty"

INPUTS = ["age", "income", "score", "region", "channel"]
TARGET = "label"
REGIONS = ["north", "south", "east", "west", "caf\u00e9"]  # café in NFC
CHANNELS = ["web", "store", "phone", ""]  # "" is a trained category of channel
BASE = {"age": 41.5, "income": 52000.0, "score": 0.25, "region": "north", "channel": "web"}
LONG = 100_000  # characters of the very long strings
INLINE_MAX = 256  # longer strings are written in expected.json as {"prefix", "repeat", "times"}

F64, STR, I64 = pa.float64(), pa.string(), pa.int64()
TYPED_SCHEMA = {"age": F64, "income": F64, "score": F64, "region": STR, "channel": STR}
INF, NAN = math.inf, math.nan


# ---------------------------------------------------------------------------------------------------------------
# The bundle
# ---------------------------------------------------------------------------------------------------------------


def training_frame(rows: int, seed: int) -> pd.DataFrame:
    """Training rows: age, income (5% NaN), score (never missing: it is passed through), region, channel (5% NaN)."""
    rng = np.random.default_rng(seed)
    age = np.round(np.clip(rng.normal(42.0, 12.0, rows), 18.0, 90.0), 1)
    income = np.round(rng.lognormal(10.8, 0.5, rows), 2)
    score = np.round(rng.normal(0.0, 1.0, rows), 3)
    region = rng.choice(np.array(REGIONS, dtype=object), rows, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    channel = rng.choice(np.array(CHANNELS, dtype=object), rows, p=[0.45, 0.25, 0.2, 0.1])
    region_effect = dict(zip(REGIONS, [0.4, -0.2, 0.1, -0.5, 0.3]))
    channel_effect = dict(zip(CHANNELS, [-0.3, 0.2, 0.6, 0.1]))
    logit = (
        -0.4
        + 0.03 * (age - 42.0)
        - 0.6 * (np.log(income) - 10.8)
        + 0.5 * score
        + np.array([region_effect[r] for r in region])
        + np.array([channel_effect[c] for c in channel])
        + rng.normal(0.0, 0.5, rows)
    )
    label = (rng.random(rows) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int64)
    frame = pd.DataFrame(
        {"age": age, "income": income, "score": score, "region": region, "channel": channel, TARGET: label}
    )
    for col, rate in (("age", 0.05), ("income", 0.05), ("region", 0.05), ("channel", 0.05)):
        values = frame[col].to_numpy(dtype=object if frame[col].dtype == object else np.float64).copy()
        values[rng.random(rows) < rate] = np.nan
        frame[col] = values
    return frame


def preprocessor() -> ColumnTransformer:
    # the seed recipe, with `score` under remainder="passthrough" so that NaN and +-Inf reach the model
    return recipes.churn_preprocessor(remainder="passthrough")


def train(seed: int = SEED) -> tuple[ColumnTransformer, torch.nn.Module, pd.DataFrame, dict[str, float]]:
    """Fit the preprocessor, train the MLP, round its weights to the grid."""
    torch.set_num_threads(1)
    frame = training_frame(TRAIN_ROWS, seed)
    pre = preprocessor()
    features = pre.fit_transform(frame[INPUTS])
    torch.manual_seed(seed)
    model = recipes.mlp(features.shape[1], (8,), 1)
    y = frame[TARGET].to_numpy()
    metrics = recipes.train_mlp(
        model, np.asarray(features, dtype=np.float64), y, "binary", epochs=EPOCHS, lr=1e-2, batch_size=64, seed=seed + 1
    )
    with torch.no_grad():
        for param in model.parameters():
            param.copy_(torch.round(param / WEIGHT_GRID) * WEIGHT_GRID)
    model.eval()
    logits = tx.forward_float32(model, features)
    metrics = {"epochs": EPOCHS, "weight_grid": WEIGHT_GRID, "train_auc": float(roc_auc_score(y, logits[:, 0]))}
    return pre, model, frame, metrics


# ---------------------------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    description: str
    values: dict[str, Any]  # the columns that differ from BASE
    tabscore: tuple[str, ...] = ("scored",)  # ("scored",) or ("rejected", reason, column, ...more columns)

    def row(self) -> dict[str, Any]:
        return {**BASE, **self.values}


@dataclass
class InputFile:
    name: str
    description: str
    types: dict[str, pa.DataType]  # the contract columns whose type differs from TYPED_SCHEMA
    cases: list[Case]
    refused_column: str | None = None  # the whole file is refused (schema) naming this column
    first_id: int = 1
    base: dict[str, Any] = field(default_factory=dict)  # BASE overrides in this file's types

    def schema(self) -> dict[str, pa.DataType]:
        return {**TYPED_SCHEMA, **self.types}


@dataclass(frozen=True)
class LongString:
    """prefix + repeat * times: a string too long to write out in expected.json."""

    prefix: str
    repeat: str
    times: int

    def value(self) -> str:
        return self.prefix + self.repeat * self.times


def rejected(reason: str, *columns: str) -> tuple[str, ...]:
    return ("rejected", reason, *columns)


PRE = "refused_by_preprocessor"
BAD = "invalid_value"
NFD_CAFE = "cafe\u0301"
UTC = dt.timezone.utc


def typed_cases() -> list[Case]:
    inf_reject = (
        "sklearn raises (SimpleImputer/StandardScaler: 'Input X contains infinity'), failing the whole "
        "batch; tabscore rejects only this row"
    )
    return [
        Case("baseline", "a clean row: every column a trained, typical value", {}),
        Case("age_null", "null in an imputed float64 column: imputed with the training median", {"age": None}),
        Case("age_nan", "NaN (not null) in an imputed float64 column: the same as null", {"age": NAN}),
        Case("age_pos_inf", f"+Inf in an imputed column: {inf_reject}", {"age": INF}, rejected(PRE, "age")),
        Case("age_neg_inf", f"-Inf in an imputed column: {inf_reject}", {"age": -INF}, rejected(PRE, "age")),
        Case("income_null", "null income: imputed with the training median", {"income": None}),
        Case("income_pos_inf", f"+Inf income: {inf_reject}", {"income": INF}, rejected(PRE, "income")),
        Case(
            "age_and_income_inf",
            "Inf in two imputed columns: rejected naming the first in contract order " "(columns lists all)",
            {"age": INF, "income": -INF},
            rejected(PRE, "age", "income"),
        ),
        Case(
            "inf_age_and_unknown_region",
            "Inf in age and an unknown region: the Inf decides (rejected)",
            {"age": INF, "region": "atlantis"},
            rejected(PRE, "age"),
        ),
        Case(
            "age_max_double",
            "the largest double in age: finite through the scaler, but the scaled feature "
            "overflows to +Inf when rounded to float32 for the model; sklearn scores it",
            {"age": 1.7976931348623157e308},
        ),
        Case(
            "age_min_double", "the most negative double in age (float32 feature -Inf)", {"age": -1.7976931348623157e308}
        ),
        Case("age_negative_zero", "-0.0 in age", {"age": -0.0}),
        Case("age_subnormal", "the smallest subnormal double in age", {"age": 5e-324}),
        Case(
            "score_pos_inf",
            "+Inf in the passthrough column: nothing checks it, the feature is +Inf and the model "
            "runs on it; scored as sklearn does",
            {"score": INF},
        ),
        Case("score_neg_inf", "-Inf in the passthrough column: scored as sklearn does", {"score": -INF}),
        Case(
            "score_nan",
            "NaN in the passthrough column: not imputed (no imputer on that branch), the feature is NaN "
            "and so is the prediction; scored as sklearn does",
            {"score": NAN},
        ),
        Case(
            "score_null",
            "null in the passthrough column: NaN feature, NaN prediction, as sklearn does",
            {"score": None},
        ),
        Case(
            "score_large_finite",
            "1e30 in the passthrough column: finite in float32 too, the prediction " "saturates",
            {"score": 1e30},
        ),
        Case(
            "score_float32_overflow",
            "1e39 in the passthrough column: a finite double, +Inf as float32",
            {"score": 1e39},
        ),
        Case("region_null", "null region: imputed with the most frequent training region", {"region": None}),
        Case(
            "region_empty",
            '"" region: a category value like any other, never trained for region -> unknown '
            "(one-hot all zeros), not missing",
            {"region": ""},
        ),
        Case("channel_null", "null channel: imputed with the most frequent channel", {"channel": None}),
        Case(
            "channel_empty",
            '"" channel: a trained channel category, so known (its own one-hot column)',
            {"channel": ""},
        ),
        Case("channel_space", '" " channel: one space is not "" -> unknown', {"channel": " "}),
        Case("region_leading_space", '" north": compared exactly -> unknown', {"region": " north"}),
        Case("region_trailing_space", '"north " -> unknown', {"region": "north "}),
        Case("region_tab", '"north\\t" -> unknown', {"region": "north\t"}),
        Case("region_nbsp", '"north" + U+00A0 (no-break space) -> unknown', {"region": "north\u00a0"}),
        Case("region_zero_width_space", '"north" + U+200B -> unknown', {"region": "north\u200b"}),
        Case("region_nul", '"north" + U+0000 -> unknown', {"region": "north\u0000"}),
        Case("region_title_case", '"North" -> unknown (case matters)', {"region": "North"}),
        Case("region_upper_case", '"NORTH" -> unknown', {"region": "NORTH"}),
        Case("region_cafe_nfc", '"caf\u00e9" in NFC (U+00E9), as trained -> known', {"region": "caf\u00e9"}),
        Case(
            "region_cafe_nfd",
            '"cafe" + U+0301 (NFD of the trained value): not normalized -> unknown',
            {"region": NFD_CAFE},
        ),
        Case(
            "region_fullwidth",
            'full-width "\uff4e\uff4f\uff52\uff54\uff48" (U+FF4E...) -> unknown',
            {"region": "\uff4e\uff4f\uff52\uff54\uff48"},
        ),
        Case("region_cyrillic_o", '"n\u043erth" with a Cyrillic o (U+043E) -> unknown', {"region": "n\u043erth"}),
        Case(
            "region_emoji",
            "an astral-plane character (U+1F30D, a surrogate pair in Java) -> unknown",
            {"region": "\U0001f30d"},
        ),
        Case(
            "region_string_nan",
            'the string "nan": a value, not missing (Parquet has real nulls) -> unknown',
            {"region": "nan"},
        ),
        Case("region_string_null", 'the string "NULL" -> unknown', {"region": "NULL"}),
        Case("region_string_none", 'the string "None" -> unknown', {"region": "None"}),
        Case("region_long_x", f"{LONG:,} 'x' characters -> unknown", {"region": LongString("", "x", LONG)}),
        Case(
            "region_long_north",
            f'"north" then {LONG - 5:,} spaces -> unknown',
            {"region": LongString("north", " ", LONG - 5)},
        ),
        Case(
            "channel_long_unicode",
            f'{LONG // 2:,} times "\u00e9" (NFC, 2 UTF-8 bytes each) -> unknown',
            {"channel": LongString("", "\u00e9", LONG // 2)},
        ),
        Case(
            "all_null",
            "every contract column null: age and income imputed, region and channel imputed, score "
            "NaN (passthrough) -> NaN prediction",
            {c: None for c in INPUTS},
        ),
    ]


def numeric_string_cases() -> list[Case]:
    note = "float(str) parses it"
    return [
        Case("baseline", 'both numeric columns as decimal strings "41.5" / "0.25"', {}),
        Case("age_plain", '"37"', {"age": "37"}),
        Case("age_exponent", '"4.15E1"', {"age": "4.15E1"}),
        Case("age_leading_dot", '".5e2"', {"age": ".5e2"}),
        Case("age_trailing_dot", '"41."', {"age": "41."}),
        Case("age_plus_sign", '"+41.5"', {"age": "+41.5"}),
        Case("age_leading_zeros", '"0041.50"', {"age": "0041.50"}),
        Case("age_negative_zero", '"-0" parses to -0.0', {"age": "-0"}),
        Case("age_surrounding_whitespace", f'" \\t41.5\\n ": {note} (whitespace stripped)', {"age": " \t41.5\n "}),
        Case(
            "age_nbsp",
            f'"41.5" + U+00A0: {note} (Python strips Unicode whitespace; Java\'s trim() does not)',
            {"age": "41.5\u00a0"},
        ),
        Case(
            "age_underscore",
            f'"1_000.5": {note} (PEP 515 underscores; Java\'s parseDouble does not)',
            {"age": "1_000.5"},
        ),
        Case(
            "age_fullwidth_digits",
            f'"\uff14\uff11.\uff15" (full-width digits): {note} -> 41.5',
            {"age": "\uff14\uff11.\uff15"},
        ),
        Case(
            "age_arabic_indic_digits", f'"\u0664\u0661" (Arabic-Indic digits): {note} -> 41.0', {"age": "\u0664\u0661"}
        ),
        Case(
            "age_round_half_even",
            '"9007199254740993" (2^53 + 1): correctly rounded to 9007199254740992',
            {"age": "9007199254740993"},
        ),
        Case(
            "age_long_decimal",
            '"0.1000000000000000055511151231257827021181583404541015625": exactly the double ' "nearest 0.1",
            {"age": "0.1000000000000000055511151231257827021181583404541015625"},
        ),
        Case("age_underflow", '"1e-400" underflows to 0.0', {"age": "1e-400"}),
        Case("age_null", "null: missing, imputed", {"age": None}),
        Case("age_nan_lower", '"nan": parses to NaN -> missing, imputed', {"age": "nan"}),
        Case("age_nan_mixed", '"-NaN": parses to NaN -> missing, imputed', {"age": "-NaN"}),
        Case(
            "age_inf",
            "\"inf\": parses to +Inf -> sklearn raises 'Input X contains infinity' (batch fails); "
            "tabscore rejects the row",
            {"age": "inf"},
            rejected(PRE, "age"),
        ),
        Case("age_infinity", '"-Infinity": -Inf -> rejected as Inf', {"age": "-Infinity"}, rejected(PRE, "age")),
        Case("age_overflow", '"1e400": float() gives +Inf -> rejected as Inf', {"age": "1e400"}, rejected(PRE, "age")),
        Case(
            "age_empty",
            "\"\": float('') fails -> sklearn raises (SimpleImputer: 'Cannot use median strategy with "
            'non-numeric data\'); tabscore rejects the row, invalid_value ("" is not null)',
            {"age": ""},
            rejected(BAD, "age"),
        ),
        Case("age_blank", '"   ": fails to parse -> invalid_value', {"age": "   "}, rejected(BAD, "age")),
        Case("age_word", '"forty" -> invalid_value', {"age": "forty"}, rejected(BAD, "age")),
        Case("age_comma_decimal", '"41,5" -> invalid_value', {"age": "41,5"}, rejected(BAD, "age")),
        Case(
            "age_java_suffix",
            '"41.5d": Java\'s parseDouble accepts it, float() does not -> invalid_value',
            {"age": "41.5d"},
            rejected(BAD, "age"),
        ),
        Case(
            "age_hex_float",
            '"0x1p3": Java\'s parseDouble accepts it, float() does not -> invalid_value',
            {"age": "0x1p3"},
            rejected(BAD, "age"),
        ),
        Case("age_nan_payload", '"nan(1)" -> invalid_value', {"age": "nan(1)"}, rejected(BAD, "age")),
        Case(
            "age_zero_width_space",
            '"41.5" + U+200B (not whitespace to Python) -> invalid_value',
            {"age": "41.5\u200b"},
            rejected(BAD, "age"),
        ),
        Case("age_double_underscore", '"1__000" -> invalid_value', {"age": "1__000"}, rejected(BAD, "age")),
        Case(
            "score_parsable",
            'passthrough column "1.5e-3": sklearn passes the string through untouched (the '
            "transform's output is an object array); converting that output to float64 parses it",
            {"score": "1.5e-3"},
        ),
        Case("score_underscore", 'passthrough "1_0" -> 10.0 when the output is converted', {"score": "1_0"}),
        Case("score_inf", 'passthrough "inf" -> +Inf feature: scored as sklearn does', {"score": "inf"}),
        Case("score_nan", 'passthrough "nan" -> NaN feature, NaN prediction: scored as sklearn does', {"score": "nan"}),
        Case("score_null", "passthrough null -> NaN feature, NaN prediction", {"score": None}),
        Case(
            "score_word",
            'passthrough "abc": sklearn\'s transform does not raise (it passes the string through); '
            "converting its output to float64 raises. tabscore rejects the row, invalid_value",
            {"score": "abc"},
            rejected(BAD, "score"),
        ),
        Case("score_empty", 'passthrough "" -> invalid_value', {"score": ""}, rejected(BAD, "score")),
        Case(
            "both_invalid",
            '"x" in age and "y" in score: rejected naming the first column in contract order',
            {"age": "x", "score": "y"},
            rejected(BAD, "age", "score"),
        ),
    ]


D = decimal.Decimal


def decimal_cases() -> list[Case]:
    return [
        Case("baseline", "age 41.5 and score 0.25 as decimals", {}),
        Case("age_tenth", "0.1 as decimal(38,18): the nearest double", {"age": D("0.1")}),
        Case(
            "age_third",
            "0.333333333333333333 (18 digits): rounded to the nearest double",
            {"age": D("0.333333333333333333")},
        ),
        Case(
            "age_round_half_even",
            "9007199254740993 (2^53 + 1): rounds to 9007199254740992",
            {"age": D("9007199254740993")},
        ),
        Case(
            "age_largest",
            "99999999999999999999.999999999999999999 (the largest decimal(38,18))",
            {"age": D("99999999999999999999.999999999999999999")},
        ),
        Case("age_tiny_negative", "-0.000000000000000001 (one unit of the scale)", {"age": D("-0.000000000000000001")}),
        Case("age_zero", "0 (decimal zero has no sign: 0.0)", {"age": D("0")}),
        Case("age_null", "null decimal: missing, imputed", {"age": None}),
        Case(
            "score_tenth",
            "passthrough 0.1 as decimal(20,10): sklearn passes the Decimal object through, the "
            "output's conversion to float64 gives the nearest double",
            {"score": D("0.1")},
        ),
        Case("score_large", "passthrough 1234567890.0123456789", {"score": D("1234567890.0123456789")}),
        Case("score_null", "passthrough null decimal: NaN feature, NaN prediction", {"score": None}),
    ]


def int_cases() -> list[Case]:
    return [
        Case("baseline", "income 52000 as int64", {}),
        Case(
            "income_2p53_plus_1",
            "9007199254740993 (2^53 + 1) as int64: pandas reads an int64 column with a null "
            "as float64, 9007199254740992 (Java's (double) long rounds the same way)",
            {"income": 9007199254740993},
        ),
        Case("income_min_long", "-9223372036854775808", {"income": -9223372036854775808}),
        Case("income_zero", "0", {"income": 0}),
        Case("income_null", "null int64: missing, imputed", {"income": None}),
    ]


def timestamp_cases(tz: dt.tzinfo | None) -> list[Case]:
    return [
        Case("baseline", "age is a timestamp", {}),
        Case("age_epoch", "1970-01-01T00:00:00", {"age": dt.datetime(1970, 1, 1, tzinfo=tz)}),
        Case("age_pre_epoch", "1900-01-01T00:00:00", {"age": dt.datetime(1900, 1, 1, tzinfo=tz)}),
        Case("age_null", "a null timestamp", {"age": None}),
    ]


def date_cases() -> list[Case]:
    return [
        Case("baseline", "income is a date", {}),
        Case("income_epoch", "1970-01-01", {"income": dt.date(1970, 1, 1)}),
        Case("income_null", "a null date", {"income": None}),
    ]


def array_cases() -> list[Case]:
    return [
        Case("baseline", "age is [41.5] (one element)", {}),
        Case("age_two", "[41.5, 42.0]", {"age": [41.5, 42.0]}),
        Case("age_empty", "[] (empty array)", {"age": []}),
        Case("age_null", "a null array", {"age": None}),
    ]


def struct_cases() -> list[Case]:
    return [
        Case("baseline", "region is {name: north, code: 1}", {}),
        Case("region_null", "a null struct", {"region": None}),
    ]


def map_cases() -> list[Case]:
    return [
        Case("baseline", "channel is {web: web}", {}),
        Case("channel_empty", "an empty map", {"channel": []}),
        Case("channel_null", "a null map", {"channel": None}),
    ]


def input_files() -> list[InputFile]:
    timestamp_note = (
        "a timestamp or date where a number is expected: the Java job refuses the input schema before "
        "scoring (exit 30); sklearn does not convert it to a number either (see each case)"
    )
    nested_note = "a nested type in a contract column: the Java job refuses the input schema (exit 30)"
    return [
        InputFile(
            "typed.parquet",
            "the contract's own types (double, string): NaN, +-Inf, null, extreme doubles, "
            'null vs "", unicode, case and whitespace variants, NA-like strings, 100k-char strings',
            {},
            typed_cases(),
            first_id=100,
        ),
        InputFile(
            "numeric_as_string.parquet",
            "age (imputed) and score (passthrough) stored as strings: each value "
            "is parsed as Python's float(str) does, as sklearn does",
            {"age": STR, "score": STR},
            numeric_string_cases(),
            first_id=200,
            base={"age": "41.5", "score": "0.25"},
        ),
        InputFile(
            "decimal.parquet",
            "age decimal(38,18), score decimal(20,10): converted to the nearest double "
            "(float(Decimal), BigDecimal.doubleValue)",
            {"age": pa.decimal128(38, 18), "score": pa.decimal128(20, 10)},
            decimal_cases(),
            first_id=300,
            base={"age": D("41.5"), "score": D("0.25")},
        ),
        InputFile(
            "int_as_double.parquet",
            "income int64 where float64 is expected (the allowed int -> double " "coercion)",
            {"income": I64},
            int_cases(),
            first_id=400,
            base={"income": 52000},
        ),
        InputFile(
            "timestamp.parquet",
            f"age timestamp[us, tz=UTC]: {timestamp_note}",
            {"age": pa.timestamp("us", tz="UTC")},
            timestamp_cases(UTC),
            refused_column="age",
            first_id=500,
            base={"age": dt.datetime(2026, 11, 8, 12, 30, 15, 250000, tzinfo=UTC)},
        ),
        InputFile(
            "timestamp_ntz.parquet",
            f"age timestamp[us] without a time zone: {timestamp_note}",
            {"age": pa.timestamp("us")},
            timestamp_cases(None),
            refused_column="age",
            first_id=600,
            base={"age": dt.datetime(2026, 11, 8, 12, 30, 15, 250000)},
        ),
        InputFile(
            "date.parquet",
            f"income date32: {timestamp_note}",
            {"income": pa.date32()},
            date_cases(),
            refused_column="income",
            first_id=700,
            base={"income": dt.date(2026, 11, 8)},
        ),
        InputFile(
            "nested_array.parquet",
            f"age list<double>: {nested_note}",
            {"age": pa.list_(F64)},
            array_cases(),
            refused_column="age",
            first_id=800,
            base={"age": [41.5]},
        ),
        InputFile(
            "nested_struct.parquet",
            f"region struct<name: string, code: int32>: {nested_note}",
            {"region": pa.struct([("name", STR), ("code", pa.int32())])},
            struct_cases(),
            refused_column="region",
            first_id=900,
            base={"region": {"name": "north", "code": 1}},
        ),
        InputFile(
            "nested_map.parquet",
            f"channel map<string, string>: {nested_note}",
            {"channel": pa.map_(STR, STR)},
            map_cases(),
            refused_column="channel",
            first_id=1000,
            base={"channel": [("web", "web")]},
        ),
    ]


# ---------------------------------------------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------------------------------------------


def materialize(value: Any) -> Any:
    return value.value() if isinstance(value, LongString) else value


def write_input(spec: InputFile, path: Path) -> list[dict[str, Any]]:
    """One row per case: id, then the contract columns in the file's types. Returns the rows written."""
    schema = spec.schema()
    rows = [{**BASE, **spec.base, **case.values} for case in spec.cases]
    arrays = [pa.array([spec.first_id + i for i in range(len(rows))], type=I64)]
    fields = [pa.field("id", I64, nullable=False)]
    for col in INPUTS:
        arrays.append(pa.array([materialize(r[col]) for r in rows], type=schema[col]))
        fields.append(pa.field(col, schema[col]))
    table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
    path.parent.mkdir(parents=True, exist_ok=True)
    # No column statistics: min/max of the 100k-character strings would be stored in the footer uncompressed.
    pq.write_table(table, path, compression="zstd", write_statistics=False, store_schema=False)
    return rows


# ---------------------------------------------------------------------------------------------------------------
# What scikit-learn does
# ---------------------------------------------------------------------------------------------------------------


def encode_float(x: float) -> float | str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return float(x)


def error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def sklearn_row(pre: Any, model: Any, row: pd.DataFrame) -> dict[str, Any]:
    """transform -> float64 -> float32 forward pass -> sigmoid on one row, or where it raises and why."""
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            out = pre.transform(row)
        except Exception as exc:  # noqa: BLE001 - recording whatever sklearn raises is the point
            return {"sklearn": "raises", "stage": "transform", "error": error_text(exc)}
        try:
            features = np.asarray(out.toarray() if hasattr(out, "toarray") else out, dtype=np.float64)
        except Exception as exc:  # noqa: BLE001
            return {
                "sklearn": "raises",
                "stage": "to_float64",
                "dtype": str(np.asarray(out).dtype),
                "error": error_text(exc),
            }
        logits = tx.forward_float32(model, features)
        cols = tx.model_columns(logits, "binary", [0, 1])
    result: dict[str, Any] = {"sklearn": "scored"}
    if np.asarray(out).dtype != np.float64:
        result["transform_dtype"] = str(np.asarray(out).dtype)
    result["features"] = [encode_float(v) for v in features[0]]
    result["outputs"] = {"prob": encode_float(float(cols["prob"][0]))}
    return result


# ---------------------------------------------------------------------------------------------------------------
# The contract's view of a value (to count missing / unknown, and to check the hand-written expectations)
# ---------------------------------------------------------------------------------------------------------------


def as_double(value: Any) -> float | None:
    """A numeric contract value as the contract converts it: None for null; raises ValueError if unparsable."""
    if value is None:
        return None
    if isinstance(value, str):
        return float(value)
    return float(value)


def missing_and_unknown(pre: ColumnTransformer, row: dict[str, Any]) -> tuple[list[str], list[str]]:
    onehot = pre.named_transformers_["cat"].named_steps["onehot"]
    categories = dict(zip(["region", "channel"], [set(c.tolist()) for c in onehot.categories_]))
    missing, unknown = [], []
    for col in INPUTS:
        value = materialize(row[col])
        if col in categories:
            if value is None:
                missing.append(col)
            elif value not in categories[col]:
                unknown.append(col)
        elif value is None or math.isnan(as_double(value)):
            missing.append(col)
    return missing, unknown


def check_expectation(spec: InputFile, case: Case, row: dict[str, Any], sk: dict[str, Any]) -> None:
    """The hand-written tabscore expectation must follow from the contract and agree with sklearn."""
    where = f"{spec.name} {case.name}"
    if case.tabscore[0] == "scored":
        if sk["sklearn"] != "scored":
            raise AssertionError(f"{where}: expected scored but sklearn raises {sk['error']}")
        for col in ("age", "income", "score"):
            as_double(row[col])  # parses
        return
    reason, columns = case.tabscore[1], case.tabscore[2:]
    if sk["sklearn"] != "raises":
        raise AssertionError(f"{where}: expected rejected but sklearn scores it")
    for col in columns:
        if reason == BAD:
            try:
                as_double(row[col])
            except ValueError:
                continue
            raise AssertionError(f"{where}: {row[col]!r} parses, it is not an invalid_value")
        if reason == PRE:
            if not math.isinf(as_double(row[col])) or col == "score":
                raise AssertionError(f"{where}: {col} is not an Inf in an imputed column")


# ---------------------------------------------------------------------------------------------------------------
# expected.json encoding of raw values
# ---------------------------------------------------------------------------------------------------------------


def encode_value(value: Any, dtype: pa.DataType) -> Any:
    if value is None:
        return None
    if isinstance(value, LongString):
        return {"prefix": value.prefix, "repeat": value.repeat, "times": value.times}
    if pa.types.is_floating(dtype):
        return encode_float(value)
    if pa.types.is_integer(dtype):
        return int(value)
    if pa.types.is_string(dtype):
        if len(value) > INLINE_MAX:
            raise ValueError("long strings must be LongString rules")
        return value
    if pa.types.is_decimal(dtype):
        with decimal.localcontext(decimal.Context(prec=80)):
            return str(D(value).quantize(D(1).scaleb(-dtype.scale)))
    if pa.types.is_timestamp(dtype):
        text = value.replace(tzinfo=None).isoformat(timespec="microseconds")
        return text + "Z" if dtype.tz else text
    if pa.types.is_date(dtype):
        return value.isoformat()
    if pa.types.is_map(dtype):
        return [[k, v] for k, v in value]
    if pa.types.is_list(dtype):
        return [encode_float(v) for v in value]
    if pa.types.is_struct(dtype):
        return dict(value)
    raise ValueError(f"no encoding for {dtype}")


def tabscore_expectation(pre: ColumnTransformer, case: Case, row: dict[str, Any]) -> dict[str, Any]:
    if case.tabscore[0] == "scored":
        missing, unknown = missing_and_unknown(pre, row)
        return {"tabscore": "scored", "missing": missing, "unknown": unknown}
    return {
        "tabscore": "rejected",
        "reason": case.tabscore[1],
        "column": case.tabscore[2],
        "columns": list(case.tabscore[2:]),
    }


# ---------------------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------------------


def library_versions() -> dict[str, str]:
    import sklearn

    return {
        "scikit-learn": sklearn.__version__,
        "pandas": pd.__version__,
        "pyarrow": pa.__version__,
        "numpy": np.__version__,
        "torch": torch.__version__.split("+")[0],
    }


def build_expected(out: Path, pre: ColumnTransformer, model: Any, manifest: dict[str, Any]) -> dict[str, Any]:
    files = []
    for spec in input_files():
        path = out / spec.name
        rows = write_input(spec, path)
        raw = pd.read_parquet(path, engine="pyarrow")
        frame = tx.sklearn_frame(raw)
        schema = spec.schema()
        cases = []
        for i, (case, row) in enumerate(zip(spec.cases, rows)):
            one = frame.iloc[[i]][INPUTS].reset_index(drop=True)
            sk = sklearn_row(pre, model, one)
            entry: dict[str, Any] = {
                "id": spec.first_id + i,
                "case": case.name,
                "varied": sorted(case.values, key=INPUTS.index),
                "description": case.description,
                "values": {c: encode_value(row[c], schema[c]) for c in INPUTS},
                "sklearn": sk,
            }
            plain = sklearn_row(pre, model, raw.iloc[[i]][INPUTS].reset_index(drop=True))
            if plain != sk:
                entry["sklearn_without_none_to_nan"] = plain
                entry["description"] += (
                    ". pandas.read_parquet gives None for this null; fed as is (without None "
                    "-> NaN), SimpleImputer does not take None for missing and sklearn gives "
                    "another result: sklearn_without_none_to_nan"
                )
            if spec.refused_column is not None and sk["sklearn"] == "scored":
                entry["description"] += (
                    ". sklearn scores this row (the null is a missing value to it, whatever "
                    "the column's type); tabscore refuses the whole file's schema anyway"
                )
            if spec.refused_column is None:
                check_expectation(spec, case, row, sk)
                entry["tabscore"] = tabscore_expectation(pre, case, row)
            cases.append(entry)
        files.append(
            {
                "file": spec.name,
                "description": spec.description,
                "schema": [{"name": f.name, "type": str(f.type)} for f in pq.read_schema(path)],  # as read back
                "rows": len(rows),
                "tabscore": (
                    {"tabscore": "schema_refused", "exit_code": 30, "column": spec.refused_column}
                    if spec.refused_column
                    else {"tabscore": "per_case"}
                ),
                "cases": cases,
            }
        )
    return {
        "format": FORMAT,
        "generator": "scripts/dirty/make_dirty_corpus.py",
        "reference": "pandas.read_parquet(file, engine='pyarrow'), None -> NaN in object columns "
        "(tabscore_export.sklearn_frame), one row at a time: preprocessor.transform, numpy.asarray(..., "
        "float64), float32 forward pass, sigmoid in float32 widened to double",
        "versions": library_versions(),
        "bundle": {
            "path": "bundle",
            "name": manifest["name"],
            "version": manifest["version"],
            "input_columns": [c["name"] for c in manifest["input"]["columns"]],
            "feature_names": manifest["features"]["names"],
            "output_columns": manifest["golden"]["output_columns"],
            "output_tolerance": manifest["golden"]["output_tolerance"],
        },
        "encoding": {
            "floats": 'JSON numbers (shortest round-trip form); NaN, +Inf, -Inf as the strings "NaN", '
            '"Infinity", "-Infinity"',
            "values": "per the file's schema: double as floats; string as JSON strings, or {prefix, repeat, times} "
            "meaning prefix + repeat * times; decimal as its exact text at the column's scale; timestamp "
            "as ISO-8601 with microseconds (Z when the column has tz=UTC); date as yyyy-MM-dd; list as "
            "an array; struct as an object; map as [key, value] pairs; null as null",
            "features_and_outputs": "features exactly (bit-exact doubles); outputs within atol + rtol * |expected| "
            "(bundle.output_tolerance); NaN equals NaN",
        },
        "id_column": "id",
        "files": files,
    }


def dump_json(obj: Any) -> str:
    return json.dumps(obj, indent=1, ensure_ascii=True, allow_nan=False) + "\n"


README_HEAD = """\
# Dirty-data corpus

Generated by `scripts/dirty/make_dirty_corpus.py` (issue 8, item 4); do not edit by hand. Regenerate with

```bash
python scripts/dirty/make_dirty_corpus.py spark-job/src/test/resources/dirty
python -m pytest scripts/tests/test_dirty_corpus.py -q    # fresh run == committed expected.json, inputs, README
```

Everything but the bytes of `bundle/preprocessor.skops` (and so the bundle's artifact hashes and digest) is the
same on every run: the MLP's weights are rounded to multiples of 2^-7 after training.

## The bundle

`bundle/` (`dirty-corpus` 1.0.0, binary): a ColumnTransformer with `age`, `income` through
SimpleImputer(median) + StandardScaler, `region`, `channel` through SimpleImputer(most_frequent) +
OneHotEncoder(handle_unknown="ignore"), and `score` under `remainder="passthrough"` (no imputer, no check: NaN and
+-Inf reach the model); 12 features; a 12-8-1 ReLU MLP, sigmoid head. Trained categories: region north, south,
east, west, caf\u00e9 (NFC); channel web, store, phone and `""` (the empty string is a trained *channel* value,
not a region one).

## The contract encoded here

The Python reference of a row is `pandas.read_parquet(file)` (pyarrow), None -> NaN in object columns
(`tabscore_export.sklearn_frame`, how golden batches are read), that one row through `preprocessor.transform`,
`numpy.asarray(..., float64)`, the float32 forward pass and the sigmoid. Per case `tabscore` is one of:

* `{"tabscore": "scored", "missing": [...], "unknown": [...]}`: Java's features must equal `sklearn.features`
  bit for bit and its outputs `sklearn.outputs` within `bundle.output_tolerance` (NaN equals NaN); `missing` and
  `unknown` are the columns counted as missing (null, NaN, a string parsed to nan) and as unknown categories;
* `{"tabscore": "rejected", "reason": "refused_by_preprocessor" | "invalid_value", "column": C, "columns": [...]}`:
  the row is rejected naming `C`, the first offending column in contract order (`columns`: all of them);
* files whose `tabscore` is `{"tabscore": "schema_refused", "exit_code": 30, "column": C}`: the job refuses the
  input schema before scoring, naming `C`; their cases record only what scikit-learn does.

Where scikit-learn and the contract differ it is intended and said in the case's description: scikit-learn raises
on one Inf (the whole batch fails) where tabscore rejects the row; it raises on timestamps, dates and nested values
but *scores* a row whose nested/date value is null, where tabscore refuses the file. `sklearn_without_none_to_nan`
records what scikit-learn does when the frame is fed exactly as `pandas.read_parquet` returns it (a null string is
then None, which SimpleImputer does not take for missing, so the one-hot is all zeros).

## expected.json

```
{"format": 1, "generator", "reference", "versions": {scikit-learn, pandas, pyarrow, numpy, torch},
 "bundle": {"path": "bundle", "name", "version", "input_columns", "feature_names", "output_columns": ["prob"],
            "output_tolerance": {"rtol", "atol"}},
 "encoding": {...}, "id_column": "id",
 "files": [{"file", "description", "schema": [{"name", "type"}] (Arrow types as read back), "rows",
            "tabscore": {"tabscore": "per_case"} | {"tabscore": "schema_refused", "exit_code": 30, "column"},
            "cases": [{"id", "case", "varied": [columns changed from the baseline row], "description",
                       "values": {column: raw value},
                       "sklearn": {"sklearn": "scored", ["transform_dtype": "object",] "features": [...],
                                   "outputs": {"prob": p}}
                                | {"sklearn": "raises", "stage": "transform" | "to_float64", ["dtype",] "error"},
                       ["sklearn_without_none_to_nan": {same shape},]
                       ["tabscore": {...}]   (absent in schema_refused files)}]}]}
```

Floats (features, outputs, double values) are JSON numbers in their shortest round-trip form, or the strings
`"NaN"`, `"Infinity"`, `"-Infinity"`. Raw values follow the file's schema: strings as JSON strings, or
`{"prefix", "repeat", "times"}` meaning prefix + repeat * times (the 100,000-character strings); decimals as their
exact text at the column's scale; timestamps as ISO-8601 with microseconds (`Z` when the column has tz=UTC); dates
as `yyyy-MM-dd`; lists as arrays, structs as objects, maps as `[key, value]` pairs; null as null. Every row has an
int64 `id`; ids are unique across files (the file's hundreds). `stage: "to_float64"` means scikit-learn's transform
returned (an object array holding the raw value of the passthrough column) and converting it to float64 raised.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _sklearn_summary(sk: dict[str, Any]) -> str:
    if sk["sklearn"] == "scored":
        return f"scored, prob {sk['outputs']['prob']}"
    error = sk["error"].replace("\n", " ")
    error = error if len(error) <= 120 else error[:117] + "..."
    return f"raises ({sk['stage']}) {error}"


def _tabscore_summary(entry: dict[str, Any]) -> str:
    t = entry.get("tabscore")
    if t is None:
        return "(file refused)"
    if t["tabscore"] == "scored":
        notes = [
            f"missing {', '.join(t['missing'])}" if t["missing"] else "",
            f"unknown {', '.join(t['unknown'])}" if t["unknown"] else "",
        ]
        return "; ".join(["scored"] + [n for n in notes if n])
    return f"rejected: {t['reason']} ({t['column']})"


def readme(expected: dict[str, Any]) -> str:
    lines = [README_HEAD.rstrip("\n"), "", "## Files and cases", ""]
    for f in expected["files"]:
        schema = ", ".join(f"{c['name']} {c['type']}" for c in f["schema"])
        verdict = f["tabscore"]
        head = (
            f"schema refused, exit {verdict['exit_code']}, naming `{verdict['column']}`"
            if verdict["tabscore"] == "schema_refused"
            else "per row"
        )
        lines += [
            f"### {f['file']} ({f['rows']} rows; tabscore: {head})",
            "",
            _cell(f["description"]) + ".",
            "",
            f"Schema: {schema}.",
            "",
            "| id | case | description | scikit-learn | tabscore |",
            "| --- | --- | --- | --- | --- |",
        ]
        for c in f["cases"]:
            lines.append(
                f"| {c['id']} | {c['case']} | {_cell(c['description'])} | "
                f"{_cell(_sklearn_summary(c['sklearn']))} | {_tabscore_summary(c)} |"
            )
        lines.append("")
    return "\n".join(lines)


def generate(out: Path) -> dict[str, Any]:
    """Write the bundle, the Parquet inputs and expected.json into ``out``; return expected.json's content."""
    out.mkdir(parents=True, exist_ok=True)
    pre, model, frame, metrics = train()
    # The corpus is about dirty inputs: its bundle keeps the model artifacts it was committed with (TorchScript and
    # state_dict), so a fresh generation reproduces the committed manifest; ONNX bundles are covered by model-kinds.
    manifest = tx.export_bundle(
        pre,
        model,
        frame,
        out / "bundle",
        name=BUNDLE_NAME,
        version=BUNDLE_VERSION,
        task="binary",
        classes=[0, 1],
        target=TARGET,
        snapshot_id="dirty-training",
        run_id="make_dirty_corpus",
        metrics=metrics,
        created_at=CREATED_AT,
        overwrite=True,
        onnx=False,
    )
    expected = build_expected(out, pre, model, manifest)
    (out / "expected.json").write_text(dump_json(expected), encoding="ascii")
    (out / "README.md").write_text(readme(expected), encoding="utf-8")
    return expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, nargs="?", default=DEFAULT_OUT)
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary folder and compare expected.json with OUT/expected.json",
    )
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp))
            same = (Path(tmp) / "expected.json").read_text() == (args.out / "expected.json").read_text()
        print("expected.json is up to date" if same else f"{args.out}/expected.json differs from a fresh run")
        return 0 if same else 1
    expected = generate(args.out)
    cases = sum(len(f["cases"]) for f in expected["files"])
    print(f"wrote {args.out}: bundle, {len(expected['files'])} input files, {cases} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
