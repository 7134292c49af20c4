package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Paths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java ndtri against {@code scipy.stats.norm.ppf} (scipy 1.17 with scikit-learn 1.9.1, scipy
 * 1.13 with 1.3.2) on 1,112 probabilities across the central range, both tails, the far tails down
 * to 5e-324, the bounds QuantileTransformer clips to, 0, 1, NaN and values outside [0, 1].
 */
class NormalPpfTest {

    /** The contract: at most this many ulps from scipy. */
    static final long CONTRACT_ULPS = 4;

    @ParameterizedTest(name = "sklearn-{0}")
    @ValueSource(strings = {"1.9.1", "1.3.2"})
    void matchesScipy(String release) throws IOException {
        JsonNode doc =
                new ObjectMapper()
                        .readTree(
                                Paths.get(
                                                "src/test/resources/sklearn-transformers/sklearn-"
                                                        + release
                                                        + "/norm-ppf.json")
                                        .toFile());
        int exact = 0;
        long worst = 0;
        int n = doc.get("q").size();
        for (int i = 0; i < n; i++) {
            double q = SklearnFixture.parse(doc.get("q").get(i).asText());
            double want = SklearnFixture.parse(doc.get("ppf").get(i).asText());
            double got = NormalPpf.ppf(q);
            if (Double.compare(want, got) == 0) {
                exact++;
                continue;
            }
            long ulps = Math.abs(Double.doubleToLongBits(want) - Double.doubleToLongBits(got));
            worst = Math.max(worst, ulps);
            assertTrue(
                    Double.isFinite(want) && ulps <= CONTRACT_ULPS,
                    "ppf(" + q + "): scipy " + want + ", Java " + got + " (" + ulps + " ulps)");
        }
        System.out.println(
                "NormalPpfTest sklearn-"
                        + release
                        + ": "
                        + exact
                        + " of "
                        + n
                        + " bit-exact, worst "
                        + worst
                        + " ulps");
    }
}
