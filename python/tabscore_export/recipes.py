"""Synthetic data and small model recipes shared by the sample-data generator, the parity set and the tests.

Everything is seeded: the same arguments give the same frames and (on the same machine) the same weights.
Training frames hold missing values as NaN (what pandas gives when it reads a CSV); scoring inputs are written to
Parquet with real nulls, and a few NaN values that are not nulls, through ``write_input_parquet``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import torch
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, r2_score, roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    KBinsDiscretizer,
    MinMaxScaler,
    OneHotEncoder,
    OrdinalEncoder,
    RobustScaler,
    StandardScaler,
)
from torch import nn

import tabscore_export as tx

CHURN_INPUTS = ["age", "income", "region", "channel"]
CHURN_TARGET = "label"
CHURN_ID = "customer_id"
REGIONS = ["north", "south", "east", "west", "central"]
CHANNELS = ["web", "store", "phone", "partner"]
PLANS = ["basic", "plus", "pro", "enterprise", "legacy", "trial"]
DEVICES = ["android", "ios", "desktop", "tablet", "tv", "console", "watch", "car"]
TIERS = ["bronze", "silver", "gold"]


@dataclass
class Trained:
    """A fitted preprocessor and network with the frame they were trained on."""

    preprocessor: ColumnTransformer
    model: nn.Module
    train_df: pd.DataFrame
    task: str
    classes: list[Any] | None
    target: str
    metrics: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------------
# Frames
# ---------------------------------------------------------------------------------------------------------------


def _with_missing(rng: np.random.Generator, values: np.ndarray, rate: float) -> np.ndarray:
    """A copy of ``values`` (float or object) with about ``rate`` of the cells set to NaN."""
    out = values.astype(object if values.dtype.kind in "OUS" else np.float64).copy()
    out[rng.random(len(out)) < rate] = np.nan
    return out


def make_churn_frame(rows: int, seed: int, missing_rate: float = 0.05, first_id: int = 100000) -> pd.DataFrame:
    """Churn-like customers: customer_id, age, income, region, channel and a 0/1 label (the seed's recipe)."""
    rng = np.random.default_rng(seed)
    age = np.round(np.clip(rng.normal(42.0, 12.0, rows), 18.0, 90.0), 1)
    income = np.round(rng.lognormal(10.8, 0.5, rows), 2)
    region = rng.choice(REGIONS, rows, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    channel = rng.choice(CHANNELS, rows, p=[0.45, 0.25, 0.2, 0.1])
    region_effect = dict(zip(REGIONS, [0.4, -0.2, 0.1, -0.5, 0.0]))
    channel_effect = dict(zip(CHANNELS, [-0.3, 0.2, 0.6, 0.1]))
    logit = (
        -0.6
        + 0.03 * (age - 42.0)
        - 0.6 * (np.log(income) - 10.8)
        + np.vectorize(region_effect.get)(region)
        + np.vectorize(channel_effect.get)(channel)
        + rng.normal(0.0, 0.5, rows)
    )
    label = (rng.random(rows) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int64)
    return pd.DataFrame(
        {
            CHURN_ID: np.arange(first_id, first_id + rows, dtype=np.int64),
            "age": _with_missing(rng, age, missing_rate),
            "income": _with_missing(rng, income, missing_rate),
            "region": _with_missing(rng, region.astype(object), missing_rate),
            "channel": _with_missing(rng, channel.astype(object), missing_rate),
            CHURN_TARGET: label,
        }
    )


def make_customer_frame(rows: int, seed: int, missing_rate: float = 0.06, first_id: int = 1) -> pd.DataFrame:
    """A wide customer table for the parity models: id, numbers, an int count, strings with rare values and a weekday;
    targets churn (0/1), tier (bronze/silver/gold) and spend_next (a number)."""
    rng = np.random.default_rng(seed)
    age = np.round(np.clip(rng.normal(40.0, 13.0, rows), 18.0, 95.0), 1)
    income = np.round(rng.lognormal(10.7, 0.6, rows), 2)
    tenure = rng.integers(0, 120, rows).astype(np.int64)
    spend = np.round(rng.gamma(2.0, 30.0, rows), 2)
    region = rng.choice(REGIONS, rows, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    channel = rng.choice(CHANNELS, rows, p=[0.45, 0.25, 0.2, 0.1])
    plan = rng.choice(PLANS, rows, p=[0.4, 0.3, 0.15, 0.1, 0.03, 0.02])
    device = rng.choice(DEVICES, rows, p=[0.35, 0.3, 0.2, 0.08, 0.03, 0.02, 0.015, 0.005])
    weekday = rng.integers(0, 7, rows).astype(np.int64)
    plan_rank = np.vectorize({p: i for i, p in enumerate(PLANS)}.get)(plan)
    score = 0.02 * (age - 40) + 0.8 * (np.log(income) - 10.7) + 0.01 * tenure + 0.01 * spend + 0.4 * plan_rank
    churn = (rng.random(rows) < 1.0 / (1.0 + np.exp(-(score - 1.5 + rng.normal(0, 0.7, rows))))).astype(np.int64)
    tier = np.array(TIERS, dtype=object)[np.digitize(score + rng.normal(0, 0.5, rows), [1.2, 2.4])]
    spend_next = np.round(
        40.0 + 1.2 * spend + 0.5 * tenure + 15.0 * plan_rank + 8.0 * (weekday >= 5) + rng.normal(0.0, 10.0, rows), 2
    )
    return pd.DataFrame(
        {
            "id": np.arange(first_id, first_id + rows, dtype=np.int64),
            "age": _with_missing(rng, age, missing_rate),
            "income": _with_missing(rng, income, missing_rate),
            "tenure_months": tenure,
            "monthly_spend": _with_missing(rng, spend, missing_rate),
            "region": _with_missing(rng, region.astype(object), missing_rate),
            "channel": _with_missing(rng, channel.astype(object), missing_rate),
            "plan": _with_missing(rng, plan.astype(object), missing_rate),
            "device": _with_missing(rng, device.astype(object), missing_rate),
            "weekday": weekday,
            "churn": churn,
            "tier": tier,
            "spend_next": spend_next,
        }
    )


def scoring_frame(
    frame: pd.DataFrame,
    seed: int,
    *,
    unseen: dict[str, Sequence[str]],
    nan_columns: Sequence[str],
    int_null_columns: Sequence[str] = (),
    huge_columns: Sequence[str] = (),
    share: float = 0.01,
) -> pd.DataFrame:
    """Turn a training-like frame into a scoring input: ~``share`` of rows get an unseen category per string column
    in ``unseen``, a NaN that is not a null per float column in ``nan_columns``, a null per int column in
    ``int_null_columns`` and a huge value per column in ``huge_columns``. Floats become pandas Float64 (null vs NaN),
    ints Int64, strings object with None for nulls."""
    rng = np.random.default_rng(seed)
    n = len(frame)
    out: dict[str, Any] = {}
    for col in frame.columns:
        s = frame[col]
        if col in unseen:
            values = s.astype(object).where(s.notna(), None).to_numpy(dtype=object).copy()
            rows = np.flatnonzero(rng.random(n) < share)
            values[rows] = rng.choice(np.array(unseen[col], dtype=object), len(rows))
            out[col] = pd.Series(values, dtype=object)
        elif s.dtype == object:
            out[col] = pd.Series(s.where(s.notna(), None).to_numpy(dtype=object), dtype=object)
        elif pd.api.types.is_float_dtype(s.dtype):
            data = s.to_numpy(dtype=np.float64).copy()
            mask = np.isnan(data)
            if col in huge_columns:
                data[np.flatnonzero(rng.random(n) < share)] = 1e9
            if col in nan_columns:
                nan_rows = np.flatnonzero((rng.random(n) < share) & ~mask)
                data[nan_rows] = np.nan  # NaN, not null: stays unmasked
            out[col] = pd.arrays.FloatingArray(np.where(mask, 0.0, data), mask)
        elif pd.api.types.is_integer_dtype(s.dtype):
            values = pd.array(s.to_numpy(dtype=np.int64), dtype="Int64")
            if col in int_null_columns:
                values[np.flatnonzero(rng.random(n) < share)] = pd.NA
            out[col] = values
        else:
            out[col] = s.to_numpy()
    return pd.DataFrame(out)


def write_input_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write a scoring input with typed columns (double / int64 / bool / string) and real nulls."""
    arrays, fields = [], []
    for col in frame.columns:
        dtype = tx.column_dtype(frame[col])
        arrays.append(tx.arrow_column(frame[col].reset_index(drop=True), dtype))
        fields.append(pa.field(col, tx.ARROW_TYPES[dtype]))
    tx.write_parquet(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), path)


def predictions_frame(trained: Trained, input_path: Path, id_column: str, manifest: dict[str, Any]) -> pd.DataFrame:
    """Python's predictions for a scoring input Parquet file: the id column then golden.output_columns."""
    frame = tx.read_golden_input(input_path)
    names = [c["name"] for c in manifest["input"]["columns"]]
    features = tx.transform_features(trained.preprocessor, frame[names])
    model = trained.model.cpu().eval()
    logits = tx.forward_float32(model, features)
    cols = tx.model_columns(logits, manifest["task"], manifest["classes"])
    out = {id_column: frame[id_column].to_numpy(dtype=np.int64)}
    for name in manifest["golden"]["output_columns"]:
        out[name] = cols[name]
    return pd.DataFrame(out)


def write_predictions(frame: pd.DataFrame, path: Path) -> None:
    """Write predictions: int64 id, float64 outputs, string label."""
    arrays, fields = [], []
    for col in frame.columns:
        s = frame[col]
        if s.dtype == object:
            arrays.append(pa.array([str(v) for v in s], type=pa.string()))
        elif pd.api.types.is_integer_dtype(s.dtype):
            arrays.append(pa.array(s.to_numpy(dtype=np.int64), type=pa.int64()))
        else:
            arrays.append(pa.array(s.to_numpy(dtype=np.float64), type=pa.float64()))
        fields.append(pa.field(col, arrays[-1].type))
    tx.write_parquet(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), path)


# ---------------------------------------------------------------------------------------------------------------
# Networks
# ---------------------------------------------------------------------------------------------------------------


def mlp(
    width: int, hidden: Sequence[int], out: int, activation: type[nn.Module] = nn.ReLU, dropout: float = 0.0
) -> nn.Sequential:
    """A plain nn.Sequential MLP: [Linear, activation, (Dropout)] per hidden layer, then Linear."""
    layers: list[nn.Module] = []
    d = width
    for h in hidden:
        layers += [nn.Linear(d, h), activation()]
        if dropout:
            layers.append(nn.Dropout(dropout))
        d = h
    layers.append(nn.Linear(d, out))
    return nn.Sequential(*layers)


def train_mlp(
    model: nn.Module,
    features: np.ndarray,
    y: np.ndarray,
    task: str,
    *,
    epochs: int,
    lr: float = 1e-3,
    batch_size: int = 128,
    seed: int = 1,
) -> dict[str, float]:
    """Train with Adam (BCEWithLogits / CrossEntropy / MSE) on float32 features; returns train metrics."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.from_numpy(features.astype(np.float32))
    if task == "binary":
        target, loss_fn = torch.from_numpy(y.astype(np.float32)).reshape(-1, 1), nn.BCEWithLogitsLoss()
    elif task == "multiclass":
        target, loss_fn = torch.from_numpy(y.astype(np.int64)), nn.CrossEntropyLoss()
    else:
        target, loss_fn = torch.from_numpy(y.astype(np.float32)).reshape(-1, 1), nn.MSELoss()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    epoch_loss = 0.0
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=gen)
        total = 0.0
        for start in range(0, len(x), batch_size):
            idx = order[start : start + batch_size]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), target[idx])
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
        epoch_loss = total / len(x)
    model.eval()
    with torch.no_grad():
        out = model(x).numpy()
    metrics = {"epochs": epochs, "lr": lr, "batch_size": batch_size, "final_epoch_mean_loss": epoch_loss}
    if task == "binary":
        metrics["train_auc"] = float(roc_auc_score(y, out[:, 0]))
    elif task == "multiclass":
        metrics["train_accuracy"] = float(accuracy_score(y, out.argmax(axis=1)))
    else:
        metrics["train_r2"] = float(r2_score(y, out[:, 0]))
    return metrics


def _fit(
    preprocessor: ColumnTransformer,
    net_factory: Any,
    frame: pd.DataFrame,
    inputs: Sequence[str],
    target: str,
    task: str,
    classes: list[Any] | None,
    *,
    epochs: int,
    lr: float,
    seed: int,
) -> Trained:
    """Fit the preprocessor on ``frame[inputs]``, build the network for its width and train it."""
    features = preprocessor.fit_transform(frame[list(inputs)])
    torch.manual_seed(seed)
    model = net_factory(features.shape[1])
    if task == "multiclass":
        assert classes is not None
        y = frame[target].map({c: i for i, c in enumerate(classes)}).to_numpy()
    else:
        y = frame[target].to_numpy()
    if task == "regression":
        with torch.no_grad():
            model[-1].bias.fill_(float(np.mean(y)))
    metrics = train_mlp(model, np.asarray(features, dtype=np.float64), y, task, epochs=epochs, lr=lr, seed=seed + 1)
    return Trained(preprocessor, model, frame, task, classes, target, metrics)


# ---------------------------------------------------------------------------------------------------------------
# Recipes
# ---------------------------------------------------------------------------------------------------------------


def churn_preprocessor(remainder: str = "drop") -> ColumnTransformer:
    """The seed recipe: median-imputed + scaled numerics, most_frequent-imputed + one-hot (ignore) categoricals."""
    return ColumnTransformer(
        [
            (
                "num",
                Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]),
                ["age", "income"],
            ),
            (
                "cat",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="most_frequent")),
                        ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
                    ]
                ),
                ["region", "channel"],
            ),
        ],
        remainder=remainder,
    )


def train_churn_binary(rows: int = 5000, seed: int = 20261101, epochs: int = 15) -> Trained:
    """The seed-binary recipe: churn frame -> ColumnTransformer (11 features) -> MLP 11-64-32-1 (sigmoid head)."""
    frame = make_churn_frame(rows, seed)
    return _fit(
        churn_preprocessor(),
        lambda d: mlp(d, (64, 32), 1),
        frame,
        CHURN_INPUTS,
        CHURN_TARGET,
        "binary",
        [0, 1],
        epochs=epochs,
        lr=1e-3,
        seed=seed,
    )


def churn_new_transformers_preprocessor() -> ColumnTransformer:
    """The churn inputs through every transformer added with issue 14 (docs/sklearn-coverage.md): Binarizer,
    Normalizer, PolynomialFeatures, SplineTransformer, PowerTransformer, QuantileTransformer (normal), VarianceThreshold,
    SelectKBest, SelectPercentile, PCA, TruncatedSVD, KNNImputer and TargetEncoder. Supervised steps need
    ``fit(X, y)``."""
    from sklearn.decomposition import PCA, TruncatedSVD
    from sklearn.feature_selection import SelectKBest, SelectPercentile, VarianceThreshold, f_classif
    from sklearn.impute import KNNImputer
    from sklearn.preprocessing import (
        Binarizer,
        Normalizer,
        PolynomialFeatures,
        PowerTransformer,
        QuantileTransformer,
        SplineTransformer,
        TargetEncoder,
    )

    def imputed(step: Any) -> Pipeline:
        return Pipeline([("impute", SimpleImputer(strategy="median")), ("t", step)])

    num = ["age", "income"]
    return ColumnTransformer(
        [
            ("senior", imputed(Binarizer(threshold=65.0)), ["age"]),
            ("norm", imputed(Normalizer(norm="max")), num),
            ("poly", imputed(PolynomialFeatures(degree=2, include_bias=False)), ["age"]),
            ("spline", imputed(SplineTransformer(n_knots=4, degree=2, extrapolation="linear")), ["age"]),
            ("power", imputed(PowerTransformer(method="box-cox")), ["income"]),
            ("quantile", imputed(QuantileTransformer(n_quantiles=100, output_distribution="normal")), ["income"]),
            ("variance", imputed(VarianceThreshold(1.0)), num),
            ("kbest", imputed(SelectKBest(f_classif, k=1)), num),
            ("percentile", imputed(SelectPercentile(f_classif, percentile=50)), num),
            (
                "pca",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="median")),
                        ("scale", StandardScaler()),
                        ("pca", PCA(n_components=1)),
                    ]
                ),
                num,
            ),
            ("svd", imputed(TruncatedSVD(n_components=1, random_state=0)), num),
            # scaled first: the distances weigh both inputs alike (and the network gets O(1) inputs)
            ("knn", Pipeline([("scale", StandardScaler()), ("knn", KNNImputer(n_neighbors=5))]), num),
            (
                "target",
                Pipeline(
                    [("impute", SimpleImputer(strategy="most_frequent")), ("encode", TargetEncoder(random_state=0))]
                ),
                ["region", "channel"],
            ),
        ]
    )


def train_churn_new_transformers(rows: int = 2000, seed: int = 20261214, epochs: int = 5) -> Trained:
    """The churn frame through ``churn_new_transformers_preprocessor`` (fitted with the label: selectors and the
    TargetEncoder are supervised) -> MLP d-16-1 (sigmoid head)."""
    frame = make_churn_frame(rows, seed)
    pre = churn_new_transformers_preprocessor().fit(frame[CHURN_INPUTS], frame[CHURN_TARGET])
    features = np.asarray(pre.transform(frame[CHURN_INPUTS]), dtype=np.float64)
    torch.manual_seed(seed)
    model = mlp(features.shape[1], (16,), 1)
    metrics = train_mlp(
        model, features, frame[CHURN_TARGET].to_numpy(), "binary", epochs=epochs, lr=1e-3, seed=seed + 1
    )
    return Trained(pre, model, frame, "binary", [0, 1], CHURN_TARGET, metrics)


def normed_mlp(width: int, out: int = 1) -> nn.Sequential:
    """An MLP with the layers the no-code path gained in issue 16: BatchNorm1d, LayerNorm, SiLU, ELU, Softplus, Mish."""
    return nn.Sequential(
        nn.Linear(width, 32),
        nn.BatchNorm1d(32),
        nn.SiLU(),
        nn.Linear(32, 32),
        nn.LayerNorm(32),
        nn.ELU(alpha=0.9),
        nn.Dropout(0.1),
        nn.Linear(32, 16),
        nn.Softplus(beta=2.0, threshold=10.0),
        nn.Linear(16, 16),
        nn.Mish(),
        nn.Linear(16, out),
    )


def train_churn_normed(rows: int = 5000, seed: int = 20261101, epochs: int = 5) -> Trained:
    """The seed-binary preprocessor with ``normed_mlp``: the bundle has a state_dict with BatchNorm and LayerNorm."""
    frame = make_churn_frame(rows, seed)
    return _fit(
        churn_preprocessor(),
        normed_mlp,
        frame,
        CHURN_INPUTS,
        CHURN_TARGET,
        "binary",
        [0, 1],
        epochs=epochs,
        lr=1e-3,
        seed=seed,
    )


def _codes(categories: Sequence[str]) -> OrdinalEncoder:
    """An OrdinalEncoder giving embedding codes: categories 0..n-1, an unseen one n, a missing one n+1."""
    n = len(categories)
    return OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=n, encoded_missing_value=n + 1)


def embed_mlp(tables: Sequence[tuple[int, int, int]], numeric: Sequence[int], out: int = 1) -> nn.Module:
    """``tabscore_export.nets.EmbeddingMLP`` over (feature, num_embeddings, dim) tables and numeric features, with an
    MLP of BatchNorm1d, LayerNorm, SiLU and GELU: the no-code path's embeddings shape (issue 16)."""
    from tabscore_export.nets import EmbeddingMLP

    width = sum(d for _, _, d in tables) + len(numeric)
    return EmbeddingMLP(
        tables,
        numeric,
        nn.Sequential(
            nn.Linear(width, 32),
            nn.BatchNorm1d(32),
            nn.SiLU(),
            nn.Linear(32, 16),
            nn.LayerNorm(16),
            nn.GELU(),
            nn.Dropout(0.1),
            nn.Linear(16, out),
        ),
    )


def train_churn_embedded(rows: int = 2000, seed: int = 20261217, epochs: int = 3) -> Trained:
    """Churn: scaled age/income, region and channel as OrdinalEncoder codes looked up in embeddings (``embed_mlp``):
    features [age, income, region code, channel code]. Region: unseen -> n, missing -> n+1 (every row scores);
    channel: missing -> n, unseen -> -1, a code no table row has: torch raises on it, the Java side refuses the row
    (and the golden batch leaves such rows out)."""
    frame = make_churn_frame(rows, seed)
    pre = ColumnTransformer(
        [
            (
                "num",
                Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]),
                ["age", "income"],
            ),
            ("region", _codes(REGIONS), ["region"]),
            (
                "channel",
                OrdinalEncoder(
                    handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=len(CHANNELS)
                ),
                ["channel"],
            ),
        ]
    )
    tables = [(2, len(REGIONS) + 2, 3), (3, len(CHANNELS) + 1, 2)]
    return _fit(
        pre,
        lambda d: embed_mlp(tables, [0, 1]),
        frame,
        CHURN_INPUTS,
        CHURN_TARGET,
        "binary",
        [0, 1],
        epochs=epochs,
        lr=3e-3,
        seed=seed,
    )


