#!/usr/bin/env bash
# The end-to-end benchmark (issue 7; not part of the tests). On the same input and the same cores it runs
#   a  the floor: Spark reads the input and writes the job's output columns with prob = 0.5 (FloorJob)
#   b  tabscore: the real ScoringJob, --master local[CORES]
#   c  the Python reference: pandas + scikit-learn + torch in one process, CORES threads
#   d  PySpark with a pandas UDF (the MLflow spark_udf pattern), local[CORES]
# and prints rows/s and the ratios b/a, b/c, b/d (cold end-to-end and warm pass).
#
#   scripts/bench.sh [--rows N (2000000)] [--bundle DIR (sample-data/bundle)] [--cores C (2)]
#                    [--systems abcd] [--repeat 2] [--jfr] [--label TEXT] [--work out/bench] [--heap 4g]
#                    [--model auto (or state_dict, onnx, torchscript; a comma list runs b once per kind)]
#   scripts/bench.sh --cold [--rows N] [--bundle DIR] [--runs 3] [--systems b,b+cds,c] ...
#       whole process, launch to exit, fresh processes: tabscore without and with its AppCDS archive, and the
#       Python reference; median wall, peak RSS and where tabscore's seconds go (scripts/bench/cold_bench.py)
#
# The input (N rows for the bundle's input contract, 16 Parquet files) is generated once per bundle and N under
# out/bench/input/. Results: out/bench/results/<bundle>-<N>.{json,md}; logs and outputs: out/bench/runs/.
# Builds the job on first use, like run-local.sh. TABSCORE_BUILD_DIR=target-x uses (and builds into) another
# Maven build directory (built without test classes); TABSCORE_BENCH_NO_BUILD=1 uses the jar that is there even if
# sources are newer (while others edit the tree). Needs the Python side (scripts/install-python-deps.sh). See docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build_dir="${TABSCORE_BUILD_DIR:-target}"
jar="spark-job/$build_dir/spark-job-0.1.0-SNAPSHOT.jar"
cp_file="$root/spark-job/$build_dir/local.classpath"
if [ ! -f "$jar" ] || [ ! -f "$cp_file" ] || { [ -z "${TABSCORE_BENCH_NO_BUILD:-}" ] \
    && [ -n "$(find bundle-core/src/main spark-job/src/main pom.xml bundle-core/pom.xml spark-job/pom.xml -newer "$jar" -print -quit)" ]; }; then
  echo "bench: building (once)..." >&2
  # What run-local.sh does: one reactor build, bundle-core resolved from it (nothing installed).
  # Every module of the reactor writes the file; spark-job comes last. Replace it only on success.
  mvn -q -B -ntp -pl spark-job -am -Dtabscore.buildDir="$build_dir" -Dmaven.test.skip=true -Dtabscore.skipShade=true package \
      dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file.tmp" >&2
  mv "$cp_file.tmp" "$cp_file"
fi
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
if [ "${1:-}" = "--cold" ]; then
  # Fresh processes, launch to exit (scripts/bench/cold_bench.py); its own flags follow.
  shift
  exec python3 "$root/scripts/bench/cold_bench.py" --jar "$root/$jar" --classpath-file "$cp_file" "$@"
fi
exec python3 "$root/scripts/bench/run_bench.py" --jar "$root/$jar" --classpath-file "$cp_file" "$@"
