package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * numpy's {@code str} of a float32 scalar, which names a one-hot column of a float32 category:
 * every value numpy 2.2 and 2.3 wrote ({@code make_str32.py}: 4,333 values of every exponent,
 * decimals near the thresholds, subnormals, -0.0, inf, nan) is written the same by {@link
 * PyRepr#ofFloat32}, with the threshold of that numpy (1e16 up to 2.2, 1e6 from 2.3), and the other
 * threshold differs on some of them.
 */
class PyReprFloat32Test {

    private static final Path DIR = Paths.get("src/test/resources/float32");

    @ParameterizedTest
    @CsvSource({"2.2, 16, 6", "2.3, 6, 16"})
    void writesAsNumpyWrites(String numpy, int decpt, int otherDecpt) throws IOException {
        List<String> lines =
                Files.readAllLines(
                        DIR.resolve("str32-numpy" + numpy + ".txt"), StandardCharsets.UTF_8);
        List<String> wrong = new ArrayList<>();
        int otherDiffers = 0;
        for (String line : lines) {
            int sp = line.indexOf(' ');
            float x = Float.intBitsToFloat(Integer.parseUnsignedInt(line.substring(0, sp), 16));
            String expected = line.substring(sp + 1);
            String got = PyRepr.ofFloat32(x, decpt);
            if (!expected.equals(got)) {
                wrong.add(line + " -> " + got);
            }
            otherDiffers += expected.equals(PyRepr.ofFloat32(x, otherDecpt)) ? 0 : 1;
        }
        assertEquals(4333, lines.size());
        assertEquals(List.of(), wrong.subList(0, Math.min(20, wrong.size())), "numpy " + numpy);
        assertTrue(otherDiffers > 100, "the other threshold differs on " + otherDiffers);
    }
}
