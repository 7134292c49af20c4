package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static dev.tabscore.bundle.sklearn.Nodes.doubles;
import static dev.tabscore.bundle.sklearn.Nodes.dtype;
import static dev.tabscore.bundle.sklearn.Nodes.f8;
import static dev.tabscore.bundle.sklearn.Nodes.function;
import static dev.tabscore.bundle.sklearn.Nodes.i8;
import static dev.tabscore.bundle.sklearn.Nodes.none;
import static dev.tabscore.bundle.sklearn.Nodes.obj;
import static dev.tabscore.bundle.sklearn.Nodes.objects;
import static dev.tabscore.bundle.sklearn.Nodes.strings;
import static dev.tabscore.bundle.sklearn.Nodes.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimpleImputerTest {

    private static final double NAN = Double.NaN;
    private static final List<String> AB = List.of("a", "b");

    static ObjectNode imputer(String strategy, SkopsNode statistics) {
        return obj(
                "sklearn.impute._base",
                "SimpleImputer",
                "missing_values",
                NAN,
                "add_indicator",
                false,
                "keep_empty_features",
                false,
                "strategy",
                strategy,
                "fill_value",
                none(),
                "copy",
                true,
                "n_features_in_",
                2,
                "_fit_dtype",
                dtype("<f8"),
                "indicator_",
                none(),
                "statistics_",
                statistics,
                "_sklearn_version",
                "1.2.1");
    }

    static Transformer build(ObjectNode node) {
        return new GraphBuilder(SklearnRegistry.standard()).build(node, "", AB);
    }

    @Test
    void fillsWithTheStoredEvenCountMedianBitForBit() {
        double lo = 33.58557530546435;
        double hi = 857.4042765875694;
        // np.ma.median of an even count stores (lo + hi) / 2, not lo + (hi - lo) / 2
        double median = 0x1.bd7eb377823b5p+8;
        assertEquals(median, (lo + hi) / 2);
        assertNotEquals(median, lo + (hi - lo) / 2);
        SimpleImputer imp = new SimpleImputer(new Object[] {median}, null);
        ColumnBatch out = imp.transform(batch("a", new double[] {NAN, 5.0, -0.0}), null);
        assertArrayEquals(new double[] {median, 5.0, -0.0}, doubles(out, 0));
    }

    @Test
    void fillsStringsWithTheStoredMostFrequentAndKeepsNoneAsAValue() {
        // most_frequent breaks the tie 'b'/'B' by code point: 'B' is what is stored
        SimpleImputer imp = new SimpleImputer(new Object[] {"B"}, null);
        ColumnBatch out = imp.transform(batch("s", new String[] {null, "b", "None", ""}), null);
        assertArrayEquals(new String[] {"B", "b", "None", ""}, strings(out, 0));
    }

    @Test
    void convertsIntsAndBoolsAndTheirMissingValues() {
        SimpleImputer imp = new SimpleImputer(new Object[] {7.5, 0.5}, null);
        ColumnBatch out =
                imp.transform(
                        batch(
                                "a",
                                        new LongColumn(
                                                new long[] {3, 99}, new boolean[] {false, true}),
                                "b",
                                        new BooleanColumn(
                                                new boolean[] {true, false},
                                                new boolean[] {false, true})),
                        null);
        assertArrayEquals(new double[] {3.0, 7.5}, doubles(out, 0));
        assertArrayEquals(new double[] {1.0, 0.5}, doubles(out, 1));
    }

    @Test
    void dropsAColumnWhoseStatisticIsNan() {
        SimpleImputer imp = new SimpleImputer(new Object[] {NAN, 1.5}, null);
        ColumnBatch out =
                imp.transform(batch("a", new double[] {1, NAN}, "b", new double[] {NAN, 2}), null);
        assertEquals(List.of("b"), out.names());
        assertArrayEquals(new double[] {1.5, 2}, doubles(out, 0));
    }

    @Test
    void appendsIndicatorsOnlyForFeaturesMissingAtFit() {
        SimpleImputer imp =
                new SimpleImputer(
                        new Object[] {1.0, 2.0}, new MissingIndicator(2, new int[] {1}, false));
        ColumnBatch out =
                imp.transform(batch("a", new double[] {NAN, 0}, "b", new double[] {NAN, 3}), null);
        assertEquals(List.of("a", "b", "missingindicator_b"), out.names());
        assertArrayEquals(new double[] {1, 0}, doubles(out, 0));
        assertArrayEquals(new double[] {1, 0}, doubles(out, 2));
    }

    @Test
    void refusesAStringInANumericColumnNamingColumnRowAndValue() {
        SimpleImputer imp = new SimpleImputer(new Object[] {1.0}, null);
        ScoringException e =
                assertThrows(
                        ScoringException.class,
                        () -> imp.transform(batch("age", new String[] {null, "abc"}), null));
        assertEquals("age", e.column());
        assertEquals(1, e.row());
        assertTrue(e.getMessage().contains("'abc'"), e.getMessage());
        assertEquals(Reason.INPUT_SCHEMA, e.reason());
    }

    @Test
    void refusesInfinityAsScikitLearnDoes() {
        SimpleImputer imp = new SimpleImputer(new Object[] {1.0}, null);
        ScoringException e =
                assertThrows(
                        ScoringException.class,
                        () ->
                                imp.transform(
                                        batch("x", new double[] {1, Double.POSITIVE_INFINITY}),
                                        null));
        assertEquals(1, e.row());
    }

    @Test
    void readsJsonIntConstantStatisticsAndDropsEmptyColumnsFromScikitLearn18() {
        ObjectNode node =
                with(
                        imputer("constant", objects(-1, NAN)),
                        "fill_value",
                        -1,
                        "_fill_dtype",
                        dtype("<f8"),
                        "_sklearn_version",
                        "1.9.1");
        Transformer t = build(node);
        assertEquals(List.of("a"), t.featureNamesOut(AB));
        ColumnBatch out =
                t.transform(batch("a", new double[] {NAN, 4}, "b", new double[] {NAN, NAN}), null);
        assertArrayEquals(new double[] {-1.0, 4.0}, doubles(out, 0));
    }

    @Test
    void refusesANanConstantStatisticThatOlderVersionsKeep() {
        ObjectNode node = with(imputer("constant", f8(0.0, NAN)), "fill_value", NAN);
        BundleFormatException e = assertThrows(BundleFormatException.class, () -> build(node));
        assertEquals(Reason.UNSUPPORTED_OPTION, e.reason());
        assertTrue(e.getMessage().contains("statistics_[1] is NaN"), e.getMessage());
    }

    @Test
    void refusesOptionsItDoesNotReproduce() {
        assertRefused(
                with(imputer("mean", f8(1, 2)), "strategy", function("mymodule", "my_median")),
                "SimpleImputer(strategy=<function mymodule.my_median>) is not supported");
        assertRefused(
                with(imputer("mean", f8(1, 2)), "missing_values", Nodes.list(-1)),
                "SimpleImputer(missing_values=<list>) is not supported");
        assertRefused(
                with(imputer("mean", f8(1, 2)), "imputation_order", "roman"),
                "has attributes tabscore does not know, [imputation_order]");
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class, () -> build(imputer("mean", i8(1, 2, 3))));
        assertEquals(Reason.ATTRIBUTE_INVALID, e.reason());
        assertTrue(
                e.getMessage().contains("statistics_ has 3 values for 2 input columns"),
                e.getMessage());
    }

    private static void assertRefused(ObjectNode node, String message) {
        BundleFormatException e = assertThrows(BundleFormatException.class, () -> build(node));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
