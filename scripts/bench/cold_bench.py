#!/usr/bin/env python3
"""Cold whole-process benchmark behind `scripts/bench.sh --cold` (issue 18; see docs/benchmarks.md).

One nightly run pays the whole process: launch, JVM/imports, session, bundle, one pass, shutdown. This runs
each system as a fresh process per run, the way run-local.sh / spark-submit and a user's script run it:
  b        tabscore: `java ... dev.tabscore.job.ScoringJob` (no AppCDS archive)
  b+cds    the same with the job's AppCDS archive (-XX:SharedArchiveFile, made by one training run first)
  b0       with --base-jar/--base-classpath-file: another build of the job (e.g. main before a change), no archive
  c        the Python reference (python_ref.py --repeat 1)
Runs are interleaved (b, b+cds, c, b, b+cds, c, ...) so that they share the machine's noise. For each system:
median wall time (launch to exit), median peak RSS of the process (wait4's ru_maxrss), and for b where the
seconds go (run summary `timings_s`). Writes WORK/results/cold-<bundle>-<rows>.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import run_bench as rb

# input_read_s runs beside bundle_open_verify_s (a second thread), so it is not added to the others.
PHASES = (
    "jvm_start_s",
    "session_s",
    "bundle_open_verify_s",
    "input_read_s",
    "input_check_s",
    "score_write_s",
    "publish_s",
)


def timed(cmd: list[str], logfile: Path) -> tuple[float, int, int]:
    """Runs cmd; returns (wall seconds launch to exit, peak RSS in MB of the process, exit code)."""
    env = dict(os.environ)
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    rb.log(f"$ {' '.join(shlex.quote(c) for c in cmd)[:300]}  (log: {logfile})")
    with open(logfile, "w") as f:
        t0 = time.time()
        p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=rb.ROOT, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.time() - t0
    rc = os.waitstatus_to_exitcode(status)
    if rc != 0:
        rb.log(f"exit code {rc}; see {logfile}")
    return wall, usage.ru_maxrss // 1024, rc


def job_cmd(
    args: argparse.Namespace, inp: Path, out: Path, summary: Path, jvm: list[str], base: bool = False
) -> list[str]:
    if base:
        args = argparse.Namespace(**{**vars(args), "jar": args.base_jar, "classpath_file": args.base_classpath_file})
    return rb.java_cmd(args, "dev.tabscore.job.ScoringJob", jvm) + [
        "--bundle",
        str(args.bundle),
        "--input",
        str(inp),
        "--output",
        str(out),
        "--mode",
        "overwrite",
        "--master",
        f"local[{args.cores}]",
        "--run-id",
        "bench-cold",
        "--batch-size",
        str(args.batch_size),
        "--threads-per-task",
        "1",
        "--conf",
        "spark.ui.enabled=false",
        "--summary",
        str(summary),
        "--id-col",
        args.id_col,
        "--passthrough-col",
        "snapshot",
        "--partition-by",
        "snapshot",
    ]


def median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def markdown(r: dict[str, Any]) -> str:
    lines = [
        f"#### cold whole process — {r['bundle_name']}, {r['rows']:,} rows, {r['cores']} cores, "
        f"{r['runs']} runs each (median){' — ' + r['label'] if r.get('label') else ''}",
        "",
        "| system | wall s (median) | all runs s | rows/s | peak RSS MB (median) |",
        "| --- | ---: | --- | ---: | ---: |",
    ]
    for name, s in r["systems"].items():
        lines.append(
            f"| {name} | {rb.fmt(s['wall_s'])} | {', '.join(f'{x:.2f}' for x in s['walls'])} | "
            f"{rb.fmt(r['rows'] / s['wall_s'], 0)} | {rb.fmt(s['rss_mb'], 0)} |"
        )
    lines += [
        "",
        "| ratio (c/x: python ÷ tabscore, b0/x: baseline ÷ this build; > 1: x is faster or smaller) | value |",
        "| --- | ---: |",
    ]
    for k, v in r["ratios"].items():
        lines.append(f"| {k} | {rb.fmt(v)} |")
    for name in ("b0", "b", "b+cds"):
        s = r["systems"].get(name)
        if s and s.get("phases"):
            lines += [
                "",
                f"{name}: where the seconds go (median of the run summaries' `timings_s`): "
                + ", ".join(f"{k} {v:.2f}" for k, v in s["phases"].items()),
            ]
    c = r["systems"].get("c")
    if c and c.get("phases"):
        lines += ["", "c: " + ", ".join(f"{k} {v:.2f}" for k, v in c["phases"].items())]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--bundle", type=Path, default=rb.ROOT / "sample-data" / "bundle")
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3, help="fresh processes per system (default 3)")
    ap.add_argument("--systems", default="b,b+cds,c", help="comma-separated: b, b+cds, c (default all)")
    ap.add_argument("--work", type=Path, default=rb.ROOT / "out" / "bench")
    ap.add_argument("--files", type=int, default=16)
    ap.add_argument("--id-col", default="row_id")
    ap.add_argument("--batch-size", type=int, default=8192)
    ap.add_argument("--heap", default="4g")
    ap.add_argument("--label", default="")
    ap.add_argument("--jar", required=True)
    ap.add_argument("--classpath-file", required=True)
    ap.add_argument(
        "--reuse-archive",
        action="store_true",
        help="b+cds: keep the archive of an earlier --cold run of this bundle and size (no training run)",
    )
    ap.add_argument("--base-jar", help="system b0: the job jar of another build (a baseline)")
    ap.add_argument("--base-classpath-file", help="system b0: that build's local.classpath")
    args = ap.parse_args(argv)
    args.bundle = args.bundle.resolve()
    args.work = args.work.resolve()
    systems = [s for s in args.systems.split(",") if s]
    if args.base_jar and "b0" not in systems:
        systems.insert(0, "b0")

    import tabscore_export as tx

    manifest = tx.read_manifest(args.bundle / tx.MANIFEST)
    inp = rb.ensure_input(args, manifest, tx.manifest_digest(manifest))
    rb.log(f"input {inp}: {rb.warm_page_cache(inp) / 1e6:.1f} MB read into the page cache")
    runs = args.work / "runs" / f"cold-{manifest['name']}-{args.rows}"
    runs.mkdir(parents=True, exist_ok=True)
    archive = runs / "tabscore-job.jsa"
    cmds: dict[str, Any] = {}
    if "b+cds" in systems and not (args.reuse_archive and archive.exists()):
        # The training run: the same job on the same input, classes archived at exit.
        archive.unlink(missing_ok=True)
        cmd = job_cmd(
            args, inp, runs / "out-train", runs / "train-summary.json", [f"-XX:ArchiveClassesAtExit={archive}"]
        )
        cmds["cds-training"] = " ".join(shlex.quote(c) for c in cmd)
        wall, _, rc = timed(cmd, runs / "cds-training.log")
        rb.log(
            f"AppCDS training run: {wall:.2f}s, archive {archive.stat().st_size / 1e6 if archive.exists() else 0:.0f} MB"
        )
    res: dict[str, dict[str, Any]] = {s: {"walls": [], "rss": [], "timings": [], "python": []} for s in systems}
    for i in range(args.runs):
        for name in systems:
            summary = runs / f"{name}-{i}.summary.json"
            result = runs / f"{name}-{i}.python.json"
            if name == "c":
                cmd = [
                    sys.executable,
                    str(rb.HERE / "python_ref.py"),
                    "--bundle",
                    str(args.bundle),
                    "--input",
                    str(inp),
                    "--output",
                    str(runs / "out-c"),
                    "--result",
                    str(result),
                    "--threads",
                    str(args.cores),
                    "--repeat",
                    "1",
                    "--batch-size",
                    str(args.batch_size),
                    "--id-col",
                    args.id_col,
                    "--passthrough-col",
                    "snapshot",
                    "--partition-by",
                    "snapshot",
                ]
            else:
                jvm = [f"-XX:SharedArchiveFile={archive}"] if name == "b+cds" else []
                cmd = job_cmd(args, inp, runs / f"out-{name}", summary, jvm, base=name == "b0")
            cmds[name] = " ".join(shlex.quote(c) for c in cmd)
            wall, rss, rc = timed(cmd, runs / f"{name}-{i}.log")
            if rc != 0:
                return 1
            res[name]["walls"].append(wall)
            res[name]["rss"].append(rss)
            if name == "c":
                pr = json.loads(result.read_text())
                p = pr["passes"][0]
                res[name]["python"].append(
                    {
                        "imports_s": pr["imports_s"],
                        "load_s": pr["load_s"],
                        **{k: p[k] for k in ("read_s", "transform_s", "forward_s", "write_s")},
                    }
                )
            else:
                t = json.loads(summary.read_text()).get("timings_s", {})
                t["after_run_s"] = wall - t.get("jvm_start_s", 0) - t.get("total_s", 0) - t.get("publish_s", 0)
                res[name]["timings"].append(t)
            rb.log(f"{name} run {i + 1}: {wall:.2f}s, peak RSS {rss} MB")
    report: dict[str, Any] = {
        "bundle_name": manifest["name"],
        "rows": args.rows,
        "cores": args.cores,
        "runs": args.runs,
        "label": args.label,
        "commands": cmds,
        "systems": {},
        "load_avg": os.getloadavg(),
        "environment": rb.environment(args),
    }
    for name, r in res.items():
        s: dict[str, Any] = {
            "walls": r["walls"],
            "wall_s": median(r["walls"]),
            "rss_mb": median(r["rss"]),
            "rss_all_mb": r["rss"],
        }
        src = r["timings"] if name != "c" else r["python"]
        keys = (
            (*PHASES, "after_run_s")
            if name != "c"
            else ("imports_s", "load_s", "read_s", "transform_s", "forward_s", "write_s")
        )
        s["phases"] = {k: median([t[k] for t in src if k in t]) for k in keys if any(k in t for t in src)}
        report["systems"][name] = s
    report["ratios"] = {}
    b0 = report["systems"].get("b0")
    for name in ("b", "b+cds"):
        if b0 and name in report["systems"]:
            report["ratios"][f"b0/{name} wall (> 1: faster than the baseline build)"] = (
                b0["wall_s"] / report["systems"][name]["wall_s"]
            )
    c = report["systems"].get("c")
    for name in ("b0", "b", "b+cds"):
        if c and name in report["systems"]:
            report["ratios"][f"c/{name} wall"] = c["wall_s"] / report["systems"][name]["wall_s"]
            report["ratios"][f"c/{name} peak RSS"] = c["rss_mb"] / report["systems"][name]["rss_mb"]
    out = args.work / "results"
    out.mkdir(parents=True, exist_ok=True)
    tag = f"cold-{manifest['name']}-{args.rows}"
    (out / f"{tag}.json").write_text(json.dumps(report, indent=2) + "\n")
    md = markdown(report)
    (out / f"{tag}.md").write_text(md)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
