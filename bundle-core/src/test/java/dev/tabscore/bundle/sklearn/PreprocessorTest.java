package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.ColumnBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The facade on the seed-binary 1.9.1 bundle: input selection, buffers and statistics. */
class PreprocessorTest {

    private static Preprocessor pre;

    @BeforeAll
    static void load() throws IOException {
        Path p =
                Paths.get(
                        "src/test/resources/fixtures/sklearn-1.9.1/seed-binary/"
                                + "preprocessor.skops");
        pre = Preprocessor.load(Files.readAllBytes(p), "preprocessor.skops");
    }

    private static ColumnBatch rows() {
        return batch(
                "age",
                new double[] {30, Double.NaN, 51},
                "income",
                new double[] {52000, 61000, Double.NaN},
                "region",
                new String[] {"north", "North", null},
                "channel",
                new String[] {"web", "web", "Web"});
    }

    @Test
    void describesItsContract() {
        assertEquals(List.of("age", "income", "region", "channel"), pre.inputColumns());
        assertEquals(pre.inputColumns(), pre.requiredColumns());
        assertEquals(11, pre.width());
        assertEquals("num__age", pre.featureNamesOut().get(0));
        assertEquals("cat__channel_web", pre.featureNamesOut().get(10));
    }

    @Test
    void selectsInputColumnsByNameIgnoringExtrasAndOrder() {
        double[] expected = pre.transform(rows(), null);
        ColumnBatch shuffled =
                batch(
                        "channel",
                        new String[] {"web", "web", "Web"},
                        "id",
                        new double[] {1, 2, 3},
                        "region",
                        new String[] {"north", "North", null},
                        "income",
                        new double[] {52000, 61000, Double.NaN},
                        "age",
                        new double[] {30, Double.NaN, 51});
        assertArrayEquals(expected, pre.transform(shuffled, null));
    }

    @Test
    void writesRowMajorIntoAReusedBufferAtAnOffset() {
        double[] expected = pre.transform(rows(), null);
        double[] buffer = new double[5 + 3 * 11];
        Arrays.fill(buffer, -7);
        pre.transform(rows(), null, buffer, 5);
        pre.transform(rows(), null, buffer, 5);
        assertEquals(-7, buffer[4]);
        assertArrayEquals(expected, Arrays.copyOfRange(buffer, 5, buffer.length));
        ColumnBatch features = pre.transformColumns(rows(), null);
        assertEquals(
                expected[11 + 10],
                ((dev.tabscore.bundle.column.DoubleColumn) features.column(10)).values()[1]);
        assertThrows(
                IllegalArgumentException.class,
                () -> pre.transform(rows(), null, new double[30], 0));
    }

    @Test
    void refusesMissingInputColumnsNamingThem() {
        ScoringException e =
                assertThrows(
                        ScoringException.class,
                        () ->
                                pre.transform(
                                        batch(
                                                "age",
                                                new double[] {1},
                                                "channel",
                                                new String[] {"web"}),
                                        null));
        assertEquals(Reason.INPUT_SCHEMA, e.reason());
        assertEquals("income", e.column());
        assertTrue(e.getMessage().contains("[income, region]"), e.getMessage());
    }

    @Test
    void countsMissingValuesAndUnknownCategoriesPerColumnAndMerges() {
        TransformStats stats = new TransformStats();
        pre.transform(rows(), stats);
        assertEquals(3, stats.rowCount());
        assertEquals(1, stats.column("age").missingCount());
        assertEquals(1, stats.column("region").missingCount());
        assertEquals(0, stats.column("channel").missingCount());
        assertEquals(Map.of("North", 1L), stats.column("region").unknownValues());
        assertEquals(Map.of("Web", 1L), stats.column("channel").unknownValues());
        TransformStats other = new TransformStats();
        pre.transform(rows(), other);
        stats.merge(other);
        assertEquals(6, stats.rowCount());
        assertEquals(2, stats.column("age").missingCount());
        assertEquals(Map.of("North", 2L), stats.column("region").unknownValues());
    }

    @Test
    void aStringInANumericColumnNamesTheStepColumnRowAndValue() {
        ColumnBatch bad =
                batch(
                        "age",
                        new String[] {null, "forty"},
                        "income",
                        new double[] {1, 2},
                        "region",
                        new String[] {"north", "south"},
                        "channel",
                        new String[] {"web", "web"});
        ScoringException e = assertThrows(ScoringException.class, () -> pre.transform(bad, null));
        assertEquals("age", e.column());
        assertEquals(1, e.row());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "transformers_[0] 'num' > steps[0] 'imputer':"
                                        + " column 'age', row 1: string value 'forty'"),
                e.getMessage());
    }
}
