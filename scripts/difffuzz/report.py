#!/usr/bin/env python3
"""Markdown figures from difffuzz summary JSON files (for docs/differential-fuzzing.md):

python3 scripts/difffuzz/report.py /tmp/fz/summary.json [more.json ...] [--top 8]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("summaries", nargs="+", type=Path)
    p.add_argument("--top", type=int, default=8, help="refusal reasons listed per release and class")
    args = p.parse_args()
    rows, details = [], []
    for path in args.summaries:
        report = json.loads(path.read_text())
        for rel, s in report["summary"].items():
            c = s["classes"]
            known = sum(v for k, v in s["mismatch_kinds"].items() if "known" in k)
            rows.append(
                f"| {s['sklearn']} | {report['surface']} | {report['seed']} | {s['cases']} | {s['counted']} | "
                + " | ".join(
                    f"{c[k]['count']} ({c[k]['percent']}%)"
                    for k in ("match", "refused_by_exporter", "refused_by_verify")
                )
                + f" | {c['mismatch']['count']} ({known} known) | {s['invalid_graph']} | {s['fuzzer_error']} |"
            )
            for cls in ("refused_by_exporter", "refused_by_verify"):
                if s["reasons"][cls]:
                    details.append(f"\n{s['sklearn']} ({report['surface']}), {cls.replace('_', ' ')}:\n")
                    for r in s["reasons"][cls][: args.top]:
                        details.append(f"- {r['count']} ({r['percent']}%): `{r['reason']}`")
            mism = [x for x in report["cases"] if x["class"] == "mismatch" and x["release"] == rel]
            if mism:
                details.append(f"\n{s['sklearn']} ({report['surface']}), mismatches:\n")
                for x in mism:
                    known = f" [known: {x['known']}]" if x.get("known") else ""
                    details.append(f"- {x['case']}{known}: `{json.dumps(x['first'])[:240]}`")
    print(
        "| scikit-learn | surface | seed | graphs | counted | match | refused by exporter | refused by verify "
        "| mismatch | invalid graph | fuzzer error |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    print("\n".join(details))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
