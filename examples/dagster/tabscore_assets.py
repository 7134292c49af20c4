"""Dagster: the tabscore scoring job as a daily-partitioned asset.

`churn_scores` is one partition per snapshot date (DailyPartitionsDefinition). Materializing a
partition runs the job in a subprocess (scripts/submit.sh, or any command that takes the job's
flags: TABSCORE_SUBMIT), classifies its exit code (tabscore_exit.classify), reads the run summary
JSON and records rows and the bundle identity as the materialization's metadata.

    exit 0                   -> read the summary; status must be "ok", rows in == rows scored,
                                at least `min_rows` rows: metadata rows / bundle digest / timings
    exit 2, 10-39, 50        -> dagster.Failure(allow_retries=False) with the code, its meaning,
                                the command and the log tail as metadata: the same run would be
                                refused again, so no retry
    exit 40, 1, other codes  -> dagster.RetryRequested(max_retries, seconds_to_wait)

Backfills: the asset has BackfillPolicy.single_run(), so a backfill over a range of partitions
(UI "Materialize selected", or
`dagster asset materialize --partition-range 2026-01-01...2026-03-31`) is ONE run whose
partition key range becomes the job's
`--snapshots 2026-01-01..2026-03-31 --input-template 's3a://lake/features/dt={date}'`: one Spark
application scores every snapshot into its own output partition and writes one summary per
snapshot. A single partition (the nightly schedule) is the same call with `--input` instead.

Why a plain subprocess and not dagster-pipes: the job is a JVM under spark-submit; it reports
through its exit code and its summary file, which is all this asset needs.

Load it with `dagster dev -f examples/dagster/tabscore_assets.py` (tabscore_exit.py and
tabscore_job.py from examples/ must be importable: from the repository,
`PYTHONPATH=examples dagster dev -f examples/dagster/tabscore_assets.py`). Settings: TABSCORE_SUBMIT (command, default scripts/submit.sh),
TABSCORE_HOME (its working directory), TABSCORE_CONFIG, TABSCORE_INPUT_TEMPLATE,
TABSCORE_SUMMARY_TEMPLATE, TABSCORE_RETRY_DELAY_S.
"""

import os
import shlex

from dagster import (
    AssetExecutionContext,
    BackfillPolicy,
    ConfigurableResource,
    DailyPartitionsDefinition,
    Definitions,
    Failure,
    MaterializeResult,
    MetadataValue,
    RetryRequested,
    asset,
    build_schedule_from_partitioned_job,
    define_asset_job,
)

try:
    import tabscore_exit as tx
    import tabscore_job as tj
except ImportError as e:  # the helpers are plain modules beside this folder, not a package
    raise ImportError(
        f"{e.name} not importable: copy examples/tabscore_exit.py and examples/tabscore_job.py next "
        "to this file, or put examples/ on PYTHONPATH (PYTHONPATH=examples when run from the "
        "repository)"
    ) from e

daily = DailyPartitionsDefinition(start_date="2026-01-01", timezone="UTC")


class TabscoreJob(ConfigurableResource):
    """How to run the scoring job, and what a usable run is."""

    submit: str = "scripts/submit.sh"
    """The command, shlex-split; the job flags are appended (scripts/submit.sh takes them as is)."""
    cwd: str | None = None
    """Working directory of the command (the tabscore checkout for scripts/submit.sh)."""
    config: str = tj.DEFAULT_CONFIG
    input_template: str = tj.DEFAULT_INPUT_TEMPLATE
    summary_template: str = tj.DEFAULT_SUMMARY_TEMPLATE
    expect_digest: str | None = None
    """Refuse any other bundle (--expect-digest, exit 26) and check the summaries' digest."""
    min_rows: int = 1
    """A snapshot that scored fewer rows fails the materialization (an empty input is a fault)."""
    max_retries: int = 2
    retry_wait_s: float = 600.0


def _run_id(keys: list[str]) -> str:
    first, last = keys[0].replace("-", ""), keys[-1].replace("-", "")
    return f"nightly-{first}" if first == last else f"backfill-{first}-{last}"


def _args(job: TabscoreJob, keys: list[str]) -> list[str]:
    """The job flags for a partition (--input) or a partition range (--snapshots: a backfill)."""
    first, last = keys[0], keys[-1]
    extra = ["--expect-digest", job.expect_digest] if job.expect_digest else []
    if first == last:
        return tj.job_args(
            config=job.config,
            input=tj.for_date(job.input_template, first),
            run_id=_run_id(keys),
            summary=tj.for_date(job.summary_template, first),
            extra=extra,
        )
    return tj.job_args(
        config=job.config,
        snapshots=f"{first}..{last}",
        input_template=job.input_template,
        run_id=_run_id(keys),
        summary=job.summary_template,
        extra=extra,
    )


