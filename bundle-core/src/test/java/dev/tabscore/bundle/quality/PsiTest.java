package dev.tabscore.bundle.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PsiTest {

    @Test
    void equalsTheTextbookSum() {
        // numpy: np.sum((a - e) * np.log(a / e)) for a = [.3,.25,.2,.15,.1], e = [.2] * 5
        double psi =
                Psi.of(new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, new long[] {30, 25, 20, 15, 10});
        assertEquals(0.1354025100551105, psi, 1e-15);
    }

    @Test
    void identicalDistributionsGiveZeroAndEmptyBinsStayFinite() {
        assertEquals(0.0, Psi.of(new double[] {0.5, 0.5}, new long[] {7, 7}), 1e-15);
        double psi = Psi.of(new double[] {0.5, 0.5, 0.0}, new long[] {0, 10, 0});
        assertTrue(Double.isFinite(psi) && psi > 1, "floored at 1e-4: " + psi);
        assertTrue(Double.isNaN(Psi.of(new double[] {1.0}, new long[] {0})));
    }
}
