package dev.tabscore.job.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code dev.tabscore.job.ScoringJob} in a child JVM with the test classpath, as a scheduler
 * would: its exit code, and everything it printed (logs included), are what the test checks.
 */
public final class JobProcess {

    /** What a run left behind. */
    record Result(int exitCode, String output) {}

    private JobProcess() {}

    static Result run(Path workDir, List<String> args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(workDir, "job", ".log");
        Process p = start(args, log);
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(
                    "the job did not finish within 240 s:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    /**
     * Starts the job in a child JVM (for tests that kill it).
     *
     * @param args the job's command line
     * @param log where its output goes
     * @return the process
     * @throws IOException if it cannot start
     */
    public static Process start(List<String> args, Path log) throws IOException {
        return start(List.of(), System.getProperty("java.class.path"), args, log);
    }

    /**
     * Starts the job in a child JVM with more JVM options and a class path of its own.
     *
     * @param jvmOptions options after the module options (e.g. an AppCDS archive)
     * @param classPath the child's class path
     * @param args the job's command line
     * @param log where its output goes
     * @return the process
     * @throws IOException if it cannot start
     */
    public static Process start(
            List<String> jvmOptions, String classPath, List<String> args, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(moduleOptions());
        cmd.add("-Xmx1g");
        cmd.add("-Dai.djl.offline=true");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add("dev.tabscore.job.ScoringJob");
        cmd.addAll(args);
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        return pb.start();
    }

    /** The JVM options spark-submit passes (conf/java-module-options, one per line). */
    static List<String> moduleOptions() throws IOException {
        Path f = Path.of("..", "conf", "java-module-options");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(f)) {
            if (!line.isBlank()) {
                out.add(line.trim());
            }
        }
        return out;
    }
}