@asset(
    partitions_def=daily,
    backfill_policy=BackfillPolicy.single_run(),
    kinds={"spark"},
    description="Churn scores of one feature snapshot (tabscore job, s3a://lake/scores/churn).",
)
def churn_scores(context: AssetExecutionContext, tabscore: TabscoreJob) -> MaterializeResult:
    keys = list(context.partition_keys)
    command = [*shlex.split(tabscore.submit), *_args(tabscore, keys)]
    context.log.info(f"running {shlex.join(command)}")
    code, tail = tj.run_job(command, cwd=tabscore.cwd, echo=context.log.info)

    if code != 0:
        what = tx.describe(code)
        if tx.should_retry(code):
            context.log.warning(f"tabscore job {what}; retrying (at most {tabscore.max_retries})")
            raise RetryRequested(max_retries=tabscore.max_retries, seconds_to_wait=tabscore.retry_wait_s)
        raise Failure(
            description=f"tabscore job {what}: not retried, the same run would be refused again",
            metadata={
                "exit_code": code,
                "category": tx.classify(code),
                "reason": tx.REASONS.get(code, "not a tabscore exit code"),
                "partitions": f"{keys[0]}..{keys[-1]}",
                "command": shlex.join(command),
                "log_tail": MetadataValue.md("```\n" + "\n".join(tail) + "\n```"),
            },
            allow_retries=False,
        )

    per_snapshot = {}
    for key in keys:
        path = tj.for_date(tabscore.summary_template, key)
        try:
            facts = tj.check_summary(tj.read_summary(path), run_id=_run_id(keys), expect_digest=tabscore.expect_digest)
            if facts["rows_scored"] < tabscore.min_rows:
                raise tj.SummaryError(
                    f"{facts['rows_scored']} rows scored, fewer than " f"min_rows={tabscore.min_rows}"
                )
        except tj.SummaryError as e:
            if e.retryable:  # the summary's own verdict: a transient fault (exit code lost)
                context.log.warning(f"run summary of {key}: {e}; retrying")
                raise RetryRequested(max_retries=tabscore.max_retries, seconds_to_wait=tabscore.retry_wait_s) from e
            raise Failure(
                description=f"run summary of {key} ({path}): {e}",
                metadata={"summary": MetadataValue.path(path), "partition": key},
                allow_retries=False,
            ) from e
        except (OSError, ValueError) as e:  # missing/unreadable summary
            raise Failure(
                description=f"run summary of {key} ({path}): {e}",
                metadata={"summary": MetadataValue.path(path), "partition": key},
                allow_retries=False,
            ) from e
        per_snapshot[key] = facts

    rows_in = sum(f["rows_in"] for f in per_snapshot.values())
    rows_scored = sum(f["rows_scored"] for f in per_snapshot.values())
    digests = sorted({f["bundle_digest"] for f in per_snapshot.values()})
    last = per_snapshot[keys[-1]]
    metadata = {
        "dagster/row_count": rows_scored,
        "rows_in": rows_in,
        "rows_scored": rows_scored,
        "bundle": f"{last['bundle_name']} {last['bundle_version']}",
        "bundle_digest": digests[0] if len(digests) == 1 else ", ".join(digests),
        "run_id": last["run_id"],
        "snapshots": f"{keys[0]}..{keys[-1]}" if len(keys) > 1 else keys[0],
        "summary": MetadataValue.path(tj.for_date(tabscore.summary_template, keys[-1])),
    }
    if len(keys) == 1 and last["total_s"] is not None:
        metadata["total_s"] = float(last["total_s"])
    if len(keys) > 1:
        metadata["rows_by_snapshot"] = {k: f["rows_scored"] for k, f in per_snapshot.items()}
    return MaterializeResult(metadata=metadata)


churn_scores_nightly = define_asset_job("churn_scores_nightly", selection=[churn_scores])
# Each day at 02:00 UTC: the partition of the day that just ended.
nightly_schedule = build_schedule_from_partitioned_job(churn_scores_nightly, hour_of_day=2)


def tabscore_from_env() -> TabscoreJob:
    """The resource from TABSCORE_* environment settings (read when the code location loads)."""
    return TabscoreJob(
        submit=tj.env("TABSCORE_SUBMIT", "scripts/submit.sh"),
        cwd=os.environ.get("TABSCORE_HOME") or None,
        config=tj.env("TABSCORE_CONFIG", tj.DEFAULT_CONFIG),
        input_template=tj.env("TABSCORE_INPUT_TEMPLATE", tj.DEFAULT_INPUT_TEMPLATE),
        summary_template=tj.env("TABSCORE_SUMMARY_TEMPLATE", tj.DEFAULT_SUMMARY_TEMPLATE),
        retry_wait_s=float(tj.env("TABSCORE_RETRY_DELAY_S", "600")),
    )


defs = Definitions(
    assets=[churn_scores],
    jobs=[churn_scores_nightly],
    schedules=[nightly_schedule],
    resources={"tabscore": tabscore_from_env()},
)
