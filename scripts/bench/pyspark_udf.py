#!/usr/bin/env python3
"""(d) PySpark with a pandas UDF: the MLflow ``spark_udf`` pattern, local[C].

    python scripts/bench/pyspark_udf.py --bundle B --input IN --output OUT --result R.json [--master local[2]]

An iterator ``pandas_udf`` over the bundle's input columns: each Python worker loads the preprocessor and the
network once (``bench_model.loaded``, a module-level cache that lives as long as the reused worker) and scores every
Arrow batch (``spark.sql.execution.arrow.maxRecordsPerBatch`` = ``--batch-size``) with
``preprocessor.transform`` + a float32 forward on one torch thread. The output has the job's columns (id,
passthrough, predictions, identity) and is written as Parquet partitioned like the job's. Pass 1 is cold (workers
start and load the bundle), later passes warm (reused workers).
"""

import argparse
import os
import sys
import time
from typing import Iterator, List, Optional, Tuple

import pandas as pd

T_START = time.time()
HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--result", required=True)
    ap.add_argument("--id-col", action="append", default=[])
    ap.add_argument("--passthrough-col", action="append", default=[])
    ap.add_argument("--partition-by", action="append", default=[])
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=8192)
    ap.add_argument("--model", default="auto")
    ap.add_argument("--run-id", default="bench-pyspark")
    ap.add_argument("--driver-memory", default="2g")
    args = ap.parse_args(argv)

    # pandas_udf reads the type hints below at run time: no `from __future__ import annotations` in this file.
    # Python workers are forked from a daemon that inherits this environment: one torch/BLAS thread each,
    # and this folder on PYTHONPATH so they can import bench_model (and keep its cache); this process finds it
    # as the folder of the script it runs.
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = "1"
    os.environ["PYTHONPATH"] = HERE + os.pathsep + os.environ.get("PYTHONPATH", "")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")

    import json
    from datetime import datetime, timezone

    import bench_model
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    manifest = bench_model.tx.read_manifest(os.path.join(args.bundle, bench_model.tx.MANIFEST))
    digest = bench_model.tx.manifest_digest(manifest)
    inputs = [c["name"] for c in manifest["input"]["columns"]]
    outputs = bench_model.tx.output_columns(manifest["task"], manifest.get("classes"))
    out_type = T.StructType([T.StructField(o, T.StringType() if o == "label" else T.DoubleType()) for o in outputs])
    bundle, model, batch = os.path.abspath(args.bundle), args.model, args.batch_size

    t = time.time()
    spark = (
        SparkSession.builder.master(args.master)
        .appName("tabscore-bench-pyspark")
        .config("spark.driver.memory", args.driver_memory)
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch))
        .config("spark.python.worker.reuse", "true")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    session_s = time.time() - t
    ready = time.time()

    @F.pandas_udf(out_type)
    def score(batches: Iterator[Tuple[pd.Series, ...]]) -> Iterator[pd.DataFrame]:
        import bench_model as bm
        import torch

        torch.set_num_threads(1)
        b = bm.loaded(bundle, model)  # once per Python worker
        for cols in batches:
            frame = pd.DataFrame(dict(zip(b.inputs, cols)))
            yield pd.DataFrame(b.score(frame, batch))

    keep = list(dict.fromkeys(args.id_col + args.passthrough_col))
    passes = []
    for p in range(args.repeat):
        t0 = time.time()
        scored_at = datetime.now(timezone.utc)
        df = spark.read.parquet(args.input)
        scored = df.select(*keep, score(*[F.col(c) for c in inputs]).alias("_out"))
        cols = (
            [F.col(k) for k in keep]
            + [F.col("_out." + o).alias(o) for o in outputs]
            + [
                F.lit(manifest["name"]).alias("bundle_name"),
                F.lit(manifest["version"]).alias("bundle_version"),
                F.lit(digest).alias("bundle_digest"),
                F.lit(args.run_id).alias("run_id"),
                F.lit(scored_at).alias("scored_at"),
            ]
        )
        w = scored.select(*cols).write.mode("overwrite").format("parquet")
        if args.partition_by:
            w = w.partitionBy(*args.partition_by)
        w.save(args.output)
        t1 = time.time()
        passes.append({"pass": p + 1, "seconds": t1 - t0, "end_epoch": t1})
        print(f"pyspark_udf: pass {p + 1}: {t1 - t0:.2f}s", file=sys.stderr)
    rows = spark.read.parquet(args.output).count()
    for p in passes:
        p["rows"] = rows
    spark.stop()
    result = {
        "system": "pyspark",
        "start_epoch": T_START,
        "ready_epoch": ready,
        "session_s": session_s,
        "master": args.master,
        "passes": passes,
    }
    with open(args.result, "w") as f:
        json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
