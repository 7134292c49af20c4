package dev.tabscore.job.spark;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.quality.Reject;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A task's rejects: each rejected row's original input values (the fields of {@link
 * RejectsOutput#schema}), its reason, column and detail, and the run's identity, appended to one
 * Parquet file in the run's staging directory, opened on the first reject. The driver publishes the
 * files of successful task attempts only ({@link RejectsOutput#publish}); a failed attempt deletes
 * its own. Not thread-safe: one per task.
 */
final class RejectsWriter {

    private final Path file;
    private final StructType schema;
    private final int[] fields;
    private final DataType[] types;
    private final Object[] identity;
    private final Configuration conf;
    private ParquetWriter<InternalRow> writer;
    private long rows;

    /**
     * Prepares a writer; nothing is created until the first reject.
     *
     * @param file the file to write
     * @param inputSchema the input rows' schema
     * @param fields the input fields to keep, in order
     * @param identity bundle name, version, digest and run id
     * @param conf the Hadoop configuration
     */
    RejectsWriter(
            Path file,
            StructType inputSchema,
            int[] fields,
            String[] identity,
            Configuration conf) {
        this.file = file;
        this.fields = fields.clone();
        this.types = new DataType[fields.length];
        for (int i = 0; i < fields.length; i++) {
            types[i] = inputSchema.fields()[fields[i]].dataType();
        }
        this.schema = RejectsOutput.schema(inputSchema, fields);
        this.identity = new Object[identity.length];
        for (int i = 0; i < identity.length; i++) {
            this.identity[i] = UTF8String.fromString(identity[i]);
        }
        this.conf = conf;
    }

    /**
     * Appends a rejected row.
     *
     * @param input the input row (a copy Spark will not reuse)
     * @param r why it was rejected
     */
    void write(InternalRow input, Reject r) {
        Object[] v = new Object[fields.length + 3 + identity.length];
        int c = 0;
        for (int i = 0; i < fields.length; i++) {
            v[c++] = input.isNullAt(fields[i]) ? null : input.get(fields[i], types[i]);
        }
        v[c++] = UTF8String.fromString(r.reason().code());
        v[c++] = UTF8String.fromString(r.column());
        v[c++] = UTF8String.fromString(r.detail());
        for (Object id : identity) {
            v[c++] = id;
        }
        try {
            if (writer == null) {
                writer = SparkInternals.parquetWriter(file, schema, conf);
            }
            writer.write(SparkInternals.row(v));
        } catch (IOException e) {
            throw new ScoringException(
                    Reason.SCORING_FAILED,
                    r.column(),
                    r.row(),
                    "cannot write a rejected row to " + file + ": " + e.getMessage());
        }
        rows++;
    }

    /**
     * Returns the rows written.
     *
     * @return the count
     */
    long rows() {
        return rows;
    }

    /**
     * Closes the file.
     *
     * @return the file, or null when there was no reject
     * @throws IOException if the file cannot be completed
     */
    Path close() throws IOException {
        // Idempotent: closed once when the partition's rows run out, asked again by the task's
        // completion listener.
        if (writer != null) {
            writer.close();
            writer = null;
            written = true;
        }
        return written ? file : null;
    }

    /** Whether a file was written and closed. */
    private boolean written;

    /** Closes and deletes the file, for a failed attempt; best effort. */
    void abort() {
        try {
            close();
            if (rows > 0) {
                file.getFileSystem(conf).delete(file, false);
            }
        } catch (IOException | RuntimeException e) {
            // The driver deletes the whole staging directory at the end of the run.
        }
    }
}
