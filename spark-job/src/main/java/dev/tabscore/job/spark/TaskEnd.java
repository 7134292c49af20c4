package dev.tabscore.job.spark;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.quality.GuardedScorer;
import dev.tabscore.bundle.quality.QualityStats;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * What a scoring task of {@link PartitionScorer} does when it ends, on success, failure or
 * cancellation: closes its scorer and its bundle lease, then finishes its rejects file (or drops
 * it, for a failed task) and hands its rejects file and quality statistics to the run's
 * accumulators. Apart from the scorer so that the per-row path and the task's end read alone.
 */
final class TaskEnd implements TaskCompletionListener {

    private final GuardedScorer scorer;
    private final ExecutorBundles.Lease lease;
    private final RejectsWriter rejects;
    private final QualityStats stats;
    private final PartitionScorer.JobMetrics metrics;
    private final int partition;

    TaskEnd(
            GuardedScorer scorer,
            ExecutorBundles.Lease lease,
            RejectsWriter rejects,
            QualityStats stats,
            PartitionScorer.JobMetrics metrics,
            int partition) {
        this.scorer = scorer;
        this.lease = lease;
        this.rejects = rejects;
        this.stats = stats;
        this.metrics = metrics;
        this.partition = partition;
    }

    @Override
    public void onTaskCompletion(TaskContext c) {
        scorer.close();
        lease.close();
        if (c.isFailed()) {
            rejects.abort();
            return;
        }
        Path file = finishRejects(rejects, partition);
        if (file != null) {
            metrics.rejectFiles().add(partition + "\t" + file + "\t" + rejects.rows());
        }
        metrics.quality().add(stats);
    }

    /**
     * Closes a task's rejects file (again: closing twice is harmless).
     *
     * @param rejects the task's rejects writer
     * @param partition the task's partition, named in the error
     * @return the file written, or null when the task had no rejects
     * @throws ScoringException (SCORING_FAILED) if the file cannot be closed
     */
    static Path finishRejects(RejectsWriter rejects, int partition) {
        try {
            return rejects.close();
        } catch (IOException e) {
            throw new ScoringException(
                    Reason.SCORING_FAILED,
                    "(rejects)",
                    -1,
                    "cannot close the rejects file of partition "
                            + partition
                            + ": "
                            + e.getMessage());
        }
    }
}
