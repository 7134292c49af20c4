package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static dev.tabscore.bundle.sklearn.Nodes.doubles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.ColumnBatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Python's float repr, the statistics, and MissingIndicator on its own. */
class SupportTest {

    @Test
    void pythonFloatRepr() {
        String[][] cases = {
            {"3.0", "3"},
            {"0.1", "0.1"},
            {"1e+16", "1e16"},
            {"1000000000000000.0", "1e15"},
            {"0.0001", "1e-4"},
            {"1e-05", "1e-5"},
            {"311.8400000000001", "311.8400000000001"},
            {"-2.5", "-2.5"},
            {"5e-324", "4.9e-324"},
            {"1.7976931348623157e+308", "1.7976931348623157e308"},
            {"123456.789", "123456.789"},
            {"9007199254740992.0", "9007199254740992"},
            {"1.5e+300", "1.5e300"},
            {"2.0", "2"},
            {"0.30000000000000004", "0.30000000000000004"}
        };
        for (String[] c : cases) {
            assertEquals(c[0], PyRepr.ofDouble(Double.parseDouble(c[1])), c[1]);
        }
        assertEquals("nan", PyRepr.ofDouble(Double.NaN));
        assertEquals("-inf", PyRepr.ofDouble(Double.NEGATIVE_INFINITY));
        assertEquals("-0.0", PyRepr.ofDouble(-0.0));
        assertEquals("True", PyRepr.str(true));
        assertEquals("None", PyRepr.str(null));
        assertEquals("'it\\'s'", PyRepr.repr("it's"));
    }

    @Test
    void statisticsAreBoundedAndMergeKeepingTheLargestCounts() {
        ColumnStats a = new ColumnStats(2);
        a.addUnknown("x");
        a.addUnknown("x");
        a.addUnknown("y");
        a.addUnknown("z");
        a.addUnknown(7.0);
        assertEquals(5, a.unknownCount());
        assertEquals(2, a.untrackedUnknownCount());
        ColumnStats b = new ColumnStats(2);
        b.addUnknown(7.0);
        b.addUnknown(7.0);
        b.addUnknown(7.0);
        b.addMissing(4);
        a.merge(b);
        assertEquals(Map.of("7.0", 3L, "x", 2L), a.unknownValues());
        assertEquals(3, a.untrackedUnknownCount());
        assertEquals(8, a.unknownCount());
        assertEquals(4, a.missingCount());
    }

    @Test
    void missingIndicatorOnlyForFittedFeaturesUnlessErrorOnNew() {
        ColumnBatch in = batch("a", new String[] {null, "x"}, "b", new double[] {Double.NaN, 1});
        MissingIndicator m = new MissingIndicator(2, new int[] {0}, false);
        ColumnBatch out = m.transform(in, null);
        assertEquals(List.of("missingindicator_a"), out.names());
        assertArrayEquals(new double[] {1, 0}, doubles(out, 0));
        ScoringException e =
                assertThrows(
                        ScoringException.class,
                        () -> new MissingIndicator(2, new int[] {0}, true).transform(in, null));
        assertEquals("b", e.column());
        assertTrue(e.getMessage().contains("error_on_new=True"), e.getMessage());
    }
}
