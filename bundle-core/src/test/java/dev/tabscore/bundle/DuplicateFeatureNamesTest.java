package dev.tabscore.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.cli.TabscoreCli;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.manifest.FeatureColumns;
import dev.tabscore.bundle.sklearn.Preprocessor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundles whose {@code get_feature_names_out()} repeats a name (duplicate-names/
 * make_duplicate_names.py; scikit-learn 1.2.2, 1.6.1 and 1.9.1): a one-hot category 'nan' next to
 * NaN, 'None' next to None, two columns' categories that join alike, PolynomialFeatures over a
 * column named like a product (through a ufunc and through a PowerTransformer), a ColumnTransformer
 * format without the branch name. The manifest keeps scikit-learn's names; verify replays the
 * golden batch by the distinct column names; every fresh row gets scikit-learn's features; {@code
 * score --features} and {@code explain} name the later occurrences {@code <name>__<k>}.
 */
class DuplicateFeatureNamesTest {

    private static final Path ROOT = Path.of("src/test/resources/duplicate-names");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @TestFactory
    Stream<DynamicTest> everyCaseOfEveryRelease() throws IOException {
        return ReleaseCases.each(ROOT, 11, DuplicateFeatureNamesTest::checkCase);
    }

    @Test
    void laterOccurrencesAreNumberedPastEveryNameTaken() {
        assertEquals(
                List.of("a", "a__3", "a__2", "a__4", "b"),
                FeatureColumns.of(List.of("a", "a", "a__2", "a", "b")));
        List<String> distinct = List.of("x", "y");
        assertTrue(FeatureColumns.of(distinct) == distinct, "distinct names are kept as they are");
    }

    @Test
    void aRepeatedNameIsReadByPositionNotByName() {
        ColumnBatch b =
                ColumnBatch.builder(1)
                        .add("c_nan", new DoubleColumn(new double[] {1}))
                        .add("c_nan", new DoubleColumn(new double[] {2}))
                        .build();
        assertEquals(2.0, ((DoubleColumn) b.column(1)).values()[0]);
        assertTrue(b.has("c_nan"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> b.column("c_nan"));
        assertTrue(e.getMessage().contains("'c_nan' appears more than once"), e.getMessage());
    }

    @Test
    void scoreFeaturesAndExplainNameEveryFeatureDistinctly() throws IOException {
        Path c = ROOT.resolve("sklearn-1.9.1/ohe");
        String bundle = c.resolve("bundle").toString();
        Path features = tmp.resolve("features.parquet");
        StringWriter err = new StringWriter();
        int code =
                TabscoreCli.run(
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err, true),
                        new String[] {
                            "bundle",
                            "score",
                            bundle,
                            "--input",
                            c.resolve("fresh.parquet").toString(),
                            "--output",
                            tmp.resolve("out.parquet").toString(),
                            "--features",
                            features.toString()
                        });
        assertEquals(0, code, err.toString());
        JsonNode want = JSON.readTree(c.resolve("expected.json").toFile());
        List<String> columns = strings(want.get("columns"));
        ColumnBatch got = ParquetColumns.read(Files.readAllBytes(features), "features.parquet");
        assertEquals(columns, got.names().subList(1, got.columnCount()));
        assertTrue(
                columns.contains("c__city_nan__2")
                        && columns.contains("c__tag_None__2")
                        && columns.contains("c__a_b_c__2"),
                columns.toString());
        for (int j = 0; j < columns.size(); j++) {
            double[] v = ((DoubleColumn) got.column(columns.get(j))).values();
            for (int i = 0; i < v.length; i++) {
                assertEquals(
                        want.get("rows").get(i).get(j).asDouble(),
                        v[i],
                        "row " + i + ", feature " + columns.get(j));
            }
        }
        StringWriter out = new StringWriter();
        code =
                TabscoreCli.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        new String[] {
                            "bundle",
                            "explain",
                            bundle,
                            "--input",
                            c.resolve("fresh.parquet").toString(),
                            "--row-index",
                            "1"
                        });
        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        List<String> featureLines =
                lines.subList(lines.indexOf("features") + 1, lines.indexOf("model"));
        assertEquals(columns, featureLines.stream().map(l -> l.trim().split(" = ")[0]).toList());
        // row 1 holds the string 'nan' (the first city_nan) and a null tag (the second tag_None)
        assertTrue(featureLines.contains("  c__city_nan = 1.0"), featureLines.toString());
        assertTrue(featureLines.contains("  c__city_nan__2 = 0.0"), featureLines.toString());
        assertTrue(featureLines.contains("  c__tag_None__2 = 1.0"), featureLines.toString());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void checkCase(Path c) throws IOException {
        JsonNode want = JSON.readTree(c.resolve("expected.json").toFile());
        List<String> names = strings(want.get("features"));
        List<String> columns = strings(want.get("columns"));
        assertTrue(new HashSet<>(names).size() < names.size(), "the case repeats a name");
        JsonNode tol = want.get("feature_tolerance");
        Set<String> loose = new HashSet<>(strings(tol.path("ufunc_features")));
        tol.path("approx_features").fieldNames().forEachRemaining(loose::add);
        try (Bundle b =
                Bundle.open(
                        c.resolve("bundle").toString(),
                        BundleOptions.defaults().withDevice("cpu"))) { // verify: golden replay
            assertEquals(names, b.manifest().features().names());
            assertEquals(columns, b.manifest().features().columns());
            Preprocessor p = b.preprocessor();
            assertEquals(names, p.featureNamesOut());
            ColumnBatch all =
                    ParquetColumns.read(
                            Files.readAllBytes(c.resolve("fresh.parquet")), "fresh.parquet");
            JsonNode rows = want.get("rows");
            for (int i = 0; i < rows.size(); i++) {
                String where = c.getParent().getFileName() + "/" + c.getFileName() + " row " + i;
                double[] got = p.transform(all.select(new int[] {i}), null);
                double[] expect = new double[got.length];
                for (int j = 0; j < got.length; j++) {
                    expect[j] = rows.get(i).get(j).asDouble();
                    if (loose.contains(columns.get(j))) {
                        // a ufunc / libm feature: within the manifest's contract, not bit for bit
                        assertEquals(
                                expect[j],
                                got[j],
                                1e-9 * Math.max(1, Math.abs(expect[j])),
                                where + ", feature " + columns.get(j));
                        got[j] = expect[j];
                    }
                }
                assertArrayEquals(expect, got, where + " (" + columns + ")");
            }
        }
    }
}
