#!/usr/bin/env python3
"""A stand-in for scripts/submit.sh / spark-submit in the orchestration tests.

Takes the job flags (anything before them up to a *.jar argument, as spark-submit gets them, is
skipped), appends its argv as one JSON line to $FAKE_SUBMIT_LOG, and exits with $FAKE_SUBMIT_EXIT
(default 0). On exit 0 it writes a run summary like the job's RunSummary for each snapshot:
`--input .../dt=D` -> one summary at --summary; `--snapshots A..B` -> one per date, `{date}` in
--summary filled in. $FAKE_SUBMIT_ROWS (default 5000) rows in; $FAKE_SUBMIT_SCORED rows scored
(default: the same); $FAKE_SUBMIT_STATUS overrides the status.
"""

import datetime as dt
import json
import os
import sys


def flag(args, name):
    return args[args.index(name) + 1] if name in args else None


def dates(snapshots):
    start, _, end = snapshots.partition("..")
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end or start)
    return [(first + dt.timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def main(argv):
    args = list(argv)
    jars = [i for i, a in enumerate(args) if a.endswith(".jar")]
    if jars:  # spark-submit [options] app.jar [job flags]
        args = args[jars[-1] + 1 :]
    log = os.environ.get("FAKE_SUBMIT_LOG")
    if log:
        with open(log, "a") as f:
            f.write(json.dumps({"argv": list(argv), "job_args": args}) + "\n")
    print("fake-submit: job flags " + " ".join(args))
    code = int(os.environ.get("FAKE_SUBMIT_EXIT", "0"))
    if code != 0:
        print(f"tabscore-job: refused (fake exit {code})", file=sys.stderr)
        return code
    summary = flag(args, "--summary")
    snapshots = flag(args, "--snapshots")
    if snapshots:
        todo = [(d, summary.replace("{date}", d)) for d in dates(snapshots)]
    else:
        todo = [(flag(args, "--input").rsplit("dt=", 1)[-1], summary)]
    rows_in = int(os.environ.get("FAKE_SUBMIT_ROWS", "5000"))
    rows_scored = int(os.environ.get("FAKE_SUBMIT_SCORED", str(rows_in)))
    for date, path in todo:
        body = {
            "status": os.environ.get("FAKE_SUBMIT_STATUS") or ("ok" if rows_in == rows_scored else "rows_mismatch"),
            "run_id": flag(args, "--run-id"),
            "scored_at": "2026-11-02T02:10:00Z",
            "output": "s3a://lake/scores/churn",
            "snapshot": date,
            "rows": {"in": rows_in, "scored": rows_scored},
            "partitions": 4,
            "bundle": {
                "uri": "s3a://models/churn/1.0.0",
                "name": "churn",
                "version": "1.0.0",
                "digest": "sha256:" + "ab" * 32,
                "model_artifact": "model.torchscript.pt",
                "task": "binary",
            },
            "timings_s": {"session_s": 1.0, "bundle_open_verify_s": 2.0, "total_s": 12.5},
        }
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(body, f, indent=2)
    print(f"tabscore-job: wrote {rows_scored * len(todo)} rows; summary {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
