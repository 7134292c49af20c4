package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.b1;
import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static dev.tabscore.bundle.sklearn.Nodes.doubles;
import static dev.tabscore.bundle.sklearn.Nodes.float64;
import static dev.tabscore.bundle.sklearn.Nodes.i8;
import static dev.tabscore.bundle.sklearn.Nodes.list;
import static dev.tabscore.bundle.sklearn.Nodes.none;
import static dev.tabscore.bundle.sklearn.Nodes.obj;
import static dev.tabscore.bundle.sklearn.Nodes.objects;
import static dev.tabscore.bundle.sklearn.Nodes.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.sklearn.OneHotEncoder.HandleUnknown;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OneHotEncoderTest {

    private static final double NAN = Double.NaN;

    /** Row r of the output, all columns. */
    private static double[] row(ColumnBatch b, int r) {
        double[] out = new double[b.columnCount()];
        for (int j = 0; j < out.length; j++) {
            out[j] = doubles(b, j)[r];
        }
        return out;
    }

    private static OneHotEncoder encoder(Object[] cats, HandleUnknown h, int[] drop) {
        return new OneHotEncoder(new Object[][] {cats}, h, drop, null, null);
    }

    @Test
    void nanIsACategorySortedLastAndMatchesMissingStringsAndNumbers() {
        OneHotEncoder e = encoder(new Object[] {"a", "b", NAN}, HandleUnknown.IGNORE, null);
        assertEquals(List.of("f_a", "f_b", "f_nan"), e.featureNamesOut(List.of("f")));
        ColumnBatch out = e.transform(batch("f", new String[] {"b", null, "A", " a"}), null);
        assertArrayEquals(new double[] {0, 1, 0}, row(out, 0));
        assertArrayEquals(new double[] {0, 0, 1}, row(out, 1));
        assertArrayEquals(new double[] {0, 0, 0}, row(out, 2));
        assertArrayEquals(new double[] {0, 0, 0}, row(out, 3));
        ColumnBatch allMissing = e.transform(batch("f", new double[] {NAN}), null);
        assertArrayEquals(new double[] {0, 0, 1}, row(allMissing, 0));
    }

    @Test
    void numbersCompareNumericallyButStringsNever() {
        OneHotEncoder e = encoder(new Object[] {1L, 2L, 3L}, HandleUnknown.IGNORE, null);
        assertEquals(List.of("w_1", "w_2", "w_3"), e.featureNamesOut(List.of("w")));
        ColumnBatch f = e.transform(batch("w", new double[] {3.0, 3.5, -0.0}), null);
        assertArrayEquals(new double[] {0, 0, 1}, row(f, 0));
        assertArrayEquals(new double[] {0, 0, 0}, row(f, 1));
        assertArrayEquals(new double[] {0, 0, 0}, row(f, 2));
        ColumnBatch s = e.transform(batch("w", new String[] {"3"}), null);
        assertArrayEquals(new double[] {0, 0, 0}, row(s, 0));
        ColumnBatch l =
                e.transform(
                        batch("w", new LongColumn(new long[] {1, 2}, new boolean[] {false, true})),
                        null);
        assertArrayEquals(new double[] {1, 0, 0}, row(l, 0));
        assertArrayEquals(new double[] {0, 0, 0}, row(l, 1));
        OneHotEncoder floats = encoder(new Object[] {0.0, 2.5, 1e16}, HandleUnknown.IGNORE, null);
        assertEquals(List.of("x_0.0", "x_2.5", "x_1e+16"), floats.featureNamesOut(List.of("x")));
    }

    @Test
    void intCategoriesBeyond2p53MatchIntsExactlyAndFloatsAsNumpyPromotes() {
        long big = 1L << 53;
        OneHotEncoder e =
                encoder(new Object[] {big, big + 1, 1L << 62}, HandleUnknown.IGNORE, null);
        ColumnBatch ints =
                e.transform(
                        batch("x", new LongColumn(new long[] {big + 1, big, (1L << 62) + 1}, null)),
                        null);
        assertArrayEquals(new double[] {0, 1, 0}, row(ints, 0));
        assertArrayEquals(new double[] {1, 0, 0}, row(ints, 1));
        assertArrayEquals(new double[] {0, 0, 0}, row(ints, 2));
        // float64 2^53 equals both int categories once promoted: searchsorted takes the first
        ColumnBatch floats =
                e.transform(
                        batch("x", new double[] {(double) big, 0x1p62, (double) big + 2}), null);
        assertArrayEquals(new double[] {1, 0, 0}, row(floats, 0));
        assertArrayEquals(new double[] {0, 0, 1}, row(floats, 1));
        assertArrayEquals(new double[] {0, 0, 0}, row(floats, 2));
    }

    @Test
    void anIntColumnWithANullIsMatchedAsPandasFloat64() {
        // pandas holds an int column with a null as float64: (1 << 62) + 1 becomes 2^62, which
        // numpy finds among int categories promoted to float64 (the differential fuzzer's case)
        long big = 1L << 62;
        OneHotEncoder e = encoder(new Object[] {big, 7L}, HandleUnknown.IGNORE, null);
        ColumnBatch withNull =
                e.transform(
                        batch(
                                "x",
                                new LongColumn(
                                        new long[] {big + 1, 7, 0},
                                        new boolean[] {false, false, true})),
                        null);
        assertArrayEquals(new double[] {1, 0}, row(withNull, 0));
        assertArrayEquals(new double[] {0, 1}, row(withNull, 1));
        ColumnBatch noNull =
                e.transform(batch("x", new LongColumn(new long[] {big + 1, 7}, null)), null);
        assertArrayEquals(new double[] {0, 0}, row(noNull, 0), "int64 against int64: exact");
    }

    @Test
    void boolCategoriesFromNpyOrJson() {
        for (Object cats : new Object[] {b1(false, true), objects(false, true)}) {
            Transformer t = build(node(list(cats), "ignore", none()), List.of("flag"));
            assertEquals(List.of("flag_False", "flag_True"), t.featureNamesOut(List.of("flag")));
            ColumnBatch out =
                    t.transform(
                            batch(
                                    "flag",
                                    new BooleanColumn(
                                            new boolean[] {true, false, true},
                                            new boolean[] {false, false, true})),
                            null);
            assertArrayEquals(new double[] {0, 1}, row(out, 0));
            assertArrayEquals(new double[] {1, 0}, row(out, 1));
            assertArrayEquals(new double[] {0, 0}, row(out, 2));
        }
    }

    @Test
    void dropFirstAndIfBinaryAndUnknownWithDropGiveZeros() {
        OneHotEncoder e =
                new OneHotEncoder(
                        new Object[][] {{"annual", "monthly"}, {"email", "none", "phone"}},
                        HandleUnknown.IGNORE,
                        new int[] {0, -1},
                        null,
                        null);
        assertEquals(
                List.of("c_monthly", "s_email", "s_none", "s_phone"),
                e.featureNamesOut(List.of("c", "s")));
        ColumnBatch out =
                e.transform(
                        batch(
                                "c",
                                new String[] {"annual", "monthly", "weekly"},
                                "s",
                                new String[] {"none", "None", "phone"}),
                        null);
        assertArrayEquals(new double[] {0, 0, 1, 0}, row(out, 0));
        assertArrayEquals(new double[] {1, 0, 0, 0}, row(out, 1));
        assertArrayEquals(new double[] {0, 0, 0, 1}, row(out, 2));
    }

    @Test
    void infrequentCategoriesShareTheLastColumnAndTakeUnknowns() {
        Object[] cats = {"automotive", "beauty", "books", "clothing", "crafts", NAN};
        long[] infrequent = {0, 1, 4};
        long[] mapping = {3, 3, 0, 1, 3, 2};
        OneHotEncoder e =
                new OneHotEncoder(
                        new Object[][] {cats},
                        HandleUnknown.INFREQUENT_IF_EXIST,
                        null,
                        new long[][] {infrequent},
                        new long[][] {mapping});
        assertEquals(
                List.of("p_books", "p_clothing", "p_nan", "p_infrequent_sklearn"),
                e.featureNamesOut(List.of("p")));
        TransformStats stats = new TransformStats();
        ColumnBatch out =
                e.transform(
                        batch(
                                "p",
                                new String[] {"beauty", "books", null, "Books", "toys", "Books"}),
                        stats);
        assertArrayEquals(new double[] {0, 0, 0, 1}, row(out, 0));
        assertArrayEquals(new double[] {1, 0, 0, 0}, row(out, 1));
        assertArrayEquals(new double[] {0, 0, 1, 0}, row(out, 2));
        assertArrayEquals(new double[] {0, 0, 0, 1}, row(out, 3));
        assertArrayEquals(new double[] {0, 0, 0, 1}, row(out, 4));
        assertEquals(3, stats.column("p").unknownCount());
        assertEquals(Map.of("Books", 2L, "toys", 1L), stats.column("p").unknownValues());

        OneHotEncoder ignore =
                new OneHotEncoder(
                        new Object[][] {cats},
                        HandleUnknown.IGNORE,
                        null,
                        new long[][] {infrequent},
                        new long[][] {mapping});
        assertArrayEquals(
                new double[] {0, 0, 0, 0},
                row(ignore.transform(batch("p", new String[] {"toys"}), null), 0));
        OneHotEncoder dropGroup =
                new OneHotEncoder(
                        new Object[][] {cats},
                        HandleUnknown.INFREQUENT_IF_EXIST,
                        new int[] {3},
                        new long[][] {infrequent},
                        new long[][] {mapping});
        assertEquals(
                List.of("p_books", "p_clothing", "p_nan"), dropGroup.featureNamesOut(List.of("p")));
        assertArrayEquals(
                new double[] {0, 0, 0},
                row(dropGroup.transform(batch("p", new String[] {"toys"}), null), 0));
    }

    @Test
    void unknownUnderErrorNamesColumnRowAndValue() {
        OneHotEncoder e = encoder(new Object[] {"north", "south"}, HandleUnknown.ERROR, null);
        ScoringException ex =
                assertThrows(
                        ScoringException.class,
                        () -> e.transform(batch("region", new String[] {"north", "North"}), null));
        assertEquals(Reason.INPUT_VALUE, ex.reason());
        assertEquals("region", ex.column());
        assertEquals(1, ex.row());
        assertEquals(
                "column 'region', row 1: unknown category 'North' (OneHotEncoder,"
                        + " handle_unknown='error')",
                ex.getMessage());
    }

    static ObjectNode node(Object categories, String handle, Object drop) {
        return obj(
                "sklearn.preprocessing._encoders",
                "OneHotEncoder",
                "categories",
                "auto",
                "sparse_output",
                false,
                "dtype",
                float64(),
                "handle_unknown",
                handle,
                "drop",
                drop instanceof String ? drop : "first",
                "min_frequency",
                none(),
                "max_categories",
                none(),
                "_infrequent_enabled",
                false,
                "categories_",
                categories,
                "drop_idx_",
                drop instanceof String ? none() : drop,
                "_sklearn_version",
                "1.2.1");
    }

    static Transformer build(ObjectNode n, List<String> in) {
        return new GraphBuilder(SklearnRegistry.standard()).build(n, "", in);
    }

    @Test
    void prefersDropIdxAfterGroupingWhenStored() {
        ObjectNode n =
                with(
                        node(list(objects("a", "b", "c")), "ignore", objects(0)),
                        "_drop_idx_after_grouping",
                        objects(2),
                        "_n_features_outs",
                        list(2));
        assertEquals(List.of("f_a", "f_b"), build(n, List.of("f")).featureNamesOut(List.of("f")));
    }

    @Test
    void refusesUnsupportedOptionsAndInconsistentWidthsAtLoad() {
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                build(
                                        with(
                                                node(list(objects("a")), "ignore", none()),
                                                "dtype",
                                                obj("numpy", "x")),
                                        List.of("f")));
        assertTrue(
                e.getMessage().contains("OneHotEncoder(dtype=<x>) is not supported"),
                e.getMessage());
        e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                build(
                                        with(node(list(objects("a", "b")), "bogus", none())),
                                        List.of("f")));
        assertTrue(
                e.getMessage().contains("OneHotEncoder(handle_unknown='bogus')"), e.getMessage());
        e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                build(
                                        with(
                                                node(list(i8(0, 1, 2)), "ignore", none()),
                                                "_n_features_outs",
                                                list(4)),
                                        List.of("f")));
        assertEquals(Reason.ATTRIBUTE_INVALID, e.reason());
        e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                build(
                                        with(
                                                node(list(objects("a")), "ignore", none()),
                                                "feature_name_combiner",
                                                Nodes.function("mymod", "combine")),
                                        List.of("f")));
        assertTrue(
                e.getMessage().contains("feature_name_combiner=<function mymod.combine>"),
                e.getMessage());
    }
}
