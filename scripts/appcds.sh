# Sourced by run-local.sh and submit.sh: the JDK 17 AppCDS archive of the job's classes (issue 18).
# Class loading and verification of Spark's, Hadoop's and our classes are a good part of every cold start;
# the archive maps them from one file instead.
#
#   appcds_options ARCHIVE FILE...   sets APPCDS_OPTS: -XX:SharedArchiveFile=ARCHIVE when ARCHIVE exists and is
#                                    newer than every FILE (the jar, the class path list); otherwise this run is
#                                    the training run: -XX:ArchiveClassesAtExit into a temporary file
#   appcds_finish ARCHIVE EXIT_CODE  moves a training run's archive into place (only after a run that succeeded)
#
# A stale or unusable archive only costs speed: the JVM checks the JDK build and the class path (paths, sizes,
# modification times) and, without a match, runs without it (-Xshare:auto, the default) after one warning line;
# the next run here writes a fresh one. TABSCORE_APPCDS=0 turns it off. Tested by AppCdsArchiveTest.
appcds_options() {
  local archive="$1"
  shift
  APPCDS_OPTS=""
  APPCDS_TMP=""
  [ "${TABSCORE_APPCDS:-1}" = 0 ] && return 0
  if [ -s "$archive" ] && [ -z "$(find "$@" -newer "$archive" -print -quit 2>/dev/null)" ]; then
    # A mismatch is reported on stderr, not mixed into the run's stdout.
    APPCDS_OPTS="-XX:SharedArchiveFile=$archive -Xlog:cds=warning:stderr -Xlog:cds+dynamic=warning:stderr"
  else
    APPCDS_TMP="$archive.tmp.$$"
    # The dump lists every class it skips (signed jars, generated classes): not worth a line each.
    APPCDS_OPTS="-XX:ArchiveClassesAtExit=$APPCDS_TMP -Xlog:cds=off -Xlog:cds+dynamic=off"
  fi
}

appcds_finish() {
  if [ -n "${APPCDS_TMP:-}" ]; then
    if [ "$2" = 0 ] && [ -s "$APPCDS_TMP" ]; then
      mv -f "$APPCDS_TMP" "$1"
    fi
    rm -f "$APPCDS_TMP"
  fi
}
