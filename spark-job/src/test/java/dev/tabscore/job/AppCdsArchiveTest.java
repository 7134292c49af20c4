package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.job.storage.JobProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's AppCDS archive (scripts/appcds.sh, issue 18) is a start-up cache and nothing more: a
 * training run writes it, a run with it maps it (under {@code -Xshare:on}, which refuses to start
 * otherwise), and a stale archive (a rebuilt jar) or a corrupt one only loses the speed: the job
 * scores the same rows. Each case is a real child JVM running {@link ScoringJob} on the sample
 * data, as run-local.sh runs it.
 */
class AppCdsArchiveTest {

    private static final Path SAMPLE = JobTesting.repoRoot().resolve("sample-data/input");

    @TempDir Path tmp;

    @Test
    void aMissingStaleOrCorruptArchiveCostsSpeedNeverTheResult() throws Exception {
        String cp = jarClassPath();
        Path archive = tmp.resolve("job.jsa");

        // Missing: this run is the training run and writes the archive at exit.
        int trained =
                score(
                        "train",
                        cp,
                        List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds*=off"),
                        null);
        assertTrue(Files.size(archive) > 0, "no archive written at " + archive);

        // Present and current: -Xshare:on makes the JVM refuse to start unless it maps it.
        assertEquals(
                trained,
                score("use", cp, List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"), null));

        // Stale: a jar of the class path changed after the archive was written (a rebuild).
        Path jar = Path.of(cp.split(":")[0]);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertEquals(
                trained,
                score(
                        "stale",
                        cp,
                        List.of("-XX:SharedArchiveFile=" + archive),
                        "Unable to use shared archive"));

        // Corrupt: not an archive at all.
        byte[] noise = new byte[64 * 1024];
        new Random(18).nextBytes(noise);
        Path corrupt = Files.write(tmp.resolve("corrupt.jsa"), noise);
        assertEquals(
                trained, score("corrupt", cp, List.of("-XX:SharedArchiveFile=" + corrupt), null));
    }

    /** Runs the job; asserts it succeeded (and printed {@code expect}); returns rows scored. */
    private int score(String name, String cp, List<String> jvm, String expect) throws Exception {
        Path out = tmp.resolve("out-" + name);
        Path summary = tmp.resolve(name + "-summary.json");
        Path log = tmp.resolve(name + ".log");
        Process p =
                JobProcess.start(
                        jvm,
                        cp,
                        List.of(
                                "--bundle",
                                JobTesting.repoRoot().resolve("sample-data/bundle").toString(),
                                "--input",
                                SAMPLE.toString(),
                                "--id-col",
                                "customer_id",
                                "--output",
                                out.toString(),
                                "--run-id",
                                name,
                                "--master",
                                "local[1]",
                                "--summary",
                                summary.toString(),
                                "--conf",
                                "spark.ui.enabled=false"),
                        log);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), name + ": " + Files.readString(log));
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), name + ": " + output);
        if (expect != null) {
            assertTrue(output.contains(expect), name + ": no '" + expect + "' in " + output);
        }
        JsonNode s = JobTesting.summary(summary);
        assertEquals("ok", s.path("status").asText(), name);
        assertEquals(
                s.at("/rows/in").asInt(),
                s.at("/rows/scored").asInt() + s.at("/rows/rejected").asInt(),
                name);
        return s.at("/rows/scored").asInt();
    }

    /**
     * The test class path with every class directory packed into a jar: the JDK archives classes
     * from jars only (a non-empty directory on the class path disables the dump). The job's own
     * classes come first, so the stale case can touch that jar.
     */
    private String jarClassPath() throws IOException {
        List<String> jars = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(":")) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                if (!p.getFileName().toString().equals("test-classes")) {
                    jars.add(pack(p, tmp.resolve("classes-" + jars.size() + ".jar")).toString());
                }
            } else if (Files.exists(p)) {
                rest.add(e);
            }
        }
        jars.addAll(rest);
        return String.join(":", jars);
    }

    private static Path pack(Path dir, Path jar) throws IOException {
        try (OutputStream o = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(o);
                Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
        return jar;
    }
}
