package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.manifest.Manifest;
import dev.tabscore.bundle.manifest.ManifestFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job in Spark {@code local[2]}, in this JVM, on each of the 16 sealed fixture bundles
 * (bundle-core/src/test/resources/sealed, several scikit-learn releases) and on the bundles whose
 * feature names repeat: every output row against the bundle's golden output, and the run's identity
 * columns and row counts.
 */
@ExtendWith(LocalJobSession.class)
class FixtureBundlesJobTest {

    private static final Path SEALED =
            JobTesting.repoRoot().resolve("bundle-core/src/test/resources/sealed");

    @TempDir static Path tmp;

    static Stream<Path> fixtures() throws Exception {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> sets = Files.list(SEALED)) {
            for (Path set : sets.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> recipes = Files.list(set)) {
                    recipes.filter(p -> Files.isRegularFile(p.resolve("manifest.json")))
                            .sorted()
                            .forEach(dirs::add);
                }
            }
        }
        assertEquals(16, dirs.size(), "sealed fixture bundles under " + SEALED + ": " + dirs);
        return dirs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureBundleMatchesGoldenOutput(Path bundle) {
        matchesGoldenOutput(bundle, bundle.getParent().getFileName() + "/" + bundle.getFileName());
    }

    /**
     * A bundle whose get_feature_names_out() repeats a name (the one-hot categories 'nan' and NaN
     * both c__city_nan; PolynomialFeatures' 'x y' twice, through a PowerTransformer): the job
     * scores the features by position and matches the golden output.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sklearn-1.9.1/ohe", "sklearn-1.2.2/poly-approx"})
    void duplicateFeatureNamesBundleMatchesGoldenOutput(String which) {
        Path bundle =
                JobTesting.repoRoot()
                        .resolve("bundle-core/src/test/resources/duplicate-names")
                        .resolve(which)
                        .resolve("bundle");
        List<String> names = JobTesting.manifest(bundle).manifest().features().names();
        assertTrue(new java.util.HashSet<>(names).size() < names.size(), names.toString());
        matchesGoldenOutput(bundle, "duplicate-names/" + which);
    }

    private void matchesGoldenOutput(Path bundle, String name) {
        Path work = tmp.resolve("fixtures").resolve(name.replace('/', '_'));
        SparkSession spark = JobTesting.spark();
        PredictionChecks.withRowIndex(spark, bundle.resolve("golden/input.parquet"))
                .write()
                .parquet(work.resolve("input").toString());
        Path out = work.resolve("out");
        String runId = "it-" + name.replace('/', '-');

        JobTesting.Run run =
                JobTesting.run(
                        JobTesting.localArgs(
                                "--bundle",
                                bundle.toString(),
                                "--input",
                                work.resolve("input").toString(),
                                "--id-col",
                                "id",
                                "--output",
                                out.toString(),
                                "--batch-size",
                                "16",
                                "--run-id",
                                runId));
        assertEquals(ExitCodes.OK, run.exitCode(), name + ": " + run);

        ManifestFile mf = JobTesting.manifest(bundle);
        Manifest m = mf.manifest();
        List<String> numeric = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        switch (m.task()) {
            case BINARY -> numeric.add("prob");
            case MULTICLASS -> {
                m.classLabels().forEach(c -> numeric.add("prob_" + c));
                strings.add("label");
            }
            case REGRESSION -> numeric.add("prediction");
        }
        List<String> cols = new ArrayList<>(List.of("id"));
        cols.addAll(numeric);
        cols.addAll(strings);
        Dataset<Row> scored = spark.read().parquet(out.toString());
        Dataset<Row> golden =
                PredictionChecks.withRowIndex(spark, bundle.resolve("golden/output.parquet"));
        double maxDiff =
                PredictionChecks.assertMatches(
                        name,
                        scored.selectExpr(cols.toArray(new String[0])),
                        golden.selectExpr(cols.toArray(new String[0])),
                        "id",
                        numeric,
                        strings);
        System.out.println(name + ": max |java - python| = " + maxDiff);

        List<Row> identity =
                scored.select("bundle_name", "bundle_version", "bundle_digest", "run_id")
                        .distinct()
                        .collectAsList();
        assertEquals(1, identity.size(), name + ": " + identity);
        assertEquals(
                List.of(m.name(), m.version(), mf.digest(), runId),
                List.of(
                        identity.get(0).getString(0), identity.get(0).getString(1),
                        identity.get(0).getString(2), identity.get(0).getString(3)));
        JsonNode summary = JobTesting.summary(out.resolve("_tabscore_summary.json"));
        assertEquals(m.golden().rows(), summary.at("/rows/in").asLong(), name);
        assertEquals(m.golden().rows(), summary.at("/rows/scored").asLong(), name);
    }
}
