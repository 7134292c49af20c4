package dev.tabscore.bundle.testing;

import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a CSV exactly as {@code pandas.read_csv(path, keep_default_na=True,
 * float_precision="round_trip")} did when the fixtures were made (fixtures/README.md §4): the NA
 * strings of the pandas version (pandas 2 adds {@code None}), a quoted empty field as missing,
 * whitespace and case kept, numbers parsed correctly rounded ({@link Double#parseDouble}), and the
 * dtype inferred per column: only True/False gives bool, only integers gives int64 (float64 once a
 * value is missing), only numbers or missing gives float64, anything else a string column.
 */
public final class PandasCsv {

    /** pandas 1.x's default NA strings ({@code _libs.parsers.STR_NA_VALUES}). */
    private static final Set<String> NA_PANDAS_1 =
            Set.of(
                    "",
                    "#N/A",
                    "#N/A N/A",
                    "#NA",
                    "-1.#IND",
                    "-1.#QNAN",
                    "-NaN",
                    "-nan",
                    "1.#IND",
                    "1.#QNAN",
                    "<NA>",
                    "N/A",
                    "NA",
                    "NULL",
                    "NaN",
                    "n/a",
                    "nan",
                    "null");

    private static final Pattern INT = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern FLOAT =
            Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Set<String> TRUE = Set.of("True", "TRUE", "true");
    private static final Set<String> FALSE = Set.of("False", "FALSE", "false");

    private PandasCsv() {}

    /**
     * Returns the strings a pandas version reads as missing.
     *
     * @param pandasVersion e.g. {@code 1.5.3} or {@code 2.2.3}
     * @return the NA strings
     */
    public static Set<String> naValues(String pandasVersion) {
        int major = Integer.parseInt(pandasVersion.split("\\.")[0]);
        if (major < 2) {
            return NA_PANDAS_1;
        }
        Set<String> na = new java.util.HashSet<>(NA_PANDAS_1);
        na.add("None");
        return Set.copyOf(na);
    }

    /**
     * Reads a CSV file.
     *
     * @param path the file
     * @param pandasVersion the pandas version whose NA strings apply
     * @return the columns, typed as pandas typed them
     * @throws IOException if the file cannot be read
     */
    public static ColumnBatch read(Path path, String pandasVersion) throws IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8), naValues(pandasVersion));
    }

    /**
     * Parses CSV text.
     *
     * @param text the text: a header row, then records
     * @param na the strings read as missing
     * @return the typed columns
     */
    public static ColumnBatch parse(String text, Set<String> na) {
        List<String[]> records = records(text);
        String[] header = records.get(0);
        int n = records.size() - 1;
        ColumnBatch.Builder b = ColumnBatch.builder(n);
        for (int j = 0; j < header.length; j++) {
            String[] raw = new String[n];
            for (int r = 0; r < n; r++) {
                String[] rec = records.get(r + 1);
                if (rec.length != header.length) {
                    throw new IllegalArgumentException(
                            "record "
                                    + (r + 1)
                                    + " has "
                                    + rec.length
                                    + " fields, the header "
                                    + header.length);
                }
                // a quoted empty field is null here and missing for pandas too
                raw[r] = rec[j] == null || na.contains(rec[j]) ? null : rec[j];
            }
            b.add(header[j], column(raw));
        }
        return b.build();
    }

    private static Column column(String[] raw) {
        int n = raw.length;
        boolean anyMissing = false;
        boolean allBool = true;
        boolean allInt = true;
        boolean allFloat = true;
        boolean any = false;
        for (String v : raw) {
            if (v == null) {
                anyMissing = true;
                continue;
            }
            any = true;
            allBool &= TRUE.contains(v) || FALSE.contains(v);
            allInt &= INT.matcher(v).matches();
            allFloat &= FLOAT.matcher(v).matches() || isInfinity(v);
        }
        if (any && allBool) {
            boolean[] values = new boolean[n];
            boolean[] missing = new boolean[n];
            for (int r = 0; r < n; r++) {
                missing[r] = raw[r] == null;
                values[r] = raw[r] != null && TRUE.contains(raw[r]);
            }
            return new BooleanColumn(values, anyMissing ? missing : null);
        }
        if (any && allInt && !anyMissing && fitsLong(raw)) {
            long[] values = new long[n];
            for (int r = 0; r < n; r++) {
                values[r] = Long.parseLong(raw[r]);
            }
            return new LongColumn(values, null);
        }
        if (allFloat) {
            double[] values = new double[n];
            for (int r = 0; r < n; r++) {
                values[r] = raw[r] == null ? Double.NaN : parseDouble(raw[r]);
            }
            return new DoubleColumn(values);
        }
        return new StringColumn(raw);
    }

    private static boolean fitsLong(String[] raw) {
        for (String v : raw) {
            try {
                Long.parseLong(v);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean isInfinity(String v) {
        String s = v.startsWith("+") || v.startsWith("-") ? v.substring(1) : v;
        return s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("infinity");
    }

    private static double parseDouble(String v) {
        if (isInfinity(v)) {
            return v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(v);
    }

    /** Splits RFC 4180 records; a quoted empty field comes back as null. */
    static List<String[]> records(String text) {
        List<String[]> out = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (quoted) {
                if (c == '"' && i < text.length() && text.charAt(i) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',' || c == '\n') {
                fields.add(wasQuoted && field.length() == 0 ? null : field.toString());
                field.setLength(0);
                wasQuoted = false;
                if (c == '\n') {
                    out.add(fields.toArray(new String[0]));
                    fields.clear();
                }
            } else if (c != '\r') {
                field.append(c);
            }
        }
        if (field.length() > 0 || !fields.isEmpty() || wasQuoted) {
            fields.add(wasQuoted && field.length() == 0 ? null : field.toString());
            out.add(fields.toArray(new String[0]));
        }
        return out;
    }
}
