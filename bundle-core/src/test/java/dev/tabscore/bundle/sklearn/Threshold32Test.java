package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Paths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The float32 reductions behind a selector's threshold on float32 fitted arrays, against numpy
 * 1.26, 2.2, 2.3 and 2.4 ({@code src/test/resources/float32/make_threshold32.py}, 94 vectors of 1
 * to 1000 values each): SelectFromModel's {@code np.mean} (float32 pairwise sum) and {@code
 * np.median} of a float32 {@code abs(coef_)}, and SelectPercentile's {@code np.percentile} of a
 * float32 {@code scores_} (three rules: numpy 1.x, 2.0-2.3, 2.4).
 */
class Threshold32Test {

    @ParameterizedTest
    @ValueSource(strings = {"1.26", "2.2", "2.3", "2.4"})
    void meanMedianAndPercentileMatchNumpyBitForBit(String numpy) throws Exception {
        JsonNode d =
                new ObjectMapper()
                        .readTree(
                                Paths.get(
                                                "src/test/resources/float32/threshold32-numpy"
                                                        + numpy
                                                        + ".json")
                                        .toFile());
        int cases = 0;
        for (JsonNode c : d.get("cases")) {
            JsonNode v = c.get("values");
            double[] a = new double[v.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = v.get(i).asDouble();
            }
            String what = "numpy " + d.get("numpy").asText() + " n=" + a.length;
            assertEquals(
                    c.get("mean").asDouble(),
                    (double) SelectFromModel.mean32(a),
                    0.0,
                    what + " mean");
            assertEquals(
                    c.get("median").asDouble(),
                    (double) SelectFromModel.median32(a),
                    0.0,
                    what + " median");
            double q = c.get("q").asDouble();
            double p =
                    SelectPercentile.percentile32(
                            a,
                            q,
                            numpy.equals("1.26")
                                    ? SelectPercentile.Numpy.V1
                                    : numpy.equals("2.4")
                                            ? SelectPercentile.Numpy.V2_4
                                            : SelectPercentile.Numpy.V2_0);
            assertEquals(
                    Double.doubleToRawLongBits(c.get("percentile").asDouble()),
                    Double.doubleToRawLongBits(p),
                    what + " percentile " + q);
            cases++;
        }
        assertEquals(94, cases);
    }
}
