package dev.tabscore.bundle.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FineHistogramTest {

    @Test
    void quantilesAreWithinOneBinOfTheExactOnesAndMergeOrderDoesNotMatter() {
        Random rnd = new Random(7);
        double[] v = new double[20_000];
        FineHistogram a = new FineHistogram(0, 1);
        FineHistogram b = new FineHistogram(0, 1);
        FineHistogram all = new FineHistogram(0, 1);
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.pow(rnd.nextDouble(), 3); // skewed towards 0
            (i % 2 == 0 ? a : b).add(v[i]);
            all.add(v[i]);
        }
        a.merge(b);
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        for (double p : new double[] {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}) {
            double exact = Reference.quantile(sorted, p);
            assertEquals(exact, all.quantile(p), 1.0 / FineHistogram.BINS, "q" + p);
            assertEquals(all.quantile(p), a.quantile(p), 0.0, "merged q" + p);
        }
    }

    @Test
    void valuesOutsideTheRangeAreKeptApart() {
        FineHistogram h = new FineHistogram(10, 20);
        for (double x : new double[] {5, 10, 15, 20, 25, Double.NaN}) {
            h.add(x);
        }
        assertEquals(5, h.n(), "NaN is not counted");
        assertEquals(1, h.count(0));
        assertEquals(1, h.count(FineHistogram.BINS + 1));
        assertEquals(1, h.count(h.slot(20)), "hi itself is in the last bin");
        assertEquals(FineHistogram.BINS, h.slot(20));
        assertEquals(5.0, h.quantile(0.0));
        assertTrue(h.quantile(1.0) <= 25.0);
    }
}
