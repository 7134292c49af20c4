package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.job.spark.IdentityParquetFormat;
import dev.tabscore.job.spark.IdentityValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the identity columns appended inside the Parquet write ({@link IdentityParquetFormat})
 * give the files that literal columns written by Spark's own Parquet format give: the same Parquet
 * schema, the same Spark schema in the footer, the same rows read back, for each timestamp type
 * Spark writes and with and without a signer. The footer carries the identity once more as
 * key-value metadata.
 */
@ExtendWith(LocalJobSession.class)
class IdentityParquetFormatTest {

    private static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

    private static final int ROWS = 40_000;

    @TempDir Path tmp;

    @Test
    void filesEqualThoseOfLiteralColumnsForEveryTimestampType() throws Exception {
        int round = 0;
        for (String ts : List.of("TIMESTAMP_MICROS", "INT96", "TIMESTAMP_MILLIS")) {
            for (String signer : new String[] {null, "ci@example.com"}) {
                for (boolean chunks : new boolean[] {true, false}) {
                    compare(ts, signer, chunks, round++);
                }
            }
        }
    }

    @Test
    void anEmptyWriteKeepsTheSchemaOfLiteralColumns() {
        SparkSession spark = JobTesting.spark();
        IdentityValues id = new IdentityValues("n", "1", "d", "run-empty", 0L, null);
        Dataset<Row> empty = rows(spark).drop("snapshot").limit(0);
        Path literal = tmp.resolve("empty-literal");
        empty.select(
                        functions.col("*"),
                        functions.lit("n").as("bundle_name"),
                        functions.lit("1").as("bundle_version"),
                        functions.lit("d").as("bundle_digest"),
                        functions.lit("run-empty").as("run_id"),
                        functions.lit(new Timestamp(0)).as("scored_at"),
                        functions.lit(null).cast("string").as("bundle_signer"))
                .write()
                .parquet(literal.toString());
        for (boolean chunks : new boolean[] {true, false}) {
            Path appended = tmp.resolve("empty-appended-" + chunks);
            empty.write()
                    .format(IdentityParquetFormat.class.getName())
                    .options(id.options())
                    .option(IdentityParquetFormat.CONSTANT_CHUNKS, chunks)
                    .save(appended.toString());
            Dataset<Row> back = spark.read().parquet(appended.toString());
            assertEquals(spark.read().parquet(literal.toString()).schema(), back.schema());
            assertEquals(0, back.count());
        }
    }

    @Test
    void aWriteWithoutTheIdentityOptionsFailsNamingTheKey() {
        SparkSession spark = JobTesting.spark();
        Exception e =
                assertThrows(
                        Exception.class,
                        () ->
                                rows(spark)
                                        .write()
                                        .format(IdentityParquetFormat.class.getName())
                                        .option(IdentityValues.PREFIX + "bundle_name", "n")
                                        .save(tmp.resolve("missing").toString()));
        assertTrue(
                String.valueOf(e.getMessage()).contains("tabscore.identity.bundle_version"),
                String.valueOf(e));
    }

