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
 * identity, per-column missing and unknown-category counts, timings, the Spark application id
 * and the exact config.
 */
final class RunSummary {

    private RunSummary() {}

    static ObjectNode build(JobConfig config, Bundle bundle, SparkSession spark,
            PartitionScorer.JobMetrics metrics, Map<String, Double> timings, Instant scoredAt) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode s = f.objectNode();
        s.put("status", metrics.rowsIn().value().equals(metrics.rowsScored().value())
                ? "ok" : "rows_mismatch");
        s.put("run_id", config.runId());
        s.put("scored_at", scoredAt.toString());
        s.put("output", config.output().uri());
        ObjectNode rows = s.putObject("rows");
        rows.put("in", metrics.rowsIn().value());
        rows.put("scored", metrics.rowsScored().value());
        ObjectNode b = s.putObject("bundle");
        b.put("uri", bundle.uri());
        b.put("name", bundle.manifest().name());
        b.put("version", bundle.manifest().version());
        b.put("digest", bundle.digest());
        b.put("model_artifact", bundle.modelArtifact());
        b.put("task", bundle.manifest().task().name().toLowerCase());
        List<String> opens = metrics.bundleOpens().value();
        ObjectNode opened = s.putObject("bundle_opens");
        opened.put("count", opens.size());
        ArrayNode jvms = opened.putArray("jvms");
        new TreeSet<>(opens).forEach(jvms::add);
        s.set("columns", columns(metrics.stats().value()));
        ObjectNode t = s.putObject("timings_s");
        timings.forEach(t::put);
        ObjectNode sp = s.putObject("spark");
        sp.put("application_id", spark.sparkContext().applicationId());
        sp.put("master", spark.sparkContext().master());
        sp.put("version", spark.version());
        s.set("config", JobConfigLoader.YAML.valueToTree(config));
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
