package dev.tabscore.bundle.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical form of a JSON value per RFC 8785 (JSON Canonicalization Scheme), which the Python
 * exporter implements too: object members sorted by their names' UTF-16 code units, no whitespace,
 * UTF-8, strings with the minimal JSON escapes, and numbers in ECMAScript's shortest round-trip
 * form ({@code 1e-7}, {@code 0.1}, {@code 100}, {@code 1e+21}).
 *
 * <p>A bundle's identity is the sha256 of this form of its manifest, so re-indenting or reordering
 * the file does not change it, while any changed value does.
 */
public final class CanonicalJson {

    private static final BigInteger MAX_SAFE_INTEGER = BigInteger.valueOf(9007199254740991L);

    private CanonicalJson() {}

    /**
     * Returns the canonical UTF-8 bytes of {@code value}.
     *
     * @param value a JSON tree with no NaN or infinite numbers
     * @return the canonical form
     * @throws IllegalArgumentException if a number cannot be represented (NaN, infinity, an integer
     *     outside ±2^53 that is not exactly a double)
     */
    public static byte[] canonicalize(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out);
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> out.append(number(node));
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default ->
                    throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    private static void writeObject(JsonNode node, StringBuilder out) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        // String.compareTo compares UTF-16 code units, exactly what RFC 8785 §3.2.3 asks for.
        names.sort(String::compareTo);
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(names.get(i), out);
            out.append(':');
            write(node.get(names.get(i)), out);
        }
        out.append('}');
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static String number(JsonNode node) {
        if (node.isIntegralNumber()) {
            BigInteger v = node.bigIntegerValue();
            if (v.abs().compareTo(MAX_SAFE_INTEGER) <= 0) {
                return v.toString();
            }
            double d = v.doubleValue();
            if (!new BigDecimal(d).toBigIntegerExact().equals(v)) {
                throw new IllegalArgumentException("integer " + v + " is not exactly a double");
            }
            return formatDouble(d);
        }
        return formatDouble(node.doubleValue());
    }

    /**
     * Formats a double as ECMAScript's {@code Number.prototype.toString} does (RFC 8785 §3.2.2.3).
     *
     * @param v a finite double
     * @return its shortest round-trip text
     */
    public static String formatDouble(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("NaN and infinity have no JSON form: " + v);
        }
        if (v == 0.0) {
            return "0"; // also -0.0
        }
        String sign = v < 0 ? "-" : "";
        BigDecimal shortest = shortestDigits(Math.abs(v));
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // value = digits × 10^(n-k)
        StringBuilder s = new StringBuilder(sign);
        if (k <= n && n <= 21) {
            s.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            s.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            s.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int exp = n - 1;
            s.append(digits.charAt(0));
            if (k > 1) {
                s.append('.').append(digits, 1, k);
            }
            s.append('e').append(exp >= 0 ? "+" : "-").append(Math.abs(exp));
        }
        return s.toString();
    }

    /** The fewest significant digits that read back to {@code v}, the nearest of them first. */
    private static BigDecimal shortestDigits(double v) {
        BigDecimal exact = new BigDecimal(v);
        for (int p = 1; p <= 17; p++) {
            for (RoundingMode mode :
                    new RoundingMode[] {
                        RoundingMode.HALF_EVEN, RoundingMode.DOWN, RoundingMode.UP
                    }) {
                BigDecimal candidate = exact.round(new MathContext(p, mode));
                if (candidate.doubleValue() == v) {
                    return candidate.stripTrailingZeros();
                }
            }
        }
        return exact.round(MathContext.DECIMAL64).stripTrailingZeros();
    }

    /**
     * Returns the canonical bytes, for tests and the CLI.
     *
     * @param value a JSON tree
     * @return the canonical form as a UTF-8 string
     */
    public static String canonicalString(JsonNode value) {
        return new String(canonicalize(value), StandardCharsets.UTF_8);
    }
}
