package dev.tabscore.job;

/**
 * What happened to one backfill snapshot.
 *
 * @param snapshot the date
 * @param status ok, quality_gate_failed, failed, missing_input or not_run
 * @param rowsIn rows read
 * @param rowsScored rows scored
 * @param seconds how long it took
 * @param error why it failed, or null
 * @param exitCode its exit code (unused when ok)
 */
record SnapshotOutcome(
        String snapshot,
        String status,
        long rowsIn,
        long rowsScored,
        double seconds,
        String error,
        int exitCode) {}
