package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar against the real Spark distribution of the cluster tests ({@code
 * $SPARK_HOME/jars}, or pyspark's): no class of the jar is also a class of Spark's jars, outside
 * {@link #SHARED_ALLOWED}, so the cluster can never hand the job another version of a class it
 * carries; everything bundled lives in one of {@link #PACKAGES}, so a library added to the jar
 * without relocation fails here; and every ServiceLoader entry names a class of the jar (what the
 * relocation rewrote). docs/deployment.md, "The job jar".
 */
class JobJarClassesIT {

    /** Classes the jar may share with Spark's jars, each with the reason. None today. */
    static final Map<String, String> SHARED_ALLOWED = Map.of();

    /**
     * Where every class of the jar lives: ours (relocated libraries under dev/tabscore/shaded), and
     * DJL, JNA and ONNX Runtime, which cannot be relocated (their native code binds to these
     * names). protobuf-java (the ONNX allow-list) is relocated under dev/tabscore/shaded: vendor
     * images carry protobuf at other versions, and neither ONNX Runtime nor DJL uses it.
     */
    static final List<String> PACKAGES =
            List.of("dev/tabscore/", "ai/djl/", "com/sun/jna/", "ai/onnxruntime/");

    private static Path jar;
    private static Map<String, String> ours;

    @BeforeAll
    static void open() throws IOException {
        JobTesting.onlyInExecution("cluster-it");
        jar = Path.of(System.getProperty("tabscore.jobJar", "spark-job/target/tabscore-job.jar"));
        assertTrue(
                Files.isRegularFile(jar),
                "no job jar at "
                        + jar
                        + ": `mvn -pl spark-job -am "
                        + "verify` builds it before this test");
        ours = classes(jar);
    }

    @Test
    void theJobJarSharesNoClassWithTheSparkDistribution() throws Exception {
        Path sparkHome = ChildProcesses.findSparkHome();
        Assumptions.assumeTrue(
                sparkHome != null,
                "SKIPPED: no Spark distribution: set "
                        + "SPARK_HOME or `pip install pyspark==4.2.0`");
        Map<String, String> spark = new TreeMap<>();
        try (Stream<Path> jars = Files.list(sparkHome.resolve("jars"))) {
            for (Path j : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                spark.putAll(classes(j));
            }
        }
        // The comparison sees both sides: Spark's classes, and ours by their relocated names.
        assertTrue(spark.containsKey("org/apache/spark/SparkContext.class"), sparkHome.toString());
        assertTrue(spark.size() > 10_000, spark.size() + " classes in " + sparkHome);
        assertTrue(
                ours.containsKey("dev/tabscore/shaded/picocli/CommandLine.class"),
                "picocli relocated");

        List<String> shared = new ArrayList<>();
        for (String c : ours.keySet()) {
            if (spark.containsKey(c) && !SHARED_ALLOWED.containsKey(c)) {
                shared.add(c + " (Spark: " + spark.get(c) + ")");
            }
        }
        assertEquals(
                List.of(),
                shared.subList(0, Math.min(shared.size(), 40)),
                shared.size()
                        + " classes of "
                        + jar.getFileName()
                        + " are also in "
                        + sparkHome.resolve("jars")
                        + ": relocate them in spark-job/pom.xml or "
                        + "justify them in SHARED_ALLOWED");
    }

    @Test
    void everyBundledClassIsOursDjlOrJna() {
        Set<String> outside = new TreeSet<>();
        for (String c : ours.keySet()) {
            if (PACKAGES.stream().noneMatch(c::startsWith)) {
                outside.add(c.substring(0, c.lastIndexOf('/') + 1));
            }
        }
        assertEquals(
                Set.of(),
                outside,
                "packages in the job jar outside "
                        + PACKAGES
                        + ": relocate them under dev.tabscore.shaded (spark-job/pom.xml)");
        for (String lib :
                List.of(
                        "picocli/CommandLine",
                        "com/networknt/schema/JsonSchema",
                        "com/ethlo/time/ITU",
                        "com/fasterxml/jackson/dataformat/csv/CsvMapper",
                        "com/fasterxml/jackson/dataformat/yaml/YAMLMapper",
                        "org/yaml/snakeyaml/Yaml")) {
            assertTrue(ours.containsKey("dev/tabscore/shaded/" + lib + ".class"), lib);
        }
    }

    @Test
    void everyServiceEntryNamesAClassOfTheJar() throws IOException {
        Map<String, List<String>> services = new TreeMap<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().startsWith("META-INF/services/") && !entry.isDirectory()) {
                    try (InputStream in = z.getInputStream(entry)) {
                        services.put(
                                entry.getName(),
                                new String(in.readAllBytes(), StandardCharsets.UTF_8)
                                        .lines()
                                        .map(String::strip)
                                        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                                        .toList());
                    }
                }
            }
        }
        assertTrue(
                services.getOrDefault("META-INF/services/ai.djl.engine.EngineProvider", List.of())
                        .contains("ai.djl.pytorch.engine.PtEngineProvider"),
                services.toString());
        for (var s : services.entrySet()) {
            for (String impl : s.getValue()) {
                assertTrue(
                        ours.containsKey(impl.replace('.', '/') + ".class"),
                        s.getKey() + " names " + impl + ", which is not in the jar");
            }
        }
    }

    /** Class entries of a jar (multi-release ones by their class name) and the jar's name. */
    private static Map<String, String> classes(Path jarFile) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (ZipFile z = new ZipFile(jarFile.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                String n = e.nextElement().getName();
                if (n.endsWith(".class") && !n.endsWith("module-info.class")) {
                    out.put(
                            n.replaceFirst("^META-INF/versions/\\d+/", ""),
                            jarFile.getFileName().toString());
                }
            }
        }
        return out;
    }
}
