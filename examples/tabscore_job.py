"""The scoring job's command line and run summary, for orchestrators (standard library only).

One function builds the job flags for both a nightly run and a backfill, so a backfill is the
nightly call with `--snapshots A..B --input-template T` in place of `--input`:

    >>> job_args(run_id="nightly-20261101", input="s3a://lake/features/dt=2026-11-01",
    ...          summary="/data/tabscore/summaries/dt=2026-11-01/_tabscore_summary.json")[:4]
    ['--config', 'conf/nightly.yaml', '--input', 's3a://lake/features/dt=2026-11-01']
    >>> job_args(run_id="backfill-20260101-20260331", snapshots="2026-01-01..2026-03-31",
    ...          input_template="s3a://lake/features/dt={date}",
    ...          summary="/data/tabscore/summaries/dt={date}/_tabscore_summary.json")[2:6]
    ['--snapshots', '2026-01-01..2026-03-31', '--input-template', 's3a://lake/features/dt={date}']

Summary location: each snapshot's summary is at `for_date(summary_template, date)`, for a nightly
run (the orchestrator fills the date in) and a backfill (the job fills `{date}` in, one summary per
snapshot) alike. That `--summary` takes the same `{date}` placeholder as `--input-template` in
backfill mode is an assumption about the planned `--snapshots` mode: if it writes its per-snapshot
summaries elsewhere, change the summary template and `job_args` here, nothing else.

The summary JSON is the job's RunSummary (`<output>/_tabscore_summary.json` or `--summary`):
status ("ok", or "rows_mismatch" when rows in != rows scored; a run that fails before writing
writes none), run_id, rows.in, rows.scored, bundle.{name, version, digest}, timings_s, ...
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import subprocess
from collections.abc import Callable, Iterable
from typing import IO, Any

# Where things are; the examples read these from the environment so a deployment (and the tests)
# can move them without editing the DAG / asset code.
JOB_CLASS = "dev.tabscore.job.ScoringJob"
DEFAULT_CONFIG = "conf/nightly.yaml"
DEFAULT_INPUT_TEMPLATE = "s3a://lake/features/dt={date}"
DEFAULT_SUMMARY_TEMPLATE = "/data/tabscore/summaries/churn/dt={date}/_tabscore_summary.json"


def job_args(
    *,
    run_id: str,
    summary: str,
    config: str = DEFAULT_CONFIG,
    input: str | None = None,  # noqa: A002 - the job's flag name
    snapshots: str | None = None,
    input_template: str | None = None,
    extra: Iterable[str] = (),
) -> list[str]:
    """ScoringJob's flags for one run: either `input` (one snapshot) or `snapshots` +
    `input_template` (a backfill, planned job mode). `extra` is appended (e.g. --expect-digest)."""
    if (input is None) == (snapshots is None):
        raise ValueError("give exactly one of input (a nightly run) or snapshots (a backfill)")
    args = ["--config", config]
    if snapshots is not None:
        if not input_template or "{date}" not in input_template:
            raise ValueError("a backfill needs input_template with a {date} placeholder")
        args += ["--snapshots", snapshots, "--input-template", input_template]
    else:
        args += ["--input", input]
    args += ["--run-id", run_id, "--summary", summary]
    return args + list(extra)


def snapshot_range(start: str, end: str) -> str:
    """The job's `--snapshots` value, `2026-01-01..2026-03-31` (both ends included)."""
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if last < first:
        raise ValueError(f"snapshot range ends before it starts: {start}..{end}")
    return f"{first.isoformat()}..{last.isoformat()}"


