package dev.tabscore.job.spark;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.spark.internal.config.ConfigEntry;
import org.apache.spark.internal.io.FileCommitProtocol;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * The one place the job touches Spark internals (classes outside Spark's public API, which a Spark
 * release may change without notice), and the Spark versions it was tested with: the next Spark
 * release breaks this file, not the job in many places, and an untested Spark is refused at
 * start-up ({@link #requireTested}) rather than failing in the middle of a run.
 *
 * <p>The rule: a <em>call</em> into, or an instance <em>created</em> of, a class under {@code
 * org.apache.spark.sql.execution}, {@code .catalyst}, {@code .classic}, {@code .internal} or {@code
 * org.apache.spark.internal} is made here. Two kinds of use stay outside, because moving them would
 * only add indirection: {@code InternalRow} and {@code UTF8String} read and written as data (the
 * row format of the hot path; their accessors have been stable since Spark 2), and {@link
 * GatedCommitProtocol} extending {@code FileCommitProtocol}, {@link IdentityParquetFormat}
 * extending {@code ParquetFileFormat} (Spark instantiates them by class name, so they cannot be
 * static methods; what they call goes through here), and the writer factory and writer that format
 * returns ({@link IdentityWriterFactory}, {@link IdentityFileWriter}: Spark's {@code
 * OutputWriterFactory} and {@code OutputWriter}, the contract every file format implements). {@code
 * SparkInternalsTest} checks the rule over the sources.
 */
public final class SparkInternals {

    /** The Spark lines the job is built and tested with ({@code 4.2} means 4.2.x). */
    public static final List<String> TESTED = List.of("4.2");

    /** The Spark setting that lets the job run on a Spark it was not tested with. */
    public static final String ALLOW_UNTESTED = "spark.tabscore.allowUntestedSpark";

    /** Spark's own commit protocol for file writes, the default of its setting. */
    static final String DEFAULT_COMMIT_PROTOCOL =
            "org.apache.spark.sql.execution.datasources.SQLHadoopMapReduceCommitProtocol";

    private SparkInternals() {}

    /**
     * The version of the Spark on the classpath (what {@code SparkSession.version()} says).
     *
     * @return e.g. {@code 4.2.0}
     */
    public static String runningVersion() {
        return org.apache.spark.package$.MODULE$.SPARK_VERSION();
    }

    /**
     * Returns why a Spark version is not one the job was tested with, or null when it is.
     *
     * @param version the Spark version, e.g. {@code 4.2.0} or {@code 4.2.1-SNAPSHOT}
     * @return the refusal message or null
     */
    public static String untested(String version) {
        for (String line : TESTED) {
            if (version.equals(line) || version.startsWith(line + ".")) {
                return null;
            }
        }
        return "untested Spark "
                + version
                + ": tabscore uses Spark internals (SparkInternals) "
                + "and is tested with Spark "
                + String.join(", ", TESTED.stream().map(l -> l + ".x").toList())
                + "; use a tested Spark, or run at your own "
                + "risk with --conf "
                + ALLOW_UNTESTED
                + "=true (docs/deployment.md)";
    }

    /**
     * Refuses an untested Spark unless allowed (then the caller logs {@link #untested}).
     *
     * @param version the Spark version
     * @param allowUntested whether {@link #ALLOW_UNTESTED} is true
     * @throws BundleException ({@link Reason#UNSUPPORTED_CLASSPATH}, exit 63) when refused
     */
    public static void requireTested(String version, boolean allowUntested) {
        String problem = untested(version);
        if (problem != null && !allowUntested) {
            throw new BundleException(Reason.UNSUPPORTED_CLASSPATH, problem);
        }
    }

    /**
     * A DataFrame over internal rows, without converting them to external {@code Row}s. {@code
     * internalCreateDataFrame} is public in the bytecode, package-private in Scala; the classic
     * session is what {@code getOrCreate} returns.
     *
     * @param spark the session
     * @param rows the rows
     * @param schema their schema
     * @return the DataFrame
     */
    public static Dataset<Row> fromInternalRows(
            SparkSession spark, RDD<InternalRow> rows, StructType schema) {
        return ((org.apache.spark.sql.classic.SparkSession) spark)
                .internalCreateDataFrame(rows, schema, false);
    }

    /**
     * A Dataset's rows as Spark executes them (internal rows, reused by the iterator).
     *
     * @param input the Dataset
     * @return its internal rows
     */
    public static RDD<InternalRow> internalRows(Dataset<Row> input) {
        return input.queryExecution().toRdd();
    }

    /**
     * Returns the column batches of the input's scan when the whole plan is a vectorized scan
     * (Parquet, ORC: {@code ColumnarToRow} over it, in a codegen stage); else null (CSV, or a plan
     * with more than a scan).
     *
     * @param input the (pruned) input
     * @return the scan's batches, or null
     */
    public static RDD<ColumnarBatch> columnarScan(Dataset<Row> input) {
        SparkPlan p = input.queryExecution().executedPlan();
        if (p instanceof WholeStageCodegenExec w) {
            p = w.child();
        }
        if (p instanceof ColumnarToRowExec c && c.child().supportsColumnar()) {
            SparkPlan scan = c.child();
            if (scan instanceof InputAdapter a) {
                scan = a.child();
            }
            return scan.executeColumnar();
        }
        return null;
    }

    /**
     * The dictionary ids of a dictionary-encoded vector of the Parquet reader (read them with
     * {@code getInt}: the ids vector has no dictionary itself), or null when it is not one.
     *
     * @param v a vector of a scan's batch
     * @return the ids, or null
     */
    static ColumnVector dictionaryIds(ColumnVector v) {
        return v instanceof WritableColumnVector w && w.hasDictionary()
                ? w.getDictionaryIds()
                : null;
    }

    /**
     * A mutable row of primitives set in place (no boxing), for a task's output.
     *
     * @param schema its schema
     * @return the row
     */
    static InternalRow mutableRow(StructType schema) {
        return new SpecificInternalRow(schema);
    }

    /**
     * A row of the given values (internal representations: UTF8String, micros...).
     *
     * @param values the values, owned by the row
     * @return the row
     */
    static InternalRow row(Object[] values) {
        return new GenericInternalRow(values);
    }

    /**
     * A session setting as the current task or driver thread sees it.
     *
     * @param key the key
     * @param dflt the value when unset
     * @return the value
     */
    static String sessionConf(String key, String dflt) {
        return SQLConf.get().getConfString(key, dflt);
    }

    /**
     * Spark's commit protocol of the given class, as Spark itself creates it.
     *
     * @param cls the protocol class
     * @param jobId the write job's id
     * @param path the output path
     * @param dynamicPartitionOverwrite whether only the written partitions are replaced
     * @return the protocol
     */
    static FileCommitProtocol commitProtocol(
            String cls, String jobId, String path, boolean dynamicPartitionOverwrite) {
        return FileCommitProtocol.instantiate(cls, jobId, path, dynamicPartitionOverwrite);
    }

    /**
     * Opens a Parquet writer of internal rows outside a Spark write job, with Spark's own {@code
     * ParquetWriteSupport}: the file is then typed and encoded exactly as Spark writes the same
     * schema (decimals, timestamps, nested values), and read back by Spark as such.
     *
     * @param path the file
     * @param schema the rows' schema
     * @param base the Hadoop configuration to start from
     * @return the writer
     * @throws IOException if the file cannot be created
     */
    static ParquetWriter<InternalRow> parquetWriter(
            Path path, StructType schema, Configuration base) throws IOException {
        Configuration conf = new Configuration(base);
        ParquetWriteSupport.setSchema(schema, conf);
        // The settings Spark's Parquet writer copies from the session (ParquetUtils
        // .prepareWrite), read from the task's view of it.
        for (ConfigEntry<?> e :
                List.of(
                        SQLConf.PARQUET_WRITE_LEGACY_FORMAT(),
                        SQLConf.PARQUET_OUTPUT_TIMESTAMP_TYPE(),
                        SQLConf.PARQUET_FIELD_ID_WRITE_ENABLED(),
                        SQLConf.PARQUET_ANNOTATE_VARIANT_LOGICAL_TYPE())) {
            conf.set(e.key(), sessionConf(e.key(), e.defaultValueString()));
        }
        return new RowsParquet(HadoopOutputFile.fromPath(path, conf))
                .withConf(conf)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
    }

    private static final class RowsParquet extends ParquetWriter.Builder<InternalRow, RowsParquet> {
        RowsParquet(org.apache.parquet.io.OutputFile file) {
            super(file);
        }

        @Override
        protected RowsParquet self() {
            return this;
        }

        @Override
        protected WriteSupport<InternalRow> getWriteSupport(Configuration conf) {
            return new ParquetWriteSupport();
        }
    }

    /** Spark's own Parquet write support, as Spark's Parquet file format writes with it. */
    static WriteSupport<InternalRow> sparkParquetWriteSupport() {
        return new ParquetWriteSupport();
    }

    /**
     * A reusable join of two rows (Catalyst's {@code JoinedRow}): the row it returns is the first's
     * fields then the second's, and is valid until its next call.
     */
    static java.util.function.BinaryOperator<InternalRow> rowJoiner() {
        org.apache.spark.sql.catalyst.expressions.JoinedRow joined =
                new org.apache.spark.sql.catalyst.expressions.JoinedRow();
        return joined::apply;
    }

    /**
     * A local directory for a task's scratch files: Spark's first local directory ({@code
     * spark.local.dir}, or what YARN or Kubernetes gave the executor), else {@code java.io.tmpdir}.
     */
    static java.nio.file.Path scratchDirectory() {
        org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
        if (env != null) {
            try {
                return java.nio.file.Path.of(org.apache.spark.util.Utils.getLocalDir(env.conf()));
            } catch (RuntimeException e) {
                // No usable local directory configured: the JVM's own below.
            }
        }
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Where {@link #widenParquetWriteSchema} keeps the schemas it replaced. */
    private static final String ROWS_SCHEMA = "tabscore.write.rows_schema";

    private static final String ROWS_SHREDDING_SCHEMA = "tabscore.write.rows_shredding_schema";

    /**
     * Replaces the schema Spark's Parquet write support writes (set by Spark's {@code
     * prepareWrite}), and its Variant shredding schema if there is one, by {@code widen} of it; the
     * schemas replaced are kept for {@link #rowsParquetWriteConf}.
     *
     * @param conf a write job's Hadoop configuration, after Spark's {@code prepareWrite}
     * @param widen the new schema from the old
     */
    static void widenParquetWriteSchema(
            Configuration conf, java.util.function.UnaryOperator<StructType> widen) {
        String row = conf.get(ParquetWriteSupport.SPARK_ROW_SCHEMA());
        conf.set(ROWS_SCHEMA, row);
        ParquetWriteSupport.setSchema(widen.apply((StructType) DataType.fromJson(row)), conf);
        String shredded = conf.get(ParquetWriteSupport.SPARK_VARIANT_SHREDDING_SCHEMA());
        if (shredded != null) {
            conf.set(ROWS_SHREDDING_SCHEMA, shredded);
            conf.set(
                    ParquetWriteSupport.SPARK_VARIANT_SHREDDING_SCHEMA(),
                    widen.apply((StructType) DataType.fromJson(shredded)).json());
        }
    }

    /**
     * A copy of a widened write's configuration for a Spark write support that writes the rows' own
     * columns alone: the schemas {@link #widenParquetWriteSchema} replaced.
     *
     * @param conf a configuration {@link #widenParquetWriteSchema} widened
     * @throws IllegalStateException if it was not widened
     */
    static Configuration rowsParquetWriteConf(Configuration conf) {
        String rows = conf.get(ROWS_SCHEMA);
        if (rows == null) {
            throw new IllegalStateException(
                    "the Parquet write's configuration has no '" + ROWS_SCHEMA + "': not widened");
        }
        Configuration c = new Configuration(conf);
        c.set(ParquetWriteSupport.SPARK_ROW_SCHEMA(), rows);
        String shredded = conf.get(ROWS_SHREDDING_SCHEMA);
        if (shredded != null) {
            c.set(ParquetWriteSupport.SPARK_VARIANT_SHREDDING_SCHEMA(), shredded);
        }
        return c;
    }

    /** Whether a write shreds Variant columns (Spark's shredding schema is set). */
    static boolean shredsVariants(Configuration conf) {
        return conf.get(ParquetWriteSupport.SPARK_VARIANT_SHREDDING_SCHEMA()) != null;
    }

    /** The number of the rows' own columns in a widened write ({@link #rowsParquetWriteConf}). */
    static int rowsParquetWriteFields(Configuration conf) {
        String rows = conf.get(ROWS_SCHEMA);
        if (rows == null) {
            throw new IllegalStateException(
                    "the Parquet write's configuration has no '" + ROWS_SCHEMA + "': not widened");
        }
        return ((StructType) DataType.fromJson(rows)).size();
    }
}
