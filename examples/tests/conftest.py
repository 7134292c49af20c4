"""Test settings for the orchestration examples, set before Airflow or Dagster is imported.

Everything lives in one temporary directory: AIRFLOW_HOME (sqlite metadata DB for dag.test()),
the fake `spark-submit` on PATH, and the run summaries. Nothing reaches a cluster: every
"spark-submit" / "scripts/submit.sh" here is tests/fake_submit.py.
"""

import os
import shlex
import shutil
import stat
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent
FAKE = HERE / "fake_submit.py"

WORK = Path(tempfile.mkdtemp(prefix="tabscore-orch-"))
SUMMARIES = WORK / "summaries"
BIN = WORK / "bin"
BIN.mkdir()
_spark_submit = BIN / "spark-submit"
_spark_submit.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(FAKE))} "$@"\n')
_spark_submit.chmod(_spark_submit.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)

os.environ.update(
    {
        # Airflow: a throwaway home, never the user's; the examples' folder is the DAGs folder.
        "AIRFLOW_HOME": str(WORK / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(EXAMPLES / "airflow"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW_CONN_SPARK_DEFAULT": '{"conn_type": "spark", "host": "local"}',
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        # The examples' settings.
        "TABSCORE_HOME": str(WORK),
        "TABSCORE_SUBMIT": f"{shlex.quote(sys.executable)} {shlex.quote(str(FAKE))}",
        "TABSCORE_SUMMARY_TEMPLATE": str(SUMMARIES / "dt={date}" / "_tabscore_summary.json"),
        "TABSCORE_RETRY_DELAY_S": "0",
        "FAKE_SUBMIT_LOG": str(WORK / "submit.log"),
        # The examples' helper modules (tabscore_exit, tabscore_job) for any Python these tests start; this
        # process has examples/ on its import path from pytest.ini's pythonpath.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(EXAMPLES), os.environ.get("PYTHONPATH")])),
    }
)


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(WORK, ignore_errors=True)


@pytest.fixture
def fake_submit(monkeypatch):
    """Controls the fake: `fake_submit(exit=23, rows=10)`; returns the calls it logged."""
    import json

    shutil.rmtree(SUMMARIES, ignore_errors=True)
    log = Path(os.environ["FAKE_SUBMIT_LOG"])
    log.unlink(missing_ok=True)
    for name in ("FAKE_SUBMIT_EXIT", "FAKE_SUBMIT_ROWS", "FAKE_SUBMIT_SCORED", "FAKE_SUBMIT_STATUS"):
        monkeypatch.delenv(name, raising=False)

    class Fake:
        summaries = SUMMARIES

        def __call__(self, exit=0, rows=None, scored=None, status=None):
            monkeypatch.setenv("FAKE_SUBMIT_EXIT", str(exit))
            if rows is not None:
                monkeypatch.setenv("FAKE_SUBMIT_ROWS", str(rows))
            if scored is not None:
                monkeypatch.setenv("FAKE_SUBMIT_SCORED", str(scored))
            if status is not None:
                monkeypatch.setenv("FAKE_SUBMIT_STATUS", status)
            return self

        @property
        def calls(self):
            if not log.exists():
                return []
            return [json.loads(line) for line in log.read_text().splitlines()]

    return Fake()
