package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the encoder fixtures written by real scikit-learn releases ({@code
 * resources/dev/tabscore/bundle/sklearn/encoders/generate.py}): OneHotEncoder, OrdinalEncoder and
 * KBinsDiscretizer over their parameter surface (dtype, drop, infrequent grouping, explicit
 * categories, sparse output, every handle_unknown, strategies, collapsed edges). Each fresh row is
 * transformed on its own and must give scikit-learn's values bit for bit, or fail where
 * scikit-learn raised; graphs scikit-learn fits with a Python None category must be refused naming
 * it. Where scikit-learn raised under {@code handle_unknown='error'}, {@link KnownCategories} must
 * mark exactly those rows unknown (the data-quality side).
 */
class EncoderFixturesTest {

    /** The committed fixtures, or a sweep of random cases ({@code generate.py --sweep}). */
    private static final Path DIR =
            Paths.get(
                    System.getProperty(
                            "encoders.dir",
                            "src/test/resources/dev/tabscore/bundle/sklearn/encoders"));

    private static int cases;
    private static long cells;
    private static long errorRows;
    private static int unknownChecks;
    private static int qualityChecks;

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> s = Files.walk(DIR)) {
            return s
                    .filter(p -> p.toString().endsWith(".json"))
                    .map(p -> DIR.relativize(p).toString().replace(".json", ""))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matchesScikitLearn(String fixture) throws IOException {
        JsonNode doc = new ObjectMapper().readTree(DIR.resolve(fixture + ".json").toFile());
        byte[] skops = Files.readAllBytes(DIR.resolve(fixture + ".skops"));
        cases++;
        if (doc.has("refused")) {
            BundleFormatException e =
                    assertThrows(
                            BundleFormatException.class,
                            () -> Preprocessor.load(skops, "preprocessor.skops"));
            assertTrue(e.getMessage().contains(doc.get("refused").asText()), e.getMessage());
            assertEquals(
                    Reason.valueOf(doc.get("refused_reason").asText()), e.reason(), e.getMessage());
            return;
        }
        Preprocessor pre = Preprocessor.load(skops, "preprocessor.skops");
        List<String> names = new ArrayList<>();
        doc.get("features").forEach(n -> names.add(n.asText()));
        assertEquals(names, pre.featureNamesOut(), "feature names");
        ColumnBatch in = batch(doc.get("input"));
        JsonNode rows = doc.get("rows");
        List<String> mismatches = new ArrayList<>();
        boolean[] failed = new boolean[in.rowCount()];
        for (int r = 0; r < in.rowCount(); r++) {
            ColumnBatch one = select(in, r);
            JsonNode expected = rows.get(r);
            if (expected.has("error")) {
                errorRows++;
                failed[r] = true;
                ScoringException e =
                        assertThrows(
                                ScoringException.class,
                                () -> pre.transform(one, new TransformStats()),
                                "row " + r + ": scikit-learn raised " + expected.get("error"));
                assertEquals(Reason.INPUT_VALUE, e.reason(), e.getMessage());
                continue;
            }
            double[] got = pre.transform(one, new TransformStats());
            JsonNode values = expected.get("values");
            assertEquals(values.size(), got.length, "row " + r + " width");
            for (int j = 0; j < got.length; j++) {
                cells++;
                double want = Double.parseDouble(values.get(j).asText());
                if (Double.compare(want, got[j]) != 0) {
                    mismatches.add(
                            "row "
                                    + r
                                    + " "
                                    + names.get(j)
                                    + ": scikit-learn "
                                    + want
                                    + ", tabscore "
                                    + got[j]);
                }
            }
        }
        if (!mismatches.isEmpty()) {
            fail(
                    fixture
                            + ": "
                            + mismatches.size()
                            + " cells differ\n"
                            + String.join(
                                    "\n", mismatches.subList(0, Math.min(30, mismatches.size()))));
        }
        if (doc.has("unknown")) {
            checkUnknownRowsAsScikitLearnFindsThem(pre, in, doc.get("unknown"));
        }
        String estimator = doc.get("estimator").asText();
        if (estimator.matches("(?s)(OneHotEncoder|OrdinalEncoder)\\(.*")
                && !estimator.contains("handle_unknown")) {
            checkUnknownRowsMarked(pre, in, failed);
        }
    }

    /**
     * Whatever the options (dtype, drop, infrequent grouping, handle_unknown), {@link
     * KnownCategories} marks a row unknown exactly when scikit-learn's {@code _check_unknown} finds
     * a non-missing value outside {@code categories_}: what the quality statistics count.
     */
    private static void checkUnknownRowsAsScikitLearnFindsThem(
            Preprocessor pre, ColumnBatch in, JsonNode expected) {
        qualityChecks++;
        boolean[] unknown = new boolean[in.rowCount()];
        for (Map.Entry<String, KnownCategories> e : pre.knownCategories().entrySet()) {
            e.getValue().markUnknown(in.column(e.getKey()), unknown);
        }
        for (int r = 0; r < unknown.length; r++) {
            assertEquals(
                    expected.get(r).asBoolean(),
                    unknown[r],
                    "row " + r + ": unknown per scikit-learn's _check_unknown vs KnownCategories");
        }
    }

    /**
     * With handle_unknown='error', the rows scikit-learn refused are the unknown ones, except a row
     * refused only for a missing value the encoder never saw (KnownCategories leaves missing values
     * to the missing-value statistics).
     */
    private static void checkUnknownRowsMarked(Preprocessor pre, ColumnBatch in, boolean[] failed) {
        unknownChecks++;
        boolean[] unknown = new boolean[in.rowCount()];
        for (Map.Entry<String, KnownCategories> e : pre.knownCategories().entrySet()) {
            e.getValue().markUnknown(in.column(e.getKey()), unknown);
        }
        for (int r = 0; r < unknown.length; r++) {
            // a missing value unseen at fit raises too, but the quality side counts it as missing
            boolean missing = false;
            for (int j = 0; j < in.columnCount(); j++) {
                missing |= in.column(j).isMissing(r);
            }
            assertEquals(
                    failed[r] && !missing || failed[r] && unknown[r],
                    unknown[r],
                    "row " + r + ": raised by scikit-learn vs marked unknown by KnownCategories");
        }
    }

    private static ColumnBatch select(ColumnBatch in, int r) {
        ColumnBatch.Builder b = ColumnBatch.builder(1);
        for (int j = 0; j < in.columnCount(); j++) {
            b.add(in.names().get(j), in.column(j).select(new int[] {r}));
        }
        return b.build();
    }

    /** The fresh rows as tabscore reads them: strings with null, doubles, ints and bools. */
    private static ColumnBatch batch(JsonNode input) {
        ColumnBatch.Builder b = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String kind = e.getValue().get("kind").asText();
            JsonNode v = e.getValue().get("values");
            int n = v.size();
            if (b == null) {
                b = ColumnBatch.builder(n);
            }
            Column c;
            switch (kind) {
                case "pystr" -> {
                    String[] s = new String[n];
                    for (int i = 0; i < n; i++) {
                        s[i] = v.get(i).isNull() ? null : v.get(i).asText();
                    }
                    c = new StringColumn(s);
                }
                case "float" -> {
                    double[] d = new double[n];
                    for (int i = 0; i < n; i++) {
                        d[i] =
                                v.get(i).isNull()
                                        ? Double.NaN
                                        : Double.parseDouble(v.get(i).asText());
                    }
                    c = new DoubleColumn(d);
                }
                case "int" -> {
                    long[] l = new long[n];
                    boolean[] m = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        m[i] = v.get(i).isNull();
                        l[i] = m[i] ? 0 : v.get(i).asLong();
                    }
                    c = new LongColumn(l, m);
                }
                case "bool" -> {
                    boolean[] x = new boolean[n];
                    boolean[] m = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        m[i] = v.get(i).isNull();
                        x[i] = !m[i] && v.get(i).asBoolean();
                    }
                    c = new BooleanColumn(x, m);
                }
                default -> throw new IllegalArgumentException(kind);
            }
            b.add(e.getKey(), c);
        }
        return b.build();
    }

    @AfterAll
    static void report() {
        System.out.println(
                "EncoderFixturesTest: "
                        + cases
                        + " fixtures, "
                        + cells
                        + " cells bit-exact, "
                        + errorRows
                        + " rows refused as scikit-learn refuses them, "
                        + unknownChecks
                        + " fixtures with KnownCategories marking the rows scikit-learn"
                        + " refused as unknown, "
                        + qualityChecks
                        + " with KnownCategories marking the"
                        + " rows _check_unknown finds unknown");
    }
}
