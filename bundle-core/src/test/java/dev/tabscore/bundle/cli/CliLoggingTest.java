package dev.tabscore.bundle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tabscore} CLI as a user runs it, in its own JVM (SLF4J binds once per JVM): its
 * libraries (Parquet, Hadoop, DJL) log through SLF4J to log4j2, so stderr carries no "SLF4J(W): No
 * SLF4J providers were found" and no Hadoop start-up noise, and stdout holds only the answer.
 */
class CliLoggingTest {

    private static final String SAMPLE = Path.of("..", "sample-data", "bundle").toString();

    @TempDir Path tmp;

    private record Result(int code, String out, String err) {}

    private Result cli(String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.offline=true",
                                "-cp",
                                System.getProperty("java.class.path"),
                                TabscoreCli.class.getName()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("LOG4J_CONFIGURATION_FILE");
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the CLI did not finish");
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void verifyPrintsItsAnswerOnStdoutAndNoSlf4jWarning() throws Exception {
        Result r = cli("bundle", "verify", SAMPLE);
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().startsWith("OK "), r.out());
        assertFalse(r.err().contains("SLF4J"), "stderr: " + r.err());
        assertFalse(r.err().contains("native-hadoop"), "stderr: " + r.err());
    }

    @Test
    void aBadModelIsAUsageErrorListingTheValidValues() throws Exception {
        Result r =
                cli(
                        "bundle",
                        "score",
                        SAMPLE,
                        "--input",
                        "x.parquet",
                        "--output",
                        tmp.resolve("o.parquet").toString(),
                        "--model",
                        "onnxx");
        assertEquals(ExitCodes.BAD_CONFIG, r.code(), r.toString());
        assertTrue(r.err().contains("Invalid value for option '--model'"), r.err());
        assertTrue(r.err().contains("[auto, state_dict, onnx, torchscript]"), r.err());
        assertFalse(r.err().contains("SLF4J"), r.err());

        r = cli("bundle", "verify", SAMPLE, "--device", "gpu-1");
        assertEquals(ExitCodes.BAD_CONFIG, r.code(), r.toString());
        assertTrue(
                r.err()
                        .contains(
                                "Invalid value for option '--device': device 'gpu-1' is not "
                                        + "one of auto, cpu, gpu, gpu:N"),
                r.err());
    }
}
