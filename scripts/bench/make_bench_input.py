#!/usr/bin/env python3
"""Write a benchmark input for a bundle: N rows of its input contract plus an int64 id, as Parquet.

    python scripts/bench/make_bench_input.py --bundle sample-data/bundle --rows 2000000 --out out/bench/input/x

Layout: ``OUT/snapshot=2026-11-01/part-00000.parquet`` .. ``part-000NN.parquet`` (``--files``, default 16), zstd,
the way ``sample-data/input`` is written (typed columns, real nulls). Values follow the manifest's training
statistics where it has them (numeric: the decile histogram, uniform inside a bin; categorical: the frequencies);
a bundle without statistics (the sealed fixtures) is sampled from its golden input (numbers re-sampled with a
+/-10 % jitter, categories at their golden frequencies). About ``--missing`` of every nullable column is null, and
about ``--unknown`` of the rows of each categorical column get a category the preprocessor never saw, where the
preprocessor accepts unknown categories (checked by transforming a probe frame; columns whose encoder would
raise get none). Fixed seed; ``OUT/_bench_input.json`` records what was written and is the cache key: an
existing OUT with the same bundle digest, rows and seed is reused.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import tabscore_export as tx

SNAPSHOT = "2026-11-01"
UNKNOWN_STRINGS = ["zz_unseen", "Unseen", " unseen", ""]
UNKNOWN_NUMBERS = [99.0, -1.0]


def _from_histogram(rng: np.random.Generator, stats: dict[str, Any], n: int) -> np.ndarray:
    hist = stats["histogram"]
    edges = np.asarray(hist["edges"], dtype=np.float64)
    fr = np.asarray(hist["fractions"], dtype=np.float64)
    b = rng.choice(len(fr), n, p=fr / fr.sum())
    lo, hi = edges[b], edges[b + 1]
    return np.round(lo + (hi - lo) * rng.random(n), 2)


def _category_values(keys: list[str], dtype: str) -> np.ndarray:
    if dtype == "string":
        return np.array(keys, dtype=object)
    if dtype == "bool":
        return np.array([k == "true" for k in keys], dtype=bool)
    return np.array([float(k) for k in keys], dtype=np.float64)


def _column(
    rng: np.random.Generator, col: dict[str, Any], stats: dict[str, Any] | None, golden: pd.Series, n: int
) -> np.ndarray:
    """Non-missing values of one contract column (object for strings, float64/int64/bool otherwise)."""
    dtype, kind = col["dtype"], col["kind"]
    categorical = kind in ("categorical", "boolean") or dtype in ("string", "bool")
    if stats is not None and categorical and stats.get("frequencies"):
        freqs = {k: v for k, v in stats["frequencies"].items() if k != tx.OTHER_KEY}
        keys = list(freqs)
        p = np.asarray([freqs[k] for k in keys])
        return _category_values(keys, dtype)[rng.choice(len(keys), n, p=p / p.sum())]
    if stats is not None and not categorical and stats.get("histogram"):
        v = _from_histogram(rng, stats, n)
        return np.round(v).astype(np.int64) if dtype == "int64" else v
    present = golden[golden.notna()]
    if present.empty:
        raise SystemExit(f"column {col['name']!r}: no statistics and no golden values to sample from")
    if categorical or dtype in ("string", "bool"):
        counts = present.value_counts()
        values = counts.index.to_numpy(dtype=object)
        p = counts.to_numpy(dtype=np.float64)
        out = values[rng.choice(len(values), n, p=p / p.sum())]
        if dtype == "string":
            return out.astype(object)
        return out.astype(bool if dtype == "bool" else np.float64 if dtype == "float64" else np.int64)
    base = present.to_numpy(dtype=np.float64)
    v = base[rng.integers(0, len(base), n)] * rng.uniform(0.9, 1.1, n)
    integral = bool(np.all(np.floor(base) == base))
    if dtype == "int64":
        return np.round(v).astype(np.int64)
    return np.round(v) if integral else np.round(v, 2)


def _arrow(values: np.ndarray, missing: np.ndarray, dtype: str) -> pa.Array:
    if dtype == "string":
        out = values.astype(object).copy()
        out[missing] = None
        return pa.array(out, type=pa.string())
    if dtype == "float64":
        return pa.array(np.where(missing, 0.0, values.astype(np.float64)), type=pa.float64(), mask=missing)
    if dtype == "int64":
        return pa.array(np.where(missing, 0, values.astype(np.int64)), type=pa.int64(), mask=missing)
    return pa.array(values.astype(bool), type=pa.bool_(), mask=missing)


def _accepts_unknown(pre: Any, probe: pd.DataFrame, name: str, unknown: Any) -> bool:
    frame = probe.copy()
    frame[name] = pd.Series([unknown] * len(frame), dtype=frame[name].dtype)
    try:
        tx.transform_features(pre, frame)
        return True
    except Exception:  # noqa: BLE001 - any refusal means "no unknowns for this column"
        return False


def generate(
    bundle: Path, rows: int, out: Path, *, files: int, seed: int, missing: float, unknown: float, id_col: str
) -> dict[str, Any]:
    manifest = tx.read_manifest(bundle / tx.MANIFEST)
    contract = manifest["input"]["columns"]
    stats_all = (manifest.get("training") or {}).get("statistics") or {}
    golden = tx.read_golden_input(bundle / manifest["golden"]["input"])
    names = [c["name"] for c in contract]
    if id_col in names:
        raise SystemExit(f"--id-col {id_col!r} is an input column of the bundle")
    import skops.io as sio

    pre_path = str(bundle / manifest["preprocessor"]["path"])
    pre = sio.load(pre_path, trusted=sio.get_untrusted_types(file=pre_path))
    probe = golden[names].head(8).reset_index(drop=True)

    rng = np.random.default_rng(seed)
    arrays: list[pa.Array] = [pa.array(np.arange(1, rows + 1, dtype=np.int64), type=pa.int64())]
    fields = [pa.field(id_col, pa.int64(), nullable=False)]
    report: dict[str, Any] = {}
    for col in contract:
        name, dtype = col["name"], col["dtype"]
        stats = stats_all.get(name)
        values = _column(rng, col, stats, golden[name], rows)
        rate = (stats or {}).get("missing_rate", missing) if col.get("nullable", True) else 0.0
        rate = max(rate, missing) if col.get("nullable", True) else 0.0
        miss = rng.random(rows) < rate
        categorical = col["kind"] in ("categorical", "boolean") or dtype in ("string", "bool")
        unknowns: list[Any] = []
        if categorical and dtype in ("string", "float64") and unknown > 0:
            pool = UNKNOWN_STRINGS if dtype == "string" else UNKNOWN_NUMBERS
            unknowns = [u for u in pool if _accepts_unknown(pre, probe, name, u)]
            if unknowns:
                rows_u = np.flatnonzero((rng.random(rows) < unknown) & ~miss)
                values = values.astype(object) if dtype == "string" else values
                values[rows_u] = np.asarray(unknowns, dtype=object if dtype == "string" else np.float64)[
                    rng.integers(0, len(unknowns), len(rows_u))
                ]
        arrays.append(_arrow(values, miss, dtype))
        fields.append(pa.field(name, tx.ARROW_TYPES[dtype]))
        report[name] = {
            "dtype": dtype,
            "source": "statistics" if stats else "golden",
            "missing_rate": float(miss.mean()),
            "unknown_values": unknowns,
        }
    table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))

    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    part_dir = tmp / f"snapshot={SNAPSHOT}"
    part_dir.mkdir(parents=True)
    step = -(-rows // files)
    for i, start in enumerate(range(0, rows, step)):
        pq.write_table(table.slice(start, step), part_dir / f"part-{i:05d}.parquet", compression="zstd")
    info = {
        "bundle": str(bundle),
        "bundle_name": manifest["name"],
        "bundle_digest": tx.manifest_digest(manifest),
        "rows": rows,
        "files": files,
        "seed": seed,
        "id_col": id_col,
        "snapshot": SNAPSHOT,
        "columns": report,
    }
    (tmp / "_bench_input.json").write_text(json.dumps(info, indent=2) + "\n")
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return info


def cached(out: Path, bundle: Path, rows: int, seed: int) -> bool:
    meta = out / "_bench_input.json"
    if not meta.exists():
        return False
    info = json.loads(meta.read_text())
    digest = tx.manifest_digest(tx.read_manifest(bundle / tx.MANIFEST))
    return info.get("rows") == rows and info.get("seed") == seed and info.get("bundle_digest") == digest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bundle", type=Path, required=True)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--files", type=int, default=16)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--missing", type=float, default=0.05, help="minimum null share per nullable column")
    ap.add_argument("--unknown", type=float, default=0.005, help="share of unseen categories per column")
    ap.add_argument("--id-col", default="row_id")
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args(argv)
    if not args.force and cached(args.out, args.bundle, args.rows, args.seed):
        print(f"make_bench_input: reusing {args.out}", file=sys.stderr)
        return 0
    t = time.time()
    info = generate(
        args.bundle,
        args.rows,
        args.out,
        files=args.files,
        seed=args.seed,
        missing=args.missing,
        unknown=args.unknown,
        id_col=args.id_col,
    )
    print(
        f"make_bench_input: wrote {info['rows']} rows for {info['bundle_name']} to {args.out} "
        f"in {time.time() - t:.1f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
