package dev.tabscore.job.spark;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoringException;
import org.apache.spark.SparkEnv;

/**
 * The test-only fault injections of a scoring task ({@link PartitionScorer} documents the knobs):
 * the sleep before a task opens its bundle and the failure before a given row. Apart from the
 * scorer so that what only tests use is visibly in one place.
 */
final class TaskFaults {

    private TaskFaults() {}

    /** Sleeps {@link PartitionScorer#TASK_DELAY_MS} ms when the executor's Spark conf sets it. */
    static void delayTask() {
        SparkEnv env = SparkEnv.get();
        long ms = env == null ? 0 : env.conf().getLong(PartitionScorer.TASK_DELAY_MS, 0L);
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // a killed task: Spark handles the rest
            }
        }
    }

    /**
     * The failure {@code tabscore.fail_after_rows} injects, as a value the preprocessor refuses.
     *
     * @param failAt the knob's value (rows read before the failure)
     * @param partition the task's partition
     * @param row the row of the current batch the failure stands for
     * @return the exception to throw
     */
    static ScoringException injected(long failAt, int partition, int row) {
        return new ScoringException(
                Reason.INPUT_VALUE,
                "(fault injection)",
                row,
                "fault injected by tabscore.fail_after_rows="
                        + failAt
                        + " in partition "
                        + partition
                        + ": the task fails before reading its row "
                        + (failAt + 1)
                        + " (a test knob; never set it in production)");
    }
}
