package dev.tabscore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelRunner;
import dev.tabscore.bundle.model.ModelSpec;
import dev.tabscore.bundle.model.Prediction;
import dev.tabscore.bundle.model.djl.DjlEngine;
import dev.tabscore.bundle.model.djl.OnnxRunner;
import dev.tabscore.bundle.model.djl.StateDictRunner;
import dev.tabscore.bundle.model.djl.TorchScriptRunner;
import dev.tabscore.bundle.torch.StateDictReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
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
 * Forward-pass throughput of one {@link ModelPredictor} on one thread (libtorch and ONNX Runtime
 * intra-op and inter-op threads set to 1), per model artifact kind (state_dict, ONNX, TorchScript)
 * and network: {@code seed-binary} (the sklearn-1.9.1 fixture's MLP 11→64→32→1) and {@code
 * mlp-20-128-64-32-1}, both with a sigmoid head. The score is batches per second; rows per second
 * is the score times {@code batch}.
 *
 * <pre>
 * java -Dai.djl.offline=true -jar benchmarks/target/benchmarks.jar PredictorBenchmark \
 *     -f 1 -wi 2 -i 3 -jvmArgs -Dai.djl.offline=true
 * </pre>
 *
 * <p>The networks are in {@code benchmarks/models/<network>/} ({@code
 * scripts/bench/make_model_bench_fixtures.py}: model.json with the manifest's /model object and the
 * three artifacts), found under {@code -Dtabscore.bench.models=<dir>}, by default {@code
 * benchmarks/models} under the working directory. The inputs are seeded Gaussian rows.
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

    /** Which runner: {@code state_dict}, {@code onnx} or {@code torchscript}. */
    @Param({"state_dict", "onnx", "torchscript"})
    public String path;

    /** Which network: a folder of {@code benchmarks/models}. */
    @Param({"seed-binary", "mlp-20-128-64-32-1"})
    public String network;

    private ModelRunner runner;
    private ModelPredictor predictor;
    private float[] features;

    /**
     * Loads the model once per trial, on the CPU, single-threaded.
     *
     * @throws IOException if the model files cannot be read
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        DjlEngine.configureThreads(1, 1);
        Path dir =
                Path.of(System.getProperty("tabscore.bench.models", "benchmarks/models"))
                        .resolve(network);
        JsonNode model = new ObjectMapper().readTree(dir.resolve("model.json").toFile());
        ModelSpec spec = ModelSpec.fromJson(model);
        String file = model.get(path).asText();
        byte[] bytes = Files.readAllBytes(dir.resolve(file));
        runner =
                switch (path) {
                    case "torchscript" -> TorchScriptRunner.load(bytes, file, spec, Device.CPU);
                    case "onnx" -> OnnxRunner.load(bytes, file, spec, Device.CPU);
                    case "state_dict" ->
                            StateDictRunner.load(
                                    StateDictReader.read(bytes, file), file, spec, Device.CPU);
                    default ->
                            throw new IllegalArgumentException(
                                    "path must be state_dict, onnx or "
                                            + "torchscript, got "
                                            + path);
                };
        predictor = runner.newPredictor();
        features = new float[batch * spec.inputWidth()];
        Random random = new Random(7);
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextGaussian();
        }
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
}
