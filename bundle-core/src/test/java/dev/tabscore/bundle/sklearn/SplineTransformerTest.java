package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SplineTransformer against real scikit-learn: every extrapolation (constant, linear at degree 1
 * and 2, continue, error, periodic), uniform / quantile / explicit knots, include_bias off,
 * handle_missing='zeros' (1.8+); fresh values inside, on and beyond the knots, NaN, infinities.
 */
class SplineTransformerTest {

    static Stream<Arguments> cases() {
        return SklearnFixture.RELEASES.stream()
                .flatMap(
                        v ->
                                Stream.of(
                                                "spline-constant",
                                                "spline-linear",
                                                "spline-linear-1",
                                                "spline-continue",
                                                "spline-error",
                                                "spline-periodic",
                                                "spline-array",
                                                "spline-zeros")
                                        .filter(c -> SklearnFixture.exists(v, c))
                                        .map(c -> Arguments.of(v, c)));
    }

    @ParameterizedTest(name = "sklearn-{0}/{1}")
    @MethodSource("cases")
    void matchesScikitLearnBitForBit(String release, String name) {
        int cells = SklearnFixture.load(release, name).check(SklearnFixture.EXACT);
        assertTrue(cells > 300, "cells compared: " + cells);
    }

    @Test
    void remainderFollowsNumpy() {
        assertEquals(1.0, SplineTransformer.remainder(-4.0, 5.0));
        assertEquals(-1.0, SplineTransformer.remainder(4.0, -5.0));
        assertEquals(0.0, SplineTransformer.remainder(-5.0, 5.0));
        assertEquals(
                Double.doubleToLongBits(-0.0),
                Double.doubleToLongBits(SplineTransformer.remainder(5.0, -5.0)));
    }

    @Test
    void remainder32IsFloat32Remainder() {
        // numpy 1.x float32: fmod(-0.3f, 0.7f) = -0.3f, then -0.3f + 0.7f rounded to float32
        assertEquals((double) (-0.3f + 0.7f), SplineTransformer.remainder32(-0.3f, 0.7f));
        assertEquals((double) (2.5f % 0.7f), SplineTransformer.remainder32(2.5f, 0.7f));
        assertTrue(SplineTransformer.fitsFloat32(3.3e38));
        assertTrue(!SplineTransformer.fitsFloat32(3.4e38));
        assertTrue(SplineTransformer.fitsFloat32(Double.NEGATIVE_INFINITY));
    }

    /**
     * Explicit knots 1.7 (not a float32 value) as the upper boundary: float32(1.7) lies above it,
     * inside the knots for numpy 1.x (compared in float32), beyond them for numpy 2. From 1.4 the
     * file does not say which numpy ran, so that one value is refused; its neighbours are scored.
     */
    @Test
    void float32ValueNumpyPlacesDifferentlyIsRefused() {
        double[] t = {-2.7, -1.3, 0.1, 1.7, 3.3};
        double[][] c = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        SplineTransformer.Basis b = new SplineTransformer.Basis(t, c, 1, false, false);
        SplineTransformer st =
                new SplineTransformer(
                        new SplineTransformer.Basis[] {b}, 1, "constant", true, false, true, false);
        ScoringFailure e =
                assertThrows(
                        ScoringFailure.class,
                        () -> st.transform(batch(0.5f, (float) 1.7), new TransformStats()));
        assertEquals(Reason.INPUT_VALUE, e.reason());
        assertEquals(1, e.row(), e.getMessage());
        // float32(-1.3) lies above -1.3: inside for both; Math.nextUp(1.7f) beyond for both
        ColumnBatch out =
                st.transform(batch((float) -1.3, Math.nextUp(1.7f)), new TransformStats());
        assertEquals(3, out.columnCount());
        // numpy 1.x (scikit-learn up to 1.3): float32(1.7) is inside, BSpline (extrapolate=False)
        // gives NaN beyond its last knot, as numpy 1.x scikit-learn does
        SplineTransformer numpy1 =
                new SplineTransformer(
                        new SplineTransformer.Basis[] {b}, 1, "constant", true, false, true, true);
        ColumnBatch n1 = numpy1.transform(batch((float) 1.7), new TransformStats());
        assertTrue(Double.isNaN(((DoubleColumn) n1.column(2)).values()[0]));
    }

    /**
     * The same knots when the manifest names the numpy: numpy 2 (float64 comparison) counts
     * float32(1.7) beyond the knots, as the next float32 value up, and numpy 1.x inside (a NaN
     * spline, as scikit-learn 1.4.2 on numpy 1.26 gives).
     */
    @Test
    void float32ValueAtRoundedKnotIsScoredWhenNumpyIsKnown() {
        double[] t = {-2.7, -1.3, 0.1, 1.7, 3.3};
        double[][] c = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        SplineTransformer.Basis b = new SplineTransformer.Basis(t, c, 1, false, false);
        SplineTransformer numpy2 =
                new SplineTransformer(
                        new SplineTransformer.Basis[] {b},
                        1,
                        "constant",
                        true,
                        false,
                        true,
                        false,
                        true);
        ColumnBatch out =
                numpy2.transform(batch((float) 1.7, Math.nextUp(1.7f)), new TransformStats());
        for (int s = 0; s < out.columnCount(); s++) {
            double[] v = ((DoubleColumn) out.column(s)).values();
            assertEquals(v[1], v[0], "spline " + s);
            assertTrue(!Double.isNaN(v[0]));
        }
        SplineTransformer numpy1 =
                new SplineTransformer(
                        new SplineTransformer.Basis[] {b},
                        1,
                        "constant",
                        true,
                        false,
                        true,
                        true,
                        true);
        ColumnBatch n1 = numpy1.transform(batch((float) 1.7), new TransformStats());
        assertTrue(Double.isNaN(((DoubleColumn) n1.column(2)).values()[0]));
    }

    private static ColumnBatch batch(double... x) {
        return Batches.of(x.length, List.of("x"), new Column[] {new DoubleColumn(x)});
    }
}