    /**
     * Writes the rows with literal identity columns and through the format, and compares the files.
     *
     * @param chunks whether the identity is written as constant column chunks (else appended to
     *     each row by Spark's writer); with chunks, row groups of about 64 KB, so that a file has
     *     several (the rows' own chunks copied, the identity's written per row group)
     */
    private void compare(String timestampType, String signer, boolean chunks, int round)
            throws Exception {
        SparkSession spark = JobTesting.spark();
        String key = "spark.sql.parquet.outputTimestampType";
        String before = spark.conf().get(key);
        spark.conf().set(key, timestampType);
        try {
            Instant at = Instant.parse("2026-12-05T16:20:31.123456Z");
            IdentityValues id =
                    new IdentityValues(
                            "seed-binary",
                            "3",
                            "9ebde9e3" + "0".repeat(56),
                            "run-" + round,
                            at.getEpochSecond() * 1_000_000L + at.getNano() / 1000,
                            signer);
            Dataset<Row> df = rows(spark);
            Path literal = tmp.resolve("literal-" + round);
            df.select(
                            functions.col("*"),
                            functions.lit(id.bundleName()).as("bundle_name"),
                            functions.lit(id.bundleVersion()).as("bundle_version"),
                            functions.lit(id.bundleDigest()).as("bundle_digest"),
                            functions.lit(id.runId()).as("run_id"),
                            functions.lit(Timestamp.from(at)).as("scored_at"),
                            functions.lit(signer).cast("string").as("bundle_signer"))
                    .write()
                    .format("parquet")
                    .partitionBy("snapshot")
                    .save(literal.toString());
            Path appended = tmp.resolve("appended-" + round);
            df.write()
                    .format(IdentityParquetFormat.class.getName())
                    .options(id.options())
                    .option(IdentityParquetFormat.CONSTANT_CHUNKS, chunks)
                    .option("parquet.block.size", chunks ? 64 * 1024 : 128 * 1024 * 1024)
                    .partitionBy("snapshot")
                    .save(appended.toString());

            String what = timestampType + " signer=" + signer + " chunks=" + chunks;
            List<Path> a = files(literal);
            List<Path> b = files(appended);
            assertEquals(a.size(), b.size(), what);
            for (int i = 0; i < a.size(); i++) {
                FileMetaData fa = footer(a.get(i));
                FileMetaData fb = footer(b.get(i));
                assertEquals(fa.getSchema(), fb.getSchema(), what + " " + b.get(i));
                Map<String, String> kb = fb.getKeyValueMetaData();
                assertEquals(
                        fa.getKeyValueMetaData().get(SPARK_SCHEMA_KEY),
                        kb.get(SPARK_SCHEMA_KEY),
                        what);
                assertEquals(id.bundleDigest(), kb.get("tabscore.bundle_digest"), what);
                assertEquals(id.runId(), kb.get("tabscore.run_id"), what);
                assertEquals(signer, kb.get("tabscore.bundle_signer"), what);
                if (chunks) {
                    assertTrue(rowGroups(b.get(i)) > 1, what + ": several row groups");
                }
            }
            Dataset<Row> ra = spark.read().parquet(literal.toString());
            Dataset<Row> rb = spark.read().parquet(appended.toString());
            assertEquals(ra.schema(), rb.schema(), what);
            assertEquals(ROWS, rb.count(), what);
            assertEquals(0, ra.exceptAll(rb).count(), what);
            assertEquals(0, rb.exceptAll(ra).count(), what);
            Column digest = rb.col("bundle_digest");
            assertEquals(ROWS, rb.filter(digest.equalTo(id.bundleDigest())).count(), what);
            assertEquals(
                    signer == null ? ROWS : 0, rb.filter(rb.col("bundle_signer").isNull()).count());
            // The run's instant, at the precision the timestamp type keeps (MILLIS: 16:20:31.123).
            Instant kept =
                    timestampType.equals("TIMESTAMP_MILLIS")
                            ? at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                            : at;
            assertEquals(
                    List.of(Timestamp.from(kept)),
                    rb.select("scored_at").distinct().collectAsList().stream()
                            .map(r -> r.getTimestamp(0))
                            .toList(),
                    what);
        } finally {
            spark.conf().set(key, before);
        }
    }

    /**
     * Rows in two snapshots, with nulls in an id, a prediction and a label, and a struct column of
     * more fields than the rows have columns (its fields are numbered within it, not among the
     * row's). Each file's first row is written whole, the others with the identity replayed ({@code
     * IdentityFieldsConsumer}): enough rows for several dictionary-encoded pages.
     */
    private static Dataset<Row> rows(SparkSession spark) {
        StructType nested = new StructType();
        for (int f = 0; f < 12; f++) {
            nested = nested.add("f" + f, f % 2 == 0 ? DataTypes.StringType : DataTypes.LongType);
        }
        StructType schema =
                new StructType()
                        .add("row_id", DataTypes.LongType, true)
                        .add("snapshot", DataTypes.StringType, true)
                        .add("prob", DataTypes.DoubleType, false)
                        .add("label", DataTypes.StringType, true)
                        .add("extra", nested, true);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            Object[] extra = new Object[12];
            for (int f = 0; f < 12; f++) {
                extra[f] = f % 2 == 0 ? "s" + (i * f % 97) : (long) i * f;
            }
            rows.add(
                    RowFactory.create(
                            i == 4 ? null : (long) i,
                            i % 2 == 0 ? "2026-11-01" : "2026-11-02",
                            i / 10.0,
                            i == 2 ? null : "c" + i,
                            i == 3 ? null : RowFactory.create(extra)));
        }
        return spark.createDataFrame(rows, schema).repartition(1);
    }

    private static FileMetaData footer(Path file) throws IOException {
        return parquetFooter(file).getFileMetaData();
    }

    private static int rowGroups(Path file) throws IOException {
        return parquetFooter(file).getBlocks().size();
    }

    private static ParquetMetadata parquetFooter(Path file) throws IOException {
        try (ParquetFileReader r =
                ParquetFileReader.open(
                        HadoopInputFile.fromPath(
                                new org.apache.hadoop.fs.Path(file.toUri()),
                                new Configuration()))) {
            return r.getFooter();
        }
    }

    private static List<Path> files(Path out) throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            List<Path> files =
                    s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                            .sorted()
                            .toList();
            assertFalse(files.isEmpty(), "no Parquet files under " + out);
            return files;
        }
    }
}
