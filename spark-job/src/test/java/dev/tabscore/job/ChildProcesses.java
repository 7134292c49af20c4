package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The child processes of the cluster tests ({@link LocalSparkCluster}, the *IT tests): finding the
 * Spark distribution, a free port, bounded waits for a port or a log line, stopping a process with
 * its descendants, and finding a worker's executor JVMs.
 */
final class ChildProcesses {

    private ChildProcesses() {}

    /** Ends a process: SIGTERM, then SIGKILL; then any descendant still alive. */
    static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        // Executor JVMs the worker launched, should its shutdown not have ended them.
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroyForcibly();
            }
        }
    }

    /**
     * Returns a free TCP port on 127.0.0.1.
     *
     * @return the port
     * @throws IOException if none can be bound
     */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /**
     * Waits until a child process listens on a local port.
     *
     * @param port the port on 127.0.0.1
     * @param p the process, which must stay alive meanwhile
     * @param what names it in the failure
     * @param timeout how long to wait
     * @param logs the logs to show on failure
     * @throws Exception if interrupted
     */
    static void awaitPort(int port, Process p, String what, Duration timeout, Supplier<String> logs)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail(what + " exited with " + p.exitValue() + "\n" + logs.get());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        fail(
                what
                        + " did not listen on 127.0.0.1:"
                        + port
                        + " within "
                        + timeout
                        + "\n"
                        + logs.get());
    }

    /**
     * Waits until a child process's log file holds a line.
     *
     * @param log the log file
     * @param line the text to find
     * @param p the process, which must stay alive meanwhile
     * @param what names it in the failure
     * @param timeout how long to wait
     * @param logs the logs to show on failure
     * @throws Exception if interrupted or the log is unreadable
     */
    static void awaitLog(
            Path log, String line, Process p, String what, Duration timeout, Supplier<String> logs)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail(what + " exited with " + p.exitValue() + "\n" + logs.get());
            }
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(250);
        }
        fail(what + " did not log '" + line + "' within " + timeout + "\n" + logs.get());
    }

    /**
     * Finds the Spark distribution the cluster tests use: {@code $SPARK_HOME}, else pyspark's.
     *
     * @return its directory, or null when there is none
     * @throws Exception if asking Python fails unexpectedly
     */
    static Path findSparkHome() throws Exception {
        String env = System.getenv("SPARK_HOME");
        if (env != null && Files.isExecutable(Path.of(env, "bin", "spark-submit"))) {
            return Path.of(env);
        }
        Process p;
        try {
            p =
                    new ProcessBuilder(
                                    "python3",
                                    "-c",
                                    "import os, pyspark; print(os.path.dirname(pyspark.__file__))")
                            .redirectErrorStream(true)
                            .start();
        } catch (IOException e) {
            return null;
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        String home = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.exitValue() == 0 && Files.isExecutable(Path.of(home, "bin", "spark-submit"))
                ? Path.of(home)
                : null;
    }

    /**
     * The executor JVMs alive now among a worker's descendants, by Spark executor id.
     *
     * @param worker the worker process
     * @return executor id to process
     */
    static Map<String, ProcessHandle> executors(Process worker) {
        Map<String, ProcessHandle> out = new TreeMap<>();
        worker.descendants()
                .filter(ProcessHandle::isAlive)
                .forEach(
                        h -> {
                            Optional<String[]> args = h.info().arguments();
                            String cmd = h.info().commandLine().orElse("");
                            if (args.isEmpty() || !cmd.contains("CoarseGrainedExecutorBackend")) {
                                return;
                            }
                            String[] a = args.get();
                            for (int i = 0; i + 1 < a.length; i++) {
                                if (a[i].equals("--executor-id")) {
                                    out.put(a[i + 1], h);
                                }
                            }
                        });
        return out;
    }
}
