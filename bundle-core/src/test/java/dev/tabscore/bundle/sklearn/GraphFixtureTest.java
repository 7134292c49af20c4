package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The ColumnTransformer / Pipeline surface on real files: every case under {@code
 * src/test/resources/graphs/sklearn-<version>/} was fitted and written by that scikit-learn release
 * ({@code make_graphs.py}), and its fresh rows (not the training rows) transformed by it. A
 * supported case must load, give scikit-learn's {@code get_feature_names_out()} and every feature
 * bit for bit (the dense equivalent when scikit-learn returned a sparse matrix); a refused case
 * must be refused at load with the expected exit code and message.
 */
class GraphFixtureTest {

    private static final Path GRAPHS = Paths.get("src/test/resources/graphs");

    private static long cells;
    private static int scored;
    private static int refused;

    static Stream<Arguments> cases() throws IOException {
        return FixtureSets.cases(GRAPHS);
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("cases")
    void matchesScikitLearnOnFreshRows(String set, String name) throws IOException {
        Path dir = GRAPHS.resolve(set).resolve(name);
        JsonNode c = new ObjectMapper().readTree(dir.resolve("case.json").toFile());
        byte[] skops = Files.readAllBytes(dir.resolve("preprocessor.skops"));
        if (FixtureSets.refusedAsExpected(c, skops)) {
            refused++;
            return;
        }
        Preprocessor pre = Preprocessor.load(skops, "preprocessor.skops");
        List<String> lines =
                Files.readAllLines(dir.resolve("features.csv"), StandardCharsets.UTF_8);
        assertEquals(List.of(lines.get(0).split(",", -1)), pre.featureNamesOut(), "feature names");
        ColumnBatch in = PandasCsv.read(dir.resolve("input.csv"), c.get("pandas").asText());
        double[] got = pre.transform(in, new TransformStats());
        int d = pre.width();
        List<String> mismatches = new ArrayList<>();
        for (int r = 0; r < in.rowCount(); r++) {
            String[] row = lines.get(r + 1).split(",", -1);
            assertEquals(d, row.length, "width of features.csv row " + r);
            for (int j = 0; j < d; j++) {
                double expected = parse(row[j]);
                double actual = got[r * d + j];
                if (Double.compare(expected, actual) != 0) {
                    mismatches.add(
                            "row "
                                    + r
                                    + ", "
                                    + pre.featureNamesOut().get(j)
                                    + ": expected "
                                    + row[j]
                                    + ", got "
                                    + actual);
                }
                cells++;
            }
        }
        if (!mismatches.isEmpty()) {
            fail(
                    set
                            + "/"
                            + name
                            + ": "
                            + mismatches.size()
                            + " cells differ:\n"
                            + String.join(
                                    "\n", mismatches.subList(0, Math.min(20, mismatches.size()))));
        }
        scored++;
    }

    /** Python's repr of a float. */
    static double parse(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    @AfterAll
    static void report() {
        System.out.println(
                "GraphFixtureTest: "
                        + scored
                        + " graphs scored, "
                        + cells
                        + " cells bit-exact; "
                        + refused
                        + " refused as expected");
    }
}
