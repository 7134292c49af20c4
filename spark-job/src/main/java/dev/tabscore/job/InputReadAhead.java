package dev.tabscore.job;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the input (its listing, its schema, Spark's first analysis) on a second thread while the
 * driver verifies the bundle: neither needs the other, and both are mostly one thread of work on a
 * cold JVM. Errors keep their order: a refused bundle is reported before anything about the input,
 * because the read's outcome is only asked for after the bundle verified.
 */
final class InputReadAhead implements AutoCloseable {

    private final CompletableFuture<Dataset<Row>> read;
    private final long started = System.nanoTime();
    private volatile double seconds;

    private InputReadAhead(SparkSession spark, JobConfig config) {
        read = new CompletableFuture<>();
        Thread t =
                new Thread(
                        () -> {
                            try {
                                Dataset<Row> input = InputReader.read(spark, config);
                                seconds = ScoringRun.seconds(started);
                                read.complete(input);
                            } catch (RuntimeException | Error e) {
                                seconds = ScoringRun.seconds(started);
                                read.completeExceptionally(e);
                            }
                        },
                        "tabscore-input-read");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Starts reading.
     *
     * @param spark the session
     * @param config the run's config
     * @return the read under way
     */
    static InputReadAhead start(SparkSession spark, JobConfig config) {
        return new InputReadAhead(spark, config);
    }

    /**
     * The input, once read; rethrows the read's own failure.
     *
     * @return the input, every column
     */
    Dataset<Row> get() {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** How long the read took on its thread (after {@link #get}). */
    double seconds() {
        return seconds;
    }

    /** Waits for the read to end whatever its outcome, so nothing reads after the session stops. */
    @Override
    public void close() {
        try {
            read.join();
        } catch (CompletionException e) {
            // Reported by get(), or moot: the run failed before it needed the input.
        }
    }
}
