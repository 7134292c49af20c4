package dev.tabscore.bundle.model.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelRunner;
import dev.tabscore.bundle.model.OutputHead;
import dev.tabscore.bundle.model.Prediction;
import dev.tabscore.bundle.torch.StateDictReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both runners on all 16 fixture bundles against PyTorch's float32 golden outputs, with the
 * tolerance of fixtures/README.md §6: {@code |java - golden| <= 1e-5 |golden| + 1e-6}; the softmax
 * argmax must match exactly. The largest errors are printed after the run.
 */
class GoldenModelTest {

    static final double RELATIVE = 1e-5;
    static final double ABSOLUTE = 1e-6;

    /** "set | bundle | path" to {max abs error, max relative error where golden != 0}. */
    private static final Map<String, double[]> ERRORS = new ConcurrentSkipListMap<>();

    enum ModelPath {
        TORCHSCRIPT,
        STATE_DICT
    }

    static ModelRunner open(GoldenFixture f, ModelPath path, Device device) {
        return switch (path) {
            case TORCHSCRIPT ->
                    TorchScriptRunner.load(
                            f.bytes("model.torchscript.pt"),
                            "model.torchscript.pt",
                            f.spec(),
                            device);
            case STATE_DICT ->
                    StateDictRunner.load(
                            StateDictReader.read(f.bytes("model_state.pt"), "model_state.pt"),
                            "model_state.pt",
                            f.spec(),
                            device);
        };
    }

    static Stream<Arguments> fixturesAndPaths() {
        List<Arguments> out = new ArrayList<>();
        for (GoldenFixture f : GoldenFixture.all()) {
            for (ModelPath path : ModelPath.values()) {
                out.add(Arguments.of(f, path));
            }
        }
        return out.stream();
    }

    static Stream<GoldenFixture> fixtures() {
        return GoldenFixture.all().stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixturesAndPaths")
    void matchesPyTorchGoldenOutputs(GoldenFixture f, ModelPath path) {
        try (ModelRunner runner = open(f, path, Device.CPU);
                ModelPredictor predictor = runner.newPredictor()) {
            Prediction p = predictor.predict(f.features(), f.rows());

            double[] errors = new double[2];
            compare(f, p, true, f.rawColumns(), errors);
            compare(f, p, false, f.headColumns(), errors);
            if (f.spec().head() == OutputHead.SOFTMAX) {
                double[] golden = f.columns().get("pred_class_index");
                for (int r = 0; r < f.rows(); r++) {
                    assertEquals((int) golden[r], p.argmax()[r], f + " row " + r + " argmax");
                }
            }
            ERRORS.put(f.set() + " | " + f.bundle() + " | " + path, errors);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void bothPathsAgreeInOneBatchAndRowByRow(GoldenFixture f) {
        try (ModelRunner script = open(f, ModelPath.TORCHSCRIPT, Device.CPU);
                ModelRunner weights = open(f, ModelPath.STATE_DICT, Device.CPU);
                ModelPredictor a = script.newPredictor();
                ModelPredictor b = weights.newPredictor()) {
            Prediction batchA = a.predict(f.features(), f.rows());
            Prediction batchB = b.predict(f.features(), f.rows());
            assertClose(batchA.raw(), batchB.raw(), f + " raw");
            assertClose(batchA.head(), batchB.head(), f + " head");
            if (batchA.argmax() != null) {
                assertArrayEquals(batchA.argmax(), batchB.argmax(), f + " argmax");
            }
            int width = f.spec().inputWidth();
            for (int r = 0; r < f.rows(); r++) {
                float[] row = new float[width];
                System.arraycopy(f.features(), r * width, row, 0, width);
                Prediction single = b.predict(row, 1);
                float[] expected = new float[f.spec().outputDim()];
                System.arraycopy(batchA.raw(), r * expected.length, expected, 0, expected.length);
                assertClose(expected, single.raw(), f + " row " + r + " alone");
            }
        }
    }

    private static void compare(
            GoldenFixture f, Prediction p, boolean raw, List<String> columns, double[] errors) {
        for (int j = 0; j < columns.size(); j++) {
            double[] golden = f.columns().get(columns.get(j));
            for (int r = 0; r < f.rows(); r++) {
                double actual = raw ? p.raw(r, j) : p.head(r, j);
                double error = Math.abs(actual - golden[r]);
                String where = f + " " + columns.get(j) + " row " + r;
                assertTrue(
                        error <= RELATIVE * Math.abs(golden[r]) + ABSOLUTE,
                        where + ": java " + actual + ", golden " + golden[r]);
                errors[0] = Math.max(errors[0], error);
                if (golden[r] != 0) {
                    errors[1] = Math.max(errors[1], error / Math.abs(golden[r]));
                }
            }
        }
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs((double) expected[i] - actual[i]);
            int index = i;
            assertTrue(
                    error <= RELATIVE * Math.abs(expected[i]) + ABSOLUTE,
                    () -> what + " [" + index + "]: " + expected[index] + " vs " + actual[index]);
        }
    }

    @AfterAll
    static void printLargestErrors() {
        StringBuilder table =
                new StringBuilder("\nset | bundle | path | max abs error | max rel error\n");
        ERRORS.forEach(
                (key, e) -> table.append(String.format("%s | %.3g | %.3g%n", key, e[0], e[1])));
        System.out.println(table);
    }
}