def parity_embedded(frame: pd.DataFrame, seed: int, epochs: int) -> Trained:
    """Binary churn through embeddings: median-imputed, scaled age/income/monthly_spend and plan, device and region
    as OrdinalEncoder codes (unseen -> n, missing -> n+1) each looked up in an embedding (``embed_mlp``)."""
    pre = ColumnTransformer(
        [
            (
                "num",
                Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]),
                ["age", "income", "monthly_spend"],
            ),
            ("plan", _codes(PLANS), ["plan"]),
            ("device", _codes(DEVICES), ["device"]),
            ("region", _codes(REGIONS), ["region"]),
        ]
    )
    inputs = ["age", "income", "monthly_spend", "plan", "device", "region"]
    tables = [(3, len(PLANS) + 2, 3), (4, len(DEVICES) + 2, 3), (5, len(REGIONS) + 2, 2)]
    return _fit(
        pre,
        lambda d: embed_mlp(tables, [0, 1, 2]),
        frame,
        inputs,
        "churn",
        "binary",
        [0, 1],
        epochs=epochs,
        lr=2e-3,
        seed=seed,
    )


def parity_binary(frame: pd.DataFrame, seed: int, epochs: int) -> Trained:
    """Binary churn: SimpleImputer(add_indicator) + StandardScaler, MinMaxScaler, one-hot (ignore) and an
    infrequent-aware one-hot (min_frequency, NaN as a category); MLP with Dropout."""
    pre = ColumnTransformer(
        [
            (
                "num",
                Pipeline(
                    [("impute", SimpleImputer(strategy="median", add_indicator=True)), ("scale", StandardScaler())]
                ),
                ["age", "income"],
            ),
            (
                "spend",
                Pipeline([("impute", SimpleImputer(strategy="mean")), ("minmax", MinMaxScaler())]),
                ["monthly_spend"],
            ),
            (
                "cat",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="most_frequent")),
                        ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
                    ]
                ),
                ["region", "channel"],
            ),
            (
                "dev",
                OneHotEncoder(min_frequency=0.05, handle_unknown="infrequent_if_exist", sparse_output=False),
                ["device"],
            ),
        ]
    )
    inputs = ["age", "income", "monthly_spend", "region", "channel", "device"]
    return _fit(
        pre,
        lambda d: mlp(d, (32, 16), 1, dropout=0.1),
        frame,
        inputs,
        "churn",
        "binary",
        [0, 1],
        epochs=epochs,
        lr=2e-3,
        seed=seed,
    )


