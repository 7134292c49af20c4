package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit codes from real triggers, one per fault class an orchestrator branches on: a storage that
 * cannot be reached (60, retryable, not the bundle refusal 23 it used to be), a native library that
 * does not load (61, not the model refusal 27), an output-name collision (2, before any work, not a
 * retryable-looking failure inside Spark). The missing input (32) is in {@code JobRefusalsTest},
 * the publication failure (62) in {@link PublishFailureMatrixTest}.
 */
class ExitCodeTriggersTest {

    private static final Path ROOT = JobTesting.repoRoot();
    private static final Path BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final Path SAMPLE =
            ROOT.resolve("sample-data/input/snapshot=2026-11-01/part-0.parquet");

    @TempDir static Path tmp;

    @BeforeAll
    static void execution() {
        JobTesting.onlyInExecution("default-test");
    }

    @Test
    void aColumnNamedLikeAnOutputColumnIsAConfigErrorBeforeAnyWork() {
        // In any letter case: Spark resolves names case-insensitively by default.
        for (String name : List.of("run_id", "Run_ID")) {
            Path in = tmp.resolve("with-" + name);
            JobTesting.spark()
                    .read()
                    .parquet(SAMPLE.toString())
                    .withColumn(name, functions.lit("upstream"))
                    .write()
                    .parquet(in.toString());
            Path out = tmp.resolve("collision-out-" + name);
            JobTesting.Run run =
                    JobTesting.run(
                            JobTesting.localArgs(
                                    "--bundle",
                                    BUNDLE.toString(),
                                    "--input",
                                    in.toString(),
                                    "--id-col",
                                    "customer_id",
                                    "--passthrough-col",
                                    name,
                                    "--output",
                                    out.toString()));
            assertEquals(ExitCodes.BAD_CONFIG, run.exitCode(), run.toString());
            assertTrue(
                    run.err()
                            .contains(
                                    "id/passthrough columns ["
                                            + name
                                            + "] have the names of "
                                            + "columns the job writes"),
                    run.err());
            assertTrue(!Files.exists(out), "a config error writes nothing into the output");
        }
    }

    @Test
    void anUnreachableObjectStoreIsRetryableIoNotABundleRefusal() throws Exception {
        // Nothing listens on port 9 (discard) here: the connection is refused at once.
        Path out = tmp.resolve("io-out");
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bundle",
                                "s3a://models/churn/1.0.0",
                                "--input",
                                SAMPLE.toString(),
                                "--id-col",
                                "customer_id",
                                "--output",
                                out.toString(),
                                "--run-id",
                                "io",
                                "--master",
                                "local[1]",
                                "--summary",
                                tmp.resolve("io-summary.json").toString()));
        for (String kv :
                List.of(
                        "fs.s3a.endpoint=http://127.0.0.1:9",
                        "fs.s3a.path.style.access=true",
                        "fs.s3a.access.key=AKIAFAKE",
                        "fs.s3a.secret.key=fake",
                        "fs.s3a.endpoint.region=us-east-1",
                        "fs.s3a.attempts.maximum=1",
                        "fs.s3a.retry.limit=1",
                        "fs.s3a.retry.interval=10ms",
                        "fs.s3a.connection.establish.timeout=2s",
                        "fs.s3a.connection.timeout=2s")) {
            args.add("--conf");
            args.add("spark.hadoop." + kv);
        }
        Path log = tmp.resolve("io.log");
        Process p = dev.tabscore.job.storage.JobProcess.start(args, log);
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), Files.readString(log));
        String output = Files.readString(log);
        assertEquals(Reason.IO_ERROR.exitCode(), p.exitValue(), output);
        assertTrue(output.contains("bundle s3a://models/churn/1.0.0 cannot be reached"), output);
        JsonNode s = JobTesting.summary(tmp.resolve("io-summary.json"));
        assertEquals("IO_ERROR", s.path("reason").asText());
        assertTrue(s.path("retryable").asBoolean());
        JsonNode record = JobTesting.summary(out.resolve("_tabscore_runs/io/summary.json"));
        assertEquals(Reason.IO_ERROR.exitCode(), record.path("exit_code").asInt());
    }

    @Test
    void aNativeLibraryThatCannotLoadIsRetryableNotAModelRefusal() throws Exception {
        // libtorch is extracted from the native jar into the engine cache: a cache directory
        // that cannot be created (under a regular file) fails the load as a noexec or full
        // temp directory would.
        Path notADir = Files.writeString(tmp.resolve("not-a-dir"), "");
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.offline=true",
                                "-DENGINE_CACHE_DIR=" + notADir.resolve("cache"),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "dev.tabscore.bundle.cli.TabscoreCli",
                                "bundle",
                                "verify",
                                BUNDLE.toString()));
        Path log = tmp.resolve("native.log");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), Files.readString(log));
        String output = Files.readString(log);
        assertEquals(Reason.NATIVE_LIBRARY.exitCode(), p.exitValue(), output);
        assertTrue(output.contains("the DJL PyTorch engine did not start"), output);
        assertTrue(Reason.NATIVE_LIBRARY.retryable() && !Reason.MODEL_INVALID.retryable());
    }
}
