package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One case written by {@code src/test/resources/sklearn-transformers/make_fixtures.py}: a
 * transformer fitted by real scikit-learn ({@code <case>.skops}) and fresh rows with scikit-learn's
 * output for each row alone and for the accepted rows together ({@code <case>.json}). {@link
 * #check} scores both ways through {@link Preprocessor} and compares.
 */
final class SklearnFixture {

    /** The releases fixtures were written with. */
    static final List<String> RELEASES = List.of("1.9.1", "1.8.0", "1.5.2", "1.3.2", "1.2.2");

    private static final Path ROOT = Paths.get("src/test/resources/sklearn-transformers");

    /** Decides whether a feature value agrees with scikit-learn's. */
    @FunctionalInterface
    interface Agreement {
        boolean agrees(double expected, double actual, boolean batch);
    }

    /** Bit for bit, the sign of zero and NaN included. */
    static final Agreement EXACT = (e, a, batch) -> Double.compare(e, a) == 0;

    final String release;
    final String name;
    final Preprocessor pre;
    final ColumnBatch rows;
    final JsonNode doc;

    private SklearnFixture(String release, String name) {
        this.release = release;
        this.name = name;
        Path dir = ROOT.resolve("sklearn-" + release);
        try {
            this.doc = new ObjectMapper().readTree(dir.resolve(name + ".json").toFile());
            this.pre =
                    Preprocessor.load(
                            Files.readAllBytes(dir.resolve(name + ".skops")), name + ".skops");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.rows = columns(doc.get("columns"));
    }

    static SklearnFixture load(String release, String name) {
        return new SklearnFixture(release, name);
    }

    /** Whether the release wrote this case (older releases lack some transformers). */
    static boolean exists(String release, String name) {
        return Files.exists(ROOT.resolve("sklearn-" + release).resolve(name + ".skops"));
    }

    private static ColumnBatch columns(JsonNode cols) {
        int n = -1;
        ColumnBatch.Builder b = null;
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = cols.fields(); it.hasNext(); ) {
            entries.add(it.next());
        }
        for (Map.Entry<String, JsonNode> e : entries) {
            JsonNode values = e.getValue().get("values");
            String dtype = e.getValue().get("dtype").asText();
            if (b == null) {
                n = values.size();
                b = ColumnBatch.builder(n);
            }
            Column c;
            if (dtype.equals("float64")) {
                double[] v = new double[n];
                for (int r = 0; r < n; r++) {
                    v[r] = parse(values.get(r).asText());
                }
                c = new DoubleColumn(v);
            } else if (dtype.equals("int64")) {
                long[] v = new long[n];
                for (int r = 0; r < n; r++) {
                    v[r] = (long) parse(values.get(r).asText());
                }
                c = new LongColumn(v, null);
            } else {
                String[] v = new String[n];
                for (int r = 0; r < n; r++) {
                    v[r] = values.get(r).isNull() ? null : values.get(r).asText();
                }
                c = new StringColumn(v);
            }
            b.add(e.getKey(), c);
        }
        return b.build();
    }

    /** float.hex, nan, inf or -inf. */
    static double parse(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    List<String> featureNames() {
        List<String> out = new ArrayList<>();
        doc.get("feature_names_out").forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * Checks feature names, every row alone (refused where scikit-learn refused it) and the
     * accepted rows together.
     *
     * @param agreement how features are compared
     * @return the number of feature cells compared
     */
    int check(Agreement agreement) {
        String label = "sklearn-" + release + "/" + name;
        assertEquals(featureNames(), pre.featureNamesOut(), label + " feature names");
        int d = pre.width();
        int cells = 0;
        List<String> bad = new ArrayList<>();
        JsonNode expectedRows = doc.get("rows");
        for (int r = 0; r < rows.rowCount(); r++) {
            ColumnBatch one = rows.select(new int[] {r});
            JsonNode want = expectedRows.get(r);
            if (want.has("error")) {
                assertThrows(
                        ScoringException.class,
                        () -> pre.transform(one, null),
                        label
                                + " row "
                                + r
                                + ": scikit-learn refused it ("
                                + want.get("error").asText()
                                + ")");
                continue;
            }
            double[] got = pre.transform(one, null);
            cells +=
                    compare(want.get("out"), got, 0, d, agreement, false, label + " row " + r, bad);
        }
        JsonNode batchRows = doc.get("batch_rows");
        int[] idx = new int[batchRows.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = batchRows.get(i).asInt();
        }
        if (idx.length > 0) {
            double[] got = pre.transform(rows.select(idx), new TransformStats());
            JsonNode out = doc.get("batch_out");
            for (int i = 0; i < idx.length; i++) {
                cells +=
                        compare(
                                out.get(i),
                                got,
                                i * d,
                                d,
                                agreement,
                                true,
                                label + " batch row " + idx[i],
                                bad);
            }
        }
        if (!bad.isEmpty()) {
            fail(
                    bad.size()
                            + " cells differ:\n"
                            + String.join("\n", bad.subList(0, Math.min(20, bad.size()))));
        }
        return cells;
    }

    private static int compare(
            JsonNode want,
            double[] got,
            int at,
            int d,
            Agreement agreement,
            boolean batch,
            String label,
            List<String> bad) {
        assertEquals(want.size(), d, label + " width");
        for (int j = 0; j < d; j++) {
            double e = parse(want.get(j).asText());
            double a = got[at + j];
            if (!agreement.agrees(e, a, batch)) {
                bad.add(
                        label
                                + ", feature "
                                + j
                                + ": expected "
                                + e
                                + " ("
                                + Double.toHexString(e)
                                + "), got "
                                + a
                                + " ("
                                + Double.toHexString(a)
                                + ")");
            }
        }
        return d;
    }
}
