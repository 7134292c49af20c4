#!/usr/bin/env python3
"""The end-to-end benchmark driver behind scripts/bench.sh (see there and docs/benchmarks.md).

Runs, one after the other, on the same input and the same number of cores:
  a  floor     Spark reads the input and writes the job's output columns with prob = 0.5 (FloorJob)
  b  tabscore  the real ScoringJob (ScoringBench: ScoringJob.run, pass 1 cold, later passes in the same JVM)
  c  python    pandas + scikit-learn + torch in one process (python_ref.py)
  d  pyspark   PySpark with an iterator pandas UDF, the MLflow spark_udf pattern (pyspark_udf.py)
Every system makes --repeat passes over the input in one process: pass 1 is cold (process start, session, JIT,
model load), later passes are warm. Writes WORK/results/<bundle>-<rows>.json and .md and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

SYSTEMS = {"a": "floor", "b": "tabscore", "c": "python", "d": "pyspark"}


def log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def java_cmd(args: argparse.Namespace, main: str, extra_jvm: list[str] | None = None) -> list[str]:
    opts = (ROOT / "conf" / "java-module-options").read_text().split()
    cp = f"{args.jar}:{Path(args.classpath_file).read_text().strip()}"
    return [
        "java",
        *opts,
        f"-Xmx{args.heap}",
        *shlex.split(os.environ.get("TABSCORE_JAVA_OPTS", "")),
        *(extra_jvm or []),
        "-Dai.djl.offline=true",
        f"-Dlog4j2.configurationFile={ROOT / 'conf' / 'log4j2.properties'}",
        "-cp",
        cp,
        main,
    ]


def run(cmd: list[str], logfile: Path, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Runs a command with its output in logfile; returns (launch epoch, exit epoch, exit code)."""
    logfile.parent.mkdir(parents=True, exist_ok=True)
    log(f"$ {' '.join(shlex.quote(c) for c in cmd)[:400]}  (log: {logfile})")
    e = dict(os.environ)
    e.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    e.update(env or {})
    with open(logfile, "w") as f:
        t0 = time.time()
        rc = subprocess.call(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=ROOT, env=e)
        t1 = time.time()
    if rc != 0:
        tail = logfile.read_text(errors="replace").splitlines()[-30:]
        log(f"exit code {rc}; last lines of {logfile}:\n  " + "\n  ".join(tail))
    return t0, t1, rc


