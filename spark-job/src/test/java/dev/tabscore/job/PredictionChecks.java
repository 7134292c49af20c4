package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The job's predictions against Python's, row by row, the numpy way ({@code allclose}). */
final class PredictionChecks {

    /** numpy.allclose's atol for predictions: float32 forward passes, widened to double. */
    static final double ATOL = 1e-6;

    /** numpy.allclose's rtol for predictions. */
    static final double RTOL = 1e-5;

    private PredictionChecks() {}

    /**
     * Reads a Parquet file (or directory) and appends a 0-based row index column {@code id} that
     * follows the file's row order.
     *
     * @param spark the session
     * @param parquet the file
     * @return the rows with {@code id} last
     */
    static Dataset<Row> withRowIndex(SparkSession spark, Path parquet) {
        Dataset<Row> d = spark.read().parquet(parquet.toString());
        StructType schema = d.schema().add("id", DataTypes.LongType, false);
        JavaRDD<Row> rows =
                d.toJavaRDD()
                        .zipWithIndex()
                        .map(
                                t -> {
                                    Object[] v = new Object[t._1().length() + 1];
                                    for (int i = 0; i < t._1().length(); i++) {
                                        v[i] = t._1().get(i);
                                    }
                                    v[v.length - 1] = t._2();
                                    return RowFactory.create(v);
                                });
        return spark.createDataFrame(rows, schema);
    }

    /**
     * Checks every job output row against Python's, joined by key: same keys on both sides, every
     * numeric column within {@code ATOL + RTOL * |python|}, every string column equal.
     *
     * @param what names the case in messages
     * @param actual the job output
     * @param expected Python's output
     * @param key the join column
     * @param numeric numeric columns to compare
     * @param strings string columns to compare
     * @return the largest absolute difference seen
     */
    static double assertMatches(
            String what,
            Dataset<Row> actual,
            Dataset<Row> expected,
            String key,
            List<String> numeric,
            List<String> strings) {
        Map<Object, Row> exp = new HashMap<>();
        for (Row r : expected.collectAsList()) {
            assertFalse(
                    exp.containsKey(r.getAs(key)),
                    what + ": duplicate expected key " + r.getAs(key));
            exp.put(r.getAs(key), r);
        }
        List<Row> act = actual.collectAsList();
        assertEquals(exp.size(), act.size(), what + ": row count (expected vs actual)");
        double maxDiff = 0;
        List<String> conflicts = new ArrayList<>();
        for (Row a : act) {
            Row e = exp.remove(a.getAs(key));
            if (e == null) {
                conflicts.add(key + "=" + a.getAs(key) + ": not in the expected output");
                continue;
            }
            for (String c : numeric) {
                double p = ((Number) e.getAs(c)).doubleValue();
                double j = ((Number) a.getAs(c)).doubleValue();
                double d = Math.abs(j - p);
                maxDiff = Math.max(maxDiff, d);
                if (!(d <= ATOL + RTOL * Math.abs(p))) {
                    conflicts.add(
                            key
                                    + "="
                                    + a.getAs(key)
                                    + ", "
                                    + c
                                    + ": python "
                                    + p
                                    + " vs java "
                                    + j
                                    + " (|diff| "
                                    + d
                                    + ")");
                }
            }
            for (String c : strings) {
                Object ev = e.getAs(c);
                Object av = a.getAs(c);
                if (!java.util.Objects.equals(ev, av)) {
                    conflicts.add(
                            key
                                    + "="
                                    + a.getAs(key)
                                    + ", "
                                    + c
                                    + ": python '"
                                    + ev
                                    + "' vs java '"
                                    + av
                                    + "'");
                }
            }
        }
        if (!exp.isEmpty()) {
            conflicts.add(
                    exp.size()
                            + " expected keys missing from the output, e.g. "
                            + exp.keySet().iterator().next());
        }
        if (!conflicts.isEmpty()) {
            fail(
                    what
                            + ": "
                            + conflicts.size()
                            + " conflicts; first: "
                            + conflicts.subList(0, Math.min(5, conflicts.size())));
        }
        return maxDiff;
    }
}
