package dev.tabscore.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden batches whose model inputs are non-finite as the network saw them in training
 * (nonfinite-golden/make_nonfinite_golden.py): NaN features from a column missing in every training
 * row, and features beyond float32 (inf). Verify replays them: NaN outputs match NaN and inf
 * matches inf, as they do in Python.
 */
class GoldenReplayNonFiniteTest {

    @ParameterizedTest
    @ValueSource(strings = {"nan-features", "beyond-float32"})
    void verifyReplaysNonFiniteOutputs(String name) {
        Path b = Path.of("src/test/resources/nonfinite-golden", name);
        try (Bundle bundle =
                Bundle.open(b.toString(), BundleOptions.defaults().withDevice("cpu"))) {
            assertEquals(name, bundle.manifest().name());
            ColumnCheck.assertSomeOutputNonFinite(bundle);
        }
    }

    /** The golden outputs hold a non-finite value, so the replay above really compared one. */
    private static final class ColumnCheck {
        static void assertSomeOutputNonFinite(Bundle bundle) {
            var out = bundle.goldenOutput();
            boolean found = false;
            for (int j = 0; j < out.columnCount() && !found; j++) {
                if (out.column(j) instanceof dev.tabscore.bundle.column.DoubleColumn d
                        && !bundle.manifest().features().names().contains(out.names().get(j))) {
                    for (double v : d.values()) {
                        found |= !Double.isFinite(v);
                    }
                }
            }
            assertTrue(found, "a golden output is NaN or inf");
        }
    }
}
