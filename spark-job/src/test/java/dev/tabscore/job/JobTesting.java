package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared pieces of the spark-job tests: one {@code local[2]} session per test JVM, running the job
 * in-process with its output captured, reading its manifest and summary ({@link PredictionChecks}
 * compares predictions).
 */
final class JobTesting {

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
     * Skips the calling test class unless it runs in the given surefire execution of the spark-job
     * pom ({@code default-test} before package, {@code cluster-it} after), or outside Maven. {@code
     * -Dtest=...} hands the same classes to both executions; this keeps each test in its own.
     *
     * @param execution the execution id the class belongs to
     */
    static void onlyInExecution(String execution) {
        String current = System.getProperty("tabscore.surefireExecution");
        Assumptions.assumeTrue(
                current == null || current.equals(execution),
                "runs in the surefire execution '" + execution + "', not '" + current + "'");
    }

    /**
     * Returns this JVM's Spark session, creating a {@code local[2]} one when there is none (or the
     * job stopped the last one).
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
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--master",
                                "local[2]",
                                "--conf",
                                "tabscore.keep_session=true",
                                "--conf",
                                "spark.ui.enabled=false"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    /** What a job run returned and printed. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit "
                    + exitCode
                    + "\n--- stderr:\n"
                    + tail(err)
                    + "\n--- stdout:\n"
                    + tail(out);
        }

        private static String tail(String s) {
            return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
        }
    }

    /**
     * Runs {@code ScoringJob.run(args)} in this JVM, capturing what it prints (and still echoing it
     * to the test's own output).
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
        return new Run(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
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
            return ManifestReader.read(
                    Files.readAllBytes(bundleDir.resolve("manifest.json")),
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
     * Asserts that nothing was committed under {@code dir}: no Parquet file anywhere, no {@code
     * _SUCCESS}, no run summary.
     *
     * @param dir the output directory (need not exist)
     */
    static void assertNothingCommitted(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<String> left =
                    files.filter(Files::isRegularFile)
                            .map(p -> dir.relativize(p).toString())
                            .filter(
                                    n ->
                                            n.endsWith(".parquet")
                                                    || n.endsWith("_SUCCESS")
                                                    || n.endsWith("_tabscore_summary.json"))
                            .toList();
            assertTrue(left.isEmpty(), "files committed under " + dir + ": " + left);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
