package dev.tabscore.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.bundle.quality.HtmlReport;
import dev.tabscore.job.publish.RunOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a run's summary and report go, on every exit path:
 *
 * <ul>
 *   <li>the <b>published</b> summary and report ({@code <output>/_tabscore_summary.json}, {@code
 *       _tabscore_report.html}; a backfill snapshot's {@code
 *       <output>/_tabscore/snapshots/<date>.json}) describe the output readers see: they are staged
 *       and move in with the data, so a failed run never replaces them;
 *   <li>the run's <b>record</b>, {@code <output>/_tabscore_runs/<run>/summary.json} and {@code
 *       report.html}, written by every run that knows its output, failed ones included;
 *   <li>{@code --summary} / {@code output.summary_uri} when it names another file (as orchestrators
 *       do, one per run): written on every exit path, success and failure;
 *   <li>stdout: the summary as pretty JSON (default), one line of JSON ({@code
 *       output.summary_stdout: line}, for log pipelines), or not at all ({@code none}).
 * </ul>
 *
 * Every summary says {@code status} ({@code ok}, {@code quality_gate_failed}, {@code failed}),
 * {@code exit_code}, {@code reason} (the {@link Reason}, {@code BAD_CONFIG} or {@code INTERNAL}),
 * {@code retryable}, {@code message} and {@code published}.
 */
final class RunRecords {

    private static final Logger LOG = LoggerFactory.getLogger(RunRecords.class);

    private final JobConfig config;
    private final String runName;
    private final String publishedSummary;

    /**
     * The records of one run.
     *
     * @param config the run's config (complete)
     * @param runName the run id, plus the snapshot in a backfill
     * @param publishedSummary the summary published with the output
     */
    RunRecords(JobConfig config, String runName, String publishedSummary) {
        this.config = config;
        this.runName = runName;
        this.publishedSummary = publishedSummary;
    }

    /**
     * The summary published with an output.
     *
     * @param outputUri the output directory
     * @return {@code <output>/_tabscore_summary.json}
     */
    static String publishedSummary(String outputUri) {
        String o =
                outputUri.endsWith("/")
                        ? outputUri.substring(0, outputUri.length() - 1)
                        : outputUri;
        return o + "/_tabscore_summary.json";
    }

    /**
     * Marks a summary of a run that published.
     *
     * @param s the summary
     * @param exitCode 0, or 50 for a gate failure published and flagged
     */
    static void ok(ObjectNode s, int exitCode) {
        s.put("exit_code", exitCode);
        if (exitCode == ExitCodes.OK) {
            s.putNull("reason");
            s.putNull("message");
        } else {
            s.put("reason", Reason.QUALITY_GATE.name());
            s.put("message", "a quality gate failed; the output was published and flagged");
        }
        s.put("retryable", false);
        s.put("published", true);
    }

    /**
     * Marks a summary of a run that failed: nothing was published.
     *
     * @param s the summary
     * @param exitCode the exit code
     * @param reason the reason, or null for a config error or an internal error
     * @param message what happened
     */
    static void failed(ObjectNode s, int exitCode, Reason reason, String message) {
        if (!"quality_gate_failed".equals(s.path("status").asText())) {
            s.put("status", "failed");
        }
        s.put("exit_code", exitCode);
        s.put(
                "reason",
                reason != null
                        ? reason.name()
                        : exitCode == ExitCodes.BAD_CONFIG ? "BAD_CONFIG" : "INTERNAL");
        s.put("retryable", reason != null && reason.retryable());
        s.put("message", BundleFiles.redact(message));
        s.put("published", false);
        s.put("committed", false);
    }

    /**
     * A summary for a run that failed before it had one (a refused bundle, a bad config, a failed
     * stage).
     *
     * @param runId the run id (may be null when the config was refused)
     * @param exitCode the exit code
     * @param reason the reason, or null
     * @param message what happened
     * @return the summary
     */
    static ObjectNode failure(String runId, int exitCode, Reason reason, String message) {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("status", "failed");
        s.put("run_id", runId);
        s.put("finished_at", Instant.now().toString());
        failed(s, exitCode, reason, message);
        return s;
    }

