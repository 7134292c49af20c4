package dev.tabscore.bundle.skops;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * The header dict of a {@code .npy} entry, parsed strictly: exactly the keys {@code descr}, {@code
 * fortran_order} and {@code shape}, each once, with a string (or, for a structured dtype, a flat
 * list of {@code ('name', 'type')} pairs), a bool and a tuple of non-negative ints. Nothing else of
 * Python's literal syntax is accepted.
 *
 * @param descr the dtype string, e.g. {@code <f8}; for a structured dtype its list as written
 * @param fortranOrder the {@code fortran_order} flag
 * @param shape the shape; empty for a 0-d array
 * @param fields the fields of a structured dtype in order (padding included), else null
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape, List<Field> fields) {

    /**
     * One field of a structured dtype, e.g. {@code ('left_child', '<i8')}; padding has an empty
     * name and a {@code |V<n>} type.
     *
     * @param name the field name, empty for padding
     * @param type the field's dtype string
     */
    record Field(String name, String type) {}

    /**
     * Parses header text such as {@code {'descr': '<f8', 'fortran_order': False, 'shape': (2,), }}
     * followed by space padding and a newline.
     */
    static NpyHeader parse(String text, String entryName) {
        return new Parser(text, entryName).header();
    }

    /** Renders the shape as Python does: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
    static String shapeText(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** A recursive-descent parser over the few literal forms a header holds. */
    private static final class Parser {
        private final String text;
        private final String entryName;
        private int pos;

        Parser(String text, String entryName) {
            this.text = text;
            this.entryName = entryName;
        }

        NpyHeader header() {
            String descr = null;
            List<Field> fields = null;
            Boolean fortranOrder = null;
            long[] shape = null;
            skipSpace();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                switch (key) {
                    case "descr":
                        checkOnce(descr, key);
                        if (peek() == '[') {
                            int start = pos;
                            fields = fieldList();
                            descr = text.substring(start, pos);
                        } else {
                            descr = string();
                        }
                        break;
                    case "fortran_order":
                        checkOnce(fortranOrder, key);
                        fortranOrder = bool();
                        break;
                    case "shape":
                        checkOnce(shape, key);
                        shape = tuple();
                        break;
                    default:
                        throw invalid("header has an unexpected key '" + key + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw invalid("expected ',' or '}' at header offset " + pos);
                }
            }
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c != ' ' && c != '\n') {
                    throw invalid("header has text after its closing '}'");
                }
            }
            if (descr == null || fortranOrder == null || shape == null) {
                throw invalid("header lacks one of 'descr', 'fortran_order', 'shape'");
            }
            return new NpyHeader(descr, fortranOrder, shape, fields);
        }

        private void checkOnce(Object previous, String key) {
            if (previous != null) {
                throw invalid("header has the key '" + key + "' twice");
            }
        }

        private String string() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw invalid("expected a quoted string at header offset " + pos);
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw invalid("unterminated string in header");
            }
            String value = text.substring(pos + 1, end);
            if (value.indexOf('\\') >= 0 || value.indexOf('\n') >= 0) {
                throw invalid("escape sequences are not allowed in header strings");
            }
            pos = end + 1;
            return value;
        }

        /** A structured dtype: {@code [('a', '<f8'), ('', '|V7')]}, no nesting, no shapes. */
        private List<Field> fieldList() {
            expect('[');
            List<Field> out = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ']') {
                    pos++;
                    break;
                }
                expect('(');
                skipSpace();
                String name = string();
                skipSpace();
                expect(',');
                skipSpace();
                if (peek() != '\'' && peek() != '"') {
                    throw new BundleFormatException(
                            Reason.NPY_UNSUPPORTED,
                            entryName
                                    + ": structured dtype field '"
                                    + name
                                    + "' has a nested or shaped "
                                    + "type; only flat fields of "
                                    + Npy.STRUCTURED_FIELD_DTYPES
                                    + " are read");
                }
                String type = string();
                skipSpace();
                expect(')');
                out.add(new Field(name, type));
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != ']') {
                    throw invalid("expected ',' or ']' in dtype at header offset " + pos);
                }
            }
            return out;
        }

        private boolean bool() {
            if (text.startsWith("True", pos)) {
                pos += 4;
                return true;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return false;
            }
            throw invalid("expected True or False at header offset " + pos);
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            boolean trailingComma = false;
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                dims.add(dimension());
                skipSpace();
                trailingComma = peek() == ',';
                if (trailingComma) {
                    pos++;
                } else if (peek() != ')') {
                    throw invalid("expected ',' or ')' in shape at header offset " + pos);
                }
            }
            if (dims.size() == 1 && !trailingComma) {
                throw invalid("shape '(" + dims.get(0) + ")' is not a tuple");
            }
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i);
            }
            return shape;
        }

        private long dimension() {
            int start = pos;
            while (pos < text.length()
                    && Character.isDigit(text.charAt(pos))
                    && text.charAt(pos) < 0x80) {
                pos++;
            }
            String digits = text.substring(start, pos);
            if (digits.isEmpty() || (digits.length() > 1 && digits.charAt(0) == '0')) {
                throw invalid("expected a non-negative integer in shape at header offset " + start);
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new BundleFormatException(
                        Reason.LIMIT_EXCEEDED,
                        entryName + ": shape dimension " + digits + " is larger than 2^63");
            }
        }

        private void skipSpace() {
            while (pos < text.length() && text.charAt(pos) == ' ') {
                pos++;
            }
        }

        private char peek() {
            if (pos >= text.length()) {
                throw invalid("header ends early");
            }
            return text.charAt(pos);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw invalid("expected '" + c + "' at header offset " + pos);
            }
            pos++;
        }

        private BundleFormatException invalid(String detail) {
            return new BundleFormatException(Reason.NPY_INVALID, entryName + ": " + detail);
        }
    }
}
