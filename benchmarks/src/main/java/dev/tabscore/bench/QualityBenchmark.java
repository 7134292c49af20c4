package dev.tabscore.bench;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.ScoredBatch;
import dev.tabscore.bundle.Scorer;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.quality.GuardedScorer;
import dev.tabscore.bundle.quality.InvalidCells;
import dev.tabscore.bundle.quality.QualityModel;
import dev.tabscore.bundle.quality.QualityStats;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the data-quality pass costs on top of scoring, on one thread: the sample bundle (training
 * statistics in its manifest) scoring a batch of 8192 rows (about 5% missing per column, a few
 * unknown categories) with the plain {@link Scorer} (preprocess, float32, model) and with the
 * {@link GuardedScorer} (the same plus the per-column profiles, PSI bins, the row policies and the
 * score distribution). One operation is one row.
 *
 * <pre>
 * java -Dai.djl.offline=true -jar benchmarks/target/benchmarks.jar QualityBenchmark -f 1
 * </pre>
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QualityBenchmark {

    /** Rows per batch, as the Spark job uses. */
    public static final int BATCH = 8192;

    private static final String[] REGIONS = {
        "north", "south", "east", "west", "central", "North", " east"
    };
    private static final String[] CHANNELS = {"web", "store", "phone", "partner", "Web"};

    /** The bundle, relative to the directory the benchmark runs in. */
    @Param("../sample-data/bundle")
    public String bundleDir;

    private Bundle bundle;
    private Scorer scorer;
    private GuardedScorer guarded;
    private QualityModel model;
    private ColumnBatch batch;
    private InvalidCells invalid;

    /** Opens the bundle and makes the batch. */
    @Setup
    public void setUp() {
        bundle =
                Bundle.open(
                        System.getProperty("tabscore.bundle", bundleDir),
                        BundleOptions.defaults().withDevice("cpu"));
        scorer = bundle.newScorer();
        model =
                new QualityModel(
                        bundle,
                        QualityModel.resolvePolicies(
                                bundle.manifest(), bundle.preprocessor(), null, Map.of()));
        guarded = new GuardedScorer(bundle.newScorer(), model);
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
            region[r] = rnd.nextDouble() < 0.05 ? null : REGIONS[rnd.nextInt(REGIONS.length)];
            channel[r] = rnd.nextDouble() < 0.05 ? null : CHANNELS[rnd.nextInt(CHANNELS.length)];
        }
        batch =
                ColumnBatch.builder(BATCH)
                        .add("age", new DoubleColumn(age))
                        .add("income", new DoubleColumn(income))
                        .add("region", new StringColumn(region))
                        .add("channel", new StringColumn(channel))
                        .build();
        invalid = new InvalidCells(4);
        invalid.reset(BATCH);
    }

    /** Closes the scorers and the bundle. */
    @TearDown
    public void tearDown() {
        scorer.close();
        guarded.close();
        bundle.close();
    }

    /**
     * Preprocess + model, no quality pass.
     *
     * @return the predictions
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OperationsPerInvocation(BATCH)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public ScoredBatch plainRowsPerSecond() {
        return scorer.score(batch, null);
    }

    /**
     * The same under the quality pass (statistics reset every batch, as a task would not).
     *
     * @return the result
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OperationsPerInvocation(BATCH)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public GuardedScorer.Result guardedRowsPerSecond() {
        QualityStats stats = model.newStats();
        return guarded.score(batch, invalid, stats);
    }
}