    /**
     * Stages the published summary and report beside the data and adds their moves.
     *
     * @param conf the Hadoop configuration
     * @param out the run's output
     * @param summary the summary
     * @param moves what moves in after the data; the summary and report are added
     * @throws IOException if the staging fails
     */
    void stagePublished(
            Configuration conf, RunOutput out, ObjectNode summary, List<RunOutput.Staged> moves)
            throws IOException {
        Path json = out.stagedFile("summary.json");
        Path html = out.stagedFile("report.html");
        write(conf, json, ScoringRun.JSON.writeValueAsString(summary));
        write(conf, html, HtmlReport.render(summary));
        moves.add(new RunOutput.Staged("summary", json, BundleFiles.toPath(publishedSummary)));
        moves.add(
                new RunOutput.Staged(
                        "report",
                        html,
                        BundleFiles.toPath(JobConfigLoader.reportFor(publishedSummary))));
    }

    /**
     * Writes the run's record and, when it names another file, {@code --summary} (and its report);
     * a write that fails is reported on stderr, not thrown: by then the run's outcome is decided.
     *
     * @param conf the Hadoop configuration
     * @param summary the summary
     */
    void writeRun(Configuration conf, ObjectNode summary) {
        String json;
        try {
            json = ScoringRun.JSON.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String html = HtmlReport.render(summary);
        for (Path p : targets(true)) {
            tryWrite(conf, p, json);
        }
        for (Path p : targets(false)) {
            tryWrite(conf, p, html);
        }
    }

    /** The run's own files: its record, and --summary/--report when they are not published. */
    private Set<Path> targets(boolean summary) {
        Set<Path> out = new LinkedHashSet<>();
        if (config.output() != null && config.output().uri() != null) {
            out.add(
                    RunOutput.runRecord(
                            BundleFiles.toPath(config.output().uri()),
                            runName,
                            summary ? "summary.json" : "report.html"));
        }
        String given =
                config.output() == null
                        ? null
                        : summary ? config.output().summaryUri() : config.output().reportUri();
        String published = summary ? publishedSummary : JobConfigLoader.reportFor(publishedSummary);
        if (given != null
                && !given.contains("{date}")
                && !BundleFiles.toPath(given).equals(BundleFiles.toPath(published))) {
            out.add(BundleFiles.toPath(given));
        }
        return out;
    }

    /**
     * Prints a summary on stdout as {@code output.summary_stdout} says.
     *
     * @param config the config (null: pretty)
     * @param summary the summary
     */
    static void print(JobConfig config, ObjectNode summary) {
        printSummary(
                config == null || config.output() == null ? null : config.output().summaryStdout(),
                summary);
    }

    /**
     * Prints a summary on stdout, deliberately not through the logger: it is the job's answer
     * (pretty for people, one JSON line for log pipelines), like a CLI's table.
     *
     * @param how pretty (also null), line or none
     * @param summary the summary
     */
    static void printSummary(String how, com.fasterxml.jackson.databind.JsonNode summary) {
        switch (SummaryStdout.parse(how)) {
            case NONE -> {}
            case LINE -> System.out.println(summary.toString());
            case PRETTY -> System.out.println(summary.toPrettyString());
        }
    }

    /**
     * Prints this run's summary ({@link #print(JobConfig, ObjectNode)}).
     *
     * @param summary the summary
     */
    void print(ObjectNode summary) {
        print(config, summary);
    }

    private static void tryWrite(Configuration conf, Path p, String text) {
        try {
            write(conf, p, text);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "cannot write "
                            + BundleFiles.redact(p.toString())
                            + ": "
                            + BundleFiles.redact(e.getMessage()));
        }
    }

    /** Writes a file whole, through a temporary file renamed over it where the store can. */
    static void write(Configuration conf, Path p, String text) throws IOException {
        FileSystem fs = p.getFileSystem(conf);
        Path tmp =
                new Path(
                        p.getParent(),
                        "."
                                + p.getName()
                                + ".tmp-"
                                + ProcessHandle.current().pid()
                                + "-"
                                + Thread.currentThread().getId());
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        if (fs.exists(p)) {
            fs.delete(p, false);
        }
        if (!fs.rename(tmp, p)) {
            fs.delete(tmp, false);
            throw new IOException("rename " + tmp + " -> " + p + " failed");
        }
    }
}
