package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Checks of a run summary's per-column quality statistics (out of range, mean, bin counts, PSI)
 * against direct Spark SQL computations over a temporary view, for {@link QualityMillionRowsTest}.
 * Apart from the test so that how a statistic is recomputed in SQL reads on its own.
 */
final class SummaryStatsSql {

    private SummaryStatsSql() {}

    /** Out of range, mean and the reference bins of a numeric column ({@code expr} over table). */
    static void checkNumeric(JsonNode c, String expr, String table) {
        double min = c.at("/out_of_range/training_min").asDouble();
        double max = c.at("/out_of_range/training_max").asDouble();
        // Spark SQL orders NaN above every number: missing values are not out of range
        Row r =
                sql(
                        "SELECT sum(CASE WHEN v < "
                                + min
                                + " THEN 1 ELSE 0 END), "
                                + "sum(CASE WHEN v > "
                                + max
                                + " AND NOT isnan(v) THEN 1 ELSE 0 END), "
                                + "avg(CASE WHEN NOT isnan(v) THEN v END) FROM (SELECT "
                                + expr
                                + " AS v FROM "
                                + table
                                + ")");
        assertEquals(r.getLong(0), c.at("/out_of_range/below_min").asLong(), expr);
        assertEquals(r.getLong(1), c.at("/out_of_range/above_max").asLong(), expr);
        assertEquals(
                r.getDouble(2),
                c.path("mean").asDouble(),
                1e-12 * Math.abs(r.getDouble(2)),
                expr + " mean");
        checkBins(c, expr, table);
    }

    /**
     * The bin counts: a value is in bin i = the number of inner edges {@code <= v}, missing in the
     * last bin, invalid values in none; then the PSI from those counts.
     */
    static void checkBins(JsonNode c, String expr, String table) {
        JsonNode edges = c.at("/bins/edges");
        StringBuilder bin = new StringBuilder("(0");
        for (int i = 1; i < edges.size() - 1; i++) {
            bin.append(" + CASE WHEN v >= ")
                    .append(edges.get(i).asDouble())
                    .append(" THEN 1 " + "ELSE 0 END");
        }
        bin.append(')');
        int missingBin = edges.size() - 1;
        List<Row> rows =
                JobTesting.spark()
                        .sql(
                                "SELECT CASE WHEN v IS NULL OR isnan(v) THEN "
                                        + missingBin
                                        + " ELSE "
                                        + bin
                                        + " END AS b, count(*) FROM (SELECT "
                                        + expr
                                        + " AS v, "
                                        + validity(expr)
                                        + " AS ok FROM "
                                        + table
                                        + ") WHERE ok GROUP BY b")
                        .collectAsList();
        assertBinsAndPsi(c, rows, expr);
    }

    /** Which rows have a bin: all but an age that is not a number (invalid). */
    private static String validity(String expr) {
        return expr.startsWith("try_cast(age")
                ? "(age IS NULL OR " + expr + " IS NOT NULL)"
                : "true";
    }

    /** The reference bins of a categorical column: each known key, the rest, missing last. */
    static void checkCategorical(JsonNode c, String column, String table) {
        JsonNode keys = c.at("/bins/keys");
        StringBuilder bin =
                new StringBuilder("CASE WHEN " + column + " IS NULL THEN " + keys.size());
        for (int i = 0; i < keys.size() - 1; i++) {
            bin.append(" WHEN ")
                    .append(column)
                    .append(" = '")
                    .append(keys.get(i).asText())
                    .append("' THEN ")
                    .append(i);
        }
        bin.append(" ELSE ").append(keys.size() - 1).append(" END");
        assertBinsAndPsi(
                c,
                JobTesting.spark()
                        .sql("SELECT " + bin + " AS b, count(*) FROM " + table + " GROUP BY b")
                        .collectAsList(),
                column);
    }

    /** The summary's bin counts equal the SQL ones (bin, count), and its PSI follows from them. */
    private static void assertBinsAndPsi(JsonNode c, List<Row> rows, String what) {
        JsonNode counts = c.at("/bins/counts");
        long[] want = new long[counts.size()];
        for (Row r : rows) {
            want[r.getInt(0)] = r.getLong(1);
        }
        List<Long> got = new ArrayList<>();
        counts.forEach(n -> got.add(n.asLong()));
        List<Long> sql = new ArrayList<>();
        for (long w : want) {
            sql.add(w);
        }
        assertEquals(sql, got, what + " bins");
        long total = sql.stream().mapToLong(Long::longValue).sum();
        double psi = 0;
        for (int i = 0; i < want.length; i++) {
            double act = Math.max((double) want[i] / total, 1e-4);
            double exp = Math.max(c.at("/bins/expected").get(i).asDouble(), 1e-4);
            psi += (act - exp) * Math.log(act / exp);
        }
        assertEquals(psi, c.path("psi").asDouble(), 1e-12, what + " psi");
    }

    /** The first row of a Spark SQL query. */
    static Row sql(String q) {
        return JobTesting.spark().sql(q).first();
    }
}
