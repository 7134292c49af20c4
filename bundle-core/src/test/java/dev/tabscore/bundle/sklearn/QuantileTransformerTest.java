package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * QuantileTransformer against real scikit-learn: repeated quantiles (an integer column), a constant
 * column, NaN in training and scoring, values on the quantiles and one ulp beside them, infinities
 * (refused), n_quantiles above n_samples, subsample; quantiles_ is stored Fortran ordered, which
 * the .npy reader transposes.
 */
class QuantileTransformerTest {

    static Stream<Arguments> cases() {
        return SklearnFixture.RELEASES.stream()
                .flatMap(
                        v ->
                                Stream.of(
                                                "quantile-uniform",
                                                "quantile-normal",
                                                "quantile-many",
                                                "quantile-subsample")
                                        .map(c -> Arguments.of(v, c)));
    }

    @ParameterizedTest(name = "sklearn-{0}/{1}")
    @MethodSource("cases")
    void matchesScikitLearn(String release, String name) {
        SklearnFixture f = SklearnFixture.load(release, name);
        boolean normal = !name.equals("quantile-uniform") && !name.equals("quantile-subsample");
        int[] inexact = new int[1];
        int cells =
                f.check(
                        (e, a, batch) -> {
                            if (Double.compare(e, a) == 0) {
                                return true;
                            }
                            inexact[0]++;
                            return normal
                                    && Math.abs(
                                                    Double.doubleToLongBits(e)
                                                            - Double.doubleToLongBits(a))
                                            <= NormalPpfTest.CONTRACT_ULPS;
                        });
        System.out.println(
                "QuantileTransformerTest sklearn-"
                        + release
                        + "/"
                        + name
                        + ": "
                        + cells
                        + " cells, "
                        + inexact[0]
                        + " not bit-exact");
        assertTrue(cells > 400, "cells compared: " + cells);
    }

    @Test
    void interpFollowsNumpyOnRepeatedPoints() {
        double[] xp = {0, 1, 1, 1, 2};
        double[] fp = {0, 0.25, 0.5, 0.75, 1};
        // numpy: the last of the repeated points
        assertEquals(0.75, QuantileTransformer.interp(1, xp, fp));
        assertEquals(0.125, QuantileTransformer.interp(0.5, xp, fp));
        assertEquals(1.0, QuantileTransformer.interp(5, xp, fp));
        assertEquals(0.0, QuantileTransformer.interp(-5, xp, fp));
    }
}
