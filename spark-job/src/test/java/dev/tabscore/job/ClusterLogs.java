package dev.tabscore.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The logs of a {@link LocalSparkCluster} under its directory: the master's and the worker's
 * ({@code *.log}), the submits' ({@code *.out}, {@code *.err}) and the executors' ({@code
 * work/<app>/<executor>/stderr}). Apart from the cluster so that starting and stopping processes
 * and reading what they wrote are separate.
 */
final class ClusterLogs {

    private ClusterLogs() {}

    /**
     * The executors' stderr logs, by {@code <app>/<executor>}.
     *
     * @param dir the cluster's directory
     * @return the logs' text
     */
    static Map<String, String> executorLogs(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir.resolve("work"))) {
            for (Path p : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
                Path rel = dir.resolve("work").relativize(p.getParent());
                try {
                    out.put(rel.toString(), Files.readString(p));
                } catch (IOException e) {
                    out.put(rel.toString(), ""); // being created
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Tails of the cluster's, the submits' and the executors' logs, for failure messages.
     *
     * @param dir the cluster's directory
     * @return the last 3000 characters of each log, under its relative path
     */
    static String tails(Path dir) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> top = Files.list(dir)) {
            top.filter(
                            f ->
                                    f.toString().endsWith(".log")
                                            || f.toString().endsWith(".err")
                                            || f.toString().endsWith(".out"))
                    .sorted()
                    .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> executorLogs = Files.walk(dir.resolve("work"))) {
            executorLogs
                    .filter(f -> f.getFileName().toString().equals("stderr"))
                    .sorted()
                    .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder b = new StringBuilder();
        for (Path p : files) {
            try {
                String s = Files.readString(p);
                b.append("--- ")
                        .append(dir.relativize(p))
                        .append(" (tail):\n")
                        .append(s.length() > 3000 ? s.substring(s.length() - 3000) : s)
                        .append('\n');
            } catch (IOException e) {
                b.append("--- ").append(dir.relativize(p)).append(": ").append(e).append('\n');
            }
        }
        return b.toString();
    }
}
