#!/usr/bin/env python3
"""The differential fuzzer: random scikit-learn graphs, fitted and exported by Python, scored by Java.

  python3 scripts/difffuzz/difffuzz.py --ci                 fixed seed, bounded budget; exit 1 on a mismatch
  python3 scripts/difffuzz/difffuzz.py --graphs 500 --long  as many as --budget-s allows (default 2 h)
  python3 scripts/difffuzz/difffuzz.py --releases 1.2.2,1.4.2,1.6.1,1.8.0,1.9.1 --graphs 200
        (one virtualenv per release under $TABSCORE_SK_VENVS, made by make_venvs.sh; "system" = python3)

For each release: ``cases.py`` (under that release's Python) draws, fits and exports the cases and scores
their fresh rows; then ONE JVM runs ``tabscore bundle score-cases`` over all of them (the CLI's
Bundle/GuardedScorer path, as the job scores); then ``compare.py`` classifies each case. Prints a summary
table and writes it, with every non-matching case, as JSON (``--json``, default OUT/summary.json).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

import compare  # noqa: E402

JAR = ROOT / "bundle-core" / "target" / "bundle-core-0.1.0-SNAPSHOT.jar"
CLASSPATH = ROOT / "bundle-core" / "target" / "runtime.classpath"
CI_SEED = 20261205
CI_GRAPHS = 60
CI_BUDGET_S = 240


def default_venvs() -> Path:
    return Path(os.environ.get("TABSCORE_SK_VENVS", Path.home() / ".cache" / "tabscore" / "sk-venvs"))


def python_for(release: str) -> str:
    if release == "system":
        return sys.executable
    py = default_venvs() / f"sk-{release}" / "bin" / "python"
    if not py.is_file():
        raise SystemExit(
            f"difffuzz: no virtualenv for scikit-learn {release} at {py.parent.parent}: "
            f"run scripts/difffuzz/make_venvs.sh {release} (TABSCORE_SK_VENVS={default_venvs()})"
        )
    return str(py)


def java_command() -> list[str]:
    """``java -cp bundle-core.jar:deps TabscoreCli``; builds the jar / classpath file (never installs) if absent."""
    if not JAR.is_file():
        subprocess.run(
            ["mvn", "-q", "-B", "-ntp", "-pl", "bundle-core", "package", "-DskipTests"], cwd=ROOT, check=True
        )
    if not CLASSPATH.is_file():
        subprocess.run(
            [
                "mvn",
                "-q",
                "-B",
                "-ntp",
                "-pl",
                "bundle-core",
                "dependency:build-classpath",
                "-Dmdep.includeScope=runtime",
                f"-Dmdep.outputFile={CLASSPATH}",
            ],
            cwd=ROOT,
            check=True,
        )
    cp = f"{JAR}:{CLASSPATH.read_text().strip()}"
    opts = os.environ.get("TABSCORE_JAVA_OPTS", "").split()
    return ["java", *opts, "-Dai.djl.offline=true", "-cp", cp, "dev.tabscore.bundle.cli.TabscoreCli"]


def score_and_classify(release: str, out: Path, java: bool = True) -> list[dict[str, Any]]:
    """Score every case under ``out`` in one JVM (``bundle score-cases``) and classify them."""
    t1 = time.time()
    if java:
        with open(out / "java.log", "w") as log:
            rc = subprocess.run(
                [*java_command(), "bundle", "score-cases", str(out)], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
            ).returncode
        if rc != 0:
            print(f"difffuzz: score-cases exited {rc}; see {out / 'java.log'}", file=sys.stderr)
    java_s = time.time() - t1
    results = []
    for case in sorted(out.glob("case-*")):
        if (case / "python" / "result.json").is_file():
            results.append({**compare.classify(case), "release": release})
    print(f"[{release}] {len(results)} cases: java {java_s:.0f} s", flush=True)
    return results


def run_release(release: str, out: Path, args: argparse.Namespace, deadline: float) -> list[dict[str, Any]]:
    """Generate the cases of one release (``args.jobs`` processes), score them in one JVM, classify them."""
    out.mkdir(parents=True, exist_ok=True)
    py = python_for(release)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
    jobs = max(1, args.jobs)
    per = -(-args.graphs // jobs)
    procs = []
    t0 = time.time()
    for k in range(jobs):
        start, count = k * per, min(per, args.graphs - k * per)
        if count <= 0:
            continue
        log = open(out / f"cases-{k}.log", "w")
        procs.append(
            (
                subprocess.Popen(
                    [
                        py,
                        str(HERE / "cases.py"),
                        str(out),
                        "--seed",
                        str(args.seed),
                        "--start",
                        str(start),
                        "--count",
                        str(count),
                        "--surface",
                        args.surface,
                        "--deadline",
                        str(deadline),
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    cwd=ROOT,
                ),
                log,
            )
        )
    for p, log in procs:
        p.wait()
        log.close()
    print(f"[{release}] cases drawn, fitted and exported in {time.time() - t0:.0f} s", flush=True)
    return score_and_classify(release, out)


COUNTED = ("match", "refused_by_exporter", "refused_by_verify", "mismatch")


def summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts and percentages per class and per refusal reason, per release."""
    by_release: dict[str, Any] = {}
    for release in sorted({r["release"] for r in results}):
        rs = [r for r in results if r["release"] == release]
        counted = [r for r in rs if r["class"] in COUNTED]
        n = len(counted)
        classes = collections.Counter(r["class"] for r in rs)
        reasons: dict[str, collections.Counter[str]] = {
            c: collections.Counter() for c in ("refused_by_exporter", "refused_by_verify", "invalid_graph")
        }
        for r in rs:
            if r["class"] in reasons:
                reasons[r["class"]][r["reason_key"]] += 1
        mismatch_kinds = collections.Counter(
            f"{r['first']['kind']}" + (f" (known: {r['known']})" if r.get("known") else "")
            for r in rs
            if r["class"] == "mismatch"
        )
        by_release[release] = {
            "sklearn": next((r.get("sklearn") for r in rs if r.get("sklearn")), release),
            "cases": len(rs),
            "counted": n,
            "classes": {
                c: {"count": classes[c], "percent": round(100.0 * classes[c] / n, 1) if n else 0.0} for c in COUNTED
            },
            "invalid_graph": classes["invalid_graph"],
            "fuzzer_error": classes["fuzzer_error"],
            "reasons": {
                c: [
                    {"reason": k, "count": v, "percent": round(100.0 * v / n, 1) if n else 0.0}
                    for k, v in cnt.most_common()
                ]
                for c, cnt in reasons.items()
            },
            "mismatch_kinds": dict(mismatch_kinds),
            # fresh rows scikit-learn scored and Java rejected as knn_unsettled (within the contract)
            "rows_refused_unsettled": sum(r.get("rows_refused_unsettled", 0) for r in rs),
            "cases_with_unsettled_rows": sum(1 for r in rs if r.get("rows_refused_unsettled")),
            # ... and as ufunc_unsettled (sin/cos/tan of an inexact value spanning an extremum or a quarter period)
            "rows_refused_ufunc_unsettled": sum(r.get("rows_refused_ufunc_unsettled", 0) for r in rs),
            "cases_with_ufunc_unsettled_rows": sum(1 for r in rs if r.get("rows_refused_ufunc_unsettled")),
            # rows whose outputs differ only because a feature differs within the contract (ulp envelope, approx)
            "rows_outputs_after_contract_features": sum(r.get("rows_outputs_after_contract_features", 0) for r in rs),
            # scored rows whose 1.2.x reference needed KNNImputer's indicator fix of 1.3 (compare.py docstring)
            "rows_1_2_indicator_width": sum(r.get("rows_1_2_indicator_width", 0) for r in rs),
            "cases_with_1_2_indicator_width": sum(1 for r in rs if r.get("rows_1_2_indicator_width")),
        }
    return by_release


