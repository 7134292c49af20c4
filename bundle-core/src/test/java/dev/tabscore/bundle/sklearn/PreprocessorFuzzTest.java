package dev.tabscore.bundle.sklearn;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tabscore.bundle.BundleException;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link Preprocessor#load}: the skops reader under {@link
 * SklearnRegistry#standard()}, then the graph builder and every transformer factory. A file either
 * yields a preprocessor with a feature name per output column, or is refused with a {@link
 * BundleException}; any other exception, an {@link OutOfMemoryError} or a run over the timeout is a
 * finding.
 *
 * <p>Seeds in {@code PreprocessorFuzzTestInputs/load/}: three fixture preprocessors (seed-binary,
 * regression-ordinal, infrequent-kbins of scikit-learn 1.9.1) re-zipped with schema.json minified;
 * committed findings sit beside them.
 */
class PreprocessorFuzzTest {

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void load(byte[] data) {
        Preprocessor preprocessor;
        try {
            preprocessor = Preprocessor.load(data, "fuzz.skops");
        } catch (BundleException refused) {
            return;
        }
        if (preprocessor.featureNamesOut().size() != preprocessor.width()) {
            throw new AssertionError("width and feature names disagree");
        }
    }
}
