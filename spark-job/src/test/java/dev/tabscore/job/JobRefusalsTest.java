package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's refusals in Spark {@code local[2]}, in this JVM: a bad input (missing, unreadable, a
 * contract column missing or of a type the bundle cannot take), a bad config, a bundle of another
 * digest. Each exits with its code, names what is at fault, and publishes nothing.
 */
@ExtendWith(LocalJobSession.class)
class JobRefusalsTest {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final Path SAMPLE_INPUT = ROOT.resolve("sample-data/input");
    private static final Path SAMPLE_FILE =
            SAMPLE_INPUT.resolve("snapshot=2026-11-01/part-0.parquet");

    @TempDir static Path tmp;

    @Test
    void inputMissingAContractColumnIsRefusedNamingIt() {
        Path in = tmp.resolve("missing-income");
        JobTesting.spark()
                .read()
                .parquet(SAMPLE_FILE.toString())
                .drop("income")
                .write()
                .parquet(in.toString());
        Path out = tmp.resolve("missing-income-out");
        JobTesting.Run run = runOnSampleBundle(in, out, "missing-income");
        assertEquals(Reason.INPUT_SCHEMA.exitCode(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("missing columns [income]"), run.err());
        assertRefusedWithRecord(out, "missing-income", Reason.INPUT_SCHEMA);
    }

    @Test
    void timestampWhereFloat64IsRefusedNamingTheColumn() {
        Path in = tmp.resolve("age-timestamp");
        JobTesting.spark()
                .read()
                .parquet(SAMPLE_FILE.toString())
                .withColumn("age", functions.expr("try_cast(age AS TIMESTAMP)"))
                .write()
                .parquet(in.toString());
        Path out = tmp.resolve("age-timestamp-out");
        JobTesting.Run run = runOnSampleBundle(in, out, "age-timestamp");
        assertEquals(Reason.INPUT_SCHEMA.exitCode(), run.exitCode(), run.toString());
        assertTrue(
                run.err().contains("'age' is timestamp but the bundle expects float64"), run.err());
        assertRefusedWithRecord(out, "age-timestamp", Reason.INPUT_SCHEMA);
    }

    @Test
    void missingInputIsReportedAsMissing() {
        Path out = tmp.resolve("no-input-out");
        Path in = tmp.resolve("no-such-input");
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--input",
                                in.toString(),
                                "--output",
                                out.toString(),
                                "--run-id",
                                "missing"));
        assertEquals(Reason.INPUT_MISSING.exitCode(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("input " + in + " does not exist"), run.err());
        assertRefusedWithRecord(out, "missing", Reason.INPUT_MISSING);
    }

    @Test
    void unreadableInputIsRefused() throws java.io.IOException {
        Path out = tmp.resolve("bad-input-out");
        Path in = Files.writeString(tmp.resolve("not-parquet.parquet"), "not parquet");
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--input",
                                in.toString(),
                                "--output",
                                out.toString(),
                                "--run-id",
                                "bad-input"));
        assertTrue(
                run.exitCode() == Reason.INPUT_SCHEMA.exitCode()
                        || run.exitCode() == Reason.SCORING_FAILED.exitCode(),
                run.toString());
        QualityGatesTest.assertNothingPublished(out);
    }

    /** A run refused before any work publishes nothing; its own record says why. */
    private static void assertRefusedWithRecord(Path out, String runId, Reason reason) {
        QualityGatesTest.assertNothingPublished(out);
        com.fasterxml.jackson.databind.JsonNode r =
                JobTesting.summary(out.resolve("_tabscore_runs/" + runId + "/summary.json"));
        assertEquals("failed", r.path("status").asText());
        assertEquals(reason.exitCode(), r.path("exit_code").asInt());
        assertEquals(reason.name(), r.path("reason").asText());
        assertEquals(reason.retryable(), r.path("retryable").asBoolean());
        assertFalse(r.path("published").asBoolean());
        assertTrue(r.path("message").asText().length() > 0);
    }

    @Test
    void badConfigExitsTwo() {
        Path out = tmp.resolve("bad-config-out");
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--input",
                                SAMPLE_INPUT.toString(),
                                "--output",
                                out.toString(),
                                "--batch-size",
                                "0"));
        assertEquals(ExitCodes.BAD_CONFIG, run.exitCode(), run.toString());
        assertTrue(run.err().contains("scoring.batch_size (--batch-size)"), run.err());
        assertFalse(Files.exists(out));

        run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--input",
                                SAMPLE_INPUT.toString(),
                                "--output",
                                out.toString(),
                                "--conf",
                                "tabscore.fail_after_row=3"));
        assertEquals(ExitCodes.BAD_CONFIG, run.exitCode(), run.toString());
        assertTrue(
                run.err().contains("'tabscore.fail_after_row' is not a tabscore setting"),
                run.err());
        assertFalse(Files.exists(out));

        run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--input",
                                SAMPLE_INPUT.toString(),
                                "--output",
                                out.toString(),
                                "--conf",
                                "tabscore.keep_session=yes"));
        assertEquals(ExitCodes.BAD_CONFIG, run.exitCode(), run.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void wrongExpectedDigestIsRefused() {
        Path out = tmp.resolve("digest-out");
        String wrong = "sha256:" + "0".repeat(64);
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                SAMPLE_BUNDLE.toString(),
                                "--expect-digest",
                                wrong,
                                "--input",
                                SAMPLE_INPUT.toString(),
                                "--id-col",
                                "customer_id",
                                "--output",
                                out.toString(),
                                "--run-id",
                                "digest"));
        assertEquals(Reason.DIGEST_MISMATCH.exitCode(), run.exitCode(), run.toString());
        assertTrue(run.err().contains(wrong + " was expected"), run.err());
        assertRefusedWithRecord(out, "digest", Reason.DIGEST_MISMATCH);
    }

    /**
     * Runs the job on the sample bundle over {@code in}, writing {@code out} as run {@code runId}.
     */
    private static JobTesting.Run runOnSampleBundle(Path in, Path out, String runId) {
        return JobTesting.run(
                JobTesting.localArgs(
                        "--bundle", SAMPLE_BUNDLE.toString(),
                        "--input", in.toString(),
                        "--id-col", "customer_id",
                        "--output", out.toString(),
                        "--run-id", runId));
    }
}
