package dev.tabscore.bundle.quality;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link PyFloat#parse}, which reads every cell of a numeric column that
 * arrives as strings: it returns a number or null (Python's ValueError), never throws and never
 * takes long. A number it returns for a plain ASCII text must be what the JDK's correctly rounded
 * parser gives for the same digits (underscores removed), so a grammar slip cannot yield a
 * different value.
 */
class PyFloatFuzzTest {

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void parse(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Double v = PyFloat.parse(text);
        if (v == null || v.isNaN() || v.isInfinite()) {
            return;
        }
        String plain = PyFloat.pyStrip(text).replace("_", "");
        if (plain.chars().allMatch(c -> c < 128)) {
            double jdk = Double.parseDouble(plain);
            if (Double.doubleToLongBits(jdk) != Double.doubleToLongBits(v)) {
                throw new AssertionError("'" + text + "' read as " + v + ", the JDK reads " + jdk);
            }
        }
    }
}
