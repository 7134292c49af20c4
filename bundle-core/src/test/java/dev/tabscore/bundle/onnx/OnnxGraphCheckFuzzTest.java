package dev.tabscore.bundle.onnx;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.model.ModelSpec;
import dev.tabscore.bundle.model.OutputHead;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link OnnxGraphCheck#check}: any bytes either pass the allow-list or
 * are refused with a {@link BundleFormatException}; any other exception, an {@link
 * OutOfMemoryError} or a run over the timeout is a finding.
 *
 * <p>Seeds in {@code OnnxGraphCheckFuzzTestInputs/check/}: the real exporter's {@code model.onnx}
 * of the model-kinds fixture (torch 2.13, opset 18); committed findings sit beside it.
 */
class OnnxGraphCheckFuzzTest {

    private static final ModelSpec SPEC = new ModelSpec(11, 1, OutputHead.SIGMOID, null);

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void check(byte[] data) {
        try {
            OnnxGraphCheck.check(data, "fuzz.onnx", SPEC);
        } catch (BundleFormatException refused) {
            // refused with a typed reason, as documented
        }
    }
}
