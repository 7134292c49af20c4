package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.manifest.ManifestFile;
import dev.tabscore.bundle.manifest.ManifestReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared pieces of the spark-job tests: one {@code local[2]} session per test JVM, running the
 * job in-process with its output captured, and comparing predictions the numpy way.
 */
final class JobTesting {

    /** numpy.allclose's atol for predictions: float32 forward passes, widened to double. */
    static final double ATOL = 1e-6;
    /** numpy.allclose's rtol for predictions. */
    static final double RTOL = 1e-5;

    static final ObjectMapper JSON = new ObjectMapper();

    private JobTesting() {}

    /**
     * Returns the repository root (surefire passes it; an IDE run starts in spark-job/).
     *
     * @return the root
     */
    static Path repoRoot() {
        return Path.of(System.getProperty("tabscore.repoRoot", "..")).toAbsolutePath().normalize();
    }

    /**
     * Skips the calling test class unless it runs in the given surefire execution of the
     * spark-job pom ({@code default-test} before package, {@code cluster-it} after), or outside
     * Maven. {@code -Dtest=...} hands the same classes to both executions; this keeps each test
     * in its own.
     *
     * @param execution the execution id the class belongs to
     */
    static void onlyInExecution(String execution) {
        String current = System.getProperty("tabscore.surefireExecution");
        Assumptions.assumeTrue(current == null || current.equals(execution),
                "runs in the surefire execution '" + execution + "', not '" + current + "'");
    }

    /**
     * Returns this JVM's Spark session, creating a {@code local[2]} one when there is none (or
     * the job stopped the last one).
     *
     * @return the session
     */
    static SparkSession spark() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("tabscore-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    /**
     * The job's arguments for an in-process local run that leaves the test's session running.
     *
     * @param more the run's own flags
     * @return the full command line
     */
    static String[] localArgs(String... more) {
        List<String> a = new ArrayList<>(List.of("--master", "local[2]",
                "--conf", "tabscore.keep_session=true", "--conf", "spark.ui.enabled=false"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    /** What a job run returned and printed. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stderr:\n" + tail(err) + "\n--- stdout:\n"
                    + tail(out);
        }

        private static String tail(String s) {
            return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
        }
    }

    /**
     * Runs {@code ScoringJob.run(args)} in this JVM, capturing what it prints (and still echoing
     * it to the test's own output).
     *
     * @param args the command line
     * @return exit code and output
     */
    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(out, oldOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, oldErr), true, StandardCharsets.UTF_8));
        int code;
        try {
            code = ScoringJob.run(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /** Writes to a buffer and to the original stream. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }

    /**
     * Reads a bundle's manifest (name, version, task, digest) without opening the bundle.
     *
     * @param bundleDir the bundle directory
     * @return the manifest file
     */
    static ManifestFile manifest(Path bundleDir) {
        try {
            return ManifestReader.read(Files.readAllBytes(bundleDir.resolve("manifest.json")),
                    bundleDir.resolve("manifest.json").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the run summary JSON.
     *
     * @param file the summary file
     * @return its tree
     */
    static JsonNode summary(Path file) {
        assertTrue(Files.isRegularFile(file), "no run summary at " + file);
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a Parquet file (or directory) and appends a 0-based row index column {@code id} that
     * follows the file's row order.
     *
     * @param spark the session
     * @param parquet the file
     * @return the rows with {@code id} last
     */
    static Dataset<Row> withRowIndex(SparkSession spark, Path parquet) {
        Dataset<Row> d = spark.read().parquet(parquet.toString());
        StructType schema = d.schema().add("id", DataTypes.LongType, false);
        JavaRDD<Row> rows = d.toJavaRDD().zipWithIndex().map(t -> {
            Object[] v = new Object[t._1().length() + 1];
            for (int i = 0; i < t._1().length(); i++) {
                v[i] = t._1().get(i);
            }
            v[v.length - 1] = t._2();
            return RowFactory.create(v);
        });
        return spark.createDataFrame(rows, schema);
    }

    /**
     * Checks every job output row against Python's, joined by key: same keys on both sides,
     * every numeric column within {@code ATOL + RTOL * |python|}, every string column equal.
     *
     * @param what names the case in messages
     * @param actual the job output
     * @param expected Python's output
     * @param key the join column
     * @param numeric numeric columns to compare
     * @param strings string columns to compare
     * @return the largest absolute difference seen
     */
    static double assertMatches(String what, Dataset<Row> actual, Dataset<Row> expected,
            String key, List<String> numeric, List<String> strings) {
        Map<Object, Row> exp = new HashMap<>();
        for (Row r : expected.collectAsList()) {
            assertFalse(exp.containsKey(r.getAs(key)), what + ": duplicate expected key "
                    + r.getAs(key));
            exp.put(r.getAs(key), r);
        }
        List<Row> act = actual.collectAsList();
        assertEquals(exp.size(), act.size(), what + ": row count (expected vs actual)");
        double maxDiff = 0;
        List<String> conflicts = new ArrayList<>();
        for (Row a : act) {
            Row e = exp.remove(a.getAs(key));
            if (e == null) {
                conflicts.add(key + "=" + a.getAs(key) + ": not in the expected output");
                continue;
            }
            for (String c : numeric) {
                double p = ((Number) e.getAs(c)).doubleValue();
                double j = ((Number) a.getAs(c)).doubleValue();
                double d = Math.abs(j - p);
                maxDiff = Math.max(maxDiff, d);
                if (!(d <= ATOL + RTOL * Math.abs(p))) {
                    conflicts.add(key + "=" + a.getAs(key) + ", " + c + ": python " + p
                            + " vs java " + j + " (|diff| " + d + ")");
                }
            }
            for (String c : strings) {
                Object ev = e.getAs(c);
                Object av = a.getAs(c);
                if (!java.util.Objects.equals(ev, av)) {
                    conflicts.add(key + "=" + a.getAs(key) + ", " + c + ": python '" + ev
                            + "' vs java '" + av + "'");
                }
            }
        }
        if (!exp.isEmpty()) {
            conflicts.add(exp.size() + " expected keys missing from the output, e.g. "
                    + exp.keySet().iterator().next());
        }
        if (!conflicts.isEmpty()) {
            fail(what + ": " + conflicts.size() + " conflicts; first: "
                    + conflicts.subList(0, Math.min(5, conflicts.size())));
        }
        return maxDiff;
    }

    /**
     * Asserts that nothing was committed under {@code dir}: no Parquet file anywhere, no
     * {@code _SUCCESS}, no run summary.
     *
     * @param dir the output directory (need not exist)
     */
    static void assertNothingCommitted(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<String> left = files.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .filter(n -> n.endsWith(".parquet") || n.endsWith("_SUCCESS")
                            || n.endsWith("_tabscore_summary.json"))
                    .toList();
            assertTrue(left.isEmpty(), "files committed under " + dir + ": " + left);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
