package dev.tabscore.job.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.Job;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's Parquet file format, writing the run's identity columns ({@link IdentityValues}, carried
 * by the write options) after each row's own columns: the rows Spark plans, sorts and hands to the
 * writer are the scored columns alone, and every file holds the identity on every row, as if they
 * had been literal columns: as constant column chunks ({@link IdentityWriterFactory}), or appended
 * to each row by Spark's writer ({@link IdentityWriteSupport}). Everything else (the commit
 * protocol, partitioning, compression, Parquet options) is Spark's, unchanged; the format is only
 * used to write.
 */
public class IdentityParquetFormat extends ParquetFileFormat {

    private static final long serialVersionUID = 1L;

    /**
     * The write option (or Hadoop key, {@code spark.hadoop.} from Spark) that, false, has Spark's
     * writer append the identity to every row instead of writing it as constant column chunks.
     */
    public static final String CONSTANT_CHUNKS = "tabscore.write.identity_pages";

    @Override
    public OutputWriterFactory prepareWrite(
            SparkSession sparkSession,
            Job job,
            scala.collection.immutable.Map<String, String> options,
            StructType dataSchema) {
        OutputWriterFactory factory = super.prepareWrite(sparkSession, job, options, dataSchema);
        Configuration conf = job.getConfiguration();
        // Fails on the driver, before any task, when a value is missing.
        IdentityValues identity = IdentityValues.fromConf(conf);
        // The file's schema: the rows' columns, then the identity columns.
        SparkInternals.widenParquetWriteSchema(conf, identity::appendTo);
        conf.set(ParquetOutputFormat.WRITE_SUPPORT_CLASS, IdentityWriteSupport.class.getName());
        return new IdentityWriterFactory(factory);
    }

    @Override
    public String toString() {
        return "Parquet+identity";
    }
}