def parity_multiclass(frame: pd.DataFrame, seed: int, epochs: int) -> Trained:
    """Tier (bronze/silver/gold): KBinsDiscretizer (quantile), log1p + StandardScaler, OrdinalEncoder
    (unknown -1, missing -2), one-hot on an int64 weekday, one-hot with drop='first'; MLP with LeakyReLU and GELU."""
    pre = ColumnTransformer(
        [
            (
                "tenure",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="median")),
                        (
                            "bins",
                            KBinsDiscretizer(
                                n_bins=6, encode="ordinal", strategy="quantile", quantile_method="averaged_inverted_cdf"
                            ),
                        ),
                    ]
                ),
                ["tenure_months"],
            ),
            (
                "log",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="median")),
                        ("log1p", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
                        ("scale", StandardScaler()),
                    ]
                ),
                ["income", "monthly_spend"],
            ),
            (
                "plan",
                OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2),
                ["plan"],
            ),
            ("dow", OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["weekday"]),
            (
                "region",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
                        ("onehot", OneHotEncoder(drop="first", handle_unknown="ignore", sparse_output=False)),
                    ]
                ),
                ["region"],
            ),
        ]
    )
    inputs = ["tenure_months", "income", "monthly_spend", "plan", "weekday", "region"]

    def net(d: int) -> nn.Sequential:
        return nn.Sequential(nn.Linear(d, 32), nn.LeakyReLU(0.05), nn.Linear(32, 16), nn.GELU(), nn.Linear(16, 3))

    return _fit(pre, net, frame, inputs, "tier", "multiclass", list(TIERS), epochs=epochs, lr=3e-3, seed=seed)


