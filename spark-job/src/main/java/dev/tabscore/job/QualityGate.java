package dev.tabscore.job;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.bundle.quality.GateCheck;
import dev.tabscore.bundle.quality.GateSpec;
import dev.tabscore.bundle.quality.Gates;
import dev.tabscore.bundle.quality.QualityModel;
import dev.tabscore.bundle.quality.QualityStats;
import dev.tabscore.job.spark.PartitionScorer;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a run checks after every task has finished and before Spark commits (through {@link
 * dev.tabscore.job.spark.PreCommit}): rows in = rows scored + rows rejected, the rejects staged
 * hold exactly the rows rejected, and the quality gates. A mismatch always refuses the commit (exit
 * 40); a failed gate refuses it under {@code fail_before_commit} (exit 50) and is only recorded
 * under {@code publish_and_flag}.
 */
final class QualityGate {

    private final PartitionScorer.JobMetrics metrics;
    private final QualityModel model;
    private final GateSpec spec;
    private final String onFailure;
    private final String output;
    private List<GateCheck> checks = List.of();
    private boolean evaluated;
    private long staged;

    QualityGate(
            PartitionScorer.JobMetrics metrics,
            QualityModel model,
            GateSpec spec,
            String onFailure,
            String output) {
        this.metrics = metrics;
        this.model = model;
        this.spec = spec;
        this.onFailure = onFailure;
        this.output = output;
    }

    /**
     * The gate of a run: the input plan's quality model and gates, the config's on_gate_failure.
     *
     * @param metrics the run's accumulators
     * @param in the run's input plan
     * @param config the run's config
     * @return the gate
     */
    static QualityGate of(PartitionScorer.JobMetrics metrics, InputPlan in, JobConfig config) {
        return new QualityGate(
                metrics,
                in.quality(),
                in.gates(),
                config.quality().onGateFailure(),
                config.output().uri());
    }

    /** Runs on the driver between the last task and the commit. */
    void beforeCommit() {
        long in = metrics.rowsIn().value();
        long scored = metrics.rowsScored().value();
        long rejected = metrics.rowsRejected().value();
        staged = 0;
        for (String f : metrics.rejectFiles().value()) {
            staged += Long.parseLong(f.substring(f.lastIndexOf('\t') + 1));
        }
        QualityStats stats = metrics.quality().value();
        if (in != scored + rejected || staged != rejected || stats.rowsIn() != in) {
            throw new BundleException(
                    Reason.SCORING_FAILED,
                    "rows do not reconcile: "
                            + in
                            + " in, "
                            + scored
                            + " scored, "
                            + rejected
                            + " rejected ("
                            + staged
                            + " in the staged rejects files, "
                            + stats.rowsIn()
                            + " in the quality statistics); nothing was committed to "
                            + BundleFiles.redact(output));
        }
        checks = Gates.evaluate(spec, model, stats);
        evaluated = true;
        if (!passed() && onFailure.equals("fail_before_commit")) {
            throw new BundleException(
                    Reason.QUALITY_GATE,
                    "quality gate failed; nothing was "
                            + "committed to "
                            + BundleFiles.redact(output)
                            + " (on_gate_failure: "
                            + "fail_before_commit): "
                            + failures());
        }
    }

    /**
     * @return whether the check ran (every task finished)
     */
    boolean evaluated() {
        return evaluated;
    }

    /**
     * @return the gates evaluated
     */
    List<GateCheck> checks() {
        return checks;
    }

    /**
     * @return whether every gate passed
     */
    boolean passed() {
        return Gates.passed(checks);
    }

    /**
     * @return the failed gates, one line each, joined
     */
    String failures() {
        return checks.stream()
                .filter(c -> !c.passed())
                .map(GateCheck::line)
                .collect(Collectors.joining("; "));
    }

    /**
     * @return what a failed gate does
     */
    String onFailure() {
        return onFailure;
    }

    /**
     * @return the model
     */
    QualityModel model() {
        return model;
    }
}
