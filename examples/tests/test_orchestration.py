"""Tests of the orchestration examples (run by scripts/test-orchestration.sh in its own venv).

- tabscore_exit.classify / should_retry for every exit code; tabscore_job's flags and checks;
- Airflow: the DAG file parses with no import errors, the DAGs have their tasks and the
  spark-submit application args render to the job's flags; then whole DAG runs (dag.test(), sqlite
  metadata DB) against a fake spark-submit: exit 0 publishes, a refusal (23) fails the score task
  on its first try, 40 is retried, for each of the three ways of running the job;
- Dagster: the Definitions load, the asset is daily-partitioned, and in-process materializations
  against the fake submit: exit 0 (rows and digest as metadata), 23 (Failure, no retry),
  40 (RetryRequested), a partition range (one --snapshots run).
"""

import datetime as dt
import importlib.util
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import tabscore_exit as tx
import tabscore_job as tj

EXAMPLES = Path(__file__).resolve().parents[1]
DIGEST = "sha256:" + "ab" * 32

# -- tabscore_exit ---------------------------------------------------------------------------------

EXPECTED = {0: "ok", 1: "internal", 2: "config", 40: "scoring_failed", 50: "quality_gate"}
EXPECTED.update({c: "bundle_refused" for c in range(10, 30)})
EXPECTED.update({c: "input_refused" for c in range(30, 40)})
EXPECTED.update({32: "input_missing"})
EXPECTED.update({c: "environment" for c in range(60, 70)})
EXPECTED.update({c: "bundle_refused" for c in range(70, 80)})
EXPECTED.update({63: "config"})  # an unsupported Jackson on the cluster: fix the deployment


@pytest.mark.parametrize(
    "code,category",
    [
        (0, "ok"),
        (1, "internal"),
        (2, "config"),
        (10, "bundle_refused"),
        (23, "bundle_refused"),
        (26, "bundle_refused"),
        (29, "bundle_refused"),
        (30, "input_refused"),
        (31, "input_refused"),
        (32, "input_missing"),
        (39, "input_refused"),
        (40, "scoring_failed"),
        (50, "quality_gate"),
        (60, "environment"),
        (61, "environment"),
        (62, "environment"),
        (69, "environment"),
        # not the job's own codes: something else ended the process
        (3, "internal"),
        (9, "internal"),
        (41, "internal"),
        (49, "internal"),
        (51, "internal"),
        (70, "bundle_refused"),
        (73, "bundle_refused"),
        (79, "bundle_refused"),
        (59, "internal"),
        (80, "internal"),
        (99, "internal"),
        (137, "internal"),
        (143, "internal"),
        (255, "internal"),
        (-9, "internal"),
    ],
)
def test_classify(code, category):
    assert tx.classify(code) == category


def test_classify_every_code_and_retry_policy():
    for code in range(-64, 256):
        category = tx.classify(code)
        assert category == EXPECTED.get(code, "internal"), code
        assert category in tx.CATEGORIES
        retry = tx.should_retry(code)
        assert retry == (category in ("scoring_failed", "environment", "internal")), code
    # the brief's rule, spelled out: verdicts never, transient faults with the bound
    assert not any(tx.should_retry(c) for c in [0, 2, 50, *range(10, 40), *range(70, 74)])
    assert all(tx.should_retry(c) for c in [40, 60, 61, 62])
    # a missing snapshot is reported as such, and polled only when asked to
    assert not tx.should_retry(32)
    assert tx.should_retry(32, retry_on={"input_missing"})
    assert not tx.should_retry(1, retry_on={"scoring_failed"})


def test_classify_rejects_non_ints():
    for bad in ("23", 23.0, None, True):
        with pytest.raises(TypeError):
            tx.classify(bad)


def test_describe_and_reasons_cover_the_readme_table():
    assert set(tx.REASONS) == {0, 1, 2, *range(10, 30), 30, 31, 32, 40, 50, 60, 61, 62, 63, 70, 71, 72, 73}
    assert tx.classify(63) == tx.CONFIG and not tx.should_retry(63)
    assert tx.describe(23).startswith("exit 23 (bundle_refused: artifact size or sha256")
    assert "signal 9" in tx.describe(-9)
    assert "not a tabscore exit code" in tx.describe(7)