def environment(args: argparse.Namespace) -> dict[str, Any]:
    """The machine and the versions, for docs/benchmarks.md."""
    env: dict[str, Any] = {"nproc": os.cpu_count(), "platform": platform.platform()}
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        env["cpu_model"] = re.search(r"model name\s*:\s*(.*)", cpu).group(1)
        env["mem_total"] = re.search(r"MemTotal:\s*(.*)", Path("/proc/meminfo").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    java = subprocess.run(["java", "-version"], capture_output=True, text=True)
    env["java"] = " / ".join(java.stderr.strip().splitlines()[::2])
    cp = Path(args.classpath_file).read_text()
    for key, pattern in (
        ("spark", r"spark-core_[\d.]+-([\w.-]+?)\.jar"),
        ("djl", r"ai/djl/api/([\w.-]+)/"),
        ("libtorch (djl pytorch-native)", r"pytorch-native-cpu/([\w.-]+)/"),
        ("hadoop", r"hadoop-client-api-([\w.-]+?)\.jar"),
        ("parquet", r"parquet-hadoop-([\w.-]+?)\.jar"),
    ):
        m = re.search(pattern, cp)
        env[key] = m.group(1) if m else None
    env["python"] = platform.python_version()
    from importlib import metadata

    for dist in ("numpy", "pandas", "pyarrow", "scikit-learn", "skops", "torch", "pyspark"):
        try:
            env[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            env[dist] = None
    return env


def tabscore_cmd(
    args: argparse.Namespace,
    inp: Path,
    out: Path,
    result: Path,
    master: str,
    common: list[str],
    jvm: list[str] | None = None,
    model: str = "auto",
) -> list[str]:
    return java_cmd(args, "dev.tabscore.job.bench.ScoringBench", jvm) + [
        "--result",
        str(result),
        "--repeat",
        str(args.repeat),
        "--",
        "--bundle",
        str(args.bundle),
        "--input",
        str(inp),
        "--output",
        str(out),
        "--mode",
        "overwrite",
        "--master",
        master,
        "--run-id",
        "bench-tabscore",
        "--batch-size",
        str(args.batch_size),
        "--threads-per-task",
        "1",
        "--model",
        model,
        "--conf",
        "spark.ui.enabled=false",
        *common,
    ]


def ensure_input(args: argparse.Namespace, manifest: dict[str, Any], digest: str) -> Path:
    out = Path(args.work) / "input" / f"{manifest['name']}-{digest[7:15]}-{args.rows}"
    cmd = [
        sys.executable,
        str(HERE / "make_bench_input.py"),
        "--bundle",
        str(args.bundle),
        "--rows",
        str(args.rows),
        "--out",
        str(out),
        "--files",
        str(args.files),
        "--id-col",
        args.id_col,
    ]
    subprocess.check_call(cmd, cwd=ROOT)
    return out


def warm_page_cache(path: Path) -> int:
    n = 0
    for f in sorted(path.rglob("*.parquet")):
        n += len(f.read_bytes())
    return n


def summarise(system: str, res: dict[str, Any], launch: float, exit_: float, rows: int) -> dict[str, Any]:
    passes = res["passes"]
    main_passes = [p for p in passes if p.get("variant", "pruned") == "pruned"]
    first = main_passes[0]
    warm = min((p["seconds"] for p in main_passes[1:]), default=None)
    s: dict[str, Any] = {
        "system": system,
        "rows": rows,
        "process_wall_s": exit_ - launch,
        "startup_s": res["ready_epoch"] - launch,
        "cold_e2e_s": first["end_epoch"] - launch,
        "cold_pass_s": first["seconds"],
        "warm_pass_s": warm,
    }
    s["cold_rows_per_s"] = rows / s["cold_e2e_s"]
    s["warm_rows_per_s"] = rows / warm if warm else None
    if system == "floor":
        touch = [p["seconds"] for p in passes if p.get("variant") == "touch"]
        s["touch_pass_s"] = min(touch) if touch else None
        s["touch_rows_per_s"] = rows / min(touch) if touch else None
        s["session_s"] = res.get("session_s")
    if system == "tabscore":
        sums = [p.get("summary") or {} for p in passes]
        s["job_timings"] = [x.get("timings_s") for x in sums]
        s["rows_scored"] = [((x.get("rows") or {}).get("scored")) for x in sums]
        # Which artifact scored (the summary's bundle.model_kind / model_artifact), per pass.
        s["model_kind"] = sorted({(x.get("bundle") or {}).get("model_kind") for x in sums} - {None})
        s["model_artifact"] = sorted({(x.get("bundle") or {}).get("model_artifact") for x in sums} - {None})
        t = [x or {} for x in s["job_timings"]]
        s["session_s"] = t[0].get("session_s") if t else None
        # ScoringJob.run creates the session inside pass 1: count it as startup, like the others'.
        s["startup_s"] += s["session_s"] or 0.0
        warm_sw = [x.get("score_write_s") for x in t[1:] if x.get("score_write_s")]
        s["cold_score_write_s"] = t[0].get("score_write_s") if t else None
        s["warm_score_write_s"] = min(warm_sw) if warm_sw else None
        s["warm_score_write_rows_per_s"] = rows / s["warm_score_write_s"] if s["warm_score_write_s"] else None
    if system == "python":
        s["imports_s"], s["load_s"] = res["imports_s"], res["load_s"]
        s["pass_breakdown"] = [
            {k: round(p[k], 3) for k in ("read_s", "transform_s", "forward_s", "write_s")} for p in passes
        ]
    if system == "pyspark":
        s["session_s"] = res.get("session_s")
    return s


def agreement(runs: Path, manifest: dict[str, Any], id_col: str, done: dict[str, Any]) -> dict[str, Any]:
    """max |tabscore - other| per prediction column (joined on the id), so every system is known to compute the
    same thing."""
    import numpy as np
    import pyarrow.dataset as ds

    import tabscore_export as tx

    cols = [c for c in tx.output_columns(manifest["task"], manifest.get("classes")) if c != "label"]
    if "tabscore" not in done:
        return {}

    def load(name: str) -> Any:
        t = ds.dataset(runs / f"out-{name}", format="parquet", partitioning="hive").to_table(columns=[id_col, *cols])
        return t.sort_by(id_col)

    ref = load("tabscore")
    out: dict[str, Any] = {}
    for name in [*(n for n in done if n.startswith("tabscore-")), "python", "pyspark"]:
        if name in done:
            o = load(name)
            if o.num_rows != ref.num_rows or not np.array_equal(o[id_col].to_numpy(), ref[id_col].to_numpy()):
                out[name] = "row ids differ"
                continue
            out[name] = {c: float(np.max(np.abs(o[c].to_numpy() - ref[c].to_numpy()))) for c in cols}
    return out


def model_table(report: dict[str, Any]) -> list[str]:
    """With --model listing several kinds: tabscore once per kind, in one invocation (same input, same machine)."""
    kinds = report["models"]
    runs = [(k, report["systems"].get("tabscore" if i == 0 else f"tabscore-{k}")) for i, k in enumerate(kinds)]
    runs = [(k, s) for k, s in runs if s]
    if len(kinds) < 2 or not runs:
        return []
    first = runs[0][1]
    lines = [
        "",
        f"tabscore by `--model` (one invocation; ratios to `--model {runs[0][0]}`):",
        "",
        "| --model | scored by | cold end-to-end s | warm pass s | warm rows/s | warm score_write_s "
        "| warm ÷ first |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for k, s in runs:
        lines.append(
            f"| {k} | {', '.join(s.get('model_kind') or [])} ({', '.join(s.get('model_artifact') or [])}) "
            f"| {fmt(s['cold_e2e_s'])} | {fmt(s['warm_pass_s'])} | {fmt(s['warm_rows_per_s'], 0)} | "
            f"{fmt(s.get('warm_score_write_s'))} | {fmt(ratio(s['warm_rows_per_s'], first['warm_rows_per_s']))} |"
        )
    return lines


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def fmt(v: Any, nd: int = 2) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def markdown(report: dict[str, Any]) -> str:
    rows = report["rows"]
    lines = [
        f"#### {report['bundle_name']} — {rows:,} rows, {report['cores']} cores"
        f"{' — ' + report['label'] if report.get('label') else ''}",
        "",
        "| system | startup s | cold end-to-end s | cold rows/s | warm pass s | warm rows/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, name in SYSTEMS.items():
        s = report["systems"].get(name)
        if not s:
            continue
        lines.append(
            f"| {key} {name} | {fmt(s['startup_s'])} | {fmt(s['cold_e2e_s'])} | "
            f"{fmt(s['cold_rows_per_s'], 0)} | {fmt(s['warm_pass_s'])} | {fmt(s['warm_rows_per_s'], 0)} |"
        )
    f = report["systems"].get("floor")
    if f and f.get("touch_pass_s"):
        lines.append(
            f"| a' floor reading the model inputs | | | | {fmt(f['touch_pass_s'])} | "
            f"{fmt(f['touch_rows_per_s'], 0)} |"
        )
    b = report["systems"].get("tabscore")
    lines += [
        "",
        "| ratio (throughput of b over the other) | cold end-to-end | warm pass | target |",
        "| --- | ---: | ---: | --- |",
    ]
    for key, name, target in (("a", "floor", "≥ 0.85"), ("c", "python", report["target_c"]), ("d", "pyspark", "≥ 3")):
        r = report["ratios"].get(f"b/{key}")
        if r:
            lines.append(f"| b/{key} ({name}) | {fmt(r['cold'])} | {fmt(r['warm'])} | {target} |")
    if f and b and f.get("touch_rows_per_s") and b.get("warm_rows_per_s"):
        lines.append(f"| b/a' (floor reading the inputs) | | {fmt(b['warm_rows_per_s'] / f['touch_rows_per_s'])} | |")
    if b:
        jt = b.get("job_timings") or []
        lines += [
            "",
            "tabscore's own timings (run summary `timings_s`, pass 1 cold / pass 2 warm): "
            + "; ".join(
                "pass %d: %s" % (i + 1, ", ".join(f"{k} {v}" for k, v in (t or {}).items())) for i, t in enumerate(jt)
            ),
        ]
    lines += model_table(report)
    if report.get("agreement"):
        lines += [
            "",
            "max |tabscore − other| over all rows: "
            + "; ".join(
                f"{k}: {v if isinstance(v, str) else ', '.join(f'{c} {x:.1e}' for c, x in v.items())}"
                for k, v in report["agreement"].items()
            ),
        ]
    c = report["systems"].get("python")
    if c:
        lines += [
            "",
            f"python: imports {fmt(c['imports_s'])} s, bundle load {fmt(c['load_s'])} s; per pass "
            + "; ".join(
                f"pass {i + 1}: " + ", ".join(f"{k} {v}" for k, v in p.items())
                for i, p in enumerate(c["pass_breakdown"])
            ),
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--bundle", type=Path, default=ROOT / "sample-data" / "bundle")
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--systems", default="abcd", help="which of a b c d to run (default abcd)")
    ap.add_argument("--repeat", type=int, default=2, help="passes per system, in one process (default 2)")
    ap.add_argument("--work", type=Path, default=ROOT / "out" / "bench")
    ap.add_argument("--files", type=int, default=16)
    ap.add_argument("--id-col", default="row_id")
    ap.add_argument("--batch-size", type=int, default=8192)
    ap.add_argument("--heap", default="4g", help="-Xmx of the Spark JVMs (a, b, d's driver)")
    ap.add_argument("--jfr", action="store_true", help="record tabscore's run with JFR and list hot methods")
    ap.add_argument("--label", default="", help="a note for the table heading (e.g. preliminary)")
    ap.add_argument(
        "--model",
        default="auto",
        help="tabscore's --model (auto, state_dict, onnx, torchscript); a comma list runs b once per kind",
    )
    ap.add_argument("--jar", required=True)
    ap.add_argument("--classpath-file", required=True)
    args = ap.parse_args(argv)
    args.bundle = args.bundle.resolve()
    args.work = args.work.resolve()

    import tabscore_export as tx

    manifest = tx.read_manifest(args.bundle / tx.MANIFEST)
    digest = tx.manifest_digest(manifest)
    models = args.model.split(",")
    tag = f"{manifest['name']}-{args.rows}" + ("" if models == ["auto"] else "-" + "-".join(models))
    inp = ensure_input(args, manifest, digest)
    log(f"input {inp}: {warm_page_cache(inp) / 1e6:.1f} MB read into the page cache")
    runs = args.work / "runs" / tag
    runs.mkdir(parents=True, exist_ok=True)
    master = f"local[{args.cores}]"
    common = ["--id-col", args.id_col, "--passthrough-col", "snapshot", "--partition-by", "snapshot"]
    target_c = "≥ 3" if manifest["name"] == "infrequent-kbins" else "≥ 1.5"
    report: dict[str, Any] = {
        "bundle": str(args.bundle),
        "bundle_name": manifest["name"],
        "bundle_digest": digest,
        "rows": args.rows,
        "cores": args.cores,
        "repeat": args.repeat,
        "label": args.label,
        "input": str(inp),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "load_avg_before": os.getloadavg(),
        "systems": {},
        "commands": {},
        "target_c": target_c,
        "environment": environment(args),
        "models": models,
        "argv": sys.argv[1:],
    }
    failed = []
    # b runs once per --model kind; the first keeps the name "tabscore" (the ratios use it).
    jobs = [(key, SYSTEMS[key], models[0]) for key in args.systems]
    if "b" in args.systems:
        at = args.systems.index("b") + 1
        jobs[at:at] = [("b", f"tabscore-{k}", k) for k in models[1:]]
    for key, name, model in jobs:
        out = runs / f"out-{name}"
        result = runs / f"{name}.json"
        if result.exists():
            result.unlink()
        env: dict[str, str] = {}
        if name == "floor":
            passes = ",".join(["pruned"] * args.repeat + ["touch"])
            cmd = java_cmd(args, "dev.tabscore.job.bench.FloorJob") + [
                "--input",
                str(inp),
                "--output",
                str(out),
                "--bundle",
                str(args.bundle),
                "--master",
                master,
                "--result",
                str(result),
                "--passes",
                passes,
                *common,
            ]
        elif key == "b":
            cmd = tabscore_cmd(args, inp, out, result, master, common, model=model)
        elif name == "python":
            cmd = [
                sys.executable,
                str(HERE / "python_ref.py"),
                "--bundle",
                str(args.bundle),
                "--input",
                str(inp),
                "--output",
                str(out),
                "--result",
                str(result),
                "--threads",
                str(args.cores),
                "--repeat",
                str(args.repeat),
                "--batch-size",
                str(args.batch_size),
                *common,
            ]
        else:
            cmd = [
                sys.executable,
                str(HERE / "pyspark_udf.py"),
                "--bundle",
                str(args.bundle),
                "--input",
                str(inp),
                "--output",
                str(out),
                "--result",
                str(result),
                "--master",
                master,
                "--repeat",
                str(args.repeat),
                "--batch-size",
                str(args.batch_size),
                "--driver-memory",
                args.heap,
                *common,
            ]
        report["commands"][name] = " ".join(shlex.quote(c) for c in cmd)
        launch, exit_, rc = run(cmd, runs / f"{name}.log", env)
        if rc != 0 or not result.exists():
            failed.append(name)
            continue
        s = summarise("tabscore" if key == "b" else name, json.loads(result.read_text()), launch, exit_, args.rows)
        report["systems"][name] = s
        log(
            f"{name}: cold end-to-end {s['cold_e2e_s']:.2f}s ({s['cold_rows_per_s']:,.0f} rows/s), warm pass "
            f"{fmt(s['warm_pass_s'])}s ({fmt(s['warm_rows_per_s'], 0)} rows/s)"
        )
    b = report["systems"].get("tabscore")
    report["ratios"] = {}
    if b:
        for key, name in (("a", "floor"), ("c", "python"), ("d", "pyspark")):
            o = report["systems"].get(name)
            if o:
                report["ratios"][f"b/{key}"] = {
                    "cold": ratio(b["cold_rows_per_s"], o["cold_rows_per_s"]),
                    "warm": ratio(b["warm_rows_per_s"], o["warm_rows_per_s"]),
                }
    report["agreement"] = agreement(runs, manifest, args.id_col, report["systems"])
    if report["agreement"]:
        log(f"predictions agree: {report['agreement']}")
    report["load_avg_after"] = os.getloadavg()
    if args.jfr:
        # A separate profiled run (JFR's sampling at 1 ms costs a little): not one of the timed runs.
        jfr = runs / "tabscore.jfr"
        jvm = [f"-XX:StartFlightRecording=filename={jfr},settings=profile,method-profiling=max,dumponexit=true"]
        cmd = tabscore_cmd(
            args, inp, runs / "out-tabscore-jfr", runs / "tabscore-jfr.json", master, common, jvm, model=models[0]
        )
        report["commands"]["tabscore-jfr"] = " ".join(shlex.quote(c) for c in cmd)
        run(cmd, runs / "tabscore-jfr.log")
    if args.jfr and (runs / "tabscore.jfr").exists():
        hot = subprocess.run(
            [sys.executable, str(HERE / "jfr_hot.py"), str(runs / "tabscore.jfr")],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        text = hot.stdout + hot.stderr
        jres = runs / "tabscore-jfr.json"
        if jres.exists() and len(json.loads(jres.read_text())["passes"]) > 1:
            since = json.loads(jres.read_text())["passes"][0]["end_epoch"]
            warm = subprocess.run(
                [sys.executable, str(HERE / "jfr_hot.py"), str(runs / "tabscore.jfr"), "--since", str(since)],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            text = (
                "== all passes ==\n"
                + text
                + "\n== warm passes only (after the cold pass) ==\n"
                + warm.stdout
                + warm.stderr
            )
        (runs / "tabscore-hot.txt").write_text(text)
        report["jfr"] = str(runs / "tabscore.jfr")
        log(f"JFR hot methods in {runs / 'tabscore-hot.txt'}")
    res_dir = args.work / "results"
    res_dir.mkdir(parents=True, exist_ok=True)
    (res_dir / f"{tag}.json").write_text(json.dumps(report, indent=2) + "\n")
    md = markdown(report)
    (res_dir / f"{tag}.md").write_text(md)
    print(md)
    log(
        f"results in {res_dir / (tag + '.json')} and .md; load average before {report['load_avg_before']}, "
        f"after {report['load_avg_after']}"
    )
    if failed:
        log(f"FAILED: {', '.join(failed)} (logs in {runs})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
