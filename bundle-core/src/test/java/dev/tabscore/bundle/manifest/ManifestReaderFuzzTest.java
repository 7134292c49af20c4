package dev.tabscore.bundle.manifest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tabscore.bundle.BundleException;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link ManifestReader#read}: strict JSON, the JSON Schema, the record
 * mapping and the cross-field rules. A file either yields a manifest and its digest or is refused
 * with a {@link BundleException}; any other exception, an {@link OutOfMemoryError} or a run over
 * the timeout is a finding.
 *
 * <p>Seeds in {@code ManifestReaderFuzzTestInputs/read/}: two sealed fixture manifests and one with
 * the optional quality fields (output statistics, column policies); committed findings sit beside
 * them.
 */
class ManifestReaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void read(byte[] data) {
        try {
            ManifestReader.read(data, "manifest.json");
        } catch (BundleException refused) {
            // The only way a hostile manifest may end.
        }
    }
}
