package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Reason;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that fails half-way through the write (the {@code tabscore.fail_after_rows} fault
 * injection of {@code PartitionScorer}) fails the whole run: the exit code is the task's
 * ScoringException's, and nothing is committed although other tasks had already written theirs.
 */
class ScoringJobFailureTest {

    private static final Path ROOT = JobTesting.repoRoot();

    @TempDir Path tmp;

    @BeforeAll
    static void execution() {
        JobTesting.onlyInExecution("default-test");
    }

    @Test
    void taskFailingHalfwayCommitsNothing() throws Exception {
        SparkSession spark = JobTesting.spark();
        // Four files -> four input partitions of ~1,250 rows; local[2] runs partitions 0 and 1
        // (to their task commit) before partition 3 starts, so the failure comes half-way.
        Path in = tmp.resolve("input");
        spark.read()
                .parquet(
                        ROOT.resolve("sample-data/input/snapshot=2026-11-01/part-0.parquet")
                                .toString())
                .repartition(4)
                .write()
                .parquet(in.toString());

        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        SparkListener listener =
                new SparkListener() {
                    @Override
                    public void onTaskEnd(SparkListenerTaskEnd end) {
                        (end.taskInfo().successful() ? succeeded : failed).incrementAndGet();
                    }
                };
        Path out = tmp.resolve("out");
        JobTesting.Run run;
        spark.sparkContext().addSparkListener(listener);
        // One file per input partition: a file "costs" more than a partition may hold.
        spark.conf().set("spark.sql.files.openCostInBytes", String.valueOf(128L << 20));
        try {
            run =
                    JobTesting.run(
                            JobTesting.localArgs(
                                    "--bundle", ROOT.resolve("sample-data/bundle").toString(),
                                    "--input", in.toString(),
                                    "--id-col", "customer_id",
                                    "--output", out.toString(),
                                    "--batch-size", "100",
                                    // Partition 3 emits three batches (300 rows), then throws.
                                    "--conf", "tabscore.fail_after_rows=300",
                                    "--conf", "tabscore.fail_partition=3"));
            spark.sparkContext().listenerBus().waitUntilEmpty(30_000);
        } finally {
            spark.sparkContext().removeSparkListener(listener);
            spark.conf().unset("spark.sql.files.openCostInBytes");
        }

        assertEquals(Reason.INPUT_VALUE.exitCode(), run.exitCode(), run.toString());
        assertTrue(
                run.err().contains("scoring failed; nothing was published to " + out), run.err());
        assertTrue(run.err().contains("tabscore.fail_after_rows=300 in partition 3"), run.err());
        assertTrue(
                succeeded.get() >= 1,
                "other write tasks finished before the failure ("
                        + succeeded
                        + " succeeded, "
                        + failed
                        + " failed)");
        assertTrue(failed.get() >= 1, "a task failed");
        JobTesting.assertNothingCommitted(out);
    }
}