def test_exit_code_from_orchestrator_messages():
    spark = "Cannot execute: spark-submit --master yarn app.jar --run-id x. Error code is: 23."
    bash = "Bash command failed. The command returned a non-zero exit code 40."
    assert tx.exit_code_from_message(spark) == 23
    assert tx.exit_code_from_message(bash) == 40
    assert tx.exit_code_from_message("Cannot execute: ... Error code is: -9.") == -9
    assert tx.exit_code_from_message("connection refused") is None


# -- tabscore_job ----------------------------------------------------------------------------------


def test_backfill_is_the_nightly_call_with_snapshots_and_input_template():
    summary = "/s/dt={date}/_tabscore_summary.json"
    nightly = tj.job_args(
        run_id="R", input="s3a://lake/features/dt=2026-11-01", summary=tj.for_date(summary, "2026-11-01")
    )
    backfill = tj.job_args(
        run_id="R", snapshots="2026-01-01..2026-03-31", input_template="s3a://lake/features/dt={date}", summary=summary
    )
    assert nightly == [
        "--config",
        "conf/nightly.yaml",
        "--input",
        "s3a://lake/features/dt=2026-11-01",
        "--run-id",
        "R",
        "--summary",
        "/s/dt=2026-11-01/_tabscore_summary.json",
    ]
    i = nightly.index("--input")
    j = backfill.index("--snapshots")
    assert backfill[j : j + 4] == [
        "--snapshots",
        "2026-01-01..2026-03-31",
        "--input-template",
        "s3a://lake/features/dt={date}",
    ]
    assert nightly[:i] == backfill[:j]
    assert nightly[i + 2 : -1] == backfill[j + 4 : -1]  # same flags after, summary templated
    with pytest.raises(ValueError):
        tj.job_args(run_id="R", summary="s")
    with pytest.raises(ValueError):
        tj.job_args(run_id="R", summary="s", snapshots="2026-01-01..2026-01-02", input_template="s3a://no-placeholder")


def test_snapshot_dates():
    assert tj.snapshot_range("2026-01-30", "2026-02-02") == "2026-01-30..2026-02-02"
    assert tj.snapshot_dates("2026-01-30..2026-02-02") == ["2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02"]
    assert len(tj.snapshot_dates("2026-01-01..2026-03-31")) == 90
    assert tj.snapshot_dates("2026-11-01") == ["2026-11-01"]
    with pytest.raises(ValueError):
        tj.snapshot_range("2026-02-01", "2026-01-01")


def _summary(**over):
    s = {
        "status": "ok",
        "run_id": "nightly-20261101",
        "rows": {"in": 10, "scored": 10},
        "bundle": {"name": "churn", "version": "1.0.0", "digest": DIGEST},
        "timings_s": {"total_s": 3.5},
    }
    s.update(over)
    return s


