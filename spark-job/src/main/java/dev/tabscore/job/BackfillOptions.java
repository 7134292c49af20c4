package dev.tabscore.job;

import picocli.CommandLine.Option;

/**
 * The backfill flags ({@link BackfillRun}), each filled from its {@code backfill.*} YAML key when
 * not given ({@link YamlDefaults}); a mixin of {@link JobOptions}.
 */
final class BackfillOptions {

    @Option(
            names = "--snapshots",
            descriptionKey = "backfill.snapshots",
            description =
                    "Backfill: snapshots to score, an inclusive daily range "
                            + "2026-01-01..2026-03-31 or a comma list of dates; each goes to "
                            + "<output>/<partition column>=<date>/ (dynamic partition overwrite).")
    String snapshots;

    @Option(
            names = "--input-template",
            descriptionKey = "backfill.input_template",
            description =
                    "Backfill: one snapshot's input, {date} replaced by the snapshot, "
                            + "e.g. s3a://lake/features/dt={date}.")
    String inputTemplate;

    @Option(
            names = "--snapshot-parallelism",
            descriptionKey = "backfill.parallelism",
            description = "Backfill: snapshots scored at once (default 1).")
    Integer snapshotParallelism;

    @Option(
            names = "--force",
            descriptionKey = "backfill.force",
            arity = "0..1",
            fallbackValue = "true",
            paramLabel = "BOOL",
            description =
                    "Backfill: rescore snapshots already scored ok with the same bundle "
                            + "digest.")
    Boolean force;

    @Option(
            names = "--fail-fast",
            descriptionKey = "backfill.fail_fast",
            arity = "0..1",
            fallbackValue = "true",
            paramLabel = "BOOL",
            description = "Backfill: start no more snapshots after the first failure.")
    Boolean failFast;

    @Option(
            names = "--partition-column",
            descriptionKey = "backfill.partition_column",
            description = "Backfill: output partition column of the snapshot (default snapshot).")
    String partitionColumn;

    /**
     * The backfill section these flags say (all null: no backfill).
     *
     * @return the section, not yet completed
     */
    JobConfig.BackfillSection section() {
        return new JobConfig.BackfillSection(
                snapshots, inputTemplate, snapshotParallelism, force, failFast, partitionColumn);
    }
}
