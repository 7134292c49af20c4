#!/usr/bin/env bash
# Runs the scoring job on the sample data in Spark local[*] mode (no cluster, local files):
#   scripts/run-local.sh                      # conf/local.yaml: sample-data/ -> out/predictions
#   scripts/run-local.sh --output out/other   # any ScoringJob flag overrides the config
# Builds the project on first use (nothing is installed into ~/.m2); the first run after a build
# also writes the job's AppCDS archive (scripts/appcds.sh), which later runs start from. Prints
# the run summary, where the output went and a few rows.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jar="spark-job/target/spark-job-0.1.0-SNAPSHOT.jar"
cp_file="$root/spark-job/target/local.classpath"
if [ ! -f "$jar" ] || [ ! -f "$cp_file" ] \
    || [ -n "$(find bundle-core/src/main spark-job/src/main pom.xml bundle-core/pom.xml spark-job/pom.xml -newer "$jar" -print -quit)" ]; then
  echo "run-local: building (once)..." >&2
  # One reactor build, bundle-core resolved from it: nothing is installed into ~/.m2. Every module
  # of the reactor writes the classpath file; spark-job comes last. Replace it only on success.
  mvn -q -B -ntp -pl spark-job -am -Dmaven.test.skip=true -Dtabscore.skipShade=true package \
      dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file.tmp" >&2
  mv "$cp_file.tmp" "$cp_file"
fi
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# The class-data-sharing archive of this classpath: written by the first run after a build, used
# by the later ones (scripts/appcds.sh; TABSCORE_APPCDS=0 turns it off).
archive="spark-job/target/tabscore-job.jsa"
. "$root/scripts/appcds.sh"
appcds_options "$archive" "$jar" "$cp_file"
# The module options spark-submit passes to every JVM (Spark's JavaModuleOptions): Spark needs
# them for dates, timestamps and off-heap buffers on JDK 17.
rc=0
java $(cat "$root/conf/java-module-options") $APPCDS_OPTS ${TABSCORE_JAVA_OPTS:-} -Dai.djl.offline=true \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "$jar:$(cat "$cp_file")" dev.tabscore.job.ScoringJob --config conf/local.yaml --show 5 "$@" || rc=$?
appcds_finish "$archive" "$rc"
exit "$rc"
