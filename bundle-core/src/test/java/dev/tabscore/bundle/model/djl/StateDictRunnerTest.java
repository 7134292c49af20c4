package dev.tabscore.bundle.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.LayerSpec;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelRunner;
import dev.tabscore.bundle.model.ModelSpec;
import dev.tabscore.bundle.model.OutputHead;
import dev.tabscore.bundle.model.Prediction;
import dev.tabscore.bundle.torch.StateDictReader;
import dev.tabscore.bundle.torch.Tensor;
import dev.tabscore.bundle.torch.TestTensors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StateDictRunnerTest {

    private static final GoldenFixture SEED = GoldenFixture.load("sklearn-1.9.1", "seed-binary");
    private static final Map<String, Tensor> SEED_WEIGHTS =
            StateDictReader.read(SEED.bytes("model_state.pt"), "model_state.pt");

    @Test
    void dropoutLayersOccupySequentialIndices() {
        // Linear, ReLU, Dropout, Linear, ReLU, Dropout, Linear: keys 0., 3., 6.
        ModelSpec spec =
                new ModelSpec(
                        11,
                        1,
                        OutputHead.SIGMOID,
                        List.of(
                                new LayerSpec.Linear(11, 64, true),
                                new LayerSpec.ReLU(),
                                new LayerSpec.Dropout(0.2),
                                new LayerSpec.Linear(64, 32, true),
                                new LayerSpec.ReLU(),
                                new LayerSpec.Dropout(0.2),
                                new LayerSpec.Linear(32, 1, true)));
        Map<String, Tensor> renamed = new LinkedHashMap<>();
        Map<String, String> keys = Map.of("0", "0", "2", "3", "4", "6");
        SEED_WEIGHTS.forEach(
                (key, tensor) -> {
                    String index = key.substring(0, key.indexOf('.'));
                    String name = keys.get(index) + key.substring(key.indexOf('.'));
                    float[] values = tensor.toFloats();
                    renamed.put(name, Tensor.ofFloats(name, tensor.shape(), values));
                });

        try (ModelRunner runner = StateDictRunner.load(renamed, "renamed.pt", spec, Device.CPU);
                ModelPredictor predictor = runner.newPredictor()) {
            Prediction p = predictor.predict(SEED.features(), SEED.rows());
            for (int r = 0; r < SEED.rows(); r++) {
                assertEquals(
                        SEED.columns().get("prob")[r],
                        p.head(r, 0),
                        1e-5 * SEED.columns().get("prob")[r] + 1e-6);
            }
        }
    }

    /**
     * One predictor over batches of changing size (its staging buffer grown, then reused for a
     * smaller batch) and a network whose activations are freed layer by layer: every batch equals
     * the same rows scored alone by a fresh predictor, and the TorchScript of the same weights bit
     * for bit (the same libtorch kernels in the same order).
     */
    @Test
    void reusedPredictorAgreesWithFreshOnesAndWithTorchScriptBitForBit() {
        int width = SEED.spec().inputWidth();
        Random random = new Random(11);
        float[] big = new float[8192 * width];
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) (random.nextGaussian() * 3);
        }
        float[] small = java.util.Arrays.copyOfRange(SEED.features(), 0, 5 * width);
        try (ModelRunner stateDict =
                        StateDictRunner.load(
                                SEED_WEIGHTS, "model_state.pt", SEED.spec(), Device.CPU);
                ModelRunner torchScript =
                        TorchScriptRunner.load(
                                SEED.bytes("model.torchscript.pt"),
                                "model.torchscript.pt",
                                SEED.spec(),
                                Device.CPU);
                ModelPredictor reused = stateDict.newPredictor();
                ModelPredictor script = torchScript.newPredictor()) {
            Object[][] batches = {{big, 8192}, {small, 5}, {big, 1024}, {big, 8192}};
            for (Object[] batch : batches) {
                float[] rows = (float[]) batch[0];
                int n = (int) batch[1];
                Prediction got = reused.predict(rows, n);
                Prediction fresh;
                try (ModelPredictor once = stateDict.newPredictor()) {
                    fresh = once.predict(java.util.Arrays.copyOf(rows, n * width), n);
                }
                Prediction ts = script.predict(rows, n);
                for (int r = 0; r < n; r++) {
                    assertEquals(fresh.raw()[r], got.raw()[r], 0f, "batch " + n + " row " + r);
                    assertEquals(fresh.head(r, 0), got.head(r, 0), 0f, "batch " + n + " row " + r);
                    assertEquals(
                            ts.raw()[r], got.raw()[r], 0f, "torchscript, batch " + n + " row " + r);
                }
            }
        }
    }

    @Test
    void everyLayerTypeMatchesAJavaReferenceInFloat32AndFloat64() {
        List<LayerSpec> layers =
                List.of(
                        new LayerSpec.Linear(3, 4, true),
                        new LayerSpec.Tanh(),
                        new LayerSpec.Linear(4, 4, true),
                        new LayerSpec.LeakyReLU(0.2),
                        new LayerSpec.Linear(4, 4, true),
                        new LayerSpec.GELU(false),
                        new LayerSpec.Linear(4, 4, true),
                        new LayerSpec.GELU(true),
                        new LayerSpec.Linear(4, 4, true),
                        new LayerSpec.Sigmoid(),
                        new LayerSpec.Identity(),
                        new LayerSpec.Linear(4, 2, false));
        ModelSpec spec = new ModelSpec(3, 2, OutputHead.SOFTMAX, layers);
        Random random = new Random(42);
        Map<String, double[]> weights = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof LayerSpec.Linear linear) {
                weights.put(i + ".weight", randoms(random, linear.out() * linear.in()));
                shapes.put(i + ".weight", new long[] {linear.out(), linear.in()});
                if (linear.bias()) {
                    weights.put(i + ".bias", randoms(random, linear.out()));
                    shapes.put(i + ".bias", new long[] {linear.out()});
                }
            }
        }
        int rows = 16;
        float[] input = new float[rows * 3];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) (random.nextGaussian() * 2);
        }
        double[] reference = JavaReference.forward(layers, weights, input, rows);

        Map<String, Tensor> f32 = new LinkedHashMap<>();
        Map<String, Tensor> f64 = new LinkedHashMap<>();
        weights.forEach(
                (key, values) -> {
                    float[] narrow = new float[values.length];
                    for (int i = 0; i < values.length; i++) {
                        narrow[i] = (float) values[i];
                    }
                    f32.put(key, Tensor.ofFloats(key, shapes.get(key), narrow));
                    f64.put(key, Tensor.ofDoubles(key, shapes.get(key), values));
                });
        // float32 weights are the float-rounded doubles; the reference uses the doubles.
        check(f32, spec, input, rows, reference, 1e-5);
        check(f64, spec, input, rows, reference, 2e-7);
    }

    private static void check(
            Map<String, Tensor> weights,
            ModelSpec spec,
            float[] input,
            int rows,
            double[] reference,
            double relative) {
        try (ModelRunner runner = StateDictRunner.load(weights, "layers.pt", spec, Device.CPU);
                ModelPredictor predictor = runner.newPredictor()) {
            Prediction p = predictor.predict(input, rows);
            for (int i = 0; i < reference.length; i++) {
                assertEquals(
                        reference[i],
                        p.raw()[i],
                        relative * Math.abs(reference[i]) + 1e-6,
                        "output " + i);
            }
        }
    }

    private static double[] randoms(Random random, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = random.nextGaussian() * 0.7;
        }
        return out;
    }

    @Test
    void refusesMissingUnusedMisshapenAndHalfPrecisionWeightsByKey() {
        Map<String, Tensor> missing = new LinkedHashMap<>(SEED_WEIGHTS);
        missing.remove("2.bias");
        assertRefused(missing, SEED.spec(), "state_dict key '2.bias' is missing");

        Map<String, Tensor> extra = new LinkedHashMap<>(SEED_WEIGHTS);
        extra.put(
                "1.running_mean",
                Tensor.ofFloats("1.running_mean", new long[] {64}, new float[64]));
        assertRefused(extra, SEED.spec(), "state_dict keys [1.running_mean] belong to no Linear");

        Map<String, Tensor> misshapen = new LinkedHashMap<>(SEED_WEIGHTS);
        misshapen.put("4.weight", Tensor.ofFloats("4.weight", new long[] {32, 1}, new float[32]));
        assertRefused(
                misshapen,
                SEED.spec(),
                "state_dict key '4.weight' has shape [32, 1]; the spec's layers need [1, 32]");

        Map<String, Tensor> mixed = new LinkedHashMap<>(SEED_WEIGHTS);
        mixed.put("4.bias", Tensor.ofDoubles("4.bias", new long[] {1}, new double[1]));
        assertRefused(mixed, SEED.spec(), "'4.bias' is float64 but earlier keys are float32");

        ModelSpec noLayers = new ModelSpec(11, 1, OutputHead.SIGMOID, null);
        assertRefused(SEED_WEIGHTS, noLayers, "the model spec lists no layers");
    }

    @Test
    void refusesHalfPrecisionWeightsByName() {
        byte[] file = GoldenFixture.load("sklearn-1.9.1", "seed-binary").bytes("model_state.pt");
        Map<String, Tensor> weights = new LinkedHashMap<>(StateDictReader.read(file, "m.pt"));
        Tensor half = TestTensors.half("0.bias", 64);
        weights.put("0.bias", half);
        assertRefused(weights, SEED.spec(), "state_dict key '0.bias' has dtype float16");
    }

    private static void assertRefused(Map<String, Tensor> weights, ModelSpec spec, String text) {
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> StateDictRunner.load(weights, "model_state.pt", spec, Device.CPU));
        assertEquals(Reason.MODEL_INVALID, e.reason());
        assertTrue(e.getMessage().startsWith("model_state.pt: "), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }
}