def print_table(summary: dict[str, Any], results: list[dict[str, Any]]) -> None:
    print()
    print(
        f"{'release':<10} {'counted':>7} {'match':>14} {'exporter':>14} {'verify':>14} {'mismatch':>14}"
        f" {'invalid':>8} {'fz-err':>6}"
    )
    for rel, s in summary.items():
        c = s["classes"]
        cells = [f"{c[k]['count']:>5} {c[k]['percent']:>6.1f}%" for k in COUNTED]
        print(
            f"{s['sklearn']:<10} {s['counted']:>7} "
            + " ".join(f"{x:>14}" for x in cells)
            + f" {s['invalid_graph']:>8} {s['fuzzer_error']:>6}"
        )
    for rel, s in summary.items():
        for cls in ("refused_by_exporter", "refused_by_verify"):
            if s["reasons"][cls]:
                print(f"\n[{s['sklearn']}] {cls}, by reason:")
                for r in s["reasons"][cls][:15]:
                    print(f"  {r['count']:>4} {r['percent']:>5.1f}%  {r['reason']}")
    for rel, s in summary.items():
        if s.get("rows_refused_unsettled"):
            print(
                f"\n[{s['sklearn']}] fresh rows rejected as knn_unsettled (scikit-learn scored them; within the"
                f" contract): {s['rows_refused_unsettled']} in {s['cases_with_unsettled_rows']} case(s)"
            )
        if s.get("rows_refused_ufunc_unsettled"):
            print(
                f"\n[{s['sklearn']}] fresh rows rejected as ufunc_unsettled (sin/cos/tan of an inexact value whose"
                f" uncertainty spans an extremum; within the contract): {s['rows_refused_ufunc_unsettled']} in"
                f" {s['cases_with_ufunc_unsettled_rows']} case(s)"
            )
        if s.get("rows_outputs_after_contract_features"):
            print(
                f"\n[{s['sklearn']}] fresh rows whose outputs differ because a feature differs within the contract"
                f" (ulp envelope, approx tolerance; not compared): {s['rows_outputs_after_contract_features']}"
            )
    for rel, s in summary.items():
        if s.get("rows_1_2_indicator_width"):
            print(
                f"\n[{s['sklearn']}] fresh rows whose reference is 1.2's KNNImputer with 1.3's indicator fix (1.2"
                f" alone drops the indicator of a batch without missing values): {s['rows_1_2_indicator_width']}"
                f" in {s['cases_with_1_2_indicator_width']} case(s)"
            )
    mism = [r for r in results if r["class"] == "mismatch"]
    if mism:
        print(f"\nmismatches ({len(mism)}):")
        for r in mism[:30]:
            known = f" [known: {r['known']}]" if r.get("known") else ""
            print(f"  {r['release']} {r['case']}{known}: {json.dumps(r['first'])[:300]}")
    errs = [r for r in results if r["class"] == "fuzzer_error"]
    for r in errs[:5]:
        print(f"  fuzzer error {r['case']}: {r['reason']}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, help="work folder (default: a temporary one, removed unless --keep)")
    p.add_argument("--keep", action="store_true", help="keep the work folder (cases, bundles, logs)")
    p.add_argument("--seed", type=int, default=CI_SEED)
    p.add_argument("--graphs", type=int, default=CI_GRAPHS, help="graphs per release")
    p.add_argument(
        "--budget-s",
        type=float,
        default=CI_BUDGET_S,
        help="seconds for drawing/exporting per release; no new case starts after it",
    )
    p.add_argument("--jobs", type=int, default=2, help="case-drawing processes per release")
    p.add_argument("--surface", choices=("all", "readme", "issue12", "issue14", "float32"), default="all")
    p.add_argument(
        "--releases",
        default="system",
        help="comma-separated scikit-learn releases (virtualenvs by make_venvs.sh), 'system' = python3",
    )
    p.add_argument("--ci", action="store_true", help=f"fixed seed {CI_SEED}, {CI_GRAPHS} graphs, {CI_BUDGET_S} s")
    p.add_argument("--long", action="store_true", help="long mode: 500 graphs per release, 2 h budget each")
    p.add_argument(
        "--rescore",
        action="store_true",
        help="draw nothing: score (Java) and classify the cases already under --out/RELEASE again, "
        "e.g. after a Java fix",
    )
    p.add_argument(
        "--classify-only",
        action="store_true",
        help="draw and score nothing: classify the cases under --out/RELEASE as they are",
    )
    p.add_argument("--json", type=Path, help="summary JSON (default OUT/summary.json, or ./difffuzz-summary.json)")
    p.add_argument(
        "--fail-on-mismatch",
        action="store_true",
        help="exit 1 on any mismatch not in compare.KNOWN_MISMATCHES, or a fuzzer error (implied by --ci)",
    )
    args = p.parse_args(argv)
    if args.ci:
        args.seed, args.graphs, args.budget_s, args.fail_on_mismatch = CI_SEED, CI_GRAPHS, CI_BUDGET_S, True
    if args.long:
        args.graphs, args.budget_s = max(args.graphs, 500), max(args.budget_s, 7200)
    out = args.out or Path(tempfile.mkdtemp(prefix="difffuzz-"))
    results: list[dict[str, Any]] = []
    try:
        for release in [r.strip() for r in args.releases.split(",") if r.strip()]:
            deadline = time.time() + args.budget_s
            if args.rescore or args.classify_only:
                results += score_and_classify(release, out / release, java=not args.classify_only)
            else:
                results += run_release(release, out / release, args, deadline)
        summary = summarize(results)
        print_table(summary, results)
        report = {
            "seed": args.seed,
            "graphs": args.graphs,
            "surface": args.surface,
            "summary": summary,
            "cases": [r for r in results if r["class"] != "match"],
        }
        dest = args.json or (out / "summary.json" if args.out else Path("difffuzz-summary.json"))
        dest.write_text(json.dumps(report, indent=1, default=str) + "\n")
        print(f"\nsummary: {dest}")
    finally:
        if args.out is None and not args.keep:
            shutil.rmtree(out, ignore_errors=True)
        elif args.out is None:
            print(f"cases kept in {out}")
    mismatches = sum(1 for r in results if r["class"] == "mismatch" and not r.get("known"))
    errors = sum(1 for r in results if r["class"] == "fuzzer_error")
    if args.fail_on_mismatch and (mismatches or errors or not results):
        print(
            f"difffuzz: FAILED: {mismatches} mismatches (not in compare.KNOWN_MISMATCHES), {errors} fuzzer errors",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
