package dev.tabscore.job.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's Parquet output writer factory, whose files get the identity columns as constant column
 * chunks ({@link IdentityFileWriter}) where that gives the file Spark would write: Parquet's v1
 * pages, the identity dictionary-encoded, no encryption, no shredded Variant column, no bloom
 * filter on an identity column, and {@value #PAGES} not false. Otherwise Spark's own writer writes
 * each file, the identity appended to every row ({@link IdentityWriteSupport}).
 */
final class IdentityWriterFactory extends OutputWriterFactory {

    private static final long serialVersionUID = 1L;

    /** The setting (a write option or Hadoop key) that turns the constant chunks off. */
    static final String PAGES = IdentityParquetFormat.CONSTANT_CHUNKS;

    private final OutputWriterFactory spark;

    IdentityWriterFactory(OutputWriterFactory spark) {
        this.spark = spark;
    }

    @Override
    public String getFileExtension(TaskAttemptContext context) {
        return spark.getFileExtension(context);
    }

    @Override
    public OutputWriter newInstance(
            String path, StructType dataSchema, TaskAttemptContext context) {
        if (constantChunks(context.getConfiguration())) {
            return new IdentityFileWriter(path, context);
        }
        return spark.newInstance(path, dataSchema, context);
    }

    /** Whether a write with this configuration can take the identity as constant chunks. */
    static boolean constantChunks(Configuration conf) {
        if (!conf.getBoolean(PAGES, true)
                || conf.get("parquet.crypto.factory.class") != null
                || SparkInternals.shredsVariants(conf)
                || ParquetOutputFormat.getWriterVersion(conf)
                        != ParquetProperties.WriterVersion.PARQUET_1_0) {
            return false;
        }
        boolean dictionary = ParquetOutputFormat.getEnableDictionary(conf);
        boolean bloom = ParquetOutputFormat.getBloomFilterEnabled(conf);
        for (String c : OutputSchema.IDENTITY) {
            if (!conf.getBoolean(ParquetOutputFormat.ENABLE_DICTIONARY + "#" + c, dictionary)
                    || conf.getBoolean(ParquetOutputFormat.BLOOM_FILTER_ENABLED + "#" + c, bloom)) {
                return false;
            }
        }
        return true;
    }
}
