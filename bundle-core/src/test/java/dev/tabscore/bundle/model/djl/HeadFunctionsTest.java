package dev.tabscore.bundle.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.tabscore.bundle.model.HeadFunctions;
import dev.tabscore.bundle.model.OutputHead;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Java heads of the ONNX path agree with libtorch's sigmoid and softmax kernels (the heads of
 * the state_dict and TorchScript paths) within 4 float32 ulps plus 1e-9 (the golden tolerance is
 * 1e-6 + 1e-5 relative), on logits from -30 to 30.
 */
class HeadFunctionsTest {

    @Test
    void sigmoidAndSoftmaxMatchLibtorch() {
        int rows = 500;
        int classes = 4;
        float[] raw = new float[rows * classes];
        Random random = new Random(16);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) (random.nextDouble() * 60 - 30);
        }
        DjlEngine.engine();
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu(), DjlEngine.ENGINE_NAME)) {
            NDArray x = m.create(raw, new Shape(rows, classes));
            assertClose(
                    Activation.sigmoid(x).toFloatArray(),
                    HeadFunctions.apply(OutputHead.SIGMOID, raw, rows, classes),
                    "sigmoid");
            assertClose(
                    x.softmax(1).toFloatArray(),
                    HeadFunctions.apply(OutputHead.SOFTMAX, raw, rows, classes),
                    "softmax");
        }
        assertEquals(raw, HeadFunctions.apply(OutputHead.IDENTITY, raw, rows, classes));
    }

    private static void assertClose(float[] torch, float[] java, String what) {
        for (int i = 0; i < torch.length; i++) {
            float allowed = 4 * Math.ulp(torch[i]) + 1e-9f;
            assertTrue(
                    Math.abs(torch[i] - java[i]) <= allowed,
                    what + " cell " + i + ": torch " + torch[i] + ", java " + java[i]);
        }
    }
}
