package dev.tabscore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import dev.tabscore.bundle.Reason;
import org.junit.jupiter.api.Test;

/** The start-up check of the cluster's Jackson (exit 63, not retryable). */
class JacksonCheckTest {

    @Test
    void theJacksonSparkShipsIsSupported() {
        assertNull(JacksonCheck.problem(), "Spark 4.2.0's Jackson 2.21.2 is on this classpath");
        assertNull(JacksonCheck.problem("jackson-core", "2.21.9", JsonFactory.class));
    }

    @Test
    void anotherJacksonLineIsRefusedNamingVersionAndJar() {
        for (String v : new String[] {"2.15.2", "2.22.0", "2.2", "3.0.0", "2.210.0"}) {
            String m = JacksonCheck.problem("jackson-databind", v, JsonFactory.class);
            assertTrue(
                    m != null
                            && m.startsWith(
                                    "unsupported jackson-databind "
                                            + v
                                            + " on the classpath (from file:"),
                    v + ": " + m);
            assertTrue(m.contains("jackson-core-2.21.2.jar"), m);
            assertTrue(m.contains("tabscore needs Jackson 2.21.x"), m);
        }
    }

    @Test
    void theRefusalHasItsOwnCodeAndIsNotRetried() {
        assertEquals(63, Reason.UNSUPPORTED_CLASSPATH.exitCode());
        assertFalse(Reason.UNSUPPORTED_CLASSPATH.retryable(), "a rerun on that cluster fails too");
        assertTrue(Reason.NATIVE_LIBRARY.retryable());
    }
}
