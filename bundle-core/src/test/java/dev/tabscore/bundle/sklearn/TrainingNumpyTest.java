package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A manifest's {@code versions.numpy}: numpy 1 or 2 known, anything else unknown. */
class TrainingNumpyTest {

    @Test
    void parsesReleasesAndPreReleases() {
        TrainingNumpy n1 = TrainingNumpy.parse("1.26.4");
        assertTrue(n1.isNumpy1());
        assertEquals(OptionalInt.of(1), n1.major());
        assertFalse(n1.atLeast(2, 0));
        TrainingNumpy n24 = TrainingNumpy.parse("2.4.0");
        assertTrue(n24.isNumpy2());
        assertTrue(n24.atLeast(2, 4));
        assertFalse(TrainingNumpy.parse("2.3.5").atLeast(2, 4));
        assertEquals(TrainingNumpy.of(2, 0), TrainingNumpy.parse("2.0.0rc1"));
        assertEquals(TrainingNumpy.of(2, 1), TrainingNumpy.parse(" 2.1.0.dev0+git20240101 "));
        assertEquals(TrainingNumpy.of(1, 24), TrainingNumpy.parse("1.24"));
    }

    @Test
    void anythingElseIsUnknown() {
        for (String v :
                new String[] {null, "", "2", "two", "3.0.0", "0.9.8", "v2.4.0", "2.x", "12345.1"}) {
            TrainingNumpy n = TrainingNumpy.parse(v);
            assertFalse(n.known(), String.valueOf(v));
            assertEquals(OptionalInt.empty(), n.major());
            assertFalse(n.isNumpy1() || n.isNumpy2() || n.atLeast(1, 0), String.valueOf(v));
        }
    }
}
