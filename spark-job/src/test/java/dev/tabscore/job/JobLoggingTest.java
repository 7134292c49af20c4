package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job logs like Spark: its messages are SLF4J records of the {@code tabscore} logger of
 * conf/log4j2.properties ({@code dev.tabscore}), caught here by a log4j2 appender on that logger;
 * stdout carries only the summary, as one JSON line with {@code --summary-stdout line}. Option
 * values outside their enum are usage errors (exit 2) that list the valid values.
 */
class JobLoggingTest {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final Path SAMPLE =
            ROOT.resolve("sample-data/input/snapshot=2026-11-01/part-0.parquet");

    @TempDir static Path tmp;

    /** Every event that reaches the tabscore logger's config. */
    private static final class Captured extends AbstractAppender {
        final List<LogEvent> events = new CopyOnWriteArrayList<>();

        Captured() {
            super("tabscore-test", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            events.add(event.toImmutable());
        }
    }

    private final Captured captured = new Captured();
    private LoggerConfig tabscore;

    @BeforeAll
    static void execution() {
        JobTesting.onlyInExecution("default-test");
    }

    @BeforeEach
    void attach() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        tabscore = ctx.getConfiguration().getLoggerConfig("dev.tabscore.job.ScoringRun");
        assertEquals(
                "dev.tabscore",
                tabscore.getName(),
                "the job's loggers are controlled by the tabscore logger of conf/log4j2.properties");
        captured.start();
        tabscore.addAppender(captured, Level.INFO, null);
        ctx.updateLoggers();
    }

    @AfterEach
    void detach() {
        tabscore.removeAppender(captured.getName());
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        captured.stop();
    }

    @Test
    void messagesGoThroughTheTabscoreLoggerAndTheSummaryIsOneStdoutLine() throws Exception {
        Path out = tmp.resolve("line-out");
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                BUNDLE.toString(),
                                "--input",
                                SAMPLE.toString(),
                                "--id-col",
                                "customer_id",
                                "--output",
                                out.toString(),
                                "--run-id",
                                "log-line",
                                "--summary-stdout",
                                "line"));
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());

        List<String> stdout = run.out().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, stdout.size(), "stdout is the summary alone, on one line:\n" + run.out());
        JsonNode printed = JobTesting.JSON.readTree(stdout.get(0));
        JsonNode written = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        assertEquals("log-line", printed.path("run_id").asText(), stdout.get(0));
        assertEquals(written.at("/rows/scored"), printed.at("/rows/scored"));
        assertEquals("ok", printed.path("status").asText());

        long rows = written.at("/rows/scored").asLong();
        assertTrue(rows > 0, written.toString());
        LogEvent published =
                captured.events.stream()
                        .filter(e -> e.getMessage().getFormattedMessage().startsWith("published "))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no 'published' record in "
                                                        + captured.events.stream()
                                                                .map(
                                                                        e ->
                                                                                e.getLoggerName()
                                                                                        + ": "
                                                                                        + e.getMessage()
                                                                                                .getFormattedMessage())
                                                                .toList()));
        assertEquals(ScoringRun.class.getName(), published.getLoggerName());
        assertEquals(Level.INFO, published.getLevel());
        assertTrue(
                published
                        .getMessage()
                        .getFormattedMessage()
                        .startsWith("published " + rows + " rows to " + out),
                published.getMessage().toString());
        // ... and the same record on stderr, through conf/log4j2.properties' console appender
        assertTrue(run.err().contains(" INFO ScoringRun: published " + rows + " rows"), run.err());
        assertFalse(run.err().contains("tabscore-job:"), "no raw prints left:\n" + run.err());
    }

    @Test
    void aYamlValueOutsideItsEnumIsRefusedThroughTheLoggerListingTheValues() throws Exception {
        Path yaml = tmp.resolve("bad-mode.yaml");
        Files.writeString(yaml, "output:\n  uri: " + tmp.resolve("never") + "\n  mode: replace\n");
        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--config",
                                yaml.toString(),
                                "--bundle",
                                BUNDLE.toString(),
                                "--input",
                                SAMPLE.toString()));
        assertEquals(ExitCodes.BAD_CONFIG, run.exitCode(), run.toString());
        String expected =
                "output.mode (--mode) must be one of [error_if_exists, overwrite, "
                        + "overwrite_partitions], got 'replace'";
        assertTrue(
                captured.events.stream()
                        .anyMatch(
                                e ->
                                        e.getLevel() == Level.ERROR
                                                && e.getLoggerName()
                                                        .equals(ScoringJob.class.getName())
                                                && e.getMessage()
                                                        .getFormattedMessage()
                                                        .equals(expected)),
                captured.events.toString());
        assertTrue(run.err().contains(" ERROR ScoringJob: " + expected), run.err());
    }

    @Test
    void flagValuesOutsideTheirEnumAreUsageErrorsListingTheValues() {
        String[][] cases = {
            {"--mode", "replace", "[error_if_exists, overwrite, overwrite_partitions]"},
            {"--model", "onnxx", "[auto, state_dict, onnx, torchscript]"},
            {"--summary-stdout", "json", "[pretty, line, none]"},
            {"--device", "gpu0", "auto, cpu, gpu, gpu:N"},
        };
        for (String[] c : cases) {
            JobTesting.Run run =
                    JobTesting.run(
                            "--bundle",
                            BUNDLE.toString(),
                            "--input",
                            SAMPLE.toString(),
                            "--output",
                            tmp.resolve("never").toString(),
                            c[0],
                            c[1]);
            assertEquals(ExitCodes.BAD_CONFIG, run.exitCode(), c[0] + ": " + run);
            assertTrue(
                    run.err().contains("Invalid value for option '" + c[0] + "'"),
                    c[0] + ": " + run.err());
            assertTrue(
                    run.err().contains(c[2]) && run.err().contains("'" + c[1] + "'"),
                    c[0] + ": " + run.err());
        }
    }
}
