package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static dev.tabscore.bundle.sklearn.Nodes.doubles;
import static dev.tabscore.bundle.sklearn.Nodes.function;
import static dev.tabscore.bundle.sklearn.Nodes.none;
import static dev.tabscore.bundle.sklearn.Nodes.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.LongColumn;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionTransformerTest {

    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private static Transformer build(Object func, boolean validate) {
        return new GraphBuilder(SklearnRegistry.standard()).build(obj(
                "sklearn.preprocessing._function_transformer", "FunctionTransformer",
                "func", func, "inverse_func", none(), "validate", validate,
                "accept_sparse", false, "check_inverse", true,
                "feature_names_out", "one-to-one", "kw_args", none(), "inv_kw_args", none()),
                "", List.of("x"));
    }

    @Test
    void ufuncsFollowNumpyForNegativesNanAndZero() {
        double[] x = {-2, -1, -0.5, -0.0, 0, 4, NAN};
        ColumnBatch in = batch("x", x);
        assertArrayEquals(new double[] {NAN, -INF, Math.log1p(-0.5), -0.0, 0, Math.log1p(4),
            NAN}, doubles(build(function("numpy.core._multiarray_umath", "log1p"), false)
                .transform(in, null), 0));
        assertArrayEquals(new double[] {NAN, NAN, NAN, -INF, -INF, Math.log(4), NAN},
                doubles(build(function("numpy", "log"), false).transform(in, null), 0));
        assertArrayEquals(new double[] {NAN, NAN, NAN, -0.0, 0, 2, NAN},
                doubles(build(function("numpy._core.umath", "sqrt"), false)
                        .transform(in, null), 0));
        assertArrayEquals(new double[] {Math.exp(-2), Math.exp(-1), Math.exp(-0.5), 1, 1,
            Math.exp(4), NAN}, doubles(build(function("numpy", "exp"), false)
                .transform(in, null), 0));
        assertArrayEquals(new double[] {2, 1, 0.5, 0, 0, 4, NAN},
                doubles(build(function("numpy", "absolute"), false).transform(in, null), 0));
    }

    @Test
    void identityPassesTheBatchThroughAndAbsKeepsInts() {
        ColumnBatch in = batch("x", new String[] {"a", null});
        assertSame(in, build(none(), false).transform(in, null));
        LongColumn l = (LongColumn) build(function("numpy", "abs"), false).transform(batch("x",
                new LongColumn(new long[] {-3, Long.MIN_VALUE}, null)), null).column(0);
        assertArrayEquals(new long[] {3, Long.MIN_VALUE}, l.values());
    }

    @Test
    void anInt64ColumnWithANullIsFloat64AsPandasMadeIt() {
        // pandas turns an int64 column with nulls into float64: np.abs(-2^63) is then +2^63
        ColumnBatch in = batch("x", new LongColumn(new long[] {Long.MIN_VALUE, 0, 5},
                new boolean[] {false, true, false}));
        assertArrayEquals(new double[] {0x1p63, NAN, 5}, doubles(build(function("numpy", "abs"),
                false).transform(in, null), 0));
        assertArrayEquals(new double[] {0x1p63 * 0x1p63, NAN, 25}, doubles(build(function(
                "numpy", "square"), false).transform(in, null), 0));
        // without a null numpy keeps int64, whose reciprocal is C integer division
        LongColumn r = (LongColumn) build(function("numpy", "reciprocal"), false).transform(
                batch("x", new LongColumn(new long[] {2, 1, -1, 0}, null)), null).column(0);
        assertArrayEquals(new long[] {0, 1, -1, Long.MIN_VALUE}, r.values());
    }

    @Test
    void boolColumnsFollowNumpysBoolLoopsOrAreRefusedAsNumpyRaises() {
        ColumnBatch in = batch("b", new dev.tabscore.bundle.column.BooleanColumn(
                new boolean[] {true, false}, null));
        assertArrayEquals(new double[] {0x1.5cp1, 1.0}, doubles(build(function("numpy", "exp"),
                false).transform(in, null), 0)); // float16(e) = 2.71875
        ScoringException e = assertThrows(ScoringException.class, () -> build(function("numpy",
                "negative"), false).transform(in, null));
        assertTrue(e.getMessage().contains("np.negative is not defined on a bool column"),
                e.getMessage());
    }

    @Test
    void validateRefusesNanAsCheckArrayDoes() {
        ScoringException e = assertThrows(ScoringException.class, () -> build(none(), true)
                .transform(batch("x", new double[] {1, NAN}), null));
        assertEquals(1, e.row());
    }

    @Test
    void trustsAndBuildsOnlyTheImplementedUfuncs() {
        SklearnRegistry reg = SklearnRegistry.standard();
        assertTrue(reg.trustsFunction("numpy.core._multiarray_umath", "log1p"));
        assertTrue(reg.trustsFunction("numpy", "sqrt"));
        assertTrue(reg.trustsFunction("numpy", "sin"));
        assertFalse(reg.trustsFunction("numpy", "frexp"));
        assertFalse(reg.trustsFunction("os", "log1p"));
        BundleFormatException e = assertThrows(BundleFormatException.class,
                () -> build(function("numpy", "frexp"), false));
        assertTrue(e.getMessage().contains("FunctionTransformer(func=<function numpy.frexp>) is"
                + " not supported"), e.getMessage());
    }
}
