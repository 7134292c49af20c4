package dev.tabscore.bundle.torch;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tabscore.bundle.BundleException;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link StateDictReader#read} with the default limits: a file either
 * yields tensors that convert (or refuse to convert, with a {@link BundleException}) to the Java
 * arrays the runner reads, or is refused with a {@link BundleException}; any other exception, an
 * {@link OutOfMemoryError} or a run over the timeout is a finding.
 *
 * <p>Seeds in {@code StateDictReaderFuzzTestInputs/read/}: fixture state_dicts written by torch
 * 1.13 and torch 2.13; committed findings sit beside them.
 */
class StateDictReaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void read(byte[] data) {
        Map<String, Tensor> tensors;
        try {
            tensors = StateDictReader.read(data, "fuzz.pt");
        } catch (BundleException refused) {
            return;
        }
        for (Tensor tensor : tensors.values()) {
            try {
                tensor.toDoubles();
            } catch (BundleException inexact) {
                // An int64 beyond 2^53: refused by name, as documented.
            }
        }
    }
}
