"""Airflow DAGs for the tabscore scoring job (Airflow 3.x; 2.10+ through the fallback imports).

    tabscore_nightly            SparkSubmitOperator, daily: scores s3a://lake/features/dt={{ ds }}
    tabscore_backfill           the same call for a date range: --snapshots A..B --input-template
                                (one spark-submit, one summary per snapshot); trigger with params
    tabscore_nightly_submit_sh  the nightly run through scripts/submit.sh in a @task (exact code)
    tabscore_nightly_bash       the nightly run through scripts/submit.sh in a BashOperator

Each: score -> check_summary (reads the run summary JSON: status, rows, bundle) -> and for the
nightly ones a branch, publish (enough rows) or hold (fewer than params.min_rows).

Exit codes (tabscore_exit.classify): bad config (2), bundle refused (10-29), input refused (30-39)
and quality gate (50) fail the task at once, without retries (AirflowFailException): the same run
would be refused again. Scoring failed (40) and internal errors (1, signals, spark-submit's own
failures) are retried (`retries` in default_args).

SparkSubmitOperator does not expose spark-submit's exit code: its hook raises
`AirflowException("Cannot execute: ... Error code is: 23.")`. TabscoreSparkSubmitOperator below
reads the code back out of that message. The exit code is the job's only in client deploy mode
(the driver runs in spark-submit's JVM; scripts/submit.sh uses it too): in cluster mode spark-submit
reports the submission, not the job. The @task route (tabscore_nightly_submit_sh) runs the command
itself and gets the exact code; prefer it when scripts/submit.sh is on the worker.

Deployment: put this file, tabscore_exit.py and tabscore_job.py in the DAGs folder (or the two
modules on the workers' PYTHONPATH); the worker needs the job jar, conf/nightly.yaml (client mode:
the driver reads it) and a `spark_default` connection (spark://host:7077, yarn, k8s://...).
Settings come from the environment: TABSCORE_HOME, TABSCORE_JAR, TABSCORE_CONFIG,
TABSCORE_INPUT_TEMPLATE, TABSCORE_SUMMARY_TEMPLATE, TABSCORE_SPARK_CONN, TABSCORE_SUBMIT.
"""

from __future__ import annotations

import datetime as dt
import logging
import shlex

try:
    import tabscore_exit as tx
    import tabscore_job as tj
except ImportError as e:  # the helpers are plain modules beside this folder, not a package
    raise ImportError(
        f"{e.name} not importable: copy examples/tabscore_exit.py and examples/tabscore_job.py next "
        "to this file, or put examples/ on PYTHONPATH (PYTHONPATH=examples when run from the "
        "repository)"
    ) from e

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

try:  # Airflow 3
    from airflow.sdk import DAG, CronDataIntervalTimetable, Param, task
    from airflow.sdk.exceptions import AirflowException, AirflowFailException
except ImportError:  # Airflow 2.10+
    from airflow import DAG
    from airflow.decorators import task
    from airflow.exceptions import AirflowException, AirflowFailException
    from airflow.models.param import Param
    from airflow.timetables.interval import CronDataIntervalTimetable

try:
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.providers.standard.operators.empty import EmptyOperator
except ImportError:  # Airflow 2 without the standard provider
    from airflow.operators.bash import BashOperator
    from airflow.operators.empty import EmptyOperator

try:  # Airflow 3.3+: pluggable retry decisions per exception
    from airflow.sdk import RetryDecision, RetryPolicy
except ImportError:
    RetryPolicy = None  # type: ignore[assignment,misc]

log = logging.getLogger(__name__)

HOME = tj.env("TABSCORE_HOME", "/opt/tabscore")
JAR = tj.env("TABSCORE_JAR", f"{HOME}/spark-job/target/tabscore-job.jar")
CONFIG = tj.env("TABSCORE_CONFIG", f"{HOME}/{tj.DEFAULT_CONFIG}")
INPUT_TEMPLATE = tj.env("TABSCORE_INPUT_TEMPLATE", tj.DEFAULT_INPUT_TEMPLATE)
SUMMARY_TEMPLATE = tj.env("TABSCORE_SUMMARY_TEMPLATE", tj.DEFAULT_SUMMARY_TEMPLATE)
SPARK_CONN = tj.env("TABSCORE_SPARK_CONN", "spark_default")
SUBMIT = tj.env("TABSCORE_SUBMIT", f"{HOME}/scripts/submit.sh")

START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
# A data-interval timetable: the run at 02:00 on day D+1 has ds = D, so dt={{ ds }} is the day
# that just ended (Airflow 3's default cron timetable would give ds = D+1).
NIGHTLY = CronDataIntervalTimetable("0 2 * * *", timezone="UTC")

