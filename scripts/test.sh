#!/usr/bin/env bash
# The test command of README.md (and of CI): installs the Python side, tests it, builds a fresh
# Python-vs-Java parity set, runs every Maven test (bundle-core, spark-job), then runs the sample
# job (README's first command) once more as a user would.
#   scripts/test.sh              everything
#   SKIP_PYTHON=1 scripts/test.sh   Maven only (no parity set: the parity test is then skipped)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$(mktemp -d "${TMPDIR:-/tmp}/tabscore-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export SPARK_LOCAL_IP=127.0.0.1

mvn_args=(-B -ntp verify)
if [ -z "${SKIP_PYTHON:-}" ]; then
  echo "== Python: dependencies"
  bash scripts/install-python-deps.sh
  echo "== Python: lint and format (ruff check, ruff format --check: ruff.toml; scripts/format.sh formats)"
  python3 -m ruff check python scripts examples
  python3 -m ruff format --check python scripts examples
  echo "== Python: exporter package (python/tests) and scripts (scripts/tests) tests"
  python3 -m pytest python/tests scripts/tests -q -p no:cacheprovider
  echo "== Python: fresh parity set (4 bundles, one per model artifact kind, 10,000 rows)"
  python3 scripts/parity/make_parity_set.py "$work/parity" --rows 10000
  mvn_args+=(-Dtabscore.parity.dir="$work/parity")
fi

echo "== Java: build and every test"
mvn "${mvn_args[@]}"

if [ -z "${SKIP_PYTHON:-}" ]; then
  echo "== Differential fuzzer: random scikit-learn graphs, scikit-learn vs Java on fresh rows (fixed seed, bounded)"
  python3 scripts/difffuzz/difffuzz.py --ci --json "$work/difffuzz-summary.json"
fi

echo "== Fuzzing: every bundle reader, bounded (Jazzer, ${FUZZ_SECONDS:-30} s per target)"
mvn -B -ntp -pl bundle-core -Pfuzz test -Dfuzz.seconds="${FUZZ_SECONDS:-30}"

if [ -z "${SKIP_PYTHON:-}" ]; then
  echo "== Orchestration examples: Airflow DAGs and Dagster assets (own virtualenv)"
  bash scripts/test-orchestration.sh
fi

echo "== The sample job (README's first command)"
scripts/run-local.sh --output "$work/predictions" --summary "$work/summary.json" > "$work/run-local.log" 2>&1 \
  || { cat "$work/run-local.log"; exit 1; }
grep -q '"status" : "ok"' "$work/summary.json" || { cat "$work/run-local.log"; exit 1; }
tail -n 12 "$work/run-local.log"
echo "== all tests passed"
