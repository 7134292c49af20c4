#!/usr/bin/env python3
"""(c) The Python reference: pandas + scikit-learn + torch in one process, scoring a Parquet input into Parquet.

    python scripts/bench/python_ref.py --bundle B --input IN --output OUT --result R.json [--threads 2] [--repeat 2]

Per pass: read the input with pyarrow (hive partitions: ``snapshot``), ``to_pandas``, ``preprocessor.transform``
over the whole frame, float32 torch forward in batches of ``--batch-size``, then write the same output columns as
the Spark job (id, passthrough, predictions, bundle_name, bundle_version, bundle_digest, run_id, scored_at) as
snappy Parquet partitioned like the job's output. Pass 1 is cold, later passes warm; the result JSON holds the
import+load time and every pass's read / transform / forward / write seconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

T_START = time.time()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--result", required=True)
    ap.add_argument("--id-col", action="append", default=[])
    ap.add_argument("--passthrough-col", action="append", default=[])
    ap.add_argument("--partition-by", action="append", default=[])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=8192)
    ap.add_argument("--model", default="auto")
    ap.add_argument("--run-id", default="bench-python")
    args = ap.parse_args(argv)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, str(args.threads))

    import json
    import shutil
    from datetime import datetime, timezone

    import bench_model
    import numpy as np
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq
    import torch

    pa.set_cpu_count(args.threads)
    torch.set_num_threads(args.threads)
    t = time.time()
    imports_s = t - T_START
    b = bench_model.loaded(args.bundle, args.model)
    load_s = time.time() - t
    ready = time.time()

    keep = list(dict.fromkeys(args.id_col + args.passthrough_col))
    passes = []
    rows = 0
    for p in range(args.repeat):
        t0 = time.time()
        table = ds.dataset(args.input, format="parquet", partitioning="hive").to_table()
        frame = table.to_pandas()
        rows = len(frame)
        t1 = time.time()
        feats = b.features(frame)
        t2 = time.time()
        cols = bench_model.tx.model_columns(b.forward(feats, args.batch_size), b.task, b.classes)
        t3 = time.time()
        m = b.manifest
        scored_at = datetime.now(timezone.utc)
        out_cols = {k: table.column(k) for k in keep}
        for name in b.outputs:
            v = cols[name]
            out_cols[name] = (
                pa.array([str(x) for x in v], pa.string())
                if name == "label"
                else pa.array(np.asarray(v, dtype=np.float64), pa.float64())
            )
        for k, v in (
            ("bundle_name", m["name"]),
            ("bundle_version", m["version"]),
            ("bundle_digest", b.digest),
            ("run_id", args.run_id),
        ):
            out_cols[k] = pa.array(np.full(rows, v, dtype=object), pa.string())
        out_cols["scored_at"] = pa.array(
            np.full(rows, np.datetime64(scored_at.replace(tzinfo=None), "us")), pa.timestamp("us", tz="UTC")
        )
        out = pa.table(out_cols)
        if os.path.exists(args.output):
            shutil.rmtree(args.output)
        pq.write_to_dataset(out, args.output, partition_cols=args.partition_by or None, compression="snappy")
        t4 = time.time()
        passes.append(
            {
                "pass": p + 1,
                "rows": rows,
                "read_s": t1 - t0,
                "transform_s": t2 - t1,
                "forward_s": t3 - t2,
                "write_s": t4 - t3,
                "seconds": t4 - t0,
                "end_epoch": t4,
            }
        )
        print(
            f"python_ref: pass {p + 1}: {rows} rows in {t4 - t0:.2f}s (read {t1 - t0:.2f}, transform "
            f"{t2 - t1:.2f}, forward {t3 - t2:.2f}, write {t4 - t3:.2f})",
            file=sys.stderr,
        )
        del table, frame, feats, cols, out, out_cols
    result = {
        "system": "python",
        "start_epoch": T_START,
        "ready_epoch": ready,
        "imports_s": imports_s,
        "load_s": load_s,
        "threads": args.threads,
        "torch_threads": torch.get_num_threads(),
        "passes": passes,
    }
    with open(args.result, "w") as f:
        json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
