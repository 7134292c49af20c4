package dev.tabscore.job;

import static dev.tabscore.job.GateRuns.SAMPLE_FILE;
import static dev.tabscore.job.GateRuns.read;
import static dev.tabscore.job.GateRuns.run;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality gates' other outcomes (each gate breached alone: {@link QualityGatesTest}):
 * publish_and_flag publishes and still exits 50; gates that hold are listed as passed and exit 0;
 * malformed gate and policy flags are config errors that write nothing.
 */
@ExtendWith(LocalJobSession.class)
class QualityGateOutcomesTest {

    @TempDir static Path tmp;

    @Test
    void publishAndFlagPublishesAndStillExits50() {
        Path in =
                GateRuns.input(
                        tmp,
                        "flag",
                        d ->
                                d.withColumn(
                                        "region",
                                        when(col("customer_id").mod(10).equalTo(0), lit("atlantis"))
                                                .otherwise(col("region"))));
        Path out = tmp.resolve("flag-out");
        JobTesting.Run run =
                run(
                        in,
                        out,
                        List.of(
                                "--gate",
                                "max_unknown_rate.region=0.05",
                                "--on-gate-failure",
                                "publish_and_flag"));
        assertEquals(ExitCodes.QUALITY_GATE, run.exitCode(), run.toString());
        assertTrue(Files.exists(out.resolve("_SUCCESS")), "published");
        JsonNode s = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        assertEquals("quality_gate_failed", s.path("status").asText());
        assertTrue(s.path("committed").asBoolean());
        assertEquals(5000, JobTesting.spark().read().parquet(out.toString()).count());
        String report = read(out.resolve("_tabscore_report.html"));
        assertTrue(report.contains("output published and flagged"), report);
    }

    @Test
    void gatesThatHoldAreListedAsPassedAndTheRunExitsZero() {
        Path out = tmp.resolve("pass-out");
        JobTesting.Run run =
                run(
                        SAMPLE_FILE,
                        out,
                        List.of(
                                "--gate",
                                "max_reject_rate=0.01",
                                "--gate",
                                "max_missing_rate=0.2",
                                "--gate",
                                "max_unknown_rate=0.05",
                                "--gate",
                                "max_out_of_range_rate=0.05",
                                "--gate",
                                "max_psi=0.2",
                                "--gate",
                                "max_score_psi=0.2"));
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode s = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        assertEquals("ok", s.path("status").asText());
        assertEquals("passed", s.at("/quality/gate_status").asText());
        // 1 run-wide + 4 missing + 2 unknown + 2 range + 4 psi + 1 score psi
        assertEquals(14, s.at("/quality/gates").size(), s.at("/quality/gates").toString());
        String report = read(out.resolve("_tabscore_report.html"));
        assertTrue(report.contains("Trustworthy"), report);
        assertFalse(report.contains("FAILED"), report);
    }

    @Test
    void badGateAndPolicyFlagsAreConfigErrors() {
        Path out = tmp.resolve("bad-flags-out");
        JobTesting.Run run = run(SAMPLE_FILE, out, List.of("--gate", "max_psii=0.2"));
        assertEquals(ExitCodes.BAD_CONFIG, run.exitCode(), run.toString());
        assertTrue(run.err().contains("unknown gate 'max_psii'"), run.err());
        run = run(SAMPLE_FILE, out, List.of("--policy", "region.on_unknown=drop"));
        assertEquals(ExitCodes.BAD_CONFIG, run.exitCode(), run.toString());
        assertTrue(
                run.err().contains("quality.columns.region.on_unknown must be one of"), run.err());
        run = run(SAMPLE_FILE, out, List.of("--policy", "regio.on_null=reject"));
        assertEquals(ExitCodes.BAD_CONFIG, run.exitCode(), run.toString());
        assertTrue(run.err().contains("[regio]"), run.err());
        assertFalse(Files.exists(out), "nothing written into the output for a config error");
    }
}
