package dev.tabscore.job;

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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each quality gate breached on its own by an input crafted from the sample data: the run exits 50,
 * publishes nothing (fail_before_commit, the default), and its summary and report name exactly that
 * gate, and a rerun with the gate lifted succeeds. The other outcomes (publish_and_flag, gates that
 * hold, bad flags): {@link QualityGateOutcomesTest}.
 */
@ExtendWith(LocalJobSession.class)
class QualityGatesTest {

    @TempDir static Path tmp;

    /** A crafted input, its flags, and the one gate it must fail. */
    static Stream<Arguments> breaches() {
        return Stream.of(
                Arguments.of(
                        "missing",
                        (UnaryOperator<Dataset<Row>>)
                                d ->
                                        d.withColumn(
                                                "age",
                                                when(col("customer_id").mod(10).lt(3), lit(null))
                                                        .otherwise(col("age"))),
                        List.of("--gate", "max_missing_rate.age=0.2"),
                        "max_missing_rate",
                        "age"),
                Arguments.of(
                        "unknown",
                        (UnaryOperator<Dataset<Row>>)
                                d ->
                                        d.withColumn(
                                                "region",
                                                when(
                                                                col("customer_id")
                                                                        .mod(10)
                                                                        .equalTo(0),
                                                                lit("atlantis"))
                                                        .otherwise(col("region"))),
                        List.of("--gate", "max_unknown_rate.region=0.05"),
                        "max_unknown_rate",
                        "region"),
                Arguments.of(
                        "range",
                        (UnaryOperator<Dataset<Row>>)
                                d ->
                                        d.withColumn(
                                                "income",
                                                when(
                                                                col("customer_id")
                                                                        .mod(20)
                                                                        .equalTo(0),
                                                                lit(5e6))
                                                        .otherwise(col("income"))),
                        List.of("--gate", "max_out_of_range_rate.income=0.01"),
                        "max_out_of_range_rate",
                        "income"),
                Arguments.of(
                        "psi",
                        (UnaryOperator<Dataset<Row>>) d -> d.withColumn("age", col("age").plus(15)),
                        List.of("--gate", "max_psi.age=0.2"),
                        "max_psi",
                        "age"),
                Arguments.of(
                        "score-psi",
                        (UnaryOperator<Dataset<Row>>)
                                d -> d.withColumn("income", col("income").multiply(4)),
                        List.of("--gate", "max_score_psi=0.2"),
                        "max_score_psi",
                        "prob"),
                Arguments.of(
                        "rejects",
                        (UnaryOperator<Dataset<Row>>) d -> d,
                        List.of("--policy", "age.on_null=reject", "--gate", "max_reject_rate=0.01"),
                        "max_reject_rate",
                        null),
                Arguments.of(
                        "on-unknown-fail",
                        (UnaryOperator<Dataset<Row>>) d -> d,
                        List.of(
                                "--policy", "region.on_unknown=fail",
                                "--policy", "region.max_unknown_rate=0.001"),
                        "on_unknown_fail",
                        "region"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breaches")
    void eachGateBreachedAloneFailsBeforeCommitNamingIt(
            String name,
            UnaryOperator<Dataset<Row>> craft,
            List<String> flags,
            String gate,
            String column) {
        Path in = input(name, craft);
        Path out = tmp.resolve(name + "-out");
        JobTesting.Run run = run(in, out, flags);
        assertEquals(ExitCodes.QUALITY_GATE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("quality gate failed; nothing was committed"), run.err());
        assertTrue(
                run.err().contains(gate + (column == null ? "" : "[" + column + "]")), run.err());
        assertNothingPublished(out);
        assertFalse(Files.exists(out.resolve("_tabscore_rejects")), "no rejects folder left");
        assertFalse(Files.exists(out.resolve("_tabscore_summary.json")), "no published summary");
        // The failed run's own record says why.
        Path record = out.resolve("_tabscore_runs").resolve(out.getFileName().toString());
        JsonNode s = JobTesting.summary(record.resolve("summary.json"));
        assertEquals(ExitCodes.QUALITY_GATE, s.path("exit_code").asInt());
        assertEquals("QUALITY_GATE", s.path("reason").asText());
        assertFalse(s.path("retryable").asBoolean());
        assertFalse(s.path("published").asBoolean());
        assertEquals("quality_gate_failed", s.path("status").asText());
        assertFalse(s.path("committed").asBoolean());
        assertTrue(s.at("/rows/reconciled").asBoolean(), s.path("rows").toString());
        List<JsonNode> failed = new ArrayList<>();
        s.at("/quality/gates")
                .forEach(
                        g -> {
                            if (!g.path("passed").asBoolean()) {
                                failed.add(g);
                            }
                        });
        assertEquals(1, failed.size(), "exactly one gate fails: " + s.at("/quality/gates"));
        assertEquals(gate, failed.get(0).path("gate").asText());
        assertEquals(column == null ? "" : column, failed.get(0).path("column").asText(""));
        assertTrue(
                failed.get(0).path("observed").asDouble()
                        > failed.get(0).path("threshold").asDouble());
        String report = read(record.resolve("report.html"));
        assertTrue(
                report.contains(
                        "NOT trustworthy: a quality gate failed (nothing was " + "published)"),
                report);
        assertTrue(report.contains("<tr class=\"badrow\"><td>" + gate + "</td>"), report);
        assertTrue(report.contains("FAILED"), report);

        // The rerun with the gate lifted goes through: the leftovers are not an output.
        List<String> lifted =
                new ArrayList<>(
                        flags.stream().map(f -> f.replaceAll("=0\\.\\d+$", "=1.0")).toList());
        if (gate.equals("max_psi") || gate.equals("max_score_psi")) {
            lifted = List.of();
        }
        JobTesting.Run rerun = run(in, out, lifted);
        assertEquals(0, rerun.exitCode(), rerun.toString());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertEquals(
                "ok",
                JobTesting.summary(out.resolve("_tabscore_summary.json")).path("status").asText());
    }

    private static Path input(String name, UnaryOperator<Dataset<Row>> craft) {
        return GateRuns.input(tmp, name, craft);
    }

    /** Only the runs' own records: no data file, no _SUCCESS, no rejects, no summary. */
    static void assertNothingPublished(Path out) {
        try (Stream<Path> files = Files.walk(out)) {
            List<String> left =
                    files.filter(Files::isRegularFile)
                            .map(p -> out.relativize(p).toString())
                            .filter(n -> !n.startsWith("_tabscore_runs/"))
                            .toList();
            assertTrue(left.isEmpty(), "published under " + out + ": " + left);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
