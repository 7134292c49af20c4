package dev.tabscore.bundle.skops;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tabscore.bundle.BundleException;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link Npy#parse}: an entry is either decoded into an array of the
 * declared shape or refused with a {@link BundleException}; any other exception, an {@link
 * OutOfMemoryError} or a run over the timeout is a finding.
 *
 * <p>Seeds in {@code NpyFuzzTestInputs/parse/}: entries taken from a fixture preprocessor ({@code
 * <i8} 1-d, {@code <f8} 0-d and empty) and small ones in header versions 2.0 and 3.0 ({@code |b1},
 * {@code <f4} 2-d, {@code <i4}).
 */
class NpyFuzzTest {

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void parse(byte[] data) {
        NpyArray array;
        try {
            array = Npy.parse(data, "fuzz.npy", SkopsLimits.defaults());
        } catch (BundleException refused) {
            return;
        }
        long count = 1;
        for (long dim : array.shape()) {
            count *= dim;
        }
        if (count != array.size()) {
            throw new AssertionError(
                    "shape "
                            + NpyHeader.shapeText(array.shape())
                            + " but "
                            + array.size()
                            + " elements");
        }
    }
}