def snapshot_dates(snapshots: str) -> list[str]:
    """Every date of a `--snapshots A..B` value (or of a single date), as YYYY-MM-DD."""
    start, sep, end = snapshots.partition("..")
    first = dt.date.fromisoformat(start)
    last = dt.date.fromisoformat(end) if sep else first
    if last < first:
        raise ValueError(f"snapshot range ends before it starts: {snapshots}")
    return [(first + dt.timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def for_date(template: str, date: str) -> str:
    """A template (input or summary) with its {date} placeholder filled in."""
    return template.replace("{date}", date)


# -- reading the summary ---------------------------------------------------------------------------

Opener = Callable[[str], IO[bytes]]


def _default_opener(uri: str) -> IO[bytes]:
    if uri.startswith("file://"):
        return open(uri[len("file://") :], "rb")
    if "://" not in uri:
        return open(uri, "rb")
    try:
        import fsspec  # s3fs / gcsfs provide s3:// and gs://
    except ImportError as e:  # pragma: no cover - depends on the deployment
        raise RuntimeError(
            f"cannot read {uri}: pass an opener, or install fsspec and the " f"filesystem for its scheme (s3fs, gcsfs)"
        ) from e
    if uri.startswith("s3a://"):
        uri = "s3://" + uri[len("s3a://") :]  # Hadoop's scheme; fsspec knows it as s3://
    return fsspec.open(uri, "rb").open()


def read_summary(uri: str, opener: Opener | None = None) -> dict[str, Any]:
    """The run summary at `uri`: a local path or file:// by default, any other scheme through
    fsspec, or whatever `opener(uri) -> binary file` reads (e.g. an Airflow ObjectStoragePath
    with a connection, `lambda u: ObjectStoragePath(u, conn_id="aws").open("rb")`)."""
    with (opener or _default_opener)(uri) as f:
        return json.load(f)


class SummaryError(ValueError):
    """The summary says the run must not be used. `retryable` is the summary's own verdict
    (a transient fault: storage, native library, an undone publication, a failed stage), for
    deployments where the exit code is lost (spark-submit in cluster deploy mode); False for
    every verdict and for summaries that do not say."""

    def __init__(self, message: str, retryable: bool = False, exit_code: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.exit_code = exit_code


def check_summary(
    summary: dict[str, Any],
    *,
    run_id: str | None = None,
    expect_digest: str | None = None,
) -> dict[str, Any]:
    """Checks a run summary and returns its facts (rows, bundle identity, timing).

    Raises SummaryError when the status is not "ok", rows in != rows scored, the summary belongs
    to another run (`run_id`: a stale summary from an earlier run at the same path), or the bundle
    is not the expected one. Row-count *thresholds* are the caller's decision (branch or fail)."""
    problems = []
    status = summary.get("status")
    if status != "ok":
        why = (
            f" (exit {summary.get('exit_code')}, {summary.get('reason')}: " f"{summary.get('message')})"
            if summary.get("reason")
            else ""
        )
        problems.append(f"status is {status!r}, not 'ok'{why}")
    rows = summary.get("rows") or {}
    rows_in, rows_scored = rows.get("in"), rows.get("scored")
    if not isinstance(rows_in, int) or not isinstance(rows_scored, int):
        problems.append(f"rows.in / rows.scored missing: {rows!r}")
    elif rows_in != rows_scored:
        problems.append(f"rows.in {rows_in} != rows.scored {rows_scored}")
    if run_id is not None and summary.get("run_id") != run_id:
        problems.append(
            f"run_id is {summary.get('run_id')!r}, expected {run_id!r} " f"(a summary left by another run?)"
        )
    bundle = summary.get("bundle") or {}
    if expect_digest is not None and bundle.get("digest") != expect_digest:
        problems.append(f"bundle digest {bundle.get('digest')!r} != expected {expect_digest!r}")
    if problems:
        stale = run_id is not None and summary.get("run_id") != run_id
        raise SummaryError(
            "; ".join(problems),
            retryable=bool(summary.get("retryable")) and not stale,
            exit_code=summary.get("exit_code"),
        )
    return {
        "run_id": summary.get("run_id"),
        "rows_in": rows_in,
        "rows_scored": rows_scored,
        "bundle_name": bundle.get("name"),
        "bundle_version": bundle.get("version"),
        "bundle_digest": bundle.get("digest"),
        "total_s": (summary.get("timings_s") or {}).get("total_s"),
        "output": summary.get("output"),
    }


# -- running it ------------------------------------------------------------------------------------


def run_job(
    command: list[str],
    *,
    cwd: str | None = None,
    extra_env: dict[str, str] | None = None,
    echo: Callable[[str], Any] = print,
    tail_lines: int = 40,
) -> tuple[int, list[str]]:
    """Runs `command` (e.g. `scripts/submit.sh --config ...`), echoing its output line by line
    (stdout and stderr together) into the orchestrator's log, and returns the exit code and the
    last `tail_lines` lines (for the failure report). The caller classifies the code."""
    tail: collections.deque[str] = collections.deque(maxlen=tail_lines)
    proc_env = None
    if extra_env:
        proc_env = dict(os.environ, **extra_env)
    with subprocess.Popen(
        command, cwd=cwd, env=proc_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            line = line.rstrip("\n")
            tail.append(line)
            echo(line)
        code = proc.wait()
    return code, list(tail)


def env(name: str, default: str) -> str:
    """An environment setting (TABSCORE_*), or its default."""
    return os.environ.get(name) or default
