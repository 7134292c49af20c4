package dev.tabscore.job.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.io.HadoopDefaults;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code gs://} through Google's gcs-connector 4.0.4 (shaded) with tabscore's Hadoop defaults
 * ({@link HadoopDefaults}), against {@code gcp-storage-emulator} (PyPI) on 127.0.0.1, run from
 * {@code .venv-gcs} (created by {@code python3 -m venv .venv-gcs && .venv-gcs/bin/pip install
 * gcp-storage-emulator}; the test skips, saying so, when it is absent and cannot be created). The
 * emulator serves the reads the bundle needs (object metadata, listing, media download); it has no
 * {@code objects.moveTo} and no {@code storageLayout}, which the connector's rename (hence any
 * committer) uses, so Spark writes to gs are not tested here.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GcsScoringTest {

    private static final Path ROOT =
            Path.of(System.getProperty("tabscore.repoRoot", "..")).toAbsolutePath().normalize();
    private static final Path SAMPLE_BUNDLE = ROOT.resolve("sample-data/bundle");
    private static final String BUCKET = "tabscore";

    private static Process emulator;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        String exec = System.getProperty("tabscore.surefireExecution");
        Assumptions.assumeTrue(exec == null || exec.equals("default-test"), "default-test only");
        Path venv = ROOT.resolve(".venv-gcs");
        Path bin = venv.resolve("bin/gcp-storage-emulator");
        if (!Files.isExecutable(bin)) {
            // Bounded: a machine without the package index skips the test.
            Process p =
                    new ProcessBuilder(
                                    "bash",
                                    "-c",
                                    "python3 -m venv .venv-gcs && "
                                            + ".venv-gcs/bin/pip install -q gcp-storage-emulator")
                            .directory(ROOT.toFile())
                            .redirectErrorStream(true)
                            .start();
            boolean done = p.waitFor(90, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Assumptions.assumeTrue(
                    done && p.exitValue() == 0 && Files.isExecutable(bin),
                    "no GCS emulator: cannot create .venv-gcs with gcp-storage-emulator: " + out);
        }
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        emulator =
                new ProcessBuilder(
                                bin.toString(),
                                "start",
                                "--host",
                                "127.0.0.1",
                                "--port",
                                String.valueOf(port),
                                "--default-bucket",
                                BUCKET,
                                "--in-memory",
                                "-q")
                        .redirectErrorStream(true)
                        .redirectOutput(Files.createTempFile("gcs-emulator", ".log").toFile())
                        .start();
        // HTTP/1.1 only: the emulator's server does not answer the h2c upgrade the JDK client
        // would otherwise attempt, and then drops the connection ("received no bytes").
        HttpClient http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2))
                        .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + port
                                                                + "/storage/v1/b/"
                                                                + BUCKET))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (System.nanoTime() > deadline || !emulator.isAlive()) {
                throw new IllegalStateException("GCS emulator did not start on port " + port);
            }
            Thread.sleep(200);
        }
        upload(http, SAMPLE_BUNDLE, "bundles/churn");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (emulator != null) {
            emulator.destroy();
            if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
                emulator.destroyForcibly();
            }
        }
    }

    private static void upload(HttpClient http, Path dir, String prefix) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String name = prefix + "/" + dir.relativize(p).toString().replace('\\', '/');
                HttpRequest request =
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + port
                                                        + "/upload/storage/v1/b/"
                                                        + BUCKET
                                                        + "/o?uploadType=media&name="
                                                        + URLEncoder.encode(
                                                                name, StandardCharsets.UTF_8)))
                                .header("Content-Type", "application/octet-stream")
                                .POST(HttpRequest.BodyPublishers.ofFile(p))
                                .build();
                HttpResponse<String> r = null;
                for (int attempt = 1; r == null; attempt++) {
                    try {
                        r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    } catch (IOException e) {
                        if (attempt >= 3) {
                            throw e; // a bounded retry: the emulator drops a connection now and
                            // then
                        }
                        Thread.sleep(300L * attempt);
                    }
                }
                assertEquals(200, r.statusCode(), "upload " + name + ": " + r.body());
            }
        }
    }

    /** The connector's settings for the emulator, on top of tabscore's defaults. */
    static Configuration conf() {
        Configuration c = HadoopDefaults.newConfiguration();
        c.set("fs.gs.storage.root.url", "http://127.0.0.1:" + port + "/");
        c.set("fs.gs.auth.type", "UNAUTHENTICATED");
        c.set("fs.gs.project.id", "test");
        c.setBoolean("fs.gs.impl.disable.cache", true);
        return c;
    }

    @Test
    void defaultsReplaceHadoopsGsSettingsButKeepTheUsers() {
        Configuration plain = new Configuration();
        assertEquals("64m", plain.get("fs.gs.block.size"), "Hadoop 3.5.0's own default");
        Configuration c = HadoopDefaults.apply(new Configuration());
        assertEquals("com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem", c.get("fs.gs.impl"));
        assertEquals(String.valueOf(64L << 20), c.get("fs.gs.block.size"));
        assertEquals(
                "org.apache.hadoop.mapreduce.lib.output.FileOutputCommitterFactory",
                c.get("mapreduce.outputcommitter.factory.scheme.gs"));
        Configuration user = new Configuration();
        user.set("fs.gs.block.size", "1048576");
        user.set("fs.gs.impl", "org.apache.hadoop.fs.gs.GoogleHadoopFileSystem.Custom");
        HadoopDefaults.apply(user);
        assertEquals("1048576", user.get("fs.gs.block.size"));
        assertEquals(
                "org.apache.hadoop.fs.gs.GoogleHadoopFileSystem.Custom", user.get("fs.gs.impl"));
    }

    @Test
    void bundleOpensAndVerifiesFromGs() {
        String expected;
        try (Bundle local =
                Bundle.open(SAMPLE_BUNDLE.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            expected = local.digest();
        }
        try (Bundle b =
                Bundle.open(
                        "gs://" + BUCKET + "/bundles/churn",
                        BundleOptions.defaults()
                                .withHadoopConf(conf())
                                .withDevice("cpu")
                                .withExpectDigest(expected))) {
            assertEquals(expected, b.digest());
            assertTrue(b.uri().startsWith("gs://"), b.uri());
        }
    }

    @Test
    void anExecutorsHadoopConfigurationOpensTheBundleAsTheDriverDid() {
        // What an executor JVM gets: only the spark.hadoop.* settings the job passed, turned into
        // a Hadoop configuration by Spark, then tabscore's gs defaults (the driver's session has
        // them; an executor's fresh configuration had not, and Hadoop 3.5's own gs settings do
        // not load the connector).
        org.apache.spark.SparkConf executor = new org.apache.spark.SparkConf(false);
        java.util.Map<String, String> gs = new java.util.TreeMap<>();
        conf().forEach(
                        e -> {
                            if (e.getKey().startsWith("fs.gs.storage.root.url")
                                    || e.getKey().equals("fs.gs.auth.type")
                                    || e.getKey().equals("fs.gs.project.id")
                                    || e.getKey().equals("fs.gs.impl.disable.cache")) {
                                gs.put(e.getKey(), e.getValue());
                            }
                        });
        gs.forEach((k, v) -> executor.set("spark.hadoop." + k, v));
        Configuration c = dev.tabscore.job.spark.ExecutorBundles.hadoopConf(executor);
        assertEquals("com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem", c.get("fs.gs.impl"));
        try (Bundle b =
                Bundle.open(
                        "gs://" + BUCKET + "/bundles/churn",
                        BundleOptions.defaults().withHadoopConf(c).withDevice("cpu"))) {
            assertTrue(b.digest().startsWith("sha256:"), b.digest());
        }
    }

    @Test
    void listsWhatWasUploaded() throws IOException {
        org.apache.hadoop.fs.Path dir =
                new org.apache.hadoop.fs.Path("gs://" + BUCKET + "/bundles/churn");
        org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(conf());
        assertEquals(
                "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem", fs.getClass().getName());
        List<String> names =
                Stream.of(fs.listStatus(dir)).map(s -> s.getPath().getName()).sorted().toList();
        assertTrue(names.contains("manifest.json") && names.contains("golden"), names.toString());
    }
}
