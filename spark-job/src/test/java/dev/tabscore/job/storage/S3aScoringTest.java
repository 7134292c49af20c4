package dev.tabscore.job.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.io.ParquetColumns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job against a real S3 server on 127.0.0.1 (S3Mock, a child JVM): bundle and input read from
 * {@code s3a://}, output and summary written there, an altered artifact in the bucket refused, and
 * the planted credentials never printed (logs, errors, summary).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3aScoringTest {

    /** Fake credentials planted to prove they never leak. */
    static final String ACCESS_KEY = "AKIAPLANTEDFAKE00042";

    static final String SECRET_KEY = "planted/Secret+Key/Never-Print-Me-0042";

    @TempDir Path tmp;

    private S3MockServer s3;
    private Configuration conf;

    @BeforeAll
    void startS3() throws IOException {
        Path work = Files.createTempDirectory("s3mock");
        s3 = S3MockServer.start(work, "models", "lake");
        conf = new Configuration();
        s3.s3aSettings(ACCESS_KEY, SECRET_KEY).forEach(conf::set);
        upload(Path.of("..", "sample-data", "bundle"), "s3a://models/churn/1.0.0");
        upload(Path.of("..", "sample-data", "bundle"), "s3a://models/churn-altered/1.0.0");
        upload(Path.of("..", "sample-data", "input"), "s3a://lake/features");
    }

    @AfterAll
    void stopS3() throws IOException {
        FileSystem.closeAll();
        if (s3 != null) {
            s3.close();
        }
    }

    /** The file system of a bucket (s3a has one per bucket). */
    private FileSystem fs(String uri) throws IOException {
        return new org.apache.hadoop.fs.Path(uri).getFileSystem(conf);
    }

    private void upload(Path local, String target) throws IOException {
        fs(target)
                .copyFromLocalFile(
                        false,
                        true,
                        new org.apache.hadoop.fs.Path(local.toAbsolutePath().toUri()),
                        new org.apache.hadoop.fs.Path(target));
    }

    private List<String> args(String bundle, String output) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--bundle",
                                bundle,
                                "--input",
                                "s3a://lake/features",
                                "--output",
                                output,
                                "--id-col",
                                "customer_id",
                                "--passthrough-col",
                                "snapshot",
                                "--partition-by",
                                "snapshot",
                                "--master",
                                "local[2]",
                                "--run-id",
                                "s3a-test"));
        for (Map.Entry<String, String> e : s3.s3aSettings(ACCESS_KEY, SECRET_KEY).entrySet()) {
            a.add("--conf");
            a.add("spark.hadoop." + e.getKey() + "=" + e.getValue());
        }
        return a;
    }

    @Test
    void scoresFromS3IntoS3AndNeverPrintsTheCredentials() throws Exception {
        String out = "s3a://lake/scores/churn";
        JobProcess.Result r = JobProcess.run(tmp, args("s3a://models/churn/1.0.0", out));
        assertEquals(0, r.exitCode(), r.output() + "\n--- s3mock ---\n" + s3.log());
        String summary = read(out + "/_tabscore_summary.json");
        assertTrue(summary.contains("\"status\" : \"ok\""), summary);
        assertNoSecrets(r.output() + summary);

        Map<Long, Double> expected =
                predictions(
                        ParquetColumns.read(
                                Files.readAllBytes(
                                        Path.of(
                                                "..",
                                                "sample-data",
                                                "expected",
                                                "predictions.parquet")),
                                "expected"));
        Map<Long, Double> got = new HashMap<>();
        FileSystem fs = fs(out);
        RemoteIterator<LocatedFileStatus> files =
                fs.listFiles(new org.apache.hadoop.fs.Path(out), true);
        while (files.hasNext()) {
            LocatedFileStatus f = files.next();
            // data files only: _tabscore_rejects/ and other _ folders are not output, as for Spark
            if (f.getPath().getName().endsWith(".parquet")
                    && !f.getPath().toString().substring(out.length()).contains("/_")) {
                got.putAll(
                        predictions(
                                ParquetColumns.read(
                                        org.apache.parquet.hadoop.util.HadoopInputFile.fromStatus(
                                                f, conf),
                                        f.getPath().toString(),
                                        c -> c.equals("customer_id") || c.equals("prob"))));
            }
        }
        assertEquals(expected.size(), got.size(), "one output row per input row");
        for (Map.Entry<Long, Double> e : expected.entrySet()) {
            double g = got.get(e.getKey());
            assertTrue(
                    Math.abs(g - e.getValue()) <= 1e-6 + 1e-5 * Math.abs(e.getValue()),
                    "customer " + e.getKey() + ": python " + e.getValue() + ", java " + g);
        }
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out + "/_SUCCESS")));
        // the rejects were published in the bucket too (none here: an empty file with the schema)
        assertTrue(
                fs.exists(
                        new org.apache.hadoop.fs.Path(
                                out + "/_tabscore_rejects/run_id=s3a-test/_SUCCESS")));
        assertFalse(
                fs.exists(new org.apache.hadoop.fs.Path(out + "/_tabscore_rejects/_staging")),
                "staging removed");
        assertFalse(
                fs.exists(new org.apache.hadoop.fs.Path(out + "/_tabscore_staging")),
                "run staging removed");
        assertTrue(
                fs.exists(new org.apache.hadoop.fs.Path(out + "/_tabscore_summary.json")),
                "summary published with the data");
    }

    @Test
    void anArtifactAlteredInTheBucketIsRefusedAndNothingIsPublished() throws Exception {
        String skops = "s3a://models/churn-altered/1.0.0/preprocessor.skops";
        FileSystem fs = fs(skops);
        byte[] bytes = readBytes(fs, fs.getFileStatus(new org.apache.hadoop.fs.Path(skops)));
        bytes[bytes.length / 3] ^= 0x20;
        try (FSDataOutputStream o = fs.create(new org.apache.hadoop.fs.Path(skops), true)) {
            o.write(bytes);
        }
        String out = "s3a://lake/scores/altered";
        JobProcess.Result r = JobProcess.run(tmp, args("s3a://models/churn-altered/1.0.0", out));
        assertEquals(Reason.ARTIFACT_MISMATCH.exitCode(), r.exitCode(), r.output());
        assertTrue(r.output().contains("preprocessor.skops"), r.output());
        // Nothing published: no data, no _SUCCESS; only the refused run's own record, in the
        // bucket, saying why (retryable false: the bundle is bad, not the store).
        FileSystem ofs = fs(out);
        assertFalse(ofs.exists(new org.apache.hadoop.fs.Path(out + "/_SUCCESS")));
        assertFalse(ofs.exists(new org.apache.hadoop.fs.Path(out + "/snapshot=2026-11-01")));
        String record = read(out + "/_tabscore_runs/s3a-test/summary.json");
        assertTrue(record.contains("\"exit_code\" : 23"), record);
        assertTrue(record.contains("\"retryable\" : false"), record);
        assertNoSecrets(r.output());
    }

    private static void assertNoSecrets(String text) {
        assertFalse(text.contains(SECRET_KEY), "the secret key was printed");
        assertFalse(text.contains(ACCESS_KEY), "the access key was printed");
    }

    private static Map<Long, Double> predictions(ColumnBatch b) {
        long[] ids = ((LongColumn) b.column("customer_id")).values();
        double[] p = ((DoubleColumn) b.column("prob")).values();
        Map<Long, Double> m = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            m.put(ids[i], p[i]);
        }
        return m;
    }

    private static byte[] readBytes(FileSystem fs, FileStatus f) throws IOException {
        try (InputStream in = fs.open(f.getPath())) {
            return in.readAllBytes();
        }
    }

    private String read(String path) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (InputStream in = fs(path).open(new org.apache.hadoop.fs.Path(path))) {
            in.transferTo(b);
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
