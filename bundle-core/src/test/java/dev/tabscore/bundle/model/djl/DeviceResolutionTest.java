package dev.tabscore.bundle.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelRunner;
import dev.tabscore.bundle.model.Prediction;
import dev.tabscore.bundle.model.djl.GoldenModelTest.ModelPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Device choice; the GPU tests run only where DJL sees CUDA (never with the CPU natives). */
class DeviceResolutionTest {

    @Test
    void autoIsTheCpuWithoutGpusAndAMissingGpuIsRefused() {
        assumeTrue(DjlEngine.gpuCount() == 0, "a GPU is present");
        assertEquals(Device.CPU, DjlEngine.resolve(Device.AUTO));
        BundleException e =
                assertThrows(BundleException.class, () -> DjlEngine.resolve(Device.gpu(0)));
        assertEquals(Reason.MODEL_INVALID, e.reason());
        assertEquals(
                "device gpu:0 was requested, but the PyTorch engine sees 0 GPUs", e.getMessage());
    }

    @Test
    void bothPathsMatchTheGoldenOutputsOnGpu() {
        assumeTrue(DjlEngine.gpuCount() > 0, "no CUDA GPU visible to DJL");
        assertEquals(Device.gpu(0), DjlEngine.resolve(Device.AUTO));
        for (GoldenFixture f :
                List.of(
                        GoldenFixture.load("sklearn-1.9.1", "seed-binary"),
                        GoldenFixture.load("sklearn-1.9.1", "multiclass-softmax"))) {
            for (ModelPath path : ModelPath.values()) {
                try (ModelRunner gpu = GoldenModelTest.open(f, path, Device.gpu(0));
                        ModelRunner cpu = GoldenModelTest.open(f, path, Device.CPU);
                        ModelPredictor onGpu = gpu.newPredictor();
                        ModelPredictor onCpu = cpu.newPredictor()) {
                    assertEquals(Device.gpu(0), gpu.device());
                    Prediction a = onGpu.predict(f.features(), f.rows());
                    Prediction b = onCpu.predict(f.features(), f.rows());
                    GoldenModelTest.assertClose(b.raw(), a.raw(), f + " " + path + " gpu raw");
                    GoldenModelTest.assertClose(b.head(), a.head(), f + " " + path + " gpu head");
                }
            }
        }
    }
}
