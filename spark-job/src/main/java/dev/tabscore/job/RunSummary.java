package dev.tabscore.job;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.sklearn.ColumnStats;
import dev.tabscore.bundle.sklearn.TransformStats;
import dev.tabscore.job.spark.PartitionScorer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;

/**
 * The run summary JSON written beside the output and printed at the end: counts, bundle
 * identity, where the bundle was opened, per-column missing and unknown-category counts, timings,
 * the Spark application id and the exact config.
 *
 * <p>{@code bundle_opens} keeps the driver's open apart from the executors':
 * <pre>
 * "bundle_opens": {
 *   "driver": {"jvm": "executor-driver/pid-41@host", "open_verify_s": 1.2,
 *              "shared_with_tasks": false},
 *   "executors": {"count": 2, "jvms": ["executor-0/pid-52@host", "executor-1/pid-53@host"]}
 * }
 * </pre>
 * {@code driver} is the verification open before any task runs. {@code shared_with_tasks} is true
 * only in local mode, where the driver is also the executor and hands its verified bundle to the
 * JVM's task cache. {@code executors.count} counts the opens made by tasks (one per executor JVM
 * and bundle when the per-JVM cache works; 0 in local mode) and {@code executors.jvms} lists the
 * distinct JVMs that made them.
 */
final class RunSummary {

    /**
     * The driver's verification open.
     *
     * @param jvm the driver JVM's id ({@code ExecutorBundles.jvmId()})
     * @param openVerifySeconds how long opening and verifying took
     * @param sharedWithTasks whether the tasks of this run use this very instance (local mode)
     */
    record DriverOpen(String jvm, double openVerifySeconds, boolean sharedWithTasks) {}

    private RunSummary() {}

    static ObjectNode build(JobConfig config, Bundle bundle, SparkSession spark,
            PartitionScorer.JobMetrics metrics, DriverOpen driverOpen,
            Map<String, Double> timings, Instant scoredAt) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode s = f.objectNode();
        s.put("status", metrics.rowsIn().value().equals(metrics.rowsScored().value())
                ? "ok" : "rows_mismatch");
        s.put("run_id", config.runId());
        s.put("scored_at", scoredAt.toString());
        s.put("output", dev.tabscore.bundle.io.BundleFiles.redact(config.output().uri()));
        ObjectNode rows = s.putObject("rows");
        rows.put("in", metrics.rowsIn().value());
        rows.put("scored", metrics.rowsScored().value());
        s.put("partitions", metrics.partitions().value());
        ObjectNode b = s.putObject("bundle");
        b.put("uri", dev.tabscore.bundle.io.BundleFiles.redact(bundle.uri()));
        b.put("name", bundle.manifest().name());
        b.put("version", bundle.manifest().version());
        b.put("digest", bundle.digest());
        b.put("model_artifact", bundle.modelArtifact());
        b.put("task", bundle.manifest().task().name().toLowerCase());
        ObjectNode opened = s.putObject("bundle_opens");
        ObjectNode driver = opened.putObject("driver");
        driver.put("jvm", driverOpen.jvm());
        driver.put("open_verify_s", driverOpen.openVerifySeconds());
        driver.put("shared_with_tasks", driverOpen.sharedWithTasks());
        List<String> opens = metrics.bundleOpens().value();
        ObjectNode executors = opened.putObject("executors");
        executors.put("count", opens.size());
        ArrayNode jvms = executors.putArray("jvms");
        new TreeSet<>(opens).forEach(jvms::add);
        s.set("columns", columns(metrics.stats().value()));
        ObjectNode t = s.putObject("timings_s");
        timings.forEach(t::put);
        ObjectNode sp = s.putObject("spark");
        sp.put("application_id", spark.sparkContext().applicationId());
        sp.put("master", spark.sparkContext().master());
        sp.put("version", spark.version());
        s.set("config", Redaction.redact(JobConfigLoader.YAML.valueToTree(config)));
        return s;
    }

    static ObjectNode columns(TransformStats stats) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, ColumnStats> e : stats.columns().entrySet()) {
            ObjectNode c = out.putObject(e.getKey());
            c.put("missing", e.getValue().missingCount());
            c.put("unknown_categories", e.getValue().unknownCount());
            ObjectNode values = c.putObject("unknown_values");
            e.getValue().unknownValues().forEach(values::put);
        }
        return out;
    }
}
