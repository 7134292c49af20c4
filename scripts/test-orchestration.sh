#!/usr/bin/env bash
# Tests the orchestration examples (examples/: Airflow DAGs, Dagster assets, the exit-code helper)
# in their own virtualenv, .venv-orchestration (gitignored), never the main Python environment.
#
#   scripts/test-orchestration.sh              create/refresh the venv if needed, run the tests
#   scripts/test-orchestration.sh -k dagster   extra arguments go to pytest
#
# The venv is (re)built when it is missing or examples/requirements-orchestration.txt changed
# (all pinned: Airflow 3.3.2, the Spark provider 6.3.4, Dagster 1.13.29, pytest; PyPI only).
# A fresh install takes about 1.5 minutes on 2 cores with a warm pip cache, more on a cold one.
# No Spark, cluster or network is used by the tests: "spark-submit" and "scripts/submit.sh" are
# examples/tests/fake_submit.py; Airflow runs on a throwaway sqlite DB in a temporary AIRFLOW_HOME.
#
# Environment: PYTHON (default python3.11), TABSCORE_ORCH_VENV (default .venv-orchestration).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3.11}"
venv="${TABSCORE_ORCH_VENV:-$root/.venv-orchestration}"
req="$root/examples/requirements-orchestration.txt"
want="$(sha256sum "$req" | cut -d' ' -f1)"
stamp="$venv/.tabscore-requirements.sha256"

if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    echo "test-orchestration: needs Python 3.11 (the pinned set is resolved for it);" \
         "set PYTHON=/path/to/python3.11" >&2
    exit 2
  fi
  echo "== orchestration venv: installing $req into $venv"
  start=$(date +%s)
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip==26.3
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --require-virtualenv -r "$req"
  "$venv/bin/python" -m pip check
  echo "$want" > "$stamp"
  echo "== orchestration venv: installed in $(( $(date +%s) - start )) s"
fi

echo "== orchestration examples: pytest"
# A private AIRFLOW_HOME etc. are set by examples/tests/conftest.py; these keep the user's away
# from anything imported before it.
work="$(mktemp -d "${TMPDIR:-/tmp}/tabscore-orch-home.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export AIRFLOW_HOME="$work/airflow" DAGSTER_HOME="$work/dagster"
mkdir -p "$DAGSTER_HOME"
"$venv/bin/python" -m pytest -q -p no:cacheprovider --doctest-modules \
  examples/tabscore_exit.py examples/tabscore_job.py examples/tests "$@"
