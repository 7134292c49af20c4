package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static dev.tabscore.bundle.sklearn.Nodes.dict;
import static dev.tabscore.bundle.sklearn.Nodes.doubles;
import static dev.tabscore.bundle.sklearn.Nodes.float64;
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
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import dev.tabscore.bundle.skops.SkopsNode.TypeValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrdinalEncoderTest {

    private static final double NAN = Double.NaN;

    private static ObjectNode node() {
        return obj(
                "sklearn.preprocessing._encoders",
                "OrdinalEncoder",
                "categories",
                "auto",
                "dtype",
                float64(),
                "handle_unknown",
                "use_encoded_value",
                "unknown_value",
                -1,
                "encoded_missing_value",
                -2,
                "min_frequency",
                none(),
                "max_categories",
                none(),
                "_infrequent_enabled",
                false,
                "n_features_in_",
                1,
                "categories_",
                list(objects("downtown", "harbor", NAN)),
                "_missing_indices",
                dict(0, 2),
                "_sklearn_version",
                "1.9.1");
    }

    private static Transformer build(ObjectNode n) {
        return new GraphBuilder(SklearnRegistry.standard()).build(n, "", List.of("hood"));
    }

    @Test
    void knownMissingAndUnknownValues() {
        Transformer t = build(node());
        TransformStats stats = new TransformStats();
        double[] y =
                doubles(
                        t.transform(
                                batch("hood", new String[] {"harbor", null, "Harbor", "downtown"}),
                                stats),
                        0);
        assertArrayEquals(new double[] {1, -2, -1, 0}, y);
        assertEquals(1, stats.column("hood").unknownCount());
    }

    @Test
    void explicitCategoryOrderIsKeptAndUnseenNanIsUnknown() {
        OrdinalEncoder e =
                new OrdinalEncoder(
                        new Object[][] {{"poor", "fair", "good", "excellent"}},
                        new int[] {-1},
                        true,
                        -1,
                        NAN);
        assertArrayEquals(
                new double[] {0, 3, 2, -1, -1},
                doubles(
                        e.transform(
                                batch(
                                        "c",
                                        new String[] {"poor", "excellent", "good", null, "great"}),
                                null),
                        0));
    }

    @Test
    void defaultEncodedMissingValueIsNan() {
        OrdinalEncoder e =
                new OrdinalEncoder(new Object[][] {{"a", NAN}}, new int[] {1}, false, NAN, NAN);
        assertArrayEquals(
                new double[] {NAN, 0},
                doubles(e.transform(batch("c", new String[] {null, "a"}), null), 0));
        ScoringException ex =
                assertThrows(
                        ScoringException.class,
                        () -> e.transform(batch("c", new String[] {"a", "b"}), null));
        assertEquals(
                "column 'c', row 1: unknown category 'b' (OrdinalEncoder,"
                        + " handle_unknown='error')",
                ex.getMessage());
    }

    @Test
    void infrequentCategoriesShareOneCodeAndNanKeepsEncodedMissingValue() {
        // categories a b c d NaN; b and d infrequent: a->0, c->1, b,d->2; NaN is never grouped
        ObjectNode n =
                with(
                        node(),
                        "categories_",
                        list(objects("a", "b", "c", "d", NAN)),
                        "_missing_indices",
                        dict(0, 4),
                        "_infrequent_enabled",
                        true,
                        "min_frequency",
                        2,
                        "_infrequent_indices",
                        list(Nodes.i8(1, 3)),
                        "_default_to_infrequent_mappings",
                        list(Nodes.i8(0, 2, 1, 2)),
                        "unknown_value",
                        9);
        double[] y =
                doubles(
                        build(n).transform(
                                        batch("hood", new String[] {"a", "b", "c", "d", null, "e"}),
                                        null),
                        0);
        assertArrayEquals(new double[] {0, 2, 1, 2, -2, 9}, y);
    }

    @Test
    void refusesInfrequentAttributesThatDisagree() {
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> build(with(node(), "_infrequent_enabled", true, "min_frequency", 5)));
        assertTrue(
                e.getMessage()
                        .contains(
                                "_default_to_infrequent_mappings is missing although"
                                        + " _infrequent_enabled is True"),
                e.getMessage());
        e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                build(
                                        with(
                                                node(),
                                                "_infrequent_enabled",
                                                true,
                                                "_infrequent_indices",
                                                list(Nodes.i8(1)),
                                                "_default_to_infrequent_mappings",
                                                list(Nodes.i8(0, 0, 1)))));
        assertTrue(
                e.getMessage().contains("infrequent mapping of 3 for 2 categories"),
                e.getMessage());
    }

    @Test
    void outputDtypeRoundsOrWrapsLikeNumpy() {
        ObjectNode f32 =
                with(
                        node(),
                        "dtype",
                        new TypeValue("/test", "numpy", "float32"),
                        "unknown_value",
                        16777217,
                        "encoded_missing_value",
                        -16777219);
        assertArrayEquals(
                new double[] {16777216, -16777220, 1},
                doubles(
                        build(f32)
                                .transform(batch("hood", new String[] {"x", null, "harbor"}), null),
                        0));
        ObjectNode i8 = with(node(), "dtype", Nodes.dtype("|i1"), "unknown_value", 200);
        BundleFormatException e = assertThrows(BundleFormatException.class, () -> build(i8));
        assertTrue(
                e.getMessage()
                        .contains("unknown_value=200.0 does not fit the output dtype" + " int8"),
                e.getMessage());
        assertEquals(-56.0, OutputDtype.INT8.cast(200));
        assertEquals(200.0, OutputDtype.UINT8.cast(200));
        assertEquals(1.0, OutputDtype.BOOL.cast(NAN));
        assertEquals(2048.0, OutputDtype.FLOAT16.cast(2049));
        assertEquals(2052.0, OutputDtype.FLOAT16.cast(2051));
        assertEquals(Double.POSITIVE_INFINITY, OutputDtype.FLOAT16.cast(65520));
        assertEquals(65504.0, OutputDtype.FLOAT16.cast(65519));
    }

    @Test
    void refusesANoneCategoryNamingTheColumn() {
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                build(
                                        with(
                                                node(),
                                                "categories_",
                                                list(objects("downtown", null, NAN)))));
        assertTrue(
                e.getMessage().contains("categories_[0] of column 'hood' holds None"),
                e.getMessage());
    }
}
