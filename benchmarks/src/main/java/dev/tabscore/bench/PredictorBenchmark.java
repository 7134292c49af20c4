package dev.tabscore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelRunner;
import dev.tabscore.bundle.model.ModelSpec;
import dev.tabscore.bundle.model.Prediction;
import dev.tabscore.bundle.model.djl.DjlEngine;
import dev.tabscore.bundle.model.djl.StateDictRunner;
import dev.tabscore.bundle.model.djl.TorchScriptRunner;
import dev.tabscore.bundle.torch.StateDictReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward-pass throughput of one {@link ModelPredictor} on one thread (libtorch intra-op and
 * inter-op threads set to 1), for the TorchScript and state_dict runners, on the seed-binary
 * sklearn-1.9.1 fixture (MLP 11→64→32→1, sigmoid head). The score is batches per second; rows per
 * second is the score times {@code batch}.
 *
 * <pre>
 * java -Dai.djl.offline=true -jar benchmarks/target/benchmarks.jar PredictorBenchmark \
 *     -f 1 -wi 2 -i 3 -jvmArgs -Dai.djl.offline=true
 * </pre>
 *
 * <p>The fixture is found at {@code -Dtabscore.bench.bundle=<dir>}, by default {@code
 * bundle-core/src/test/resources/fixtures/sklearn-1.9.1/seed-binary} under the working directory.
 * The 64 golden rows are tiled to fill each batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "-Dai.djl.offline=true")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PredictorBenchmark {

    /** Rows per call to {@link ModelPredictor#predict}. */
    @Param({"1", "64", "1024", "8192"})
    public int batch;

    /** Which runner: {@code torchscript} or {@code state_dict}. */
    @Param({"torchscript", "state_dict"})
    public String path;

    private ModelRunner runner;
    private ModelPredictor predictor;
    private float[] features;

    /**
     * Loads the model once per trial, on the CPU, with single-threaded libtorch.
     *
     * @throws IOException if the fixture cannot be read
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        DjlEngine.configureThreads(1, 1);
        Path bundle = Path.of(System.getProperty("tabscore.bench.bundle",
                "bundle-core/src/test/resources/fixtures/sklearn-1.9.1/seed-binary"));
        JsonNode metadata = new ObjectMapper().readTree(bundle.resolve("metadata.json").toFile());
        ModelSpec spec = ModelSpec.fromJson(metadata.get("model"));
        runner = switch (path) {
            case "torchscript" -> TorchScriptRunner.load(
                    Files.readAllBytes(bundle.resolve("model.torchscript.pt")),
                    "model.torchscript.pt", spec, Device.CPU);
            case "state_dict" -> StateDictRunner.load(StateDictReader.read(
                    Files.readAllBytes(bundle.resolve("model_state.pt")), "model_state.pt"),
                    "model_state.pt", spec, Device.CPU);
            default -> throw new IllegalArgumentException("path must be torchscript or "
                    + "state_dict, got " + path);
        };
        predictor = runner.newPredictor();
        features = tile(goldenFeatures(bundle, metadata), spec.inputWidth(), batch);
    }

    /**
     * Runs one batch.
     *
     * @return the prediction, returned so JMH keeps it
     */
    @Benchmark
    public Prediction predict() {
        return predictor.predict(features, batch);
    }

    /** Closes the predictor and the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        predictor.close();
        runner.close();
    }

    /** The golden feature columns as float32, row-major. */
    private static float[] goldenFeatures(Path bundle, JsonNode metadata) throws IOException {
        List<String> lines = Files.readAllLines(bundle.resolve("golden_output.csv"));
        List<String> header = List.of(lines.get(0).split(",", -1));
        JsonNode names = metadata.get("feature_names_out");
        int rows = lines.size() - 1;
        float[] out = new float[rows * names.size()];
        for (int r = 0; r < rows; r++) {
            String[] cells = lines.get(r + 1).split(",", -1);
            for (int j = 0; j < names.size(); j++) {
                out[r * names.size() + j] =
                        (float) Double.parseDouble(cells[header.indexOf(names.get(j).asText())]);
            }
        }
        return out;
    }

    private static float[] tile(float[] rows, int width, int count) {
        float[] out = new float[count * width];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows[i % rows.length];
        }
        return out;
    }
}
