package dev.tabscore.bundle.model.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelRunner;
import dev.tabscore.bundle.model.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TorchScriptRunnerTest {

    private static final GoldenFixture SEED = GoldenFixture.load("sklearn-1.9.1", "seed-binary");

    @Test
    void refusesATorchScriptOfAnotherInputWidthAtLoad() {
        GoldenFixture regression = GoldenFixture.load("sklearn-1.9.1", "regression-ordinal");
        // The regression model takes 9 features; the seed spec declares 11.
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                TorchScriptRunner.load(
                                        regression.bytes("model.torchscript.pt"),
                                        "model.torchscript.pt",
                                        SEED.spec(),
                                        Device.CPU));
        assertEquals(Reason.MODEL_INVALID, e.reason());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "model.torchscript.pt does not accept a [1 x 11] "
                                        + "float32 input (the spec's input width 11)"),
                e.getMessage());
    }

    @Test
    void refusesATorchScriptWithAnotherOutputDimAtLoad() {
        GoldenFixture multiclass = GoldenFixture.load("sklearn-1.9.1", "multiclass-softmax");
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                TorchScriptRunner.load(
                                        multiclass.bytes("model.torchscript.pt"),
                                        "model.torchscript.pt",
                                        SEED.spec(),
                                        Device.CPU));
        assertEquals(Reason.MODEL_INVALID, e.reason());
        assertTrue(
                e.getMessage()
                        .contains(
                                "returns shape (1, 3) for one row of width 11; the "
                                        + "spec expects (1, 1)"),
                e.getMessage());
    }

    @Test
    void refusesBytesLibtorchCannotLoad() {
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                TorchScriptRunner.load(
                                        SEED.bytes("model_state.pt"),
                                        "model_state.pt",
                                        SEED.spec(),
                                        Device.CPU));
        assertEquals(Reason.MODEL_INVALID, e.reason());
        assertTrue(
                e.getMessage()
                        .startsWith("model_state.pt is not a TorchScript model libtorch can load"),
                e.getMessage());
    }

    @Test
    void handlesEmptyAndShortBatchesAndReportsItsDevice() {
        try (ModelRunner runner =
                        TorchScriptRunner.load(
                                SEED.bytes("model.torchscript.pt"),
                                "model.torchscript.pt",
                                SEED.spec(),
                                Device.AUTO);
                ModelPredictor predictor = runner.newPredictor()) {
            assertNotNull(runner.device());
            assertTrue(runner.device().kind() != Device.Kind.AUTO);
            Prediction none = predictor.predict(new float[0], 0);
            assertEquals(0, none.rows());
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> predictor.predict(new float[21], 2));
            assertTrue(e.getMessage().contains("2 rows x 11 features needs 22 values, got 21"));
            // Only the first rows * width values are read.
            float[] longer = new float[SEED.features().length + 5];
            System.arraycopy(SEED.features(), 0, longer, 0, SEED.features().length);
            assertArrayEquals(
                    predictor.predict(SEED.features(), SEED.rows()).raw(),
                    predictor.predict(longer, SEED.rows()).raw());
        }
    }

    @Test
    void oneSharedRunnerServesOnePredictorPerThread() throws Exception {
        try (ModelRunner runner =
                TorchScriptRunner.load(
                        SEED.bytes("model.torchscript.pt"),
                        "model.torchscript.pt",
                        SEED.spec(),
                        Device.CPU)) {
            float[] expected;
            try (ModelPredictor predictor = runner.newPredictor()) {
                expected = predictor.predict(SEED.features(), SEED.rows()).head();
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    results.add(
                            pool.submit(
                                    () -> {
                                        try (ModelPredictor predictor = runner.newPredictor()) {
                                            for (int i = 0; i < 50; i++) {
                                                float[] head =
                                                        predictor
                                                                .predict(
                                                                        SEED.features(),
                                                                        SEED.rows())
                                                                .head();
                                                GoldenModelTest.assertClose(
                                                        expected, head, "thread");
                                            }
                                        }
                                        return true;
                                    }));
                }
                for (Future<Boolean> result : results) {
                    assertTrue(result.get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void aClosedRunnerMakesNoPredictors() {
        ModelRunner runner =
                TorchScriptRunner.load(
                        SEED.bytes("model.torchscript.pt"),
                        "model.torchscript.pt",
                        SEED.spec(),
                        Device.CPU);
        runner.close();
        runner.close();
        assertThrows(IllegalStateException.class, runner::newPredictor);
    }
}
