package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.testing.PandasCsv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every fixture bundle's golden batch (4 scikit-learn sets x 4 recipes): the preprocessor
 * read from {@code preprocessor.skops} must give {@code metadata.feature_names_out} exactly and, on
 * {@code golden_input.csv} read as pandas read it, every feature of {@code golden_output.csv} bit
 * for bit. The one exception is columns computed from {@code np.log1p} (regression-ordinal {@code
 * log__sqft}, {@code log__lot_size}): numpy's and the JDK's log1p may differ by an ulp, so those
 * cells are compared within 1e-14 absolute (FORMATS.md §6, fixtures/README.md §6).
 */
class GoldenFeaturesTest {

    private static final Path FIXTURES = Paths.get("src/test/resources/fixtures");
    private static final double UFUNC_ATOL = 1e-14;
    private static final List<String> SETS =
            List.of("sklearn-1.2.1", "sklearn-1.2.1-skops-0.9", "sklearn-1.6.1", "sklearn-1.9.1");
    private static final List<String> BUNDLES =
            List.of("seed-binary", "multiclass-softmax", "regression-ordinal", "infrequent-kbins");

    private static long exactCells;
    private static long toleranceCells;
    private static long toleranceCellsInexact;

    static Stream<Arguments> bundles() {
        return SETS.stream().flatMap(s -> BUNDLES.stream().map(b -> Arguments.of(s, b)));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("bundles")
    void replaysGoldenFeatures(String set, String bundle) throws IOException {
        Path dir = FIXTURES.resolve(set).resolve(bundle);
        JsonNode meta = new ObjectMapper().readTree(dir.resolve("metadata.json").toFile());
        Preprocessor pre =
                Preprocessor.load(
                        Files.readAllBytes(dir.resolve("preprocessor.skops")),
                        "preprocessor.skops");

        List<String> expectedNames = new ArrayList<>();
        meta.get("feature_names_out").forEach(n -> expectedNames.add(n.asText()));
        assertEquals(expectedNames, pre.featureNamesOut(), "feature_names_out");
        List<String> inputs = new ArrayList<>();
        meta.get("input_columns").forEach(n -> inputs.add(n.asText()));
        assertEquals(inputs, pre.inputColumns(), "input_columns");

        ColumnBatch in =
                PandasCsv.read(
                        dir.resolve("golden_input.csv"),
                        meta.get("versions").get("pandas").asText());
        TransformStats stats = new TransformStats();
        double[] got = pre.transform(in, stats);
        assertEquals(in.rowCount(), stats.rowCount());

        List<String> lines =
                Files.readAllLines(dir.resolve("golden_output.csv"), StandardCharsets.UTF_8);
        List<String> header = List.of(lines.get(0).split(",", -1));
        int d = pre.width();
        List<String> mismatches = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            String feature = expectedNames.get(j);
            int col = header.indexOf(feature);
            assertTrue(col >= 0, feature + " not in golden_output.csv");
            boolean ufunc = isLog1pFeature(bundle, feature);
            for (int r = 0; r < in.rowCount(); r++) {
                double expected = Double.parseDouble(lines.get(r + 1).split(",", -1)[col]);
                double actual = got[r * d + j];
                boolean exact = Double.compare(expected, actual) == 0;
                if (!ufunc) {
                    exactCells++;
                } else {
                    toleranceCells++;
                    toleranceCellsInexact += exact ? 0 : 1;
                }
                if (!exact && !(ufunc && Math.abs(expected - actual) <= UFUNC_ATOL)) {
                    mismatches.add(
                            "row "
                                    + r
                                    + ", "
                                    + feature
                                    + ": expected "
                                    + expected
                                    + ", got "
                                    + actual);
                }
            }
        }
        if (!mismatches.isEmpty()) {
            fail(
                    set
                            + "/"
                            + bundle
                            + ": "
                            + mismatches.size()
                            + " feature cells differ:\n"
                            + String.join(
                                    "\n", mismatches.subList(0, Math.min(40, mismatches.size()))));
        }
    }

    /** The log1p-derived features: the numeric columns of the regression bundle's log branch. */
    private static boolean isLog1pFeature(String bundle, String feature) {
        return bundle.equals("regression-ordinal")
                && feature.startsWith("log__")
                && !feature.startsWith("log__missingindicator_");
    }

    @AfterAll
    static void report() {
        System.out.println(
                "GoldenFeaturesTest: "
                        + exactCells
                        + " cells bit-exact, "
                        + toleranceCells
                        + " log1p cells within "
                        + UFUNC_ATOL
                        + " ("
                        + toleranceCellsInexact
                        + " of them not bit-exact)");
    }
}
