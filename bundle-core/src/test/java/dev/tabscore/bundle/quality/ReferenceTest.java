package dev.tabscore.bundle.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tabscore.bundle.manifest.Manifest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** References computed as the exporter (numpy) computes training statistics. */
class ReferenceTest {

    private static final double[] SAMPLE = {
        3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0, 8.9, 7.9, 3.2, 0.5
    };

    @Test
    void decileEdgesAndSharesEqualNumpys() {
        Reference r = Reference.ofSample(SAMPLE, "golden");
        // np.quantile(v, np.linspace(0, 1, 11)) of the sample (numpy 2.4)
        assertArrayEquals(
                new double[] {
                    0.5,
                    1.0,
                    1.8000000000000003,
                    3.0,
                    3.12,
                    4.0,
                    5.0,
                    5.0,
                    6.380000000000003,
                    8.5,
                    9.0
                },
                r.edges());
        // np.bincount(np.searchsorted(edges[1:-1], v, side="right")) / n, then no missing
        long[] counts = {1, 2, 1, 2, 1, 1, 0, 4, 1, 2};
        for (int i = 0; i < counts.length; i++) {
            assertEquals(counts[i] / 15.0, r.expected()[i], 1e-15, "bin " + i);
        }
        assertEquals(0.0, r.expected()[r.missingBin()]);
        assertEquals(0.5700000000000001, r.quantiles().get("0.01"));
        assertEquals(8.93, r.quantiles().get("0.95"));
        assertEquals(8.986, r.quantiles().get("0.99"));
    }

    @Test
    void valuesOutsideTheTrainingRangeFallInTheEndBins() {
        Reference r = Reference.ofSample(SAMPLE, "golden");
        assertEquals(0, r.bin(-1e9));
        assertEquals(9, r.bin(1e9));
        assertEquals(9, r.bin(Double.POSITIVE_INFINITY));
        assertEquals(1, r.bin(1.0), "a value equal to an inner edge goes to the higher bin");
        assertEquals(7, r.bin(5.0), "repeated edges 5.0, 5.0: right of both");
    }

    @Test
    void categoricalSharesAreScaledByThePresentShare() {
        Map<String, Double> freq = new LinkedHashMap<>();
        freq.put("north", 0.6);
        freq.put("south", 0.3);
        freq.put("__other__", 0.1);
        Reference r =
                Reference.of(
                        new Manifest.ColumnStatistics(
                                0.2, 100L, null, null, null, null, null, freq, 7L),
                        "training");
        assertEquals(List.of("north", "south"), r.keys());
        assertArrayEquals(new double[] {0.48, 0.24, 0.08000000000000002, 0.2}, r.expected(), 1e-15);
        Map<String, Integer> idx = r.keyIndex();
        assertEquals(0, r.bin(idx, "north"));
        assertEquals(2, r.bin(idx, "atlantis"), "anything else is 'other'");
    }
}
