package dev.tabscore.bundle.io;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a small CSV file (header row, comma separated, as pandas' {@code to_csv} writes it) into a
 * {@link ColumnBatch}, typing each column by the bundle's contract, as pandas' {@code read_csv}
 * would see it: a field equal to one of the NA strings is missing, numbers are parsed correctly
 * rounded, whitespace and case are kept. Columns not in the contract are read as strings.
 */
public final class CsvColumns {

    /** pandas 1.x NA strings ({@code keep_default_na=True}). */
    public static final Set<String> PANDAS1_NA =
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

    /** pandas 2.x NA strings: the 1.x list plus {@code None}. */
    public static final Set<String> PANDAS2_NA;

    static {
        java.util.HashSet<String> s = new java.util.HashSet<>(PANDAS1_NA);
        s.add("None");
        PANDAS2_NA = Set.copyOf(s);
    }

    private static final int MAX_ROWS = 5_000_000;

    private CsvColumns() {}

    /**
     * Reads a CSV stream.
     *
     * @param in the stream (not closed)
     * @param dtypes contract dtype per column name (float64, int64, bool, string)
     * @param naTokens the strings that mean missing
     * @param source the file name for messages
     * @return the batch, columns in file order
     */
    public static ColumnBatch read(
            InputStream in, Map<String, String> dtypes, Set<String> naTokens, String source) {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<String[]> rows = new ArrayList<>();
        String[] header;
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(in)) {
            if (!it.hasNext()) {
                throw refused(source, "is empty (no header row)");
            }
            header = it.next();
            while (it.hasNext()) {
                String[] r = it.next();
                if (r.length == 1 && r[0].isEmpty() && header.length > 1) {
                    continue; // a blank line
                }
                if (r.length != header.length) {
                    throw refused(
                            source,
                            "line "
                                    + (rows.size() + 2)
                                    + " has "
                                    + r.length
                                    + " fields; the header has "
                                    + header.length);
                }
                if (rows.size() >= MAX_ROWS) {
                    throw refused(source, "has more than " + MAX_ROWS + " rows; use the Spark job");
                }
                rows.add(r);
            }
        } catch (IOException e) {
            throw refused(source, "is not valid CSV: " + e.getMessage());
        }
        ColumnBatch.Builder b = ColumnBatch.builder(rows.size());
        for (int c = 0; c < header.length; c++) {
            String dtype = dtypes.getOrDefault(header[c], "string");
            b.add(header[c], column(rows, c, header[c], dtype, naTokens, source));
        }
        return b.build();
    }

    private static Column column(
            List<String[]> rows, int c, String name, String dtype, Set<String> na, String source) {
        int n = rows.size();
        switch (dtype) {
            case "float64", "int64":
                {
                    double[] d = new double[n];
                    long[] l = new long[n];
                    boolean[] missing = new boolean[n];
                    boolean integral = dtype.equals("int64");
                    for (int i = 0; i < n; i++) {
                        String v = rows.get(i)[c];
                        if (na.contains(v)) {
                            missing[i] = true;
                            d[i] = Double.NaN;
                            integral = false; // pandas makes an int column with NA float64
                            continue;
                        }
                        try {
                            d[i] = Double.parseDouble(v);
                        } catch (NumberFormatException e) {
                            throw new BundleException(
                                    Reason.INPUT_VALUE,
                                    source
                                            + ": row "
                                            + i
                                            + ", column '"
                                            + name
                                            + "': '"
                                            + v
                                            + "' is not a number");
                        }
                        if (integral && v.matches("[+-]?\\d+")) {
                            l[i] = Long.parseLong(v);
                        } else {
                            integral = false;
                        }
                    }
                    return integral ? new LongColumn(l, null) : new DoubleColumn(d);
                }
            case "bool":
                {
                    boolean[] v = new boolean[n];
                    boolean[] missing = new boolean[n];
                    boolean any = false;
                    for (int i = 0; i < n; i++) {
                        String s = rows.get(i)[c];
                        if (na.contains(s)) {
                            missing[i] = true;
                            any = true;
                        } else if (s.equals("True") || s.equals("true")) {
                            v[i] = true;
                        } else if (!s.equals("False") && !s.equals("false")) {
                            throw new BundleException(
                                    Reason.INPUT_VALUE,
                                    source
                                            + ": row "
                                            + i
                                            + ", column '"
                                            + name
                                            + "': '"
                                            + s
                                            + "' is not True or False");
                        }
                    }
                    return new BooleanColumn(v, any ? missing : null);
                }
            default:
                {
                    String[] v = new String[n];
                    for (int i = 0; i < n; i++) {
                        String s = rows.get(i)[c];
                        v[i] = na.contains(s) ? null : s;
                    }
                    return new StringColumn(v);
                }
        }
    }

    private static BundleException refused(String source, String what) {
        return new BundleException(Reason.INPUT_SCHEMA, source + " " + what);
    }
}
