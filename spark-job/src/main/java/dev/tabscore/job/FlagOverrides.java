package dev.tabscore.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's flags over its YAML config: a flag that was given replaces the file's value (a list
 * flag only when it names at least one item), map flags ({@code --conf}, {@code --input-option})
 * add to the file's entries, and the quality flags merge by {@link QualityFlags}.
 */
final class FlagOverrides {

    private FlagOverrides() {}

    /**
     * The config file's values with every flag that was given in their place.
     *
     * @param flags the parsed command line
     * @param base the config file as written (or an empty config)
     * @return the merged config, not yet completed
     */
    static JobConfig over(ScoringJob flags, JobConfig base) {
        JobConfig.BundleSection b = base.bundle() == null
                ? new JobConfig.BundleSection(null, null) : base.bundle();
        JobConfig.TrustSection t = b.trust() == null
                ? new JobConfig.TrustSection(null, null, null) : b.trust();
        t = new JobConfig.TrustSection(pick(flags.trustKeys, t.keys()),
                pick(flags.trustRoots, t.roots()),
                pick(flags.requireSignature, t.requireSignature()));
        b = new JobConfig.BundleSection(pick(flags.bundle, b.uri()),
                pick(flags.expectDigest, b.expectDigest()), t);
        JobConfig.InputSection in = base.input() == null
                ? new JobConfig.InputSection(null, null, null, null, null) : base.input();
        in = new JobConfig.InputSection(pick(flags.inputs, in.uris()),
                pick(flags.format, in.format()), mergeMaps(in.options(), flags.inputOptions),
                pick(flags.idColumns, in.idColumns()),
                pick(flags.passthroughColumns, in.passthroughColumns()));
        JobConfig.OutputSection out = base.output() == null
                ? new JobConfig.OutputSection(null, null, null, null) : base.output();
        out = new JobConfig.OutputSection(pick(flags.output, out.uri()),
                pick(text(flags.mode), out.mode()),
                pick(flags.partitionBy, out.partitionBy()), pick(flags.summary, out.summaryUri()),
                pick(flags.rejects, out.rejectsUri()), pick(flags.report, out.reportUri()),
                pick(text(flags.summaryStdout), out.summaryStdout()));
        JobConfig.ScoringSection s = base.scoring() == null
                ? new JobConfig.ScoringSection(null, null, null, null) : base.scoring();
        s = new JobConfig.ScoringSection(pick(flags.batchSize, s.batchSize()),
                pick(flags.device == null ? null : flags.device.toString(), s.device()),
                pick(text(flags.model), s.model()),
                pick(flags.threadsPerTask, s.threadsPerTask()));
        JobConfig.SparkSection sp = base.spark() == null
                ? new JobConfig.SparkSection(null, null, null) : base.spark();
        sp = new JobConfig.SparkSection(pick(flags.master, sp.master()), sp.appName(),
                mergeMaps(sp.conf(), flags.sparkConf));
        JobConfig.BackfillSection bf = base.backfill() == null
                ? new JobConfig.BackfillSection(null, null, null, null, null, null)
                : base.backfill();
        bf = new JobConfig.BackfillSection(pick(flags.snapshots, bf.snapshots()),
                pick(flags.inputTemplate, bf.inputTemplate()),
                pick(flags.snapshotParallelism, bf.parallelism()), pick(flags.force, bf.force()),
                pick(flags.failFast, bf.failFast()),
                pick(flags.partitionColumn, bf.partitionColumn()));
        return new JobConfig(b, in, out, s, pick(flags.runId, base.runId()), sp, bf,
                QualityFlags.merge(base.quality(), flags.policies, flags.gates,
                        flags.onGateFailure));
    }

    private static String text(Enum<?> flag) {
        return flag == null ? null : flag.toString();
    }

    private static <T> T pick(T flag, T file) {
        return flag != null ? flag : file;
    }

    private static <T> List<T> pick(List<T> flag, List<T> file) {
        return flag != null && !flag.isEmpty() ? new ArrayList<>(flag) : file;
    }

    private static Map<String, String> mergeMaps(Map<String, String> file, Map<String, String> flag) {
        Map<String, String> m = new LinkedHashMap<>();
        if (file != null) {
            m.putAll(file);
        }
        if (flag != null) {
            m.putAll(flag);
        }
        return m;
    }
}
