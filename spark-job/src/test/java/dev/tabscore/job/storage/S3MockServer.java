package dev.tabscore.job.storage;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real S3 implementation on 127.0.0.1 for tests: Adobe S3Mock's Spring Boot exec jar, started as
 * a child JVM (in-process S3Mock clashes with Spark's classpath; ../shared/design/STACK.md), with a
 * fresh store directory, free ports and a bounded start-up wait. {@link #close()} kills it.
 */
public final class S3MockServer implements AutoCloseable {

    private final Process process;
    private final int httpPort;
    private final Path log;

    private S3MockServer(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Starts S3Mock with the given buckets and waits (at most 90 s) until it answers.
     *
     * @param workDir a fresh directory for the store and the log
     * @param buckets the buckets to create
     * @return the running server
     * @throws IOException if it does not start
     */
    public static S3MockServer start(Path workDir, String... buckets) throws IOException {
        Path jar =
                Path.of(System.getProperty("tabscore.s3mockJar", "target/s3mock/s3mock-exec.jar"));
        if (!Files.exists(jar)) {
            throw new IOException(
                    "S3Mock exec jar not found at "
                            + jar
                            + " (Maven copies it in generate-test-resources: run the tests through Maven)");
        }
        int http = freePort();
        int https = freePort();
        Path log = workDir.resolve("s3mock.log");
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx512m",
                                "-jar",
                                jar.toString(),
                                "--server.address=127.0.0.1",
                                "--server.port=" + https,
                                "--com.adobe.testing.s3mock.httpPort=" + http,
                                "--com.adobe.testing.s3mock.store.root=" + workDir.resolve("store"),
                                "--com.adobe.testing.s3mock.store.initialBuckets="
                                        + String.join(",", buckets),
                                "--spring.main.banner-mode=off"));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        Process p = pb.start();
        S3MockServer server = new S3MockServer(p, http, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException(
                        "S3Mock exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            if (server.answers()) {
                return server;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.close();
        throw new IOException("S3Mock did not answer within 90 s: " + Files.readString(log));
    }

    private boolean answers() {
        try {
            HttpURLConnection c =
                    (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Returns the HTTP endpoint.
     *
     * @return e.g. {@code http://127.0.0.1:34567}
     */
    public String endpoint() {
        return "http://127.0.0.1:" + httpPort;
    }

    /**
     * Returns the Hadoop settings that point s3a at this server with the given credentials.
     *
     * @param accessKey the access key to send
     * @param secretKey the secret key to send
     * @return the settings (keys without the {@code spark.hadoop.} prefix)
     */
    public Map<String, String> s3aSettings(String accessKey, String secretKey) {
        return Map.of(
                "fs.s3a.endpoint",
                endpoint(),
                "fs.s3a.endpoint.region",
                "us-east-1",
                "fs.s3a.path.style.access",
                "true",
                "fs.s3a.connection.ssl.enabled",
                "false",
                "fs.s3a.aws.credentials.provider",
                "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "fs.s3a.access.key",
                accessKey,
                "fs.s3a.secret.key",
                secretKey,
                "fs.s3a.attempts.maximum",
                "2",
                "fs.s3a.retry.limit",
                "2");
    }

    /**
     * Returns the server's log (for failure messages).
     *
     * @return the log text
     */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the server and waits for it to exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