def test_check_summary(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(__import__("json").dumps(_summary()))
    facts = tj.check_summary(tj.read_summary(str(path)), run_id="nightly-20261101", expect_digest=DIGEST)
    assert facts["rows_scored"] == 10 and facts["bundle_digest"] == DIGEST
    assert tj.read_summary("file://" + str(path))["status"] == "ok"
    for bad, why in [
        (_summary(status="rows_mismatch"), "status"),
        (_summary(rows={"in": 10, "scored": 9}), "rows.in 10 != rows.scored 9"),
        (_summary(rows={}), "missing"),
        (_summary(run_id="nightly-20261031"), "another run"),
    ]:
        with pytest.raises(tj.SummaryError, match=why):
            tj.check_summary(bad, run_id="nightly-20261101")
    with pytest.raises(tj.SummaryError, match="digest"):
        tj.check_summary(_summary(), expect_digest="sha256:00")
    with pytest.raises(FileNotFoundError):
        tj.read_summary(str(tmp_path / "missing.json"))


def test_a_failure_summary_carries_its_own_retry_verdict():
    # written by the job on every exit path: a transient fault says retryable, a verdict not
    transient = _summary(
        status="failed",
        exit_code=60,
        reason="IO_ERROR",
        retryable=True,
        message="bundle s3a://m/b cannot be reached: 503",
        published=False,
    )
    with pytest.raises(tj.SummaryError, match="exit 60, IO_ERROR: bundle s3a") as e:
        tj.check_summary(transient, run_id="nightly-20261101")
    assert e.value.retryable and e.value.exit_code == 60
    verdict = _summary(
        status="failed",
        exit_code=23,
        reason="ARTIFACT_MISMATCH",
        retryable=False,
        message="artifact x is 3 bytes, not 4",
    )
    with pytest.raises(tj.SummaryError) as e:
        tj.check_summary(verdict, run_id="nightly-20261101")
    assert not e.value.retryable
    # a stale summary of another run is never a reason to retry blindly
    with pytest.raises(tj.SummaryError) as e:
        tj.check_summary(dict(transient, run_id="other"), run_id="nightly-20261101")
    assert not e.value.retryable


# -- Airflow ---------------------------------------------------------------------------------------


def _installed(name):
    """Skips unless the package is installed: examples/airflow and examples/dagster alone would
    import as empty namespace packages, since examples/ is on the import path (pytest.ini's pythonpath)."""
    module = pytest.importorskip(name)
    if getattr(module, "__file__", None) is None:
        pytest.skip(f"{name} is not installed (run scripts/test-orchestration.sh)")
    return module


@pytest.fixture(scope="session")
def dagbag():
    _installed("airflow")
    try:
        from airflow.dag_processing.dagbag import DagBag  # Airflow 3
    except ImportError:  # pragma: no cover - Airflow 2
        from airflow.models.dagbag import DagBag
    return DagBag(dag_folder=str(EXAMPLES / "airflow"), safe_mode=False)


@pytest.fixture(scope="session")
def airflow_db(dagbag):
    """dag.test() needs the metadata DB: sqlite in the temporary AIRFLOW_HOME."""
    done = subprocess.run(
        [sys.executable, "-m", "airflow", "db", "migrate"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


NIGHTLY_TASKS = {"score", "check_summary", "route", "publish", "hold"}
DAGS = {
    "tabscore_nightly": NIGHTLY_TASKS,
    "tabscore_nightly_submit_sh": NIGHTLY_TASKS,
    "tabscore_nightly_bash": NIGHTLY_TASKS,
    "tabscore_backfill": {"plan_backfill", "score", "check_summary"},
}


def test_airflow_dag_file_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == set(DAGS)
    for dag_id, tasks in DAGS.items():
        dag = dagbag.dags[dag_id]
        assert set(dag.task_ids) == tasks, dag_id
        assert dag.get_task("score").retries == 2 or dag_id == "tabscore_nightly_bash"


def _render(dag, task, value, **context):
    return task.render_template(value, context, jinja_env=dag.get_template_env())


def test_airflow_spark_submit_args_are_the_templated_job_flags(dagbag):
    dag = dagbag.dags["tabscore_nightly"]
    score = dag.get_task("score")
    assert type(score).__name__ == "TabscoreSparkSubmitOperator"
    assert score._java_class == "dev.tabscore.job.ScoringJob"
    assert score._deploy_mode == "client"
    assert score.application.endswith("spark-job/target/tabscore-job.jar")
    assert "application_args" in score.template_fields
    args = score.application_args
    for flag, value in [("--input", "s3a://lake/features/dt={{ ds }}"), ("--run-id", "nightly-{{ ds_nodash }}")]:
        assert args[args.index(flag) + 1] == value
    assert args[args.index("--summary") + 1].endswith("dt={{ ds }}/_tabscore_summary.json")
    rendered = _render(dag, score, args, ds="2026-11-01", ds_nodash="20261101")
    summary = os.environ["TABSCORE_SUMMARY_TEMPLATE"].replace("{date}", "2026-11-01")
    assert rendered == [
        "--config",
        f"{os.environ['TABSCORE_HOME']}/conf/nightly.yaml",
        "--input",
        "s3a://lake/features/dt=2026-11-01",
        "--run-id",
        "nightly-20261101",
        "--summary",
        summary,
    ]
    # the check task reads that same summary and expects that run id
    check = dag.get_task("check_summary")
    assert list(_render(dag, check, check.op_args, ds="2026-11-01", ds_nodash="20261101")) == [
        summary,
        "nightly-20261101",
    ]


def test_airflow_backfill_args(dagbag):
    dag = dagbag.dags["tabscore_backfill"]
    assert type(dag.timetable).__name__ == "NullTimetable"  # manual only
    score = dag.get_task("score")
    rendered = _render(dag, score, score.application_args, params={"start": "2026-01-01", "end": "2026-03-31"})
    nightly = dagbag.dags["tabscore_nightly"].get_task("score").application_args
    assert rendered[rendered.index("--snapshots") : rendered.index("--snapshots") + 4] == [
        "--snapshots",
        "2026-01-01..2026-03-31",
        "--input-template",
        "s3a://lake/features/dt={date}",
    ]
    assert rendered[rendered.index("--run-id") + 1] == "backfill-20260101-20260331"
    assert rendered[rendered.index("--summary") + 1] == os.environ["TABSCORE_SUMMARY_TEMPLATE"]
    assert [a for a in rendered if a.startswith("--")] == [
        "--config",
        "--snapshots",
        "--input-template",
        "--run-id",
        "--summary",
    ]
    assert [a for a in nightly if a.startswith("--")] == ["--config", "--input", "--run-id", "--summary"]


def test_airflow_bash_route(dagbag):
    dag = dagbag.dags["tabscore_nightly_bash"]
    score = dag.get_task("score")
    assert score.skip_on_exit_code == []  # every non-zero code is a failure
    cmd = _render(dag, score, score.bash_command, ds="2026-11-01", ds_nodash="20261101")
    assert cmd.startswith(os.environ["TABSCORE_SUBMIT"] + " --config ")
    words = shlex.split(cmd)
    assert words[words.index("--input") + 1] == "s3a://lake/features/dt=2026-11-01"
    assert words[words.index("--run-id") + 1] == "nightly-20261101"
    policy = getattr(score, "retry_policy", None)
    if policy is None:  # Airflow < 3.3: no retry policies, so the Bash route never retries
        assert score.retries == 0
        return
    from airflow.sdk import RetryAction

    def decide(message):
        return policy.evaluate(Exception(message), try_number=1, max_tries=3).action

    assert decide("The command returned a non-zero exit code 23.") == RetryAction.FAIL
    assert decide("The command returned a non-zero exit code 31.") == RetryAction.FAIL
    assert decide("The command returned a non-zero exit code 40.") == RetryAction.RETRY
    assert decide("something else") == RetryAction.DEFAULT


def _run_dag(dagbag, dag_id, **kwargs):
    dag = dagbag.dags[dag_id]
    if "logical_date" not in kwargs:
        kwargs["logical_date"] = dt.datetime(2026, 11, 1, 2, tzinfo=dt.timezone.utc)
    dr = dag.test(**kwargs)
    states = {}
    for ti in dr.get_task_instances():
        key = ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]"
        states[key] = (str(ti.state.value if hasattr(ti.state, "value") else ti.state), ti.try_number)
    return str(dr.state.value if hasattr(dr.state, "value") else dr.state), states


ROUTES = ["tabscore_nightly", "tabscore_nightly_submit_sh", "tabscore_nightly_bash"]


@pytest.mark.parametrize("dag_id", ROUTES)
def test_airflow_nightly_run_ok_publishes(dagbag, airflow_db, fake_submit, dag_id):
    fake_submit(exit=0, rows=5000)
    state, tis = _run_dag(dagbag, dag_id)
    assert state == "success", tis
    assert tis["score"] == ("success", 1)
    assert tis["check_summary"][0] == "success"
    assert tis["publish"][0] == "success" and tis["hold"][0] == "skipped"
    (call,) = fake_submit.calls
    args = call["job_args"]
    assert args[args.index("--input") + 1] == "s3a://lake/features/dt=2026-11-01"
    assert args[args.index("--run-id") + 1] == "nightly-20261101"


def test_airflow_nightly_no_rows_holds(dagbag, airflow_db, fake_submit):
    fake_submit(exit=0, rows=0)
    state, tis = _run_dag(dagbag, "tabscore_nightly")
    assert tis["publish"][0] == "skipped" and tis["hold"][0] == "success", tis


def test_airflow_nightly_bad_summary_fails_without_retry(dagbag, airflow_db, fake_submit):
    fake_submit(exit=0, rows=10, scored=10, status="rows_mismatch")
    state, tis = _run_dag(dagbag, "tabscore_nightly")
    assert state == "failed"
    assert tis["check_summary"] == ("failed", 1), tis
    assert tis["publish"][0] == "upstream_failed"


@pytest.mark.parametrize("dag_id", ROUTES)
@pytest.mark.parametrize("code", [23, 31])
def test_airflow_refusal_fails_at_once(dagbag, airflow_db, fake_submit, dag_id, code):
    fake_submit(exit=code)
    state, tis = _run_dag(dagbag, dag_id)
    assert state == "failed"
    assert tis["score"] == ("failed", 1), tis  # no retries although retries=2
    assert tis["check_summary"][0] == "upstream_failed"
    assert len(fake_submit.calls) == 1


@pytest.mark.parametrize("dag_id", ROUTES)
def test_airflow_scoring_failed_is_retried(dagbag, airflow_db, fake_submit, dag_id):
    fake_submit(exit=40)
    state, tis = _run_dag(dagbag, dag_id)
    assert state == "failed"
    assert tis["score"] == ("failed", 3), tis  # 1 try + 2 retries
    assert len(fake_submit.calls) == 3


def test_airflow_backfill_run(dagbag, airflow_db, fake_submit):
    fake_submit(exit=0, rows=7)
    state, tis = _run_dag(
        dagbag, "tabscore_backfill", logical_date=None, run_conf={"start": "2026-01-30", "end": "2026-02-02"}
    )
    assert state == "success", tis
    assert [k for k in tis if k.startswith("check_summary[")] == [f"check_summary[{i}]" for i in range(4)]
    (call,) = fake_submit.calls  # one spark-submit for the four snapshots
    args = call["job_args"]
    assert args[args.index("--snapshots") + 1] == "2026-01-30..2026-02-02"
    assert "--input" not in args
    assert sorted(p.name for p in fake_submit.summaries.iterdir()) == [
        "dt=2026-01-30",
        "dt=2026-01-31",
        "dt=2026-02-01",
        "dt=2026-02-02",
    ]


def test_airflow_backfill_bad_range_fails_before_spark(dagbag, airflow_db, fake_submit):
    fake_submit(exit=0)
    state, tis = _run_dag(
        dagbag, "tabscore_backfill", logical_date=None, run_conf={"start": "2026-02-02", "end": "2026-01-30"}
    )
    assert state == "failed"
    assert tis["plan_backfill"] == ("failed", 1)
    assert fake_submit.calls == []


# -- Dagster ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def dg():
    _installed("dagster")
    spec = importlib.util.spec_from_file_location("tabscore_assets", EXAMPLES / "dagster" / "tabscore_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dagster_definitions_load(dg):
    import dagster

    dagster.Definitions.validate_loadable(dg.defs)
    assert dg.defs.resolve_assets_def("churn_scores") is not None
    partitions = dg.churn_scores.partitions_def
    assert isinstance(partitions, dagster.DailyPartitionsDefinition)
    assert partitions.cron_schedule == "0 0 * * *"
    assert partitions.get_partition_keys_between_indexes(0, 2) == ["2026-01-01", "2026-01-02"]
    assert dg.churn_scores.backfill_policy == dagster.BackfillPolicy.single_run()
    schedule = dg.defs.resolve_schedule_def("churn_scores_nightly_schedule")
    assert schedule.cron_schedule == "0 2 * * *"
    # the resource comes from the environment (TABSCORE_SUBMIT = the fake here)
    assert dg.defs.resources["tabscore"].submit == os.environ["TABSCORE_SUBMIT"]


def _materialize(dg, resource=None, **kwargs):
    import dagster

    return dagster.materialize(
        [dg.churn_scores],
        raise_on_error=False,
        resources={"tabscore": resource or dg.defs.resources["tabscore"]},
        **kwargs,
    )


def _events(result):
    return [e.event_type_value for e in result.all_events]


def test_dagster_materializes_on_exit_0(dg, fake_submit):
    fake_submit(exit=0, rows=5000)
    result = _materialize(dg, partition_key="2026-11-01")
    assert result.success
    (mat,) = result.asset_materializations_for_node("churn_scores")
    assert mat.partition == "2026-11-01"
    md = {k: getattr(v, "value", getattr(v, "text", v)) for k, v in mat.metadata.items()}
    assert md["rows_in"] == 5000 and md["rows_scored"] == 5000
    assert md["dagster/row_count"] == 5000
    assert md["bundle_digest"] == DIGEST
    assert md["bundle"] == "churn 1.0.0"
    assert md["run_id"] == "nightly-20261101"
    (call,) = fake_submit.calls
    assert call["job_args"][call["job_args"].index("--input") + 1] == "s3a://lake/features/dt=2026-11-01"


@pytest.mark.parametrize("code", [2, 23, 26, 30, 50])
def test_dagster_refusal_fails_without_retry(dg, fake_submit, code):
    fake_submit(exit=code)
    result = _materialize(dg, partition_key="2026-11-01")
    assert not result.success
    events = _events(result)
    assert "STEP_UP_FOR_RETRY" not in events and "STEP_RESTARTED" not in events
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    data = failure.step_failure_data.user_failure_data
    assert data is not None, "expected a dagster.Failure"
    assert data.metadata["exit_code"].value == code
    assert data.metadata["category"].text == tx.classify(code)
    assert f"exit {code}" in data.description
    assert len(fake_submit.calls) == 1


def test_dagster_scoring_failed_requests_retries(dg, fake_submit):
    fake_submit(exit=40)
    resource = dg.TabscoreJob(
        submit=os.environ["TABSCORE_SUBMIT"],
        summary_template=os.environ["TABSCORE_SUMMARY_TEMPLATE"],
        max_retries=2,
        retry_wait_s=0,
    )
    result = _materialize(dg, resource, partition_key="2026-11-01")
    assert not result.success
    events = _events(result)
    assert events.count("STEP_UP_FOR_RETRY") == 2
    assert events.count("STEP_RESTARTED") == 2
    assert events.count("STEP_FAILURE") == 1
    assert len(fake_submit.calls) == 3


def test_dagster_retry_then_success(dg, fake_submit, monkeypatch, tmp_path):
    """40 once, then 0: the retry materializes (the fake reads its exit code from a file)."""
    counter = tmp_path / "tries"
    wrapper = tmp_path / "flaky.sh"
    wrapper.write_text(
        "#!/bin/sh\n"
        f"n=$(cat {counter} 2>/dev/null || echo 0); echo $((n+1)) > {counter}\n"
        f"if [ \"$n\" = 0 ]; then exit 40; fi\n"
        f"exec {os.environ['TABSCORE_SUBMIT']} \"$@\"\n"
    )
    wrapper.chmod(0o755)
    fake_submit(exit=0, rows=3)
    resource = dg.TabscoreJob(
        submit=str(wrapper), summary_template=os.environ["TABSCORE_SUMMARY_TEMPLATE"], retry_wait_s=0
    )
    result = _materialize(dg, resource, partition_key="2026-11-01")
    assert result.success
    assert _events(result).count("STEP_UP_FOR_RETRY") == 1
    assert counter.read_text().strip() == "2"


def test_dagster_bad_summary_fails_without_retry(dg, fake_submit):
    fake_submit(exit=0, rows=10, scored=9)
    result = _materialize(dg, partition_key="2026-11-01")
    assert not result.success
    assert "STEP_UP_FOR_RETRY" not in _events(result)
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert "rows.in 10 != rows.scored 9" in failure.step_failure_data.user_failure_data.description


def test_dagster_partition_range_is_one_snapshots_run(dg, fake_submit):
    fake_submit(exit=0, rows=100)
    result = _materialize(
        dg,
        tags={"dagster/asset_partition_range_start": "2026-01-30", "dagster/asset_partition_range_end": "2026-02-02"},
    )
    assert result.success
    mats = result.asset_materializations_for_node("churn_scores")
    assert sorted(m.partition for m in mats) == ["2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02"]
    assert mats[0].metadata["rows_scored"].value == 400
    assert mats[0].metadata["run_id"].text == "backfill-20260130-20260202"
    (call,) = fake_submit.calls
    args = call["job_args"]
    assert args[args.index("--snapshots") + 1] == "2026-01-30..2026-02-02"
    assert args[args.index("--input-template") + 1] == "s3a://lake/features/dt={date}"
    assert "--input" not in args
