package dev.tabscore.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.sklearn.Preprocessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Bundles fitted on a frame holding Python None for a null string, as pandas reads Parquet
 * (training-nulls/make_training_nulls.py; scikit-learn 1.2.2, 1.6.1 and 1.9.1): the manifest's
 * {@code training_nulls} says "none", verify replays the golden batch with those nulls as None, and
 * every fresh row gets scikit-learn's features bit for bit, or is refused where scikit-learn
 * refuses it.
 */
class TrainingNullsBundleTest {

    private static final Path ROOT = Path.of("src/test/resources/training-nulls");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyCaseOfEveryRelease() throws IOException {
        return ReleaseCases.each(ROOT, 21, TrainingNullsBundleTest::checkCase);
    }

    @Test
    void aNullIsTheNoneCategoryNotNan() throws IOException {
        Path c = ROOT.resolve("sklearn-1.9.1/ohe-ord");
        try (Bundle b = open(c)) {
            Preprocessor p = b.preprocessor();
            ColumnBatch row = fresh(c).select(new int[] {0}); // city = null
            double[] f = p.transform(row, null);
            int none = p.featureNamesOut().indexOf("c__city_None");
            assertTrue(none >= 0, "features: " + p.featureNamesOut());
            assertEquals(1.0, f[none]);
            // OrdinalEncoder: None is coded after the sorted values a, b, c
            assertEquals(3.0, f[p.featureNamesOut().indexOf("o__city")]);
        }
    }

    @Test
    void withoutTheManifestFieldANoneCategoryIsStillRefusedNamingTheColumn() throws IOException {
        // an older bundle (no training_nulls): a null is NaN, so a None category cannot be met
        byte[] skops =
                Files.readAllBytes(
                        ROOT.resolve("sklearn-1.9.1/ohe-ord/bundle/" + "preprocessor.skops"));
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> Preprocessor.load(skops, "preprocessor.skops"));
        assertEquals(Reason.UNSUPPORTED_OPTION, e.reason());
        assertTrue(e.getMessage().contains("of column 'city' holds None"), e.getMessage());
    }

    @Test
    void aStringEqualToTheSentinelTextIsNotNone() throws IOException {
        Path c = ROOT.resolve("sklearn-1.9.1/ohe-ord");
        try (Bundle b = open(c)) {
            String[] text = {new String(StringColumn.NONE), "None"};
            ColumnBatch in =
                    ColumnBatch.builder(2)
                            .add("city", new StringColumn(text))
                            .add("rare", new StringColumn(new String[] {"p", "p"}))
                            .add(
                                    "x",
                                    new dev.tabscore.bundle.column.DoubleColumn(
                                            new double[] {1, 2}))
                            .build();
            double[] f = b.preprocessor().transform(in, null);
            int d = b.preprocessor().width();
            int none = b.preprocessor().featureNamesOut().indexOf("c__city_None");
            int code = b.preprocessor().featureNamesOut().indexOf("o__city");
            for (int r = 0; r < 2; r++) {
                assertEquals(0.0, f[r * d + none], "row " + r + " is unknown, not None");
                assertEquals(-1.0, f[r * d + code], "row " + r + " is unknown, not None");
            }
        }
    }

    private static Bundle open(Path c) {
        return Bundle.open(
                c.resolve("bundle").toString(), BundleOptions.defaults().withDevice("cpu"));
    }

    private static ColumnBatch fresh(Path c) throws IOException {
        return ParquetColumns.read(Files.readAllBytes(c.resolve("fresh.parquet")), "fresh.parquet");
    }

    private static void checkCase(Path c) throws IOException {
        JsonNode want = JSON.readTree(c.resolve("expected.json").toFile());
        try (Bundle b = open(c)) { // verify: hashes, contract, golden replay with None nulls
            assertTrue(b.manifest().input().columns().get(0).nullIsNone(), c.toString());
            Preprocessor p = b.preprocessor();
            ColumnBatch all = fresh(c);
            JsonNode rows = want.get("rows");
            for (int i = 0; i < rows.size(); i++) {
                ColumnBatch row = all.select(new int[] {i});
                String where = c.getParent().getFileName() + "/" + c.getFileName() + " row " + i;
                if (rows.get(i).isNull()) {
                    assertThrows(
                            ScoringException.class,
                            () -> p.transform(row, null),
                            where + ": scikit-learn refuses this row");
                    continue;
                }
                double[] got = p.transform(row, null);
                assertEquals(rows.get(i).size(), got.length, where + ": width");
                for (int j = 0; j < got.length; j++) {
                    assertEquals(
                            rows.get(i).get(j).asDouble(),
                            got[j],
                            where + ", feature " + p.featureNamesOut().get(j));
                }
            }
        }
    }
}
