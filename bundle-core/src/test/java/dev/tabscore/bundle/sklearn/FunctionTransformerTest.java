package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static dev.tabscore.bundle.sklearn.Nodes.dict;
import static dev.tabscore.bundle.sklearn.Nodes.doubles;
import static dev.tabscore.bundle.sklearn.Nodes.function;
import static dev.tabscore.bundle.sklearn.Nodes.list;
import static dev.tabscore.bundle.sklearn.Nodes.none;
import static dev.tabscore.bundle.sklearn.Nodes.obj;
import static dev.tabscore.bundle.sklearn.Nodes.objects;
import static dev.tabscore.bundle.sklearn.Nodes.tuple;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionTransformerTest {

    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private static Transformer build(Object func, boolean validate) {
        return new GraphBuilder(SklearnRegistry.standard())
                .build(
                        obj(
                                "sklearn.preprocessing._function_transformer",
                                "FunctionTransformer",
                                "func",
                                func,
                                "inverse_func",
                                none(),
                                "validate",
                                validate,
                                "accept_sparse",
                                false,
                                "check_inverse",
                                true,
                                "feature_names_out",
                                "one-to-one",
                                "kw_args",
                                none(),
                                "inv_kw_args",
                                none()),
                        "",
                        List.of("x"));
    }

    @Test
    void ufuncsFollowNumpyForNegativesNanAndZero() {
        double[] x = {-2, -1, -0.5, -0.0, 0, 4, NAN};
        ColumnBatch in = batch("x", x);
        assertArrayEquals(
                new double[] {NAN, -INF, Math.log1p(-0.5), -0.0, 0, Math.log1p(4), NAN},
                doubles(
                        build(function("numpy.core._multiarray_umath", "log1p"), false)
                                .transform(in, null),
                        0));
        assertArrayEquals(
                new double[] {NAN, NAN, NAN, -INF, -INF, Math.log(4), NAN},
                doubles(build(function("numpy", "log"), false).transform(in, null), 0));
        assertArrayEquals(
                new double[] {NAN, NAN, NAN, -0.0, 0, 2, NAN},
                doubles(
                        build(function("numpy._core.umath", "sqrt"), false).transform(in, null),
                        0));
        assertArrayEquals(
                new double[] {Math.exp(-2), Math.exp(-1), Math.exp(-0.5), 1, 1, Math.exp(4), NAN},
                doubles(build(function("numpy", "exp"), false).transform(in, null), 0));
        assertArrayEquals(
                new double[] {2, 1, 0.5, 0, 0, 4, NAN},
                doubles(build(function("numpy", "absolute"), false).transform(in, null), 0));
    }

    @Test
    void identityPassesTheBatchThroughAndAbsKeepsInts() {
        ColumnBatch in = batch("x", new String[] {"a", null});
        assertSame(in, build(none(), false).transform(in, null));
        LongColumn l =
                (LongColumn)
                        build(function("numpy", "abs"), false)
                                .transform(
                                        batch(
                                                "x",
                                                new LongColumn(
                                                        new long[] {-3, Long.MIN_VALUE}, null)),
                                        null)
                                .column(0);
        assertArrayEquals(new long[] {3, Long.MIN_VALUE}, l.values());
    }

    @Test
    void anInt64ColumnWithANullIsFloat64AsPandasMadeIt() {
        // pandas turns an int64 column with nulls into float64: np.abs(-2^63) is then +2^63
        ColumnBatch in =
                batch(
                        "x",
                        new LongColumn(
                                new long[] {Long.MIN_VALUE, 0, 5},
                                new boolean[] {false, true, false}));
        assertArrayEquals(
                new double[] {0x1p63, NAN, 5},
                doubles(build(function("numpy", "abs"), false).transform(in, null), 0));
        assertArrayEquals(
                new double[] {0x1p63 * 0x1p63, NAN, 25},
                doubles(build(function("numpy", "square"), false).transform(in, null), 0));
        // without a null numpy keeps int64, whose reciprocal is C integer division
        LongColumn r =
                (LongColumn)
                        build(function("numpy", "reciprocal"), false)
                                .transform(
                                        batch("x", new LongColumn(new long[] {2, 1, -1, 0}, null)),
                                        null)
                                .column(0);
        assertArrayEquals(new long[] {0, 1, -1, Long.MIN_VALUE}, r.values());
    }

    @Test
    void boolColumnsFollowNumpysBoolLoopsOrAreRefusedAsNumpyRaises() {
        ColumnBatch in =
                batch(
                        "b",
                        new dev.tabscore.bundle.column.BooleanColumn(
                                new boolean[] {true, false}, null));
        assertArrayEquals(
                new double[] {0x1.5cp1, 1.0},
                doubles(
                        build(function("numpy", "exp"), false).transform(in, null),
                        0)); // float16(e) = 2.71875
        ScoringException e =
                assertThrows(
                        ScoringException.class,
                        () -> build(function("numpy", "negative"), false).transform(in, null));
        assertTrue(
                e.getMessage().contains("np.negative is not defined on a bool column"),
                e.getMessage());
    }

    @Test
    void validateRefusesNanAsCheckArrayDoes() {
        ScoringException e =
                assertThrows(
                        ScoringException.class,
                        () ->
                                build(none(), true)
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
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> build(function("numpy", "frexp"), false));
        assertTrue(
                e.getMessage()
                        .contains(
                                "FunctionTransformer(func=<function numpy.frexp>) is"
                                        + " not supported"),
                e.getMessage());
    }

    /**
     * sin, cos and tan of an inexact input (a step before them is reproduced within a tolerance)
     * refuse the rows whose 5-ulp uncertainty spans a quarter period, an extremum or a pole (fuzzer
     * case 9292-00165: sin of -4.1e18 after PowerTransformer); the same value straight from the
     * data (exact) is scored, as StrictMath agrees with numpy there.
     */
    @Test
    void periodicUfuncsOfAnInexactInputRefuseUnsettledRows() {
        double huge = -4.101736842773529E18;
        double peak = nearExtremum(0x1p40, false); // near 1.1e12: +-6.1e-4 holds sin's extremum
        ColumnBatch in =
                ColumnBatch.builder(4)
                        .add("a", new DoubleColumn(new double[] {0.5, huge, peak, Math.PI / 2}))
                        .build();
        ColumnBatch exact =
                new FunctionTransformer(Ufunc.SIN, false, false, false).transform(in, null);
        assertEquals(StrictMath.sin(huge), ((DoubleColumn) exact.column(0)).values()[1]);
        UnsettledImputationException e =
                assertThrows(
                        UnsettledImputationException.class,
                        () ->
                                new FunctionTransformer(Ufunc.SIN, false, false, true)
                                        .transform(in, null));
        assertEquals(UnsettledImputationException.Cause.UFUNC_RESULT, e.cause());
        // pi/2 is sin's extremum too, but +-1.1e-15 there moves sin by 1e-30: settled
        assertEquals(
                List.of(1, 2),
                e.rows().stream().map(UnsettledImputationException.Row::row).toList());
        assertTrue(
                e.rows().get(0).detail().contains("spans more than a quarter period"),
                e.rows().get(0).detail());
        assertTrue(
                e.rows().get(1).detail().contains("an extremum of np.sin"),
                e.rows().get(1).detail());
        FunctionTransformer cos = new FunctionTransformer(Ufunc.COS, false, false, true);
        assertNull(cos.unsettled(0.5, false));
        assertNull(cos.unsettled(0.0, false), "cos(0) of an inexact 0 is 1.0 either way");
        assertTrue(cos.unsettled(nearExtremum(0x1p40, true), false).contains("extremum of np.cos"));
        FunctionTransformer tan = new FunctionTransformer(Ufunc.TAN, false, false, true);
        assertTrue(tan.unsettled(Math.PI / 2, false).contains("a pole of tan"));
        assertNull(tan.unsettled(0.5, false));
        assertNull(
                new FunctionTransformer(Ufunc.SIN, false, false, true).unsettled(0x1p40, false),
                "2^40: +-6.1e-4 holds no extremum there");
    }

    /**
     * Whether sin's input counts as inexact follows the graph: after np.exp in a Pipeline it does
     * (exp(44) = 1.3e19 is refused as unsettled), in a ColumnTransformer branch beside the exp
     * branch it does not (sin of -2^62 straight from the data scores, fuzzer case 9292-00082), and
     * after that ColumnTransformer it does again.
     */
    @Test
    void inexactInputFollowsTheGraphNotSiblingBranches() {
        ColumnBatch in = batch("x", new double[] {44.0, 1.0}, "y", new double[] {-0x1p62, 2.0});
        Transformer pipe =
                new GraphBuilder(SklearnRegistry.standard())
                        .build(pipeline(ufunc("exp"), ufunc("sin")), "", List.of("x"));
        assertThrows(
                UnsettledImputationException.class,
                () -> pipe.transform(batch("x", new double[] {44.0, 1.0}), null));
        ObjectNode ct =
                obj(
                        "sklearn.compose._column_transformer",
                        "ColumnTransformer",
                        "transformers",
                        list(),
                        "remainder",
                        "drop",
                        "sparse_threshold",
                        0.3,
                        "n_jobs",
                        none(),
                        "transformer_weights",
                        none(),
                        "verbose",
                        false,
                        "verbose_feature_names_out",
                        true,
                        "feature_names_in_",
                        objects("x", "y"),
                        "n_features_in_",
                        2,
                        "_columns",
                        list(list("x"), list("y")),
                        "_transformer_to_input_indices",
                        dict("e", list(0), "s", list(1), "remainder", list()),
                        "_remainder",
                        tuple("remainder", "drop", list()),
                        "sparse_output_",
                        false,
                        "transformers_",
                        list(
                                tuple("e", ufunc("exp"), list("x")),
                                tuple("s", ufunc("sin"), list("y"))));
        ColumnBatch out =
                new GraphBuilder(SklearnRegistry.standard())
                        .build(ct, "", List.of("x", "y"))
                        .transform(in, null);
        assertEquals(StrictMath.sin(-0x1p62), doubles(out, 1)[0]);
        Transformer after =
                new GraphBuilder(SklearnRegistry.standard())
                        .build(pipeline(ct, ufunc("sin")), "", List.of("x", "y"));
        UnsettledImputationException e =
                assertThrows(UnsettledImputationException.class, () -> after.transform(in, null));
        assertEquals("e__x", e.rows().get(0).column());
    }

    private static ObjectNode ufunc(String name) {
        return obj(
                "sklearn.preprocessing._function_transformer",
                "FunctionTransformer",
                "func",
                function("numpy", name),
                "inverse_func",
                none(),
                "validate",
                false,
                "accept_sparse",
                false,
                "check_inverse",
                true,
                "feature_names_out",
                "one-to-one",
                "kw_args",
                none(),
                "inv_kw_args",
                none());
    }

    private static ObjectNode pipeline(ObjectNode first, ObjectNode second) {
        return obj(
                "sklearn.pipeline",
                "Pipeline",
                "steps",
                list(tuple("a", first), tuple("b", second)),
                "transform_input",
                none(),
                "memory",
                none(),
                "verbose",
                false);
    }

    /** The first x from {@code from} up whose 5-ulp interval holds an extremum of sin (or cos). */
    private static double nearExtremum(double from, boolean cos) {
        double delta = 5 * Math.ulp(from);
        for (int i = 0; i < 10_000; i++) {
            double x = from + i * delta;
            double lo = cos ? StrictMath.sin(x - delta) : StrictMath.cos(x - delta);
            double hi = cos ? StrictMath.sin(x + delta) : StrictMath.cos(x + delta);
            if (Math.signum(lo) != Math.signum(hi)) {
                return x;
            }
        }
        throw new AssertionError("no extremum near " + from);
    }
}
