package dev.tabscore.bundle.quality;

import java.util.regex.Pattern;

/**
 * Reads a string as Python's {@code float(str)} does, which is what scikit-learn's {@code
 * check_array} applies to an object column of strings: surrounding whitespace ignored, an optional
 * sign, decimal digits (any Unicode decimal digit) with single underscores between digits, an
 * optional fraction and exponent, or {@code inf}, {@code infinity}, {@code nan} in any case. The
 * result is correctly rounded, as Python's is.
 */
public final class PyFloat {

    private static final Pattern NUMBER =
            Pattern.compile(
                    "[+-]?(?:(?:\\d(?:_?\\d)*)(?:\\.(?:\\d(?:_?\\d)*)?)?|\\.\\d(?:_?\\d)*)"
                            + "(?:[eE][+-]?\\d(?:_?\\d)*)?");
    private static final Pattern SPECIAL = Pattern.compile("[+-]?(?i:inf|infinity|nan)");

    private PyFloat() {}

    /**
     * Parses a value.
     *
     * @param text the text
     * @return the number (NaN for "nan", infinities for "inf"), or null when Python's float() would
     *     raise ValueError
     */
    public static Double parse(String text) {
        String s = asciiDigits(pyStrip(text));
        if (NUMBER.matcher(s).matches()) {
            return Double.parseDouble(s.replace("_", ""));
        }
        if (SPECIAL.matcher(s).matches()) {
            boolean negative = s.charAt(0) == '-';
            String word = s.replaceFirst("^[+-]", "").toLowerCase(java.util.Locale.ROOT);
            if (word.equals("nan")) {
                return Double.NaN;
            }
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return null;
    }

    /** Python's str.strip(): its whitespace includes the no-break spaces Java's strip() keeps. */
    static String pyStrip(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isPySpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isPySpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    private static boolean isPySpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** Python accepts every Unicode decimal digit in float(); map them to ASCII first. */
    private static String asciiDigits(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch > 127 && Character.getType(ch) == Character.DECIMAL_DIGIT_NUMBER) {
                if (b == null) {
                    b = new StringBuilder(s.substring(0, i));
                }
                b.append((char) ('0' + Character.digit(ch, 10)));
            } else if (b != null) {
                b.append(ch);
            }
        }
        return b == null ? s : b.toString();
    }
}
