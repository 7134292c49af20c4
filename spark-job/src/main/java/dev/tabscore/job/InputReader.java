package dev.tabscore.job;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.io.BundleFiles;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Opens the configured input as a DataFrame, telling a missing snapshot from a broken one. */
final class InputReader {

    private InputReader() {}

    /**
     * Reads the input (Spark lists it and reads its schema here, once).
     *
     * @param spark the session
     * @param config the run's config
     * @return the input, every column
     */
    static Dataset<Row> read(SparkSession spark, JobConfig config) {
        requireInputs(spark.sparkContext().hadoopConfiguration(), config);
        DataFrameReader reader =
                spark.read().format(config.input().format()).options(config.input().options());
        try {
            return reader.load(config.input().uris().toArray(new String[0]));
        } catch (Exception e) { // AnalysisException is checked but undeclared
            if (RunFailures.ioFailure(e)) {
                throw new BundleException(
                        Reason.IO_ERROR,
                        "input "
                                + BundleFiles.redact(config.input().uris().toString())
                                + " cannot be listed or read: "
                                + RunFailures.rootMessage(e),
                        e);
            }
            throw new BundleException(
                    Reason.INPUT_SCHEMA,
                    "input "
                            + BundleFiles.redact(config.input().uris().toString())
                            + " cannot be read as "
                            + config.input().format()
                            + ": "
                            + RunFailures.rootMessage(e),
                    e);
        }
    }

    /**
     * Refuses an input path that does not exist ({@link Reason#INPUT_MISSING}: a snapshot that has
     * not landed is not a schema error, and not worth an immediate retry), and reports a storage
     * failure while looking as retryable ({@link Reason#IO_ERROR}). Glob patterns are left to
     * Spark.
     */
    private static void requireInputs(Configuration hadoop, JobConfig config) {
        for (String uri : config.input().uris()) {
            if (uri.matches(".*[*?\\[{].*")) {
                continue;
            }
            Path p = BundleFiles.toPath(uri);
            try {
                if (!p.getFileSystem(hadoop).exists(p)) {
                    throw new BundleException(
                            Reason.INPUT_MISSING,
                            "input " + BundleFiles.redact(uri) + " does not exist");
                }
            } catch (IOException e) {
                throw new BundleException(
                        Reason.IO_ERROR,
                        "input "
                                + BundleFiles.redact(uri)
                                + " cannot be listed: "
                                + BundleFiles.redact(e.getMessage()),
                        e);
            }
        }
    }
}
