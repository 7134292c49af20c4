package dev.tabscore.bundle.skops;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.sklearn.SklearnRegistry;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link SkopsReader#read} under the production trust policy ({@link
 * SklearnRegistry#standard()}) and the default limits: a file is either read or refused with a
 * {@link BundleException}; any other exception, an {@link OutOfMemoryError} or a run over the
 * timeout is a finding.
 *
 * <p>Seeds in {@code SkopsReaderFuzzTestInputs/read/}: two fixture preprocessors (seed-binary,
 * regression-ordinal with its FunctionNode) re-zipped with schema.json minified, so that the fuzzer
 * works on smaller inputs; committed findings sit beside them.
 */
class SkopsReaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void read(byte[] data) {
        try {
            SkopsReader.read(
                    data, "fuzz.skops", SklearnRegistry.standard(), SkopsLimits.defaults());
        } catch (BundleException refused) {
            // The only way a hostile file may end.
        }
    }
}
