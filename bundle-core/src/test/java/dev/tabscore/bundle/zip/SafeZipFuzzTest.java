package dev.tabscore.bundle.zip;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tabscore.bundle.BundleException;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link SafeZip#read}: whatever the bytes, the reader either returns an
 * archive whose every entry reads back, or refuses with a {@link BundleException}. Any other
 * exception, an {@link OutOfMemoryError} or a run over the timeout is a finding.
 *
 * <p>Plain {@code mvn test} replays the seeds and committed findings in {@code
 * src/test/resources/dev/tabscore/bundle/zip/SafeZipFuzzTestInputs/read/} (a skops file with its
 * schema.json minified, a state_dict and a TorchScript file with DEFLATED entries, all from the
 * fixtures); {@code JAZZER_FUZZ=1} or {@code mvn -Pfuzz} fuzzes (docs/security.md).
 */
class SafeZipFuzzTest {

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void read(byte[] data) {
        SafeZip zip;
        try {
            zip = SafeZip.read(data, "fuzz.zip", ZipLimits.defaults());
        } catch (BundleException refused) {
            return;
        }
        for (String name : zip.names()) {
            // Every entry of a returned archive was verified: reading it must not fail.
            if (zip.entry(name).length != zip.size(name)) {
                throw new AssertionError("entry " + name + " reads back at another size");
            }
        }
    }
}
