package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static dev.tabscore.bundle.sklearn.Nodes.doubles;
import static dev.tabscore.bundle.sklearn.Nodes.f8;
import static dev.tabscore.bundle.sklearn.Nodes.float64;
import static dev.tabscore.bundle.sklearn.Nodes.i8;
import static dev.tabscore.bundle.sklearn.Nodes.list;
import static dev.tabscore.bundle.sklearn.Nodes.none;
import static dev.tabscore.bundle.sklearn.Nodes.obj;
import static dev.tabscore.bundle.sklearn.Nodes.objects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.ColumnBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class KBinsDiscretizerTest {

    private static final double[] EDGES = {7.1, 72.5, 123.6, 178.8, 311.8400000000001, 8200.9};

    @Test
    void valuesOnEdgesGoUpAndTheirNeighboursStay() {
        KBinsDiscretizer k = new KBinsDiscretizer(new double[][] {EDGES}, null);
        double e = 311.8400000000001;
        double[] x = {
            Math.nextDown(e),
            e,
            Math.nextUp(e),
            311.84000000000003,
            311.84000000000015,
            0,
            7.1,
            72.5,
            Math.nextDown(72.5),
            8200.9,
            1e9,
            -1e9
        };
        double[] want = {3, 4, 4, 3, 4, 0, 0, 1, 0, 4, 4, 0};
        assertArrayEquals(want, doubles(k.transform(batch("s", x), null), 0));
    }

    @Test
    void refusesNanAndInfinity() {
        KBinsDiscretizer k = new KBinsDiscretizer(new double[][] {EDGES}, null);
        ScoringException e =
                assertThrows(
                        ScoringException.class,
                        () -> k.transform(batch("secs", new double[] {1, Double.NaN}), null));
        assertEquals(
                "column 'secs', row 1: KBinsDiscretizer refuses a missing value (NaN)",
                e.getMessage());
        assertThrows(
                ScoringException.class,
                () -> k.transform(batch("secs", new double[] {Double.POSITIVE_INFINITY}), null));
    }

    @Test
    void oneHotDenseGoesThroughTheFittedEncoder() {
        Object encoder =
                obj(
                        "sklearn.preprocessing._encoders",
                        "OneHotEncoder",
                        "categories",
                        list(i8(0, 1, 2, 3)),
                        "sparse_output",
                        false,
                        "dtype",
                        float64(),
                        "handle_unknown",
                        "ignore",
                        "drop",
                        none(),
                        "min_frequency",
                        none(),
                        "max_categories",
                        none(),
                        "_infrequent_enabled",
                        false,
                        "n_features_in_",
                        1,
                        "categories_",
                        list(f8(0, 1, 2, 3)),
                        "drop_idx_",
                        none(),
                        "_n_features_outs",
                        list(4));
        Transformer t =
                new GraphBuilder(SklearnRegistry.standard())
                        .build(
                                obj(
                                        "sklearn.preprocessing._discretization",
                                        "KBinsDiscretizer",
                                        "n_bins",
                                        4,
                                        "encode",
                                        "onehot-dense",
                                        "strategy",
                                        "uniform",
                                        "dtype",
                                        none(),
                                        "subsample",
                                        none(),
                                        "random_state",
                                        none(),
                                        "n_features_in_",
                                        1,
                                        "bin_edges_",
                                        objects(f8(1.0, 5.25, 9.5, 13.75, 18.0)),
                                        "n_bins_",
                                        i8(4),
                                        "_encoder",
                                        encoder),
                                "",
                                List.of("pages"));
        assertEquals(
                List.of("pages_0.0", "pages_1.0", "pages_2.0", "pages_3.0"),
                t.featureNamesOut(List.of("pages")));
        ColumnBatch out = t.transform(batch("pages", new double[] {9.5, 0}), null);
        assertArrayEquals(new double[] {0, 1}, doubles(out, 0));
        assertArrayEquals(new double[] {1, 0}, doubles(out, 2));
    }
}
