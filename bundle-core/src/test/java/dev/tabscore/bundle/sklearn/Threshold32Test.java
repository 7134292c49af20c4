package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Paths;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The float32 reductions behind a selector's threshold on float32 fitted arrays, against numpy
 * 1.26, 2.2, 2.3 and 2.4 ({@code src/test/resources/float32/make_threshold32.py}, 94 vectors of 1
 * to 1000 values each, and 15 crafted): SelectFromModel's {@code np.mean} (float32 pairwise sum)
 * and {@code np.median} of a float32 {@code abs(coef_)}, and SelectPercentile's {@code
 * np.percentile} of a float32 {@code scores_} (three rules: numpy 1.x, 2.0-2.3, 2.4); and the
 * columns scikit-learn keeps with them on that numpy: SelectPercentile, and SelectFromModel's
 * {@code "s*mean"} / {@code "s*median"} (numpy 1.x scales in float64, 2 in float32), with 15
 * crafted vectors on which the numpys keep different columns (the rule a manifest's {@code
 * versions.numpy} picks must be used).
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
        TrainingNumpy trainingNumpy = TrainingNumpy.parse(d.get("numpy").asText());
        int cases = 0;
        int percentileDecided = 0;
        int scaledDecided = 0;
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
            SelectPercentile.Numpy rule =
                    numpy.equals("1.26")
                            ? SelectPercentile.Numpy.V1
                            : numpy.equals("2.4")
                                    ? SelectPercentile.Numpy.V2_4
                                    : SelectPercentile.Numpy.V2_0;
            // the rule a manifest's versions.numpy picks is the one for that numpy
            assertEquals(rule, SelectPercentile.Numpy.of(trainingNumpy), what);
            double p = SelectPercentile.percentile32(a, q, rule);
            assertEquals(
                    Double.doubleToRawLongBits(c.get("percentile").asDouble()),
                    Double.doubleToRawLongBits(p),
                    what + " percentile " + q);
            // scikit-learn's SelectPercentile(percentile=100 - q) on this numpy
            boolean[] kept = bools(c.get("percentile_kept"));
            assertArrayEquals(kept, SelectPercentile.mask(a, 100 - q, rule), what + " kept");
            for (SelectPercentile.Numpy other : SelectPercentile.Numpy.values()) {
                if (!Arrays.equals(kept, SelectPercentile.mask(a, 100 - q, other))) {
                    percentileDecided++;
                }
            }
            for (JsonNode sfm : c.get("sfm")) {
                scaledDecided += checkScaled(sfm, a, trainingNumpy, what);
            }
            cases++;
        }
        assertEquals(109, cases);
        // the crafted vectors: another numpy's rule keeps other columns, so the choice matters
        assertTrue(percentileDecided >= 6, what(d) + ": " + percentileDecided);
        assertEquals(6, scaledDecided, what(d));
    }

    private static String what(JsonNode d) {
        return "numpy " + d.get("numpy").asText();
    }

    /**
     * SelectFromModel's {@code "s*mean"} / {@code "s*median"} on float32 importances:
     * scikit-learn's threshold (float64 on numpy 1.x, float32 on 2) and the columns it keeps,
     * against {@link SelectFromModel#scaled32} for this numpy. Returns 1 if the other numpy's rule
     * keeps other columns.
     */
    private static int checkScaled(JsonNode sfm, double[] a, TrainingNumpy numpy, String what) {
        String spec = sfm.get("threshold").asText();
        String[] parts = spec.split("\\*");
        double scale = Double.parseDouble(parts[0]);
        float ref =
                parts[1].equals("mean") ? SelectFromModel.mean32(a) : SelectFromModel.median32(a);
        double t = SelectFromModel.scaled32(scale, ref, numpy.isNumpy1());
        double value = sfm.get("value").asDouble();
        if (numpy.isNumpy1()) {
            assertEquals("float64", sfm.get("dtype").asText(), what + " " + spec);
            assertEquals(value, scale * ref, 0.0, what + " " + spec); // float64 product
            assertEquals((double) (float) value, t, 0.0, what + " " + spec); // compared in float32
        } else {
            assertEquals("float32", sfm.get("dtype").asText(), what + " " + spec);
            assertEquals(value, t, 0.0, what + " " + spec);
        }
        boolean[] kept = bools(sfm.get("kept"));
        assertArrayEquals(kept, SelectFromModel.mask(a, t, null), what + " " + spec + " kept");
        double otherT = SelectFromModel.scaled32(scale, ref, !numpy.isNumpy1());
        return Arrays.equals(kept, SelectFromModel.mask(a, otherT, null)) ? 0 : 1;
    }

    private static boolean[] bools(JsonNode n) {
        boolean[] b = new boolean[n.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = n.get(i).asBoolean();
        }
        return b;
    }
}