DEFAULT_ARGS = {
    "owner": "tabscore",
    "retries": 2,  # only for retryable exit codes (40, internal); refusals fail at once
    "retry_delay": dt.timedelta(seconds=float(tj.env("TABSCORE_RETRY_DELAY_S", "600"))),
}

# The nightly call: one snapshot, the orchestrator fills the date in.
NIGHTLY_RUN_ID = "nightly-{{ ds_nodash }}"
NIGHTLY_SUMMARY = tj.for_date(SUMMARY_TEMPLATE, "{{ ds }}")
NIGHTLY_ARGS = tj.job_args(
    config=CONFIG, input=tj.for_date(INPUT_TEMPLATE, "{{ ds }}"), run_id=NIGHTLY_RUN_ID, summary=NIGHTLY_SUMMARY
)

# The backfill call: the same flags with --snapshots/--input-template in place of --input.
BACKFILL_RUN_ID = "backfill-{{ params.start | replace('-', '') }}" "-{{ params.end | replace('-', '') }}"
BACKFILL_ARGS = tj.job_args(
    config=CONFIG,
    snapshots="{{ params.start }}..{{ params.end }}",
    input_template=INPUT_TEMPLATE,
    run_id=BACKFILL_RUN_ID,
    summary=SUMMARY_TEMPLATE,
)

# spark-submit settings of scripts/submit.sh, for the operator (which does not run submit.sh).
SPARK_CONF = {
    "spark.driver.extraJavaOptions": "-Dai.djl.offline=true",
    "spark.executor.extraJavaOptions": "-Dai.djl.offline=true",
    "spark.executor.memoryOverhead": "2g",
    "spark.executorEnv.DJL_CACHE_DIR": "/tmp/tabscore-djl",
    "spark.executorEnv.OMP_NUM_THREADS": "1",
}


def refusal(code: int, detail: str = "") -> Exception:
    """The exception for a run that exited with `code`: AirflowFailException (no retry) for a
    verdict, AirflowException (retried up to `retries`) otherwise."""
    message = f"tabscore job {tx.describe(code)}" + (f": {detail}" if detail else "")
    if tx.should_retry(code):
        return AirflowException(message)
    return AirflowFailException(message)


class TabscoreSparkSubmitOperator(SparkSubmitOperator):
    """SparkSubmitOperator that fails without retries when tabscore refused the run.

    The provider raises one AirflowException for every non-zero exit, with the code only in its
    message ("Error code is: N"); this reads it back (tabscore_exit.exit_code_from_message) and
    re-raises refusals as AirflowFailException. A message without a code is re-raised as it is.
    """

    def execute(self, context):
        try:
            return super().execute(context)
        except AirflowFailException:
            raise
        except Exception as e:
            code = tx.exit_code_from_message(str(e))
            if code is None or tx.should_retry(code):
                raise
            raise refusal(code) from e


if RetryPolicy is not None:

    class TabscoreRetryPolicy(RetryPolicy):
        """Airflow 3.3+ retry policy for operators that report the exit code only in their error
        message (BashOperator, SparkSubmitOperator): fail at once on refusals, retry the rest."""

        def evaluate(self, exception, try_number, max_tries, context=None):
            code = tx.exit_code_from_message(str(exception))
            if code is None:
                return RetryDecision.default()
            if tx.should_retry(code):
                return RetryDecision.retry(reason=tx.describe(code))
            return RetryDecision.fail(reason=f"not retried: {tx.describe(code)}")

        def serialize(self):
            return {"__type": "TabscoreRetryPolicy"}

        @classmethod
        def deserialize(cls, data):
            return cls()
else:
    TabscoreRetryPolicy = None  # type: ignore[assignment,misc]


@task
def run_submit(args: list[str]) -> int:
    """Runs scripts/submit.sh (TABSCORE_SUBMIT) with the job flags and classifies its exit code:
    the route that sees the exact code, without parsing messages."""
    command = [*shlex.split(SUBMIT), *args]
    log.info("running %s", shlex.join(command))
    code, tail = tj.run_job(command, echo=log.info)
    if code != 0:
        raise refusal(code, " | ".join(tail[-5:]))
    return code


