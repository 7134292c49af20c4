package dev.tabscore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.sklearn.Preprocessor;
import dev.tabscore.bundle.sklearn.TransformStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost per row of each transformer added with issue 14, alone: a real scikit-learn 1.9.1
 * fixture ({@code bundle-core/src/test/resources/sklearn-transformers/sklearn-1.9.1/<case>.skops},
 * fitted by {@code make_fixtures.py}) transforming a batch of 8192 rows made by repeating the
 * fixture's rows that scikit-learn accepts (its {@code batch_rows}: ties, values on quantiles and
 * knots, unknown categories), into a reused row-major buffer while counting statistics, on one
 * thread. One operation is one row: ns/row. Each case's input width and output width differ
 * (docs/benchmarks.md lists them beside the figures).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TransformerCostBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Thread)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TransformerCostBenchmark {

    /** Rows per batch, as the Spark job uses. */
    public static final int BATCH = 8192;

    /** The fixture case: one per new transformer and notable option. */
    @Param({
        "binarizer-threshold",
        "variance-threshold",
        "kbest-3",
        "percentile-50",
        "poly-2",
        "poly-3-interaction",
        "spline-linear",
        "spline-periodic",
        "target-binary",
        "target-multiclass",
        "quantile-uniform",
        "quantile-normal",
        "power-yj",
        "power-bc",
        "normalizer-l2",
        "normalizer-max",
        "pca-3",
        "pca-whiten",
        "svd-2",
        "knn-uniform",
        "knn-distance",
        "knn-random-05",
        "knn-random-14",
        "sfm-logreg-default",
        "sfm-forest-default",
        "sfm-gb-clf-default",
        "sfm-adaboost-clf"
    })
    public String fixture;

    /** The fixture directory, relative to the directory the benchmark runs in. */
    @Param("../bundle-core/src/test/resources/sklearn-transformers/sklearn-1.9.1")
    public String dir;

    private Preprocessor preprocessor;
    private ColumnBatch batch;
    private double[] out;
    private TransformStats stats;

    /**
     * Loads the fixture and makes the batch.
     *
     * @throws IOException if a file cannot be read
     */
    @Setup
    public void setUp() throws IOException {
        Path base = Path.of(dir);
        preprocessor =
                Preprocessor.load(
                        Files.readAllBytes(base.resolve(fixture + ".skops")), fixture + ".skops");
        JsonNode doc = new ObjectMapper().readTree(base.resolve(fixture + ".json").toFile());
        JsonNode rows = doc.get("batch_rows");
        int[] pick = new int[BATCH];
        for (int r = 0; r < BATCH; r++) {
            pick[r] = rows.get(r % rows.size()).asInt();
        }
        ColumnBatch.Builder b = ColumnBatch.builder(BATCH);
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("columns").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            b.add(e.getKey(), column(e.getValue(), pick));
        }
        batch = b.build();
        out = new double[BATCH * preprocessor.width()];
        stats = new TransformStats();
    }

    /** The fixture column's values at the picked rows (float.hex / nan / inf, int64, strings). */
    private static Column column(JsonNode col, int[] pick) {
        JsonNode values = col.get("values");
        String dtype = col.get("dtype").asText();
        int n = pick.length;
        if (dtype.equals("float64") || dtype.equals("int64")) {
            double[] d = new double[n];
            for (int r = 0; r < n; r++) {
                d[r] = parse(values.get(pick[r]).asText());
            }
            if (dtype.equals("float64")) {
                return new DoubleColumn(d);
            }
            long[] l = new long[n];
            for (int r = 0; r < n; r++) {
                l[r] = (long) d[r];
            }
            return new LongColumn(l, null);
        }
        String[] s = new String[n];
        for (int r = 0; r < n; r++) {
            JsonNode v = values.get(pick[r]);
            // a fresh String per row, as a row decoder would produce
            s[r] = v.isNull() ? null : new String(v.asText());
        }
        return new StringColumn(s);
    }

    private static double parse(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /**
     * Transforms the batch into the reused buffer; reported as ns per row.
     *
     * @return the buffer, so the work is not eliminated
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OperationsPerInvocation(BATCH)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public double[] nsPerRow() {
        preprocessor.transform(batch, stats, out, 0);
        return out;
    }
}
