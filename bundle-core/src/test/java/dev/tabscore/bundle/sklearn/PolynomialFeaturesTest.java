package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static dev.tabscore.bundle.sklearn.Nodes.doubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolynomialFeaturesTest {

    static Stream<Arguments> cases() {
        return SklearnFixture.RELEASES.stream()
                .flatMap(
                        v ->
                                Stream.of(
                                                "poly-2",
                                                "poly-3-interaction",
                                                "poly-F",
                                                "poly-range",
                                                "poly-range-bias")
                                        .map(c -> Arguments.of(v, c)));
    }

    /** degree 2 and 3, (min, max) tuples, interaction_only, include_bias, order='F'. */
    @ParameterizedTest(name = "sklearn-{0}/{1}")
    @MethodSource("cases")
    void matchesScikitLearnBitForBit(String release, String name) {
        int cells = SklearnFixture.load(release, name).check(SklearnFixture.EXACT);
        assertTrue(cells > 300, "cells compared: " + cells);
    }

    @Test
    void cubesReuseTheSquareAsScikitLearnDoes() {
        PolynomialFeatures p = new PolynomialFeatures(2, 0, 3, false, false);
        assertEquals(
                List.of("a", "b", "a^2", "a b", "b^2", "a^3", "a^2 b", "a b^2", "b^3"),
                p.featureNamesOut(List.of("a", "b")));
        double x = 1.1;
        double y = 3.3;
        var out = p.transform(batch("a", new double[] {x}, "b", new double[] {y}), null);
        assertEquals(x * x * x, doubles(out, 5)[0]);
        assertEquals((x * x) * y, doubles(out, 6)[0]);
        assertEquals((x * y) * y, doubles(out, 7)[0]);
    }
}
