package dev.tabscore.bench;

import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.sklearn.Preprocessor;
import dev.tabscore.bundle.sklearn.TransformStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
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
 * The seed-binary preprocessor (scikit-learn 1.9.1: median imputer + StandardScaler on age and
 * income, most_frequent imputer + OneHotEncoder(ignore) on region and channel) on one thread, a
 * batch of 8192 synthetic rows with realistic values, about 5% missing per column and a few unknown
 * categories (case and whitespace variants), written into a reused row-major buffer while counting
 * statistics. One operation is one row: the average time is ns/row and the throughput rows/s per
 * core.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PreprocessorBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PreprocessorBenchmark {

    /** Rows per batch, as the Spark job uses. */
    public static final int BATCH = 8192;

    private static final String[] REGIONS = {
        "north", "south", "east", "west", "central", "North", " east"
    };
    private static final String[] CHANNELS = {"web", "store", "phone", "partner", "Web"};

    /** The preprocessor file, relative to the directory the benchmark runs in. */
    @Param(
            "../bundle-core/src/test/resources/fixtures/sklearn-1.9.1/seed-binary/"
                    + "preprocessor.skops")
    public String skops;

    private Preprocessor preprocessor;
    private ColumnBatch batch;
    private double[] out;
    private TransformStats stats;

    /**
     * Loads the preprocessor and makes the batch.
     *
     * @throws IOException if the file cannot be read
     */
    @Setup
    public void setUp() throws IOException {
        Path path = Path.of(System.getProperty("tabscore.skops", skops));
        preprocessor = Preprocessor.load(Files.readAllBytes(path), path.getFileName().toString());
        Random rnd = new Random(20240611);
        double[] age = new double[BATCH];
        double[] income = new double[BATCH];
        String[] region = new String[BATCH];
        String[] channel = new String[BATCH];
        for (int r = 0; r < BATCH; r++) {
            age[r] =
                    rnd.nextDouble() < 0.05
                            ? Double.NaN
                            : Math.round(18 + Math.abs(rnd.nextGaussian() * 15 + 22));
            income[r] =
                    rnd.nextDouble() < 0.05
                            ? Double.NaN
                            : Math.round(Math.exp(10.8 + rnd.nextGaussian() * 0.5) * 100) / 100.0;
            region[r] = rnd.nextDouble() < 0.05 ? null : pick(rnd, REGIONS, 0.03);
            channel[r] = rnd.nextDouble() < 0.05 ? null : pick(rnd, CHANNELS, 0.02);
        }
        batch =
                ColumnBatch.builder(BATCH)
                        .add("age", new DoubleColumn(age))
                        .add("income", new DoubleColumn(income))
                        .add("region", new StringColumn(region))
                        .add("channel", new StringColumn(channel))
                        .build();
        out = new double[BATCH * preprocessor.width()];
        stats = new TransformStats();
    }

    /** A known value, or with probability {@code unknown} one of the trailing unknown ones. */
    private static String pick(Random rnd, String[] values, double unknown) {
        int known = values == REGIONS ? 5 : 4;
        if (rnd.nextDouble() < unknown) {
            return new String(values[known + rnd.nextInt(values.length - known)]);
        }
        // a fresh String per row, as a row decoder would produce, not the interned literal
        return new String(values[rnd.nextInt(known)]);
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

    /**
     * The same work, reported as rows per second on one core.
     *
     * @return the buffer, so the work is not eliminated
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OperationsPerInvocation(BATCH)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public double[] rowsPerSecond() {
        preprocessor.transform(batch, stats, out, 0);
        return out;
    }
}
