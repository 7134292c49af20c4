package dev.tabscore.job;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command lines and environments of a {@link LocalSparkCluster}'s processes: the master, the
 * worker (on 127.0.0.1, free ports) and {@code scripts/submit.sh}. Apart from the cluster so that
 * what is run reads apart from how it is started, waited for and stopped.
 */
final class ClusterCommands {

    private ClusterCommands() {}

    /** The master on 127.0.0.1:{@code port}, its web UI on a free port. */
    static List<String> master(Path sparkHome, int port) throws IOException {
        return List.of(
                sparkClass(sparkHome),
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--webui-port",
                String.valueOf(ChildProcesses.freePort()));
    }

    /** One worker of {@code cores} cores and 2 GB registering with {@code masterUrl}. */
    static List<String> worker(
            Path sparkHome, String masterUrl, int cores, Path workDir, List<String> extraArgs)
            throws IOException {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                sparkClass(sparkHome),
                                "org.apache.spark.deploy.worker.Worker",
                                masterUrl,
                                "--cores",
                                String.valueOf(cores),
                                "--memory",
                                "2g",
                                "--host",
                                "127.0.0.1",
                                "--webui-port",
                                String.valueOf(ChildProcesses.freePort()),
                                "--work-dir",
                                workDir.toString()));
        cmd.addAll(extraArgs);
        return cmd;
    }

    /** The environment of {@code scripts/submit.sh} with the shaded job jar {@code jar}. */
    static Map<String, String> submitEnvironment(Path sparkHome, Path jar) {
        String djlCache =
                System.getenv()
                        .getOrDefault(
                                "DJL_CACHE_DIR",
                                Path.of(System.getProperty("user.home"), ".djl.ai").toString());
        return Map.of(
                "SPARK_HOME",
                sparkHome.toString(),
                "SPARK_LOCAL_IP",
                "127.0.0.1",
                "TABSCORE_JAR",
                jar.toAbsolutePath().toString(),
                // The natives the unit tests already unpacked, when they did (DJL's default).
                "TABSCORE_DJL_CACHE_DIR",
                djlCache,
                "TABSCORE_EXECUTOR_OVERHEAD",
                "384m");
    }

    private static String sparkClass(Path sparkHome) {
        return sparkHome.resolve("bin").resolve("spark-class").toString();
    }
}
