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
import java.util.List;
import org.junit.jupiter.api.Test;

class OrdinalEncoderTest {

    private static final double NAN = Double.NaN;

    private static ObjectNode node() {
        return obj("sklearn.preprocessing._encoders", "OrdinalEncoder", "categories", "auto",
                "dtype", float64(), "handle_unknown", "use_encoded_value", "unknown_value", -1,
                "encoded_missing_value", -2, "min_frequency", none(), "max_categories", none(),
                "_infrequent_enabled", false, "n_features_in_", 1,
                "categories_", list(objects("downtown", "harbor", NAN)),
                "_missing_indices", dict(0, 2), "_sklearn_version", "1.9.1");
    }

    private static Transformer build(ObjectNode n) {
        return new GraphBuilder(SklearnRegistry.standard()).build(n, "", List.of("hood"));
    }

    @Test
    void knownMissingAndUnknownValues() {
        Transformer t = build(node());
        TransformStats stats = new TransformStats();
        double[] y = doubles(t.transform(batch("hood", new String[] {"harbor", null, "Harbor",
                "downtown"}), stats), 0);
        assertArrayEquals(new double[] {1, -2, -1, 0}, y);
        assertEquals(1, stats.column("hood").unknownCount());
    }

    @Test
    void explicitCategoryOrderIsKeptAndUnseenNanIsUnknown() {
        OrdinalEncoder e = new OrdinalEncoder(new Object[][] {{"poor", "fair", "good",
                "excellent"}}, new int[] {-1}, true, -1, NAN);
        assertArrayEquals(new double[] {0, 3, 2, -1, -1}, doubles(e.transform(batch("c",
                new String[] {"poor", "excellent", "good", null, "great"}), null), 0));
    }

    @Test
    void defaultEncodedMissingValueIsNan() {
        OrdinalEncoder e = new OrdinalEncoder(new Object[][] {{"a", NAN}}, new int[] {1}, false,
                NAN, NAN);
        assertArrayEquals(new double[] {NAN, 0}, doubles(e.transform(
                batch("c", new String[] {null, "a"}), null), 0));
        ScoringException ex = assertThrows(ScoringException.class, () -> e.transform(
                batch("c", new String[] {"a", "b"}), null));
        assertEquals("column 'c', row 1: unknown category 'b' (OrdinalEncoder,"
                + " handle_unknown='error')", ex.getMessage());
    }

    @Test
    void refusesInfrequentGrouping() {
        BundleFormatException e = assertThrows(BundleFormatException.class, () -> build(
                with(node(), "_infrequent_enabled", true, "min_frequency", 5)));
        assertTrue(e.getMessage().contains("OrdinalEncoder(_infrequent_enabled=True) is not"
                + " supported"), e.getMessage());
    }
}
