package dev.tabscore.job;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tabscore.bundle.ModelChoice;
import dev.tabscore.bundle.OptionValues;
import dev.tabscore.bundle.model.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads a YAML job config, fills defaults and checks the result (the flags take the file's values
 * as their defaults through {@link YamlDefaults}); the quality and backfill sections are checked by
 * {@link QualityConfig} and {@link BackfillConfig}. Every refusal is a {@link ConfigException}
 * naming the field.
 */
public final class JobConfigLoader {

    /** The default number of rows per batch. */
    public static final int DEFAULT_BATCH_SIZE = 8192;

    /** The YAML mapper: snake_case keys, unknown keys refused. */
    public static final ObjectMapper YAML =
            YAMLMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build();

    private JobConfigLoader() {}

    /**
     * Reads a YAML file.
     *
     * @param file the file
     * @return the config as written (no defaults yet)
     */
    public static JobConfig read(Path file) {
        try {
            JobConfig c = YAML.readValue(Files.readAllBytes(file), JobConfig.class);
            return c == null ? empty() : c;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(
                    file
                            + ": unknown key '"
                            + e.getPropertyName()
                            + "' at "
                            + e.getPathReference()
                            + "; known keys: "
                            + e.getKnownPropertyIds());
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    private static JobConfig.TrustSection completeTrust(JobConfig.TrustSection t) {
        if (t == null) {
            return new JobConfig.TrustSection(List.of(), List.of(), false);
        }
        JobConfig.TrustSection out =
                new JobConfig.TrustSection(
                        t.keys() == null ? List.of() : List.copyOf(t.keys()),
                        t.roots() == null ? List.of() : List.copyOf(t.roots()),
                        Boolean.TRUE.equals(t.requireSignature()));
        if (out.requireSignature() && out.keys().isEmpty() && out.roots().isEmpty()) {
            throw new ConfigException(
                    "bundle.trust.require_signature (--require-signature)"
                            + " needs bundle.trust.keys (--trust-key) or bundle.trust.roots"
                            + " (--trust-root): whose signature?");
        }
        return out;
    }

    /**
     * Returns a config with nothing set.
     *
     * @return an empty config
     */
    public static JobConfig empty() {
        return new JobConfig(null, null, null, null, null, null, null, null);
    }

    /**
     * Fills defaults and checks every field.
     *
     * @param c the merged config
     * @return a complete, valid config
     */
    public static JobConfig complete(JobConfig c) {
        JobConfig.BundleSection b = c.bundle();
        if (b == null || blank(b.uri())) {
            throw new ConfigException("bundle.uri (--bundle) is required");
        }
        if (b.expectDigest() != null && !b.expectDigest().matches("sha256:[0-9a-f]{64}")) {
            throw new ConfigException(
                    "bundle.expect_digest (--expect-digest) must look like "
                            + "sha256:<64 lowercase hex digits>, got '"
                            + b.expectDigest()
                            + "'");
        }
        b = new JobConfig.BundleSection(b.uri(), b.expectDigest(), completeTrust(b.trust()));
        JobConfig.BackfillSection bf = BackfillConfig.complete(c.backfill());
        JobConfig.InputSection in = c.input();
        if (bf != null) {
            // A backfill reads input.template per snapshot; input.uris is not used.
            in =
                    in == null
                            ? new JobConfig.InputSection(List.of(), null, null, null, null)
                            : new JobConfig.InputSection(
                                    List.of(),
                                    in.format(),
                                    in.options(),
                                    in.idColumns(),
                                    in.passthroughColumns());
        } else if (in == null || in.uris() == null || in.uris().isEmpty()) {
            throw new ConfigException("input.uris (--input) needs at least one path");
        }
        String format =
                oneOf(
                        InputFormat.class,
                        "input.format (--format)",
                        orDefault(in.format(), "parquet"));
        in =
                new JobConfig.InputSection(
                        List.copyOf(in.uris()),
                        format,
                        in.options() == null ? Map.of() : Map.copyOf(in.options()),
                        in.idColumns() == null ? List.of() : List.copyOf(in.idColumns()),
                        in.passthroughColumns() == null
                                ? List.of()
                                : List.copyOf(in.passthroughColumns()));
        JobConfig.OutputSection out = c.output();
        if (out == null || blank(out.uri())) {
            throw new ConfigException("output.uri (--output) is required");
        }
        if (bf != null) {
            // Every snapshot replaces exactly its own partition, nothing else.
            out =
                    new JobConfig.OutputSection(
                            out.uri(),
                            "overwrite_partitions",
                            List.of(bf.partitionColumn()),
                            out.summaryUri(),
                            out.rejectsUri(),
                            out.reportUri(),
                            out.summaryStdout());
            in =
                    new JobConfig.InputSection(
                            in.uris(),
                            in.format(),
                            in.options(),
                            in.idColumns(),
                            in.passthroughColumns().contains(bf.partitionColumn())
                                    ? in.passthroughColumns()
                                    : java.util.stream.Stream.concat(
                                                    in.passthroughColumns().stream(),
                                                    java.util.stream.Stream.of(
                                                            bf.partitionColumn()))
                                            .toList());
        }
        String mode =
                oneOf(
                        OutputMode.class,
                        "output.mode (--mode)",
                        orDefault(out.mode(), "error_if_exists"));
        List<String> partitionBy =
                out.partitionBy() == null ? List.of() : List.copyOf(out.partitionBy());
        for (String p : partitionBy) {
            if (!in.idColumns().contains(p) && !in.passthroughColumns().contains(p)) {
                throw new ConfigException(
                        "output.partition_by (--partition-by) names '"
                                + p
                                + "', which is neither an id nor a passthrough column");
            }
        }
        if (mode.equals("overwrite_partitions") && partitionBy.isEmpty()) {
            throw new ConfigException("output.mode overwrite_partitions needs output.partition_by");
        }
        String summary =
                blank(out.summaryUri())
                        ? stripSlash(out.uri()) + "/_tabscore_summary.json"
                        : out.summaryUri();
        String rejects =
                blank(out.rejectsUri())
                        ? stripSlash(out.uri()) + "/_tabscore_rejects"
                        : stripSlash(out.rejectsUri());
        String report = blank(out.reportUri()) ? reportFor(summary) : out.reportUri();
        if (report.equals(summary)) {
            throw new ConfigException(
                    "output.report_uri (--report) must differ from the summary "
                            + "path "
                            + summary);
        }
        String stdout =
                oneOf(
                        SummaryStdout.class,
                        "output.summary_stdout (--summary-stdout)",
                        orDefault(out.summaryStdout(), "pretty"));
        out =
                new JobConfig.OutputSection(
                        out.uri(), mode, partitionBy, summary, rejects, report, stdout);
        JobConfig.ScoringSection s =
                c.scoring() == null
                        ? new JobConfig.ScoringSection(null, null, null, null)
                        : c.scoring();
        int batch = s.batchSize() == null ? DEFAULT_BATCH_SIZE : s.batchSize();
        if (batch < 1 || batch > 1 << 20) {
            throw new ConfigException(
                    "scoring.batch_size (--batch-size) must be 1.." + (1 << 20) + ", got " + batch);
        }
        String device;
        try {
            device = Device.parse(orDefault(s.device(), "auto")).toString();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("scoring.device (--device): " + e.getMessage());
        }
        String model =
                oneOf(ModelChoice.class, "scoring.model (--model)", orDefault(s.model(), "auto"));
        int threads = s.threadsPerTask() == null ? 1 : s.threadsPerTask();
        if (threads < 1 || threads > 256) {
            throw new ConfigException("scoring.threads_per_task must be 1..256, got " + threads);
        }
        s = new JobConfig.ScoringSection(batch, device, model, threads);
        String runId = blank(c.runId()) ? "run-" + UUID.randomUUID() : c.runId();
        JobConfig.SparkSection sp =
                c.spark() == null ? new JobConfig.SparkSection(null, null, null) : c.spark();
        sp =
                new JobConfig.SparkSection(
                        sp.master(),
                        orDefault(sp.appName(), "tabscore"),
                        sp.conf() == null ? Map.of() : Map.copyOf(sp.conf()));
        return new JobConfig(b, in, out, s, runId, sp, bf, QualityConfig.complete(c.quality()));
    }

    /**
     * The HTML report beside a summary: {@code _tabscore_summary.json} gives {@code
     * _tabscore_report.html}, any other {@code NAME.json} gives {@code NAME.html}.
     *
     * @param summary the summary path
     * @return the report path
     */
    public static String reportFor(String summary) {
        if (summary.endsWith("_summary.json")) {
            return summary.substring(0, summary.length() - "_summary.json".length())
                    + "_report.html";
        }
        return (summary.endsWith(".json") ? summary.substring(0, summary.length() - 5) : summary)
                + ".html";
    }

    /** A YAML value checked against the enum behind its flag; returns its text form. */
    static <E extends Enum<E>> String oneOf(Class<E> type, String field, String value) {
        try {
            return OptionValues.text(OptionValues.parse(type, field, value));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String orDefault(String s, String d) {
        return blank(s) ? d : s;
    }
}
