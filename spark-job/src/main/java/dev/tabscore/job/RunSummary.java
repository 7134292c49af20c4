package dev.tabscore.job;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.quality.ColumnProfile;
import dev.tabscore.bundle.quality.QualityReport;
import dev.tabscore.bundle.quality.QualityStats;
import dev.tabscore.job.spark.BundleOpen;
import dev.tabscore.job.spark.PartitionScorer;
import dev.tabscore.job.spark.TaskDevice;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;

/**
 * The run summary JSON written beside the output and printed at the end: counts, bundle identity,
 * where the bundle was opened, per-column missing and unknown-category counts, timings, the Spark
 * application id and the exact config.
 *
 * <p>{@code bundle_opens} keeps the driver's open apart from the executors':
 *
 * <pre>
 * "bundle_opens": {
 *   "driver": {"jvm": "executor-driver/pid-41@host", "open_verify_s": 1.2,
 *              "shared_with_tasks": false},
 *   "executors": {"count": 2, "jvms": ["executor-0/pid-52@host", "executor-1/pid-53@host"]}
 * }
 * </pre>
 *
 * {@code driver} is the verification open before any task runs (on the CPU on a cluster; its {@code
 * device} says where). {@code shared_with_tasks} is true only in local mode, where the driver is
 * also the executor and hands its verified bundle to the JVM's task cache. {@code executors.count}
 * counts the opens made by tasks (one per executor JVM, bundle and device when the per-JVM cache
 * works: one per JVM on the CPU; 0 in local mode) and {@code executors.jvms} lists the distinct
 * JVMs that made them.
 *
 * <p>{@code devices} says where scoring ran: one entry per bundle that served tasks (each executor
 * open; the driver's choice in local mode), with the opening task's Spark GPU addresses, the device
 * the rule chose ({@link TaskDevice}), the device used, and why they differ when they do:
 *
 * <pre>
 * "devices": [{"jvm": "executor-0/pid-52@host", "task_gpus": ["0"], "chosen": "gpu:0",
 *              "device": "cpu", "fallback": "device gpu:0 (auto, ...) was chosen but ..."}]
 * </pre>
 */
final class RunSummary {

    /**
     * The driver's verification open.
     *
     * @param jvm the driver JVM's id ({@code ExecutorBundles.jvmId()})
     * @param openVerifySeconds how long opening and verifying took
     * @param sharedWithTasks whether the tasks of this run use this very instance (local mode)
     * @param device how the driver's open chose its device
     */
    record DriverOpen(
            String jvm,
            double openVerifySeconds,
            boolean sharedWithTasks,
            TaskDevice.Choice device) {}

    private RunSummary() {}

    static ObjectNode build(
            JobConfig config,
            Bundle bundle,
            SparkSession spark,
            PartitionScorer.JobMetrics metrics,
            DriverOpen driverOpen,
            Map<String, Double> timings,
            Instant scoredAt,
            QualityGate gate,
            boolean committed) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode s = f.objectNode();
        long in = metrics.rowsIn().value();
        long scored = metrics.rowsScored().value();
        long rejected = metrics.rowsRejected().value();
        s.put(
                "status",
                !gate.passed()
                        ? "quality_gate_failed"
                        : in == scored + rejected ? "ok" : "rows_mismatch");
        s.put("committed", committed);
        s.put("run_id", config.runId());
        s.put("scored_at", scoredAt.toString());
        s.put("output", dev.tabscore.bundle.io.BundleFiles.redact(config.output().uri()));
        s.put(
                "rejects_uri",
                dev.tabscore.bundle.io.BundleFiles.redact(config.output().rejectsUri()));
        s.put("report_uri", dev.tabscore.bundle.io.BundleFiles.redact(config.output().reportUri()));
        ObjectNode rows = s.putObject("rows");
        rows.put("in", in);
        rows.put("scored", scored);
        rows.put("rejected", rejected);
        rows.put("reconciled", gate.evaluated() && in == scored + rejected);
        s.put("partitions", metrics.partitions().value());
        ObjectNode b = s.putObject("bundle");
        b.put("uri", dev.tabscore.bundle.io.BundleFiles.redact(bundle.uri()));
        b.put("name", bundle.manifest().name());
        b.put("version", bundle.manifest().version());
        b.put("digest", bundle.digest());
        b.put("signer", bundle.signer() == null ? null : bundle.signer().identity());
        b.put("model_artifact", bundle.modelArtifact());
        b.put("model_kind", bundle.modelKind());
        b.put("task", bundle.manifest().task().name().toLowerCase());
        ObjectNode opened = s.putObject("bundle_opens");
        ObjectNode driver = opened.putObject("driver");
        driver.put("jvm", driverOpen.jvm());
        driver.put("open_verify_s", driverOpen.openVerifySeconds());
        driver.put("shared_with_tasks", driverOpen.sharedWithTasks());
        driver.put("device", bundle.model().device().toString());
        List<BundleOpen> opens =
                metrics.bundleOpens().value().stream().map(BundleOpen::decode).toList();
        ObjectNode executors = opened.putObject("executors");
        executors.put("count", opens.size());
        ArrayNode jvms = executors.putArray("jvms");
        new TreeSet<>(opens.stream().map(BundleOpen::jvm).toList()).forEach(jvms::add);
        ArrayNode devices = s.putArray("devices");
        // Local mode: the tasks run in the driver's JVM, on the device its open resolved to
        // (sharing that bundle, or an earlier run's of the same digest and device).
        if (spark.sparkContext().isLocal() && driverOpen.device() != null) {
            devices.add(device(new BundleOpen(driverOpen.jvm(), driverOpen.device())));
        }
        opens.stream()
                .filter(o -> o.device() != null)
                .sorted(java.util.Comparator.comparing(BundleOpen::encode))
                .forEach(o -> devices.add(device(o)));
        QualityStats stats = metrics.quality().value();
        s.set("columns", columns(stats));
        ObjectNode quality =
                QualityReport.json(gate.model(), stats, gate.checks(), gate.onFailure());
        ArrayNode failedGates = quality.putArray("failed_gates");
        gate.checks().stream().filter(c -> !c.passed()).forEach(c -> failedGates.add(c.line()));
        s.set("quality", quality);
        ObjectNode t = s.putObject("timings_s");
        timings.forEach(t::put);
        ObjectNode sp = s.putObject("spark");
        sp.put("application_id", spark.sparkContext().applicationId());
        sp.put("master", spark.sparkContext().master());
        sp.put("version", spark.version());
        s.set("config", Redaction.redact(JobConfigLoader.YAML.valueToTree(config)));
        return s;
    }

    private static ObjectNode device(BundleOpen open) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("jvm", open.jvm());
        ArrayNode gpus = d.putArray("task_gpus");
        open.device().taskGpus().forEach(gpus::add);
        d.put("chosen", open.device().chosen().toString());
        d.put("device", open.device().device().toString());
        if (open.device().fallback() != null) {
            d.put("fallback", open.device().fallback());
        }
        return d;
    }

    /** The short per-column view: missing values and unknown categories (with values). */
    static ObjectNode columns(QualityStats stats) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, ColumnProfile> e : stats.columns().entrySet()) {
            ObjectNode c = out.putObject(e.getKey());
            c.put("missing", e.getValue().missing());
            c.put("invalid", e.getValue().invalid());
            c.put("unknown_categories", e.getValue().unknown());
            ObjectNode values = c.putObject("unknown_values");
            e.getValue().unknownValues().forEach(values::put);
        }
        return out;
    }
}
