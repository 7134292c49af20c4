package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The ulp contract of every supported ufunc, measured against numpy (surface/ufunc: numpy's float64
 * results on 5,038 values spanning every magnitude, the domain edges, subnormals, infinities and
 * NaN; surface/make_surface.py): the exact functions equal numpy bit for bit (signed zeros
 * included), the others stay within {@link Ufunc#ulps()} and agree on NaN, infinities and zeros.
 * Bool input follows numpy's bool, int8 and float16 loops.
 */
class UfuncContractTest {

    /** numpy's results; {@code -Dufunc.dir=...} measures another numpy against the same inputs. */
    private static final Path DIR =
            System.getProperty("ufunc.dir") != null
                    ? Path.of(System.getProperty("ufunc.dir"))
                    : SurfaceFixtureTest.ROOT.resolve("ufunc");

    /** Distance in ulps between two doubles of the same sign, via their ordered bit patterns. */
    static long ulpDistance(double a, double b) {
        long x = Double.doubleToLongBits(a);
        long y = Double.doubleToLongBits(b);
        x = x < 0 ? Long.MIN_VALUE - x : x;
        y = y < 0 ? Long.MIN_VALUE - y : y;
        return Math.abs(x - y);
    }

    @Test
    void everyUfuncIsWithinItsContractOfNumpy() throws IOException {
        double[] x = SurfaceFixtureTest.npy(DIR.resolve("inputs.npy")).asDoubles();
        Map<String, Long> measured = new TreeMap<>();
        for (Ufunc u : Ufunc.values()) {
            double[] want =
                    SurfaceFixtureTest.npy(DIR.resolve(u.pythonName() + ".npy")).asDoubles();
            long worst = 0;
            for (int i = 0; i < x.length; i++) {
                double g = u.apply(x[i]);
                double w = want[i];
                String where =
                        "np."
                                + u.pythonName()
                                + "("
                                + x[i]
                                + " = "
                                + Double.toHexString(x[i])
                                + "): numpy "
                                + w
                                + ", java "
                                + g;
                if (w != w || g != g) {
                    assertTrue(w != w && g != g, where);
                    continue;
                }
                if (u.exact() || Double.isInfinite(w) || w == 0) {
                    assertEquals(Double.doubleToLongBits(w), Double.doubleToLongBits(g), where);
                    continue;
                }
                long d = ulpDistance(g, w);
                worst = Math.max(worst, d);
                assertTrue(d <= u.ulps(), where + ", " + d + " ulps > contract " + u.ulps());
            }
            measured.put(u.pythonName(), worst);
        }
        System.out.println("UfuncContractTest measured max ulps vs numpy: " + measured);
    }

    @Test
    void boolInputFollowsNumpysBoolInt8AndFloat16Loops() throws IOException {
        JsonNode results =
                new ObjectMapper()
                        .enable(
                                com.fasterxml.jackson.core.JsonParser.Feature
                                        .ALLOW_NON_NUMERIC_NUMBERS)
                        .readTree(DIR.resolve("bool.json").toFile())
                        .get("results");
        for (Iterator<Map.Entry<String, JsonNode>> it = results.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Ufunc u = Ufunc.byName(e.getKey());
            String dtype = e.getValue().get("dtype").asText();
            Ufunc.BoolRule want =
                    switch (dtype) {
                        case "bool" -> Ufunc.BoolRule.SAME;
                        case "int8" -> Ufunc.BoolRule.INT8;
                        case "float16" -> Ufunc.BoolRule.FLOAT16;
                        default -> Ufunc.BoolRule.ERROR;
                    };
            assertEquals(want, u.boolRule(), e.getKey());
            if (want != Ufunc.BoolRule.ERROR) {
                JsonNode v = e.getValue().get("values");
                assertEquals(v.get(0).asDouble(), u.applyBool(false), e.getKey() + "(False)");
                assertEquals(v.get(1).asDouble(), u.applyBool(true), e.getKey() + "(True)");
            }
        }
    }

    @Test
    void int64LoopsWrapAsNumpysDo() {
        assertEquals(Long.MIN_VALUE, Ufunc.ABS.applyLong(Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE, Ufunc.NEGATIVE.applyLong(Long.MIN_VALUE));
        assertEquals(-9223372036709301616L, Ufunc.SQUARE.applyLong(3037000500L));
        assertEquals(Long.MIN_VALUE, Ufunc.RECIPROCAL.applyLong(0));
        assertEquals(0, Ufunc.RECIPROCAL.applyLong(2));
        assertEquals(-1, Ufunc.SIGN.applyLong(-5));
    }
}
