package dev.tabscore.bundle.torch;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Decodes the text arguments of protocol-0 opcodes the way CPython's {@code pickle} does. Every
 * method throws {@link IllegalArgumentException} with a short reason; the decoder adds where.
 */
final class PickleText {

    /** CPython's default limit on the digits of an int read from text. */
    static final int MAX_INT_DIGITS = 4300;

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    /**
     * Possessive quantifiers: the same language as {@code [0-9]+\\.?[0-9]*}, but a long run of
     * digits that fails at its end is rejected in linear time instead of quadratic backtracking.
     */
    private static final Pattern FLOAT =
            Pattern.compile(
                    "[+-]?(([0-9]++(\\.[0-9]*+)?+|\\.[0-9]++)([eE][+-]?[0-9]++)?+|(?i:nan|inf|infinity))");

    private PickleText() {}

    /** Parses a decimal integer (INT, LONG with its L removed, GET, PUT) to Long or BigInteger. */
    static Number integer(String text) {
        if (!INTEGER.matcher(text).matches()) {
            throw new IllegalArgumentException("not a decimal integer: '" + shorten(text) + "'");
        }
        if (text.length() > MAX_INT_DIGITS) {
            throw new IllegalArgumentException(
                    "integer literal of " + text.length() + " digits exceeds " + MAX_INT_DIGITS);
        }
        return normalize(new BigInteger(text.startsWith("+") ? text.substring(1) : text));
    }

    /** Parses a FLOAT argument as Python's {@code float()} would. */
    static double floating(String text) {
        if (!FLOAT.matcher(text).matches()) {
            throw new IllegalArgumentException("not a float literal: '" + shorten(text) + "'");
        }
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        boolean negative = lower.startsWith("-");
        String magnitude = lower.replaceFirst("^[+-]", "");
        if (magnitude.equals("nan")) {
            return Double.NaN;
        }
        if (magnitude.startsWith("inf")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(text);
    }

    /** Returns a Long when the value fits, else the BigInteger. */
    static Number normalize(BigInteger value) {
        return value.bitLength() < 64 ? (Number) value.longValue() : value;
    }

    /** Decodes a little-endian two's-complement integer (LONG1, LONG4). */
    static Number littleEndianInteger(byte[] bytes) {
        if (bytes.length == 0) {
            return 0L;
        }
        byte[] bigEndian = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            bigEndian[i] = bytes[bytes.length - 1 - i];
        }
        return normalize(new BigInteger(bigEndian));
    }

    /** Decodes the quoted argument of STRING: quotes stripped, then {@code escape_decode}. */
    static byte[] quotedString(byte[] line) {
        int n = line.length;
        if (n < 2 || line[0] != line[n - 1] || (line[0] != '\'' && line[0] != '"')) {
            throw new IllegalArgumentException("the STRING opcode argument must be quoted");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        int i = 1;
        while (i < n - 1) {
            byte c = line[i++];
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (i >= n - 1) {
                throw new IllegalArgumentException("trailing \\ in string");
            }
            byte e = line[i++];
            switch (e) {
                case '\n' -> {}
                case '\\', '\'', '"' -> out.write(e);
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'n' -> out.write(10);
                case 'r' -> out.write(13);
                case 't' -> out.write(9);
                case 'v' -> out.write(11);
                case 'x' -> {
                    if (i + 2 > n - 1 || hex(line[i]) < 0 || hex(line[i + 1]) < 0) {
                        throw new IllegalArgumentException("invalid \\x escape in string");
                    }
                    out.write(hex(line[i]) * 16 + hex(line[i + 1]));
                    i += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int value = e - '0';
                        for (int k = 0;
                                k < 2 && i < n - 1 && line[i] >= '0' && line[i] <= '7';
                                k++) {
                            value = value * 8 + (line[i++] - '0');
                        }
                        out.write(value & 0xff);
                    } else {
                        out.write('\\');
                        out.write(e);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /** Decodes the argument of UNICODE: latin-1 with backslash-u escapes (raw-unicode-escape). */
    static String rawUnicodeEscape(byte[] line) {
        StringBuilder out = new StringBuilder(line.length);
        int i = 0;
        while (i < line.length) {
            if (line[i] != '\\') {
                out.append((char) (line[i++] & 0xff));
                continue;
            }
            int start = i;
            while (i < line.length && line[i] == '\\') {
                i++;
            }
            int backslashes = i - start;
            boolean escape =
                    i < line.length && (line[i] == 'u' || line[i] == 'U') && backslashes % 2 == 1;
            out.append("\\".repeat(escape ? backslashes - 1 : backslashes));
            if (escape) {
                int digits = line[i] == 'u' ? 4 : 8;
                i++;
                int codePoint = 0;
                for (int k = 0; k < digits; k++) {
                    if (i >= line.length || hex(line[i]) < 0) {
                        throw new IllegalArgumentException("truncated \\uXXXX escape");
                    }
                    codePoint = codePoint * 16 + hex(line[i++]);
                    if (codePoint > Character.MAX_CODE_POINT || codePoint < 0) {
                        throw new IllegalArgumentException("\\U escape out of range");
                    }
                }
                out.appendCodePoint(codePoint);
            }
        }
        return out.toString();
    }

    private static int hex(byte b) {
        return Character.digit((char) (b & 0xff), 16);
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
