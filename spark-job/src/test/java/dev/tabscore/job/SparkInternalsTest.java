package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.job.spark.SparkInternals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The Spark internals seam: an untested Spark is refused at start-up (exit 63, naming the version
 * and the override), the override lets it run, the Spark of this build passes, and no other source
 * file reaches into Spark's internals.
 */
class SparkInternalsTest {

    @Test
    void theTestedLineIsAccepted() {
        for (String v : new String[] {"4.2", "4.2.0", "4.2.3", "4.2.1-SNAPSHOT"}) {
            assertNull(SparkInternals.untested(v), v);
            assertDoesNotThrow(() -> SessionSetup.checkSparkVersion(v, new SparkConf(false)));
        }
    }

    @Test
    void anUntestedSparkIsRefusedNamingVersionAndOverride() {
        for (String v : new String[] {"4.1.1", "4.3.0", "3.5.4", "4.20.0", "5.0.0-preview1"}) {
            BundleException e =
                    assertThrows(
                            BundleException.class,
                            () -> SessionSetup.checkSparkVersion(v, new SparkConf(false)),
                            v);
            assertEquals(Reason.UNSUPPORTED_CLASSPATH, e.reason());
            assertEquals(63, ScoringJob.exitCode(e), "an environment problem, not retryable");
            assertTrue(e.getMessage().startsWith("untested Spark " + v + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("tested with Spark 4.2.x"), e.getMessage());
            assertTrue(
                    e.getMessage().contains("--conf spark.tabscore.allowUntestedSpark=true"),
                    e.getMessage());
        }
    }

    @Test
    void theOverrideLetsAnUntestedSparkRun() {
        SparkConf allowed = new SparkConf(false).set(SparkInternals.ALLOW_UNTESTED, "true");
        assertDoesNotThrow(() -> SessionSetup.checkSparkVersion("4.3.0", allowed));
        SparkConf notAllowed = new SparkConf(false).set(SparkInternals.ALLOW_UNTESTED, "false");
        assertThrows(
                BundleException.class, () -> SessionSetup.checkSparkVersion("4.3.0", notAllowed));
    }

    @Test
    void theSparkOfThisBuildPassesInARealSession() {
        SparkSession spark = JobTesting.spark();
        // The check reads the version before a session exists; it must be the session's.
        assertEquals(spark.version(), SparkInternals.runningVersion());
        assertNull(SparkInternals.untested(spark.version()), spark.version());
        assertDoesNotThrow(
                () ->
                        SessionSetup.checkSparkVersion(
                                spark.version(), spark.sparkContext().getConf()));
    }

    /** What may name an internal class outside the seam (see SparkInternals' class comment). */
    private static final Set<String> ALLOWED =
            Set.of(
                    "org.apache.spark.sql.catalyst.InternalRow",
                    "GatedCommitProtocol.java:org.apache.spark.internal.io.FileCommitProtocol",
                    "GatedCommitProtocol.java:org.apache.spark.internal.io.FileNameSpec",
                    "IdentityParquetFormat.java:"
                            + "org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat",
                    "IdentityParquetFormat.java:"
                            + "org.apache.spark.sql.execution.datasources.OutputWriterFactory",
                    "IdentityWriterFactory.java:"
                            + "org.apache.spark.sql.execution.datasources.OutputWriterFactory",
                    "IdentityWriterFactory.java:"
                            + "org.apache.spark.sql.execution.datasources.OutputWriter",
                    "IdentityFileWriter.java:"
                            + "org.apache.spark.sql.execution.datasources.OutputWriter");

    private static final Pattern INTERNAL =
            Pattern.compile(
                    "org\\.apache\\.spark\\.(?:sql\\.(?:execution|catalyst|classic|internal)|internal)"
                            + "(?:\\.\\w+)+");

    @Test
    void sparkInternalsAreUsedOnlyThroughTheSeam() throws IOException {
        Path main = JobTesting.repoRoot().resolve("spark-job/src/main/java");
        List<String> offending = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String name = f.getFileName().toString();
                if (name.equals("SparkInternals.java")) {
                    continue;
                }
                Matcher m = INTERNAL.matcher(Files.readString(f));
                while (m.find()) {
                    if (!ALLOWED.contains(m.group()) && !ALLOWED.contains(name + ":" + m.group())) {
                        offending.add(main.relativize(f) + ": " + m.group());
                    }
                }
            }
        }
        assertTrue(offending.isEmpty(), "Spark internals outside SparkInternals: " + offending);
    }
}