@task
def check_summary(summary_path: str, job_run_id: str) -> dict:
    """Reads the run summary and fails (no retry) unless it says the run is usable."""
    try:
        summary = tj.read_summary(summary_path)
    except FileNotFoundError as e:
        raise AirflowFailException(f"no run summary at {summary_path}: {e}") from e
    try:
        facts = tj.check_summary(summary, run_id=job_run_id)
    except tj.SummaryError as e:
        # The summary is written on every exit path; where the exit code was lost (cluster
        # deploy mode), its own `retryable` decides.
        if e.retryable:
            raise AirflowException(f"run summary {summary_path}: {e}") from e
        raise AirflowFailException(f"run summary {summary_path}: {e}") from e
    log.info(
        "tabscore run %s: %s rows scored with %s %s (%s)",
        facts["run_id"],
        facts["rows_scored"],
        facts["bundle_name"],
        facts["bundle_version"],
        facts["bundle_digest"],
    )
    return facts


@task.branch
def route(facts: dict, min_rows: int) -> str:
    """publish when the run scored at least params.min_rows rows, else hold (and alert)."""
    return "publish" if facts["rows_scored"] >= int(min_rows) else "hold"


@task
def plan_backfill(start: str, end: str) -> list[str]:
    """Validates the range (before any Spark work) and lists each snapshot's summary path."""
    try:
        snapshots = tj.snapshot_range(start, end)
    except ValueError as e:
        raise AirflowFailException(f"bad backfill range: {e}") from e
    return [tj.for_date(SUMMARY_TEMPLATE, d) for d in tj.snapshot_dates(snapshots)]


def _score_task(runner: str, args: list[str]):
    if runner == "spark_submit":
        return TabscoreSparkSubmitOperator(
            task_id="score",
            conn_id=SPARK_CONN,
            application=JAR,
            java_class=tj.JOB_CLASS,
            name="tabscore",
            deploy_mode="client",  # the exit code is the job's only in client mode
            conf=SPARK_CONF,
            env_vars={"DJL_CACHE_DIR": "/tmp/tabscore-djl"},
            application_args=args,
        )
    if runner == "task":
        return run_submit.override(task_id="score")(args)
    if runner == "bash":
        extra = {}
        if TabscoreRetryPolicy is not None:
            extra["retry_policy"] = TabscoreRetryPolicy()
        else:  # Airflow < 3.3: BashOperator would retry refusals too; use the @task route
            extra["retries"] = 0
        return BashOperator(
            task_id="score",
            bash_command=" ".join([SUBMIT, *(shlex.quote(a) for a in args)]),
            # Every non-zero code is a failure: the default skip_on_exit_code=99 would turn
            # an exit 99 (not a tabscore code, but spark-submit's or a wrapper's) into "skipped".
            skip_on_exit_code=None,
            **extra,
        )
    raise ValueError(f"unknown runner {runner!r}")


def nightly_dag(dag_id: str, runner: str) -> DAG:
    with DAG(
        dag_id=dag_id,
        schedule=NIGHTLY,
        start_date=START,
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        params={
            "min_rows": Param(
                1, type="integer", minimum=0, description="publish only if at least this many rows scored"
            )
        },
        tags=["tabscore"],
        doc_md=__doc__,
    ) as dag:
        score = _score_task(runner, NIGHTLY_ARGS)
        facts = check_summary(NIGHTLY_SUMMARY, NIGHTLY_RUN_ID)
        score >> facts
        route(facts, "{{ params.min_rows }}") >> [EmptyOperator(task_id="publish"), EmptyOperator(task_id="hold")]
    return dag


def backfill_dag(dag_id: str = "tabscore_backfill") -> DAG:
    """Manual: trigger with {"start": "2026-01-01", "end": "2026-03-31"}. One spark-submit scores
    every snapshot into its own output partition; check_summary runs once per snapshot (mapped).
    (`airflow backfill create --dag-id tabscore_nightly ...` instead runs one job per day.)"""
    with DAG(
        dag_id=dag_id,
        schedule=None,
        start_date=START,
        catchup=False,
        default_args=DEFAULT_ARGS,
        params={
            "start": Param("2026-01-01", type="string", format="date"),
            "end": Param("2026-01-31", type="string", format="date"),
        },
        tags=["tabscore"],
        doc_md=__doc__,
    ) as dag:
        plan = plan_backfill("{{ params.start }}", "{{ params.end }}")
        score = _score_task("spark_submit", BACKFILL_ARGS)
        plan >> score
        score >> check_summary.partial(job_run_id=BACKFILL_RUN_ID).expand(summary_path=plan)
    return dag


tabscore_nightly = nightly_dag("tabscore_nightly", "spark_submit")
tabscore_backfill = backfill_dag()
tabscore_nightly_submit_sh = nightly_dag("tabscore_nightly_submit_sh", "task")
tabscore_nightly_bash = nightly_dag("tabscore_nightly_bash", "bash")
