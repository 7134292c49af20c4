package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.column.ColumnBatch;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PCA and TruncatedSVD against real scikit-learn (1.3.2: centre first; 1.9.1: centre after the
 * projection, whitening scale clipped at eps), within {@link Projection#bound} computed for each
 * row: int and fraction n_components, whiten, a rank-deficient fit, inputs up to 1e3 times the
 * training scale; NaN and infinities refused.
 */
class DecompositionTest {

    static Stream<Arguments> cases() {
        return SklearnFixture.RELEASES.stream()
                .flatMap(
                        v ->
                                Stream.of(
                                                "pca-3",
                                                "pca-whiten",
                                                "pca-fraction",
                                                "pca-whiten-deficient",
                                                "svd-2")
                                        .map(c -> Arguments.of(v, c)));
    }

    @ParameterizedTest(name = "sklearn-{0}/{1}")
    @MethodSource("cases")
    void matchesScikitLearnWithinTheDotProductBound(String release, String name) {
        SklearnFixture f = SklearnFixture.load(release, name);
        Transformer t = f.pre.graph();
        Projection p = t instanceof PCA pca ? pca.projection() : ((TruncatedSVD) t).projection();
        ColumnBatch rows = f.rows;
        int width = rows.columnCount();
        int d = f.pre.width();
        // the row each compared cell belongs to: single rows in order, then the batch rows
        int[] cell = {0};
        int[] rowOf = rowsOfCells(f, d);
        double[] worst = {0};
        int cells =
                f.check(
                        (e, a, batch) -> {
                            int r = rowOf[cell[0]];
                            int j = cell[0] % d;
                            cell[0]++;
                            double[] x = new double[width];
                            for (int i = 0; i < width; i++) {
                                x[i] = (double) rows.column(i).valueAt(r);
                            }
                            double bound = p.bound(x, j);
                            if (Double.compare(e, a) != 0) {
                                worst[0] = Math.max(worst[0], Math.abs(e - a) / bound);
                            }
                            return Double.compare(e, a) == 0 || Math.abs(e - a) <= bound;
                        });
        System.out.println(
                "DecompositionTest sklearn-"
                        + release
                        + "/"
                        + name
                        + ": "
                        + cells
                        + " cells, worst error "
                        + worst[0]
                        + " of the bound");
        assertEquals(cell[0], cells);
        assertTrue(cells > 100, "cells compared: " + cells);
    }

    /** The input row of every cell {@link SklearnFixture#check} compares, in its order. */
    private static int[] rowsOfCells(SklearnFixture f, int d) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int r = 0; r < f.rows.rowCount(); r++) {
            if (!f.doc.get("rows").get(r).has("error")) {
                for (int j = 0; j < d; j++) {
                    out.add(r);
                }
            }
        }
        for (var r : f.doc.get("batch_rows")) {
            for (int j = 0; j < d; j++) {
                out.add(r.asInt());
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
