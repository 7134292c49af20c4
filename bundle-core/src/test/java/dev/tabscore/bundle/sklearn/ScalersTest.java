package dev.tabscore.bundle.sklearn;

import static dev.tabscore.bundle.sklearn.Nodes.batch;
import static dev.tabscore.bundle.sklearn.Nodes.doubles;
import static dev.tabscore.bundle.sklearn.Nodes.f8;
import static dev.tabscore.bundle.sklearn.Nodes.obj;
import static dev.tabscore.bundle.sklearn.Nodes.tuple;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.skops.NpyArray;
import dev.tabscore.bundle.skops.SkopsNode.NumpyArray;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalersTest {

    private static final double NAN = Double.NaN;

    @Test
    void standardScalerSubtractsThenDivides() {
        double mean = 0.1;
        double scale = 0.3;
        StandardScaler s = new StandardScaler(1, new double[] {mean}, new double[] {scale});
        double x = 0.7;
        ColumnBatch out = s.transform(batch("x", new double[] {x, NAN}), null);
        assertEquals((x - mean) / scale, doubles(out, 0)[0]);
        assertEquals(NAN, doubles(out, 0)[1]);
    }

    @Test
    void zeroVarianceIsStoredAsScaleOneSoAConstantColumnMapsToXMinusMean() {
        StandardScaler s = new StandardScaler(1, new double[] {3.0}, new double[] {1.0});
        assertArrayEquals(
                new double[] {2.0}, doubles(s.transform(batch("x", new double[] {5.0}), null), 0));
    }

    @Test
    void withMeanFalseOnlyDividesAndIntsAreConverted() {
        StandardScaler s = new StandardScaler(1, null, new double[] {2.0});
        ColumnBatch out =
                s.transform(
                        batch("x", new LongColumn(new long[] {4, 0}, new boolean[] {false, true})),
                        null);
        assertArrayEquals(new double[] {2.0, NAN}, doubles(out, 0));
    }

    @Test
    void minMaxScalerMultipliesThenAddsAndClipsOnlyWhenAsked() {
        MinMaxScaler s =
                new MinMaxScaler(new double[] {1 / 0.6}, new double[] {-0.1 / 0.6}, false, 0, 1);
        double x = 0.3;
        double[] y = doubles(s.transform(batch("x", new double[] {x, 500, NAN}), null), 0);
        assertEquals(x * (1 / 0.6) + (-0.1 / 0.6), y[0]);
        assertEquals(500 * (1 / 0.6) + (-0.1 / 0.6), y[1]);
        assertEquals(NAN, y[2]);
        MinMaxScaler clip = new MinMaxScaler(new double[] {1}, new double[] {0}, true, 0, 1);
        assertArrayEquals(
                new double[] {0.0, 1.0, 0.5, NAN, 0.0},
                doubles(clip.transform(batch("x", new double[] {-3, 7, 0.5, NAN, -0.0}), null), 0));
    }

    @Test
    void maxAbsAndRobustScalers() {
        MaxAbsScaler m = new MaxAbsScaler(new double[] {4}, false);
        assertArrayEquals(
                new double[] {-0.25, NAN},
                doubles(m.transform(batch("x", new double[] {-1, NAN}), null), 0));
        RobustScaler r =
                new RobustScaler(
                        1, new double[] {7.307202314764738}, new double[] {0.4539060586762069});
        double x = 8.1;
        assertEquals(
                (x - 7.307202314764738) / 0.4539060586762069,
                doubles(r.transform(batch("x", new double[] {x}), null), 0)[0]);
        RobustScaler noScale = new RobustScaler(1, new double[] {1}, null);
        assertArrayEquals(
                new double[] {1},
                doubles(noScale.transform(batch("x", new double[] {2}), null), 0));
    }

    @Test
    void refusesInfinityNamingTheRow() {
        StandardScaler s = new StandardScaler(1, new double[] {0}, new double[] {1});
        ScoringException e =
                assertThrows(
                        ScoringException.class,
                        () ->
                                s.transform(
                                        batch("income", new double[] {1, Double.NEGATIVE_INFINITY}),
                                        null));
        assertEquals("income", e.column());
        assertEquals(1, e.row());
        assertTrue(e.getMessage().contains("-inf"), e.getMessage());
    }

    @Test
    void readsSamplesSeenInEveryStoredForm() {
        NumpyArray i64 =
                new NumpyArray(
                        "/t",
                        "int64",
                        new NpyArray("<i8", new long[0], null, new long[] {5000}, null));
        NumpyArray f64 =
                new NumpyArray(
                        "/t",
                        "float64",
                        new NpyArray("<f8", new long[0], new double[] {5000}, null, null));
        for (Object seen : new Object[] {i64, f64, 5000}) {
            Transformer t =
                    new GraphBuilder(SklearnRegistry.standard())
                            .build(
                                    obj(
                                            "sklearn.preprocessing._data",
                                            "StandardScaler",
                                            "with_mean",
                                            true,
                                            "with_std",
                                            true,
                                            "copy",
                                            true,
                                            "n_features_in_",
                                            1,
                                            "n_samples_seen_",
                                            seen,
                                            "mean_",
                                            f8(1),
                                            "var_",
                                            f8(4),
                                            "scale_",
                                            f8(2)),
                                    "",
                                    List.of("x"));
            assertArrayEquals(
                    new double[] {0.5},
                    doubles(t.transform(batch("x", new double[] {2}), null), 0));
        }
    }

    @Test
    void refusesWidthMismatchesAtLoad() {
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                new GraphBuilder(SklearnRegistry.standard())
                                        .build(
                                                obj(
                                                        "sklearn.preprocessing._data",
                                                        "MinMaxScaler",
                                                        "feature_range",
                                                        tuple(0, 1),
                                                        "copy",
                                                        true,
                                                        "clip",
                                                        false,
                                                        "n_features_in_",
                                                        2,
                                                        "n_samples_seen_",
                                                        10,
                                                        "scale_",
                                                        f8(1),
                                                        "min_",
                                                        f8(0, 0),
                                                        "data_min_",
                                                        f8(0),
                                                        "data_max_",
                                                        f8(1),
                                                        "data_range_",
                                                        f8(1)),
                                                "steps[1] 'scaler'",
                                                List.of("a", "b")));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "steps[1] 'scaler': MinMaxScaler: scale_ has 1"
                                        + " values for 2 columns"),
                e.getMessage());
    }

    @Test
    void nonFiniteFittedParametersComputeAsNumpyDoes() {
        // scikit-learn fits NaN (a column missing in every training row) and inf (a variance that
        // overflows) and transforms with them: x * nan + 0 is nan, x * inf + 0 is inf, -0.0 * inf
        // nan
        Transformer s =
                new GraphBuilder(SklearnRegistry.standard())
                        .build(
                                obj(
                                        "sklearn.preprocessing._data",
                                        "MinMaxScaler",
                                        "feature_range",
                                        tuple(0, 1),
                                        "copy",
                                        true,
                                        "clip",
                                        false,
                                        "n_features_in_",
                                        2,
                                        "n_samples_seen_",
                                        10,
                                        "scale_",
                                        f8(NAN, Double.POSITIVE_INFINITY),
                                        "min_",
                                        f8(0, 0),
                                        "data_min_",
                                        f8(NAN, 0),
                                        "data_max_",
                                        f8(NAN, 1e-310),
                                        "data_range_",
                                        f8(NAN, 1e-310)),
                                "steps[1] 'scaler'",
                                List.of("a", "b"));
        ColumnBatch out =
                s.transform(
                        batch("a", new double[] {1.0, 2.0}, "b", new double[] {2.0, -0.0}), null);
        assertTrue(Double.isNaN(doubles(out, 0)[0]) && Double.isNaN(doubles(out, 0)[1]));
        assertEquals(Double.POSITIVE_INFINITY, doubles(out, 1)[0]);
        assertTrue(Double.isNaN(doubles(out, 1)[1]));
    }
}
