package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