def parity_regression(frame: pd.DataFrame, seed: int, epochs: int) -> Trained:
    """Next month's spend: log1p then SimpleImputer(add_indicator) + RobustScaler, KBinsDiscretizer (uniform),
    MinMaxScaler on an int64 count, one-hot with min_frequency/max_categories/infrequent_if_exist and an
    OrdinalEncoder; MLP with Tanh and Identity."""
    pre = ColumnTransformer(
        [
            (
                "log",
                Pipeline(
                    [
                        ("log1p", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
                        ("impute", SimpleImputer(strategy="mean", add_indicator=True)),
                        ("scale", RobustScaler()),
                    ]
                ),
                ["income", "monthly_spend"],
            ),
            (
                "age",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="median")),
                        ("bins", KBinsDiscretizer(n_bins=5, encode="ordinal", strategy="uniform")),
                    ]
                ),
                ["age"],
            ),
            (
                "tenure",
                Pipeline([("impute", SimpleImputer(strategy="median")), ("minmax", MinMaxScaler())]),
                ["tenure_months"],
            ),
            (
                "plan",
                OneHotEncoder(
                    min_frequency=100, max_categories=5, handle_unknown="infrequent_if_exist", sparse_output=False
                ),
                ["plan"],
            ),
            (
                "chan",
                OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2),
                ["channel"],
            ),
            (
                "dow",
                Pipeline([("impute", SimpleImputer(strategy="most_frequent")), ("minmax", MinMaxScaler())]),
                ["weekday"],
            ),
        ]
    )
    inputs = ["income", "monthly_spend", "age", "tenure_months", "plan", "channel", "weekday"]

    def net(d: int) -> nn.Sequential:
        return nn.Sequential(nn.Linear(d, 32), nn.Tanh(), nn.Linear(32, 16), nn.ReLU(), nn.Identity(), nn.Linear(16, 1))

    return _fit(pre, net, frame, inputs, "spend_next", "regression", None, epochs=epochs, lr=5e-3, seed=seed)
