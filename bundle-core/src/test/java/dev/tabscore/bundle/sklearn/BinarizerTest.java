package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static dev.tabscore.bundle.sklearn.Nodes.doubles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tabscore.bundle.ScoringException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BinarizerTest {

    static Stream<Arguments> cases() {
        return SklearnFixture.RELEASES.stream()
                .flatMap(
                        v ->
                                Stream.of("binarizer-default", "binarizer-threshold")
                                        .map(c -> Arguments.of(v, c)));
    }

    /** Fresh rows (NaN, infinities, -0.0, values on the threshold, an int64 column). */
    @ParameterizedTest(name = "sklearn-{0}/{1}")
    @MethodSource("cases")
    void matchesScikitLearnBitForBit(String release, String name) {
        int cells = SklearnFixture.load(release, name).check(SklearnFixture.EXACT);
        assertEquals(true, cells > 100, "cells compared: " + cells);
    }

    @Test
    void valuesAtTheThresholdGoToZero() {
        Binarizer b = new Binarizer(1, 1.5);
        double[] x = {1.5, Math.nextUp(1.5), Math.nextDown(1.5), -0.0, 1e308};
        assertArrayEquals(
                new double[] {0, 1, 0, 0, 1}, doubles(b.transform(batch("a", x), null), 0));
    }

    @Test
    void refusesNanLikeScikitLearn() {
        ScoringException e =
                assertThrows(
                        ScoringException.class,
                        () ->
                                new Binarizer(1, 0)
                                        .transform(batch("a", new double[] {1, Double.NaN}), null));
        assertEquals("column 'a', row 1: Binarizer refuses a missing value (NaN)", e.getMessage());
    }
}
