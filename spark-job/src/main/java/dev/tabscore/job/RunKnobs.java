package dev.tabscore.job;

import java.util.List;
import java.util.Map;

/**
 * The job's own knobs under {@code spark.conf} ({@code tabscore.*}, see {@link ScoringRun}), parsed
 * once when a run is created so that a malformed one is a config error before any work.
 *
 * @param keepSession leave the Spark session running at the end
 * @param failAfterRows test-only: fail a task after this many rows (-1: never)
 * @param failPartition test-only: the partition {@code failAfterRows} applies to
 * @param failPublishBefore test-only: the publication step to fail before (null: none)
 * @param publishPauseMs test-only: pause after each publication move
 */
record RunKnobs(
        boolean keepSession,
        long failAfterRows,
        int failPartition,
        String failPublishBefore,
        long publishPauseMs) {

    static final List<String> KNOBS =
            List.of(
                    ScoringRun.KEEP_SESSION,
                    ScoringRun.FAIL_AFTER_ROWS,
                    ScoringRun.FAIL_PARTITION,
                    ScoringRun.FAIL_SNAPSHOT,
                    ScoringRun.FAIL_PUBLISH_BEFORE,
                    ScoringRun.PUBLISH_PAUSE_MS);

    /**
     * Parses the knobs.
     *
     * @param conf the config's {@code spark.conf}
     * @return the knobs
     * @throws ConfigException if a {@code tabscore.*} key is unknown or malformed
     */
    static RunKnobs of(Map<String, String> conf) {
        for (String k : conf.keySet()) {
            if (k.startsWith("tabscore.") && !KNOBS.contains(k)) {
                throw new ConfigException(
                        "spark.conf (--conf) key '"
                                + k
                                + "' is not a tabscore "
                                + "setting; known: "
                                + KNOBS);
            }
        }
        String keep = conf.getOrDefault(ScoringRun.KEEP_SESSION, "false").trim().toLowerCase();
        if (!keep.equals("true") && !keep.equals("false")) {
            throw new ConfigException(
                    ScoringRun.KEEP_SESSION + " must be true or false, got '" + keep + "'");
        }
        return new RunKnobs(
                keep.equals("true"),
                number(conf, ScoringRun.FAIL_AFTER_ROWS, -1),
                (int) number(conf, ScoringRun.FAIL_PARTITION, 0),
                conf.get(ScoringRun.FAIL_PUBLISH_BEFORE),
                number(conf, ScoringRun.PUBLISH_PAUSE_MS, 0));
    }

    private static long number(Map<String, String> conf, String key, long dflt) {
        String v = conf.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0 || n > Integer.MAX_VALUE && key.equals(ScoringRun.FAIL_PARTITION)) {
                throw new NumberFormatException("out of range");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a non-negative integer, got '" + v + "'");
        }
    }
}
