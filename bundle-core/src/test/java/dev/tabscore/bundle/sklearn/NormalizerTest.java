package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static dev.tabscore.bundle.sklearn.Nodes.doubles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Normalizer against scikit-learn: the multi-row batch (a Fortran-ordered array, as a branch of a
 * DataFrame sees it) bit for bit; single rows (C-ordered: numpy's SIMD / pairwise sums) within the
 * documented {@code width * 2^-52}; max norm bit for bit both ways.
 */
class NormalizerTest {

    static Stream<Arguments> cases() {
        return SklearnFixture.RELEASES.stream()
                .flatMap(
                        v ->
                                Stream.of(
                                                "normalizer-l2",
                                                "normalizer-l1",
                                                "normalizer-max",
                                                "normalizer-l2-wide",
                                                "normalizer-l1-wide")
                                        .map(c -> Arguments.of(v, c)));
    }

    @ParameterizedTest(name = "sklearn-{0}/{1}")
    @MethodSource("cases")
    void matchesScikitLearnWithinTheContract(String release, String name) {
        SklearnFixture f = SklearnFixture.load(release, name);
        int width = f.pre.width();
        double tol = width * Math.ulp(1.0);
        boolean max = name.contains("max");
        int[] inexact = new int[1];
        int cells =
                f.check(
                        (e, a, batch) -> {
                            if (Double.compare(e, a) == 0) {
                                return true;
                            }
                            inexact[0]++;
                            return !max && !batch && Math.abs(e - a) <= tol;
                        });
        assertTrue(cells > 200, "cells compared: " + cells);
        System.out.println(
                "NormalizerTest sklearn-"
                        + release
                        + "/"
                        + name
                        + ": "
                        + cells
                        + " cells, "
                        + inexact[0]
                        + " single-row cells within "
                        + tol
                        + " not bit-exact");
    }

    @Test
    void tinyAndZeroRowsPassThrough() {
        Normalizer n = new Normalizer(2, Normalizer.Norm.L2);
        var out =
                n.transform(
                        batch(
                                "a",
                                new double[] {0.0, 1e-16, -0.0},
                                "b",
                                new double[] {0.0, 1e-16, 3.0}),
                        null);
        // norms 0 and 1.41e-16 are below 10 * eps: divided by 1
        assertArrayEquals(new double[] {0.0, 1e-16, -0.0}, doubles(out, 0));
        assertArrayEquals(new double[] {0.0, 1e-16, 1.0}, doubles(out, 1));
    }

    /**
     * On a float32 array the cut-off is {@code 10 * finfo(float32).eps} (1.19e-6): rows whose norm
     * is 1e-6 or 5e-7 pass through and one of 1.2e-6 becomes 1, in every norm (numpy 2.4,
     * scikit-learn 1.9.1, {@code normalize(np.float32 rows)}); in float64 all of them are divided.
     */
    @Test
    void float32RowsBelowTenFloat32EpsPassThrough() {
        double[] a = {(float) 1e-6, (float) 1.2e-6, (float) 3e-7};
        double[] b = {0.0, 0.0, (float) -4e-7};
        for (Normalizer.Norm norm : Normalizer.Norm.values()) {
            var out = new Normalizer(2, norm, true).transform(batch("a", a, "b", b), null);
            assertArrayEquals(new double[] {a[0], 1.0, a[2]}, doubles(out, 0), norm.name());
            assertArrayEquals(b, doubles(out, 1), norm.name());
            var wide = new Normalizer(2, norm).transform(batch("a", a, "b", b), null);
            assertEquals(1.0, doubles(wide, 0)[0], norm.name());
        }
    }

    @Test
    void hugeRowsOverflowToZeroAsNumpyDoes() {
        Normalizer n = new Normalizer(2, Normalizer.Norm.L2);
        var out = n.transform(batch("a", new double[] {1e200}, "b", new double[] {1e200}), null);
        assertEquals(0.0, doubles(out, 0)[0]);
        Normalizer m = new Normalizer(2, Normalizer.Norm.MAX);
        out =
                m.transform(
                        batch("a", new double[] {1e308, -4}, "b", new double[] {-1e308, 2}), null);
        assertArrayEquals(new double[] {1.0, -1.0}, doubles(out, 0));
        assertArrayEquals(new double[] {-1.0, 0.5}, doubles(out, 1));
    }
}
