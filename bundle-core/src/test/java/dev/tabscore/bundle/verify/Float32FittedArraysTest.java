package dev.tabscore.bundle.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.sklearn.TransformStats;
import dev.tabscore.bundle.sklearn.UnsettledImputationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Differential-fuzzer findings (seed 9292) where a fitted array is float32 because scikit-learn
 * fitted the step on float32 input, once refused at verify (exit 20). The bundles are the fuzzer's
 * own, copied as found ({@code src/test/resources/difffuzz/float32-attrs/<release>-<case>} with its
 * graph.txt, the fresh rows input.parquet and scikit-learn's features.parquet of them):
 *
 * <ul>
 *   <li>1.2.2 00030 / 00075: {@code SelectPercentile.scores_} float32 (f_classif on a float32
 *       KBinsDiscretizer output);
 *   <li>1.4.2 / 1.6.1 00023: {@code RobustScaler.center_} float32 after a pandas-output
 *       ColumnTransformer whose one float64 branch (a SelectPercentile) kept no column: {@code
 *       pd.concat} adds nothing of it, so the frame is all float32;
 *   <li>1.8.0 00149: {@code SelectFromModel(LinearRegression, threshold='median')} with a float32
 *       {@code coef_}, the median of its abs computed in float32.
 * </ul>
 *
 * Each bundle verifies (golden replay inside {@link Bundle#open}), and the fresh rows give
 * scikit-learn's features bit for bit.
 */
class Float32FittedArraysTest {

    private static final Path DIR = Paths.get("src/test/resources/difffuzz/float32-attrs");

    @ParameterizedTest
    @CsvSource({
        "1.2.2-9292-00030, SelectPercentile",
        "1.2.2-9292-00075, SelectPercentile",
        "1.4.2-9292-00023, RobustScaler",
        "1.6.1-9292-00023, RobustScaler",
        "1.8.0-9292-00149, SelectFromModel"
    })
    void verifiesAndScoresFreshRowsAsScikitLearn(String name, String step) throws Exception {
        Path dir = DIR.resolve(name);
        String graph = Files.readString(dir.resolve("graph.txt"), StandardCharsets.UTF_8);
        assertTrue(graph.contains(step), name + " holds " + step);
        ColumnBatch input =
                ParquetColumns.read(
                        Files.readAllBytes(dir.resolve("input.parquet")), "input.parquet");
        ColumnBatch want =
                ParquetColumns.read(
                        Files.readAllBytes(dir.resolve("features.parquet")), "features.parquet");
        long[] rows = ((LongColumn) want.column("row")).values();
        int[] sel = new int[rows.length];
        for (int i = 0; i < sel.length; i++) {
            sel[i] = (int) rows[i];
        }
        try (Bundle b =
                Bundle.open(
                        dir.resolve("bundle").toString(),
                        BundleOptions.defaults().withDevice("cpu"))) {
            // rows whose value scikit-learn leaves to the CPU (cos of an inexact 1e308) are
            // rejected
            // as unsettled, as the job rejects them; every other row must match bit for bit
            double[] got = null;
            int unsettled = 0;
            while (got == null) {
                try {
                    got = b.preprocessor().transform(input.select(sel), new TransformStats());
                } catch (UnsettledImputationException e) {
                    Set<Integer> drop = new HashSet<>();
                    e.rows().forEach(r -> drop.add(r.row()));
                    unsettled += drop.size();
                    sel = keep(sel, drop);
                    want = want.select(keep(range(want.rowCount()), drop));
                    rows = ((LongColumn) want.column("row")).values();
                }
            }
            assertTrue(unsettled <= 4, name + ": " + unsettled + " rows unsettled");
            int width = want.columnCount() - 1;
            assertEquals(width, b.preprocessor().featureNamesOut().size(), name);
            assertEquals((long) sel.length * width, got.length, name);
            for (int j = 0; j < width; j++) {
                Column c = want.column(j + 1);
                double[] py = ((DoubleColumn) c).values();
                for (int r = 0; r < sel.length; r++) {
                    double java = got[r * width + j];
                    assertEquals(
                            Double.doubleToRawLongBits(py[r]),
                            Double.doubleToRawLongBits(java),
                            name
                                    + " row "
                                    + sel[r]
                                    + " feature "
                                    + want.names().get(j + 1)
                                    + ": "
                                    + py[r]
                                    + " vs "
                                    + java);
                }
            }
            assertTrue(sel.length > 0, name + " has fresh rows scikit-learn scored");
        }
    }

    private static int[] keep(int[] idx, Set<Integer> dropPositions) {
        return java.util.stream.IntStream.range(0, idx.length)
                .filter(i -> !dropPositions.contains(i))
                .map(i -> idx[i])
                .toArray();
    }

    private static int[] range(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }
}
