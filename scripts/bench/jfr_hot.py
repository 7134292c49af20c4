#!/usr/bin/env python3
"""Hot methods of a JFR recording (JDK 17 has no ``jfr view``): aggregates ``jdk.ExecutionSample`` (threads in
Java) and ``jdk.NativeMethodSample`` (threads in native code, e.g. libtorch through DJL's JNI) from
``jfr print --json``.

    python scripts/bench/jfr_hot.py out/bench/runs/<tag>/tabscore.jfr [--threads "Executor task launch"] [--top 25]

Prints, for the sampled threads whose name contains ``--threads`` (default: Spark's task threads):
  * self: the top frame of each sample (where the CPU is), by method;
  * inclusive: every method on the stack, counted once per sample, for frames matching ``--focus``
    (default: tabscore, Spark's row conversion / Parquet / codegen, DJL), so the cost of a phase shows up
    whatever it calls into;
  * by phase: each sample attributed to the frame nearest the top of its stack that matches one of the
    PHASES below (Parquet and codec frames split into read and write by whether the writer is on the stack).
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys

PHASES = [  # (phase, substring of "package.Class.method"); the matching frame nearest the top of the stack wins
    ("model forward (DJL/libtorch)", "ai.djl."),
    ("sklearn transform (bundle-core)", "dev.tabscore.bundle.sklearn"),
    ("scorer / column batch (bundle-core)", "dev.tabscore.bundle"),
    ("RowBatcher (Row -> columns)", "dev.tabscore.job.spark.RowBatcher"),
    ("compression", "org.xerial.snappy"),
    ("compression", "com.github.luben.zstd"),
    ("compression", "io.airlift.compress"),
    ("compression", "org.apache.hadoop.io.compress"),
    ("parquet", "org.apache.spark.sql.execution.datasources.parquet.Vectorized"),
    ("parquet", "org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport"),
    ("parquet", "org.apache.spark.sql.execution.datasources.parquet.ParquetOutputWriter"),
    ("parquet", "org.apache.parquet.column"),
    ("parquet", "org.apache.parquet.hadoop"),
    ("parquet", "org.apache.parquet.io.MessageColumnIO"),
    ("parquet", "org.apache.parquet.bytes"),
    (
        "sort (the writer's local sort on the partition columns)",
        "org.apache.spark.sql.execution.UnsafeExternalRowSorter",
    ),
    ("sort (the writer's local sort on the partition columns)", "org.apache.spark.util.collection.unsafe.sort"),
    ("sort (the writer's local sort on the partition columns)", "org.apache.spark.memory"),
    ("InternalRow -> Row (mapPartitions input)", "SpecificSafeProjection"),
    ("InternalRow -> Row (mapPartitions input)", "createExternalRow"),
    ("Row -> InternalRow (mapPartitions output)", "serializefromobject"),
    ("Row -> InternalRow (mapPartitions output)", "SparkDateTimeUtils"),
    ("Row -> InternalRow (mapPartitions output)", "CatalystTypeConverters"),
    ("Row -> InternalRow (mapPartitions output)", "org.apache.spark.sql.catalyst.expressions.objects"),
    ("Row -> InternalRow (mapPartitions output)", "org.apache.spark.sql.catalyst.encoders"),
    ("ColumnarBatch -> rows (codegen)", "columnartorow"),
    ("PartitionScorer (batch loop, output Row build)", "dev.tabscore.job.spark.PartitionScorer"),
    ("input scan -> UnsafeRow (codegen stage 1)", "GeneratedIteratorForCodegenStage1"),
    ("one-off: codegen, class loading, lambdas", "org.codehaus."),
    ("one-off: codegen, class loading, lambdas", "java.lang.invoke"),
    ("one-off: codegen, class loading, lambdas", "jdk.internal.loader"),
    ("one-off: codegen, class loading, lambdas", "java.lang.ClassLoader"),
    ("one-off: codegen, class loading, lambdas", "java.util.zip"),
    ("one-off: codegen, class loading, lambdas", "java.util.jar"),
]
FALLBACK = [  # tried only when no frame of the stack matches PHASES
    ("Spark writer / task plumbing", "org.apache.spark.sql.execution.datasources"),
    ("Spark writer / task plumbing", "org.apache.spark.sql.catalyst.expressions"),
]
WRITE_ANCHORS = (
    "ParquetWriteSupport",
    "ParquetOutputWriter",
    "InternalParquetRecordWriter",
    "FileFormatDataWriter.write",
    "DynamicPartitionDataSingleWriter.write",
)
FOCUS = (
    "dev.tabscore",
    "org.apache.spark.sql.catalyst",
    "org.apache.parquet",
    "ParquetWriteSupport",
    "VectorizedParquet",
    "ai.djl",
    "org.apache.spark.sql.Row",
    "GeneratedClass",
    "ColumnarToRow",
    "MapPartitions",
    "FileFormatWriter",
)


def frame_name(fr: dict) -> str:
    m = fr.get("method") or {}
    t = (m.get("type") or {}).get("name", "?").replace("/", ".")
    return f"{t}.{m.get('name', '?')}"


def phase_of(frames: list[str]) -> str:
    for f in frames:
        hit = next((p for p, k in PHASES if k in f), None)
        if hit:
            if hit in ("parquet", "compression"):
                # The same Parquet/codec classes read and write: the stack says which.
                w = any(any(a in g for a in WRITE_ANCHORS) for g in frames)
                return (
                    f"{'Parquet write' if hit == 'parquet' else 'compression'} ({'write' if w else 'read'})"
                    if hit == "compression"
                    else ("Parquet write (encode, dictionaries, pages)" if w else "Parquet read (vectorized)")
                )
            return hit
    for f in frames:
        hit = next((p for p, k in FALLBACK if k in f), None)
        if hit:
            return hit
    return "other"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("jfr")
    ap.add_argument("--threads", default="Executor task launch")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument(
        "--since", type=float, default=None, help="only samples after this epoch second (e.g. the end of the cold pass)"
    )
    args = ap.parse_args(argv)
    from datetime import datetime

    raw = subprocess.run(
        [
            "jfr",
            "print",
            "--json",
            "--stack-depth",
            "64",
            "--events",
            "jdk.ExecutionSample,jdk.NativeMethodSample",
            args.jfr,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    events = json.loads(raw)["recording"]["events"]
    self_c: collections.Counter[str] = collections.Counter()
    incl: collections.Counter[str] = collections.Counter()
    phase: collections.Counter[str] = collections.Counter()
    kinds: collections.Counter[str] = collections.Counter()
    threads: collections.Counter[str] = collections.Counter()
    n = 0
    for e in events:
        v = e["values"]
        th = (v.get("sampledThread") or {}).get("javaName") or (v.get("sampledThread") or {}).get("osName") or "?"
        threads[th.split(" for TID")[0]] += 1
        if args.threads not in th:
            continue
        if args.since is not None:
            ts = v.get("startTime", "").rstrip("Z")
            if ts and datetime.fromisoformat(ts[:26] + "+00:00").timestamp() < args.since:  # JFR prints UTC
                continue
        frames = [frame_name(f) for f in ((v.get("stackTrace") or {}).get("frames") or [])]
        if not frames:
            continue
        n += 1
        kinds[e["type"]] += 1
        self_c[frames[0] + (" [native]" if e["type"] == "jdk.NativeMethodSample" else "")] += 1
        for f in set(frames):
            if any(k in f for k in FOCUS):
                incl[f] += 1
        phase[phase_of(frames)] += 1
    print(
        f"{n} samples on threads matching {args.threads!r} ({dict(kinds)})"
        f"{'' if args.since is None else ' after epoch %.3f' % args.since}; all threads: {sum(threads.values())}"
    )
    print("\nby phase (nearest matching frame to the top of the stack):")
    for k, c in phase.most_common():
        print(f"  {100 * c / n:5.1f}%  {c:6d}  {k}")
    print(f"\nself (top frame), top {args.top}:")
    for k, c in self_c.most_common(args.top):
        print(f"  {100 * c / n:5.1f}%  {c:6d}  {k}")
    print(f"\ninclusive (on the stack), focus frames, top {args.top}:")
    for k, c in incl.most_common(args.top):
        print(f"  {100 * c / n:5.1f}%  {c:6d}  {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
