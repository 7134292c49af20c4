#!/usr/bin/env bash
# Submits the scoring job to a Spark cluster with spark-submit and the shaded job jar.
#
#   scripts/submit.sh [spark-submit options...] -- [job flags...]
#   scripts/submit.sh [job flags...]                    # no "--": every argument is a job flag
#
# e.g.
#   scripts/submit.sh --master spark://head:7077 -- --config conf/nightly.yaml \
#       --input s3a://lake/features/dt=2026-11-01 --run-id nightly-20261101
#   TABSCORE_MASTER=yarn scripts/submit.sh --config conf/nightly.yaml
#
# Options before "--" go to spark-submit after the defaults below, so a later --conf key=value
# replaces a default one (keep -Dai.djl.offline=true when replacing spark.executor.extraJavaOptions). Job flags are ScoringJob's (--config, --bundle, --input, --output, ...).
# Exit status: spark-submit's, which is the job's exit code in client mode (the default here):
# 0 ok, 2 bad config, 10-29 bundle refused, 30-39 input refused, 40 scoring failed.
#
# Environment (all optional):
#   SPARK_HOME                 the Spark distribution; else the one inside `pip install pyspark`
#   TABSCORE_JAR               the job jar (default spark-job/target/tabscore-job.jar; built by
#                              `mvn -pl spark-job -am package` when missing)
#   TABSCORE_MASTER            --master when no --master is given (else spark-defaults.conf)
#   TABSCORE_EXECUTOR_CORES    task slots per executor (default 4)
#   TABSCORE_EXECUTOR_MEMORY   executor heap (default 4g); libtorch allocates off-heap, see
#                              TABSCORE_EXECUTOR_OVERHEAD
#   TABSCORE_EXECUTOR_OVERHEAD off-heap allowance per executor on YARN/Kubernetes (default 2g)
#   TABSCORE_APPCDS_ARCHIVE    the driver's AppCDS archive (default
#                              spark-job/target/tabscore-driver.jsa; TABSCORE_APPCDS=0: none)
#   TABSCORE_DJL_CACHE_DIR     where executors (and the driver) unpack the PyTorch natives
#                              (~430 MB, once per host): a local, writable disk. Default
#                              /tmp/tabscore-djl. The jar carries the natives; nothing downloads.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

spark_submit=""
if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  spark_submit="$SPARK_HOME/bin/spark-submit"
else
  pyspark_dir="$(${PYTHON:-python3} -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))' 2>/dev/null || true)"
  if [ -n "$pyspark_dir" ] && [ -x "$pyspark_dir/bin/spark-submit" ]; then
    spark_submit="$pyspark_dir/bin/spark-submit"
  fi
fi
if [ -z "$spark_submit" ]; then
  echo "submit: no spark-submit found: set SPARK_HOME to a Spark 4.2 distribution or" \
       "'pip install pyspark==4.2.0'" >&2
  exit 2
fi

jar="${TABSCORE_JAR:-$root/spark-job/target/tabscore-job.jar}"
if [ ! -f "$jar" ]; then
  if [ -n "${TABSCORE_JAR:-}" ]; then
    echo "submit: TABSCORE_JAR=$jar does not exist" >&2
    exit 2
  fi
  echo "submit: building $jar (once)..." >&2
  (cd "$root" && mvn -q -B -ntp -pl spark-job -am -DskipTests package >&2)
fi

# Split the arguments at "--": spark-submit options before, job flags after.
submit_args=()
job_args=()
if printf '%s\n' "$@" | grep -qx -- '--'; then
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do submit_args+=("$1"); shift; done
  shift
fi
job_args=("$@")

has_master=false
for a in "${submit_args[@]+"${submit_args[@]}"}"; do
  case "$a" in --master|--master=*) has_master=true ;; esac
done
master_args=()
if ! $has_master && [ -n "${TABSCORE_MASTER:-}" ]; then
  master_args=(--master "$TABSCORE_MASTER")
fi

# The driver's class-data-sharing archive (scripts/appcds.sh): written by the first submit after
# a build, used by the later ones; it matches this jar and this Spark's jars only, and anything
# else only costs start-up time. Executors start without one (their class path is set up by
# the cluster). TABSCORE_APPCDS=0 turns it off.
. "$root/scripts/appcds.sh"
archive="${TABSCORE_APPCDS_ARCHIVE:-$root/spark-job/target/tabscore-driver.jsa}"
appcds_options "$archive" "$jar" "$(dirname "$spark_submit")/../jars"

djl_cache="${TABSCORE_DJL_CACHE_DIR:-/tmp/tabscore-djl}"
export DJL_CACHE_DIR="$djl_cache"   # the driver (client mode) opens and verifies the bundle too

defaults=(
  --class dev.tabscore.job.ScoringJob
  --deploy-mode client               # the driver verifies the bundle; its exit code is ours
  --name tabscore
  --driver-java-options "-Dai.djl.offline=true -Dlog4j2.configurationFile=$root/conf/log4j2.properties $APPCDS_OPTS"
  --conf spark.executor.cores="${TABSCORE_EXECUTOR_CORES:-4}"
  --conf spark.executor.memory="${TABSCORE_EXECUTOR_MEMORY:-4g}"
  --conf spark.executor.memoryOverhead="${TABSCORE_EXECUTOR_OVERHEAD:-2g}"
  # Nothing downloads on executors: the PyTorch natives are in the jar. (Executor logging is the
  # cluster's conf/log4j2.properties: a --files copy arrives only after the executor JVM starts.)
  --conf spark.executor.extraJavaOptions=-Dai.djl.offline=true
  --conf spark.executorEnv.DJL_CACHE_DIR="$djl_cache"
  # One intra-op thread per task (scoring.threads_per_task): the task slots already use the cores.
  --conf spark.executorEnv.OMP_NUM_THREADS=1
  # GPUs: one per executor and one task per GPU, so scoring.device=auto gives each task its own
  # (tabscore takes the task's first Spark GPU address; CPU with one warning if libtorch has no
  # CUDA). Build the jar with `mvn -Pcuda -pl spark-job -am package` (pytorch-native-cu128), and
  # give Spark a discovery script that prints the executor's GPU indices as JSON (Spark ships
  # examples/src/main/scripts/getGpusResources.sh); README "GPU executors":
  # --conf spark.executor.resource.gpu.amount=1
  # --conf spark.task.resource.gpu.amount=1
  # --conf spark.executor.resource.gpu.discoveryScript=/opt/spark/getGpusResources.sh
)

rc=0
"$spark_submit" "${defaults[@]}" \
  "${master_args[@]+"${master_args[@]}"}" \
  "${submit_args[@]+"${submit_args[@]}"}" \
  "$jar" \
  "${job_args[@]+"${job_args[@]}"}" || rc=$?
appcds_finish "$archive" "$rc"
exit "$rc"
