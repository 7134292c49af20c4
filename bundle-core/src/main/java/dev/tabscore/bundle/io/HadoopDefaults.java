package dev.tabscore.bundle.io;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Hadoop settings tabscore applies when the user has not set them, so that {@code gs://} goes
 * through Google's gcs-connector (4.0.4, shaded) on Hadoop 3.5.0:
 *
 * <ul>
 *   <li>Hadoop 3.5.0's core-default.xml maps {@code gs://} to its own connector ({@code
 *       org.apache.hadoop.fs.gs}); {@code fs.gs.impl} and {@code fs.AbstractFileSystem.gs.impl}
 *       point it at Google's classes instead.
 *   <li>The same file gives sizes such as {@code fs.gs.block.size=64m}, which gcs-connector parses
 *       as a long and refuses ({@code NumberFormatException: "64m"}): the same sizes as plain byte
 *       counts.
 *   <li>With spark-hadoop-cloud on the classpath the gs committer factory (the manifest committer)
 *       fails with "jobId is null": {@code mapreduce.outputcommitter.factory.scheme.gs} is the
 *       classic {@code FileOutputCommitterFactory}.
 * </ul>
 *
 * A key is "set by the user" when it is present with a value other than Hadoop's own default (a
 * {@code Configuration} always holds core-default.xml's values).
 */
public final class HadoopDefaults {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    /** Hadoop 3.5.0's core-default values that gcs-connector cannot use. */
    private static final Map<String, String> HADOOP_VALUES = new LinkedHashMap<>();

    static {
        put(
                "fs.gs.impl",
                "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem",
                "org.apache.hadoop.fs.gs.GoogleHadoopFileSystem");
        put(
                "fs.AbstractFileSystem.gs.impl",
                "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFS",
                "org.apache.hadoop.fs.gs.Gs");
        put("fs.gs.block.size", String.valueOf(64L << 20), "64m");
        put("fs.gs.outputstream.buffer.size", String.valueOf(8L << 20), "8m");
        put("fs.gs.inputstream.inplace.seek.limit", String.valueOf(8L << 20), "8m");
        put("fs.gs.inputstream.min.range.request.size", String.valueOf(2L << 20), "2m");
        put("fs.gs.rewrite.max.chunk.size", String.valueOf(512L << 20), "512m");
        put(
                "mapreduce.outputcommitter.factory.scheme.gs",
                "org.apache.hadoop.mapreduce.lib.output.FileOutputCommitterFactory",
                // mapred-default.xml's value, present once Hadoop's mapreduce classes loaded
                "org.apache.hadoop.mapreduce.lib.output.committer.manifest.ManifestCommitterFactory");
    }

    private HadoopDefaults() {}

    private static void put(String key, String value, String hadoopDefault) {
        DEFAULTS.put(key, value);
        HADOOP_VALUES.put(key, hadoopDefault);
    }

    /**
     * Sets every key that is unset or still holds Hadoop's own default.
     *
     * @param conf the configuration, changed in place
     * @return {@code conf}
     */
    public static Configuration apply(Configuration conf) {
        for (Map.Entry<String, String> e : DEFAULTS.entrySet()) {
            String current = conf.get(e.getKey());
            if (current == null || current.trim().equals(HADOOP_VALUES.get(e.getKey()))) {
                conf.set(e.getKey(), e.getValue());
            }
        }
        return conf;
    }

    /**
     * A new {@code Configuration} with {@link #apply} done: what the CLI commands use.
     *
     * @return the configuration
     */
    public static Configuration newConfiguration() {
        return apply(new Configuration());
    }
}
