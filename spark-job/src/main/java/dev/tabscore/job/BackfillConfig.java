package dev.tabscore.job;

import java.util.List;

/**
 * The {@code backfill} section of a job config: checked when the config is completed, and the
 * snapshot list ({@code A..B} or a comma list of dates) expanded.
 */
public final class BackfillConfig {

    private BackfillConfig() {}

    /** The longest backfill accepted, in snapshots. */
    public static final int MAX_SNAPSHOTS = 10_000;

    /**
     * Checks the backfill section and fills its defaults.
     *
     * @param bf the section as merged (may be null)
     * @return the complete section, or null when the run is no backfill
     */
    static JobConfig.BackfillSection complete(JobConfig.BackfillSection bf) {
        if (bf == null || bf.snapshots() == null && bf.inputTemplate() == null) {
            return null;
        }
        if (JobConfigLoader.blank(bf.snapshots())) {
            throw new ConfigException(
                    "backfill.snapshots (--snapshots) is required with "
                            + "backfill.input_template");
        }
        snapshots(bf.snapshots()); // validates
        if (JobConfigLoader.blank(bf.inputTemplate()) || !bf.inputTemplate().contains("{date}")) {
            throw new ConfigException(
                    "backfill.input_template (--input-template) is required "
                            + "and must contain {date}, got '"
                            + bf.inputTemplate()
                            + "'");
        }
        int parallelism = bf.parallelism() == null ? 1 : bf.parallelism();
        if (parallelism < 1 || parallelism > 64) {
            throw new ConfigException(
                    "backfill.parallelism (--snapshot-parallelism) must be "
                            + "1..64, got "
                            + parallelism);
        }
        String col = JobConfigLoader.orDefault(bf.partitionColumn(), "snapshot");
        if (!col.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ConfigException(
                    "backfill.partition_column must be a plain column name, "
                            + "got '"
                            + col
                            + "'");
        }
        return new JobConfig.BackfillSection(
                bf.snapshots().trim(),
                bf.inputTemplate(),
                parallelism,
                bf.force() != null && bf.force(),
                bf.failFast() != null && bf.failFast(),
                col);
    }

    /**
     * Expands {@code backfill.snapshots}: {@code A..B} is every day from A to B inclusive, a comma
     * list is those dates in the order given (duplicates dropped). Dates are ISO {@code
     * yyyy-MM-dd}.
     *
     * @param spec the value
     * @return the snapshots, in order
     * @throws ConfigException if a date is malformed, the range is reversed or too long
     */
    public static List<String> snapshots(String spec) {
        String s = spec.trim();
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        try {
            if (s.contains("..")) {
                String[] ab = s.split("\\.\\.", -1);
                if (ab.length != 2) {
                    throw new ConfigException(
                            "backfill.snapshots range must be FROM..TO, got '" + spec + "'");
                }
                java.time.LocalDate from = java.time.LocalDate.parse(ab[0].trim());
                java.time.LocalDate to = java.time.LocalDate.parse(ab[1].trim());
                if (to.isBefore(from)) {
                    throw new ConfigException(
                            "backfill.snapshots range ends before it starts: '" + spec + "'");
                }
                if (java.time.temporal.ChronoUnit.DAYS.between(from, to) >= MAX_SNAPSHOTS) {
                    throw new ConfigException(
                            "backfill.snapshots spans more than "
                                    + MAX_SNAPSHOTS
                                    + " days: '"
                                    + spec
                                    + "'");
                }
                for (java.time.LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                    out.add(d.toString());
                }
            } else {
                for (String d : s.split(",")) {
                    out.add(java.time.LocalDate.parse(d.trim()).toString());
                }
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigException(
                    "backfill.snapshots (--snapshots) must be FROM..TO or a "
                            + "comma list of yyyy-MM-dd dates: "
                            + e.getMessage());
        }
        if (out.size() > MAX_SNAPSHOTS) {
            throw new ConfigException("backfill.snapshots lists more than " + MAX_SNAPSHOTS);
        }
        return List.copyOf(out);
    }
}
