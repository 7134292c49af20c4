package dev.tabscore.bundle.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8785 number and ordering rules, with the RFC's own Appendix B vectors. */
class CanonicalJsonTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2",
    })
    void formatsNumbersLikeEcmaScript(String bits, String expected) {
        double v = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
        assertEquals(expected, CanonicalJson.formatDouble(v));
    }

    @Test
    void sortsKeysByUtf16AndDropsWhitespace() throws Exception {
        JsonNode tree =
                new ObjectMapper()
                        .readTree(
                                "{ \"b\": [1, 2.50, {\"\\u20ac\": true, \"\\r\": null}], \"a\": \"x\\u0001\\\"\" ,"
                                        + " \"\\ud83d\\ude00\": 1e2, \"\\ufb33\": 0.1 }");
        assertEquals(
                "{\"a\":\"x\\u0001\\\"\",\"b\":[1,2.5,{\"\\r\":null,\"\u20ac\":true}],"
                        + "\"\ud83d\ude00\":100,\"\ufb33\":0.1}",
                CanonicalJson.canonicalString(tree));
    }

    @Test
    void refusesNonFiniteNumbers() {
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.formatDouble(Double.NaN));
        assertThrows(
                IllegalArgumentException.class,
                () -> CanonicalJson.formatDouble(Double.POSITIVE_INFINITY));
    }
}
