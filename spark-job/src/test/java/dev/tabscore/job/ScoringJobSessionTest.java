package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Reason;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job stops its Spark session at the end, refused runs included, unless told to keep it. */
class ScoringJobSessionTest {

    private static final Path ROOT = JobTesting.repoRoot();

    @TempDir Path tmp;

    @BeforeAll
    static void execution() {
        JobTesting.onlyInExecution("default-test");
    }

    @Test
    void jobStopsTheSessionUnlessKeepSession() {
        SparkSession before = JobTesting.spark();
        String[] refused = {
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            "--bundle",
            ROOT.resolve("sample-data/bundle").toString(),
            "--expect-digest",
            "sha256:" + "1".repeat(64),
            "--input",
            ROOT.resolve("sample-data/input").toString(),
            "--output",
            tmp.resolve("out").toString()
        };

        JobTesting.Run kept =
                JobTesting.run(
                        JobTesting.localArgs(
                                java.util.Arrays.copyOfRange(refused, 4, refused.length)));
        assertEquals(Reason.DIGEST_MISMATCH.exitCode(), kept.exitCode(), kept.toString());
        assertFalse(before.sparkContext().isStopped(), "tabscore.keep_session=true keeps it");

        JobTesting.Run stopped = JobTesting.run(refused);
        assertEquals(Reason.DIGEST_MISMATCH.exitCode(), stopped.exitCode(), stopped.toString());
        assertTrue(before.sparkContext().isStopped(), "the job stops the session by default");

        SparkSession after = JobTesting.spark();
        assertFalse(after.sparkContext().isStopped(), "a new session starts after a stop");
    }
}
