package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.testing.PandasCsv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Steps fed a float32 array, on real files: every case under {@code
 * src/test/resources/float32/sklearn-<version>/} was fitted and written by that scikit-learn
 * release ({@code make_float32.py}: 1.2.2, 1.8.0, 1.9.1; 1.4.2 for PCA, TruncatedSVD and
 * Normalizer) and its fresh rows transformed by it. A float32 encoder or KBinsDiscretizer feeds the
 * scalers, SimpleImputer, MissingIndicator, Binarizer, ufuncs, selectors, encoders,
 * KBinsDiscretizer and TargetEncoder (1.2.2 to 1.9.1, with the names of float32 categories)
 * directly in a Pipeline, through a ColumnTransformer whose every branch is float32, and with
 * pandas output. Every feature must be scikit-learn's bit for bit, and a float32 value where
 * scikit-learn's output is float32; a graph with an inexact ufunc (log1p, exp) must lie in the
 * envelope golden replay accepts (every ufunc result moved {@code ufunc_ulps} float32 ulps down and
 * up); a graph whose float32 step is reproduced within a stated tolerance (case.json {@code
 * approx_rel}: PCA, Normalizer, ... computing in float32, the exporter's {@code APPROX_REL32}) must
 * lie within {@code approx_rel * max(1, |expected|)} on the features {@code approx_features} names
 * (all when absent). The steps still refused must be refused at load (exit 19) naming the step.
 *
 * <p>A case that records the numpy that wrote it ({@code "numpy"}) is loaded with it, as a bundle's
 * manifest {@code versions.numpy} is; one scored only because of it (SplineTransformer's linear /
 * periodic extrapolations from 1.4, written by 1.4.2 on numpy 1.26, 1.6.1 on 2.2, 1.8.0 on 2.3 and
 * 1.9.1 on 2.4) must be refused without it ({@code unknown_numpy}).
 */
class Float32FixtureTest {

    private static final Path DIR = Paths.get("src/test/resources/float32");

    private static long cells;
    private static long roundedCells;
    private static int scored;
    private static int refused;
    private static int refusedUnknownNumpy;
    private static long otherNumpyCells;

    static Stream<Arguments> cases() throws IOException {
        return FixtureSets.cases(DIR);
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("cases")
    void matchesScikitLearnInFloat32(String set, String name) throws IOException {
        Path dir = DIR.resolve(set).resolve(name);
        JsonNode c = new ObjectMapper().readTree(dir.resolve("case.json").toFile());
        byte[] skops = Files.readAllBytes(dir.resolve("preprocessor.skops"));
        TrainingNumpy numpy = FixtureSets.numpy(c);
        if (FixtureSets.refusedAsExpected(c, skops, numpy)) {
            refused++;
            return;
        }
        if (c.has("unknown_numpy")) {
            // scored only because the numpy that ran is known: refused without it
            FixtureSets.assertRefused(c.get("unknown_numpy"), skops, TrainingNumpy.UNKNOWN);
            refusedUnknownNumpy++;
        }
        Preprocessor pre = Preprocessor.load(skops, "preprocessor.skops", Set.of(), numpy);
        List<String> lines =
                Files.readAllLines(dir.resolve("features.csv"), StandardCharsets.UTF_8);
        assertEquals(List.of(lines.get(0).split(",", -1)), pre.featureNamesOut(), "feature names");
        ColumnBatch in = PandasCsv.read(dir.resolve("input.csv"), c.get("pandas").asText());
        int ulps = c.get("ufunc_ulps").asInt();
        double[] got = pre.transform(in, new TransformStats());
        double[] down =
                ulps == 0 ? got : pre.transform(in, new TransformStats().nudgeUfuncResults(-ulps));
        double[] up =
                ulps == 0 ? got : pre.transform(in, new TransformStats().nudgeUfuncResults(ulps));
        boolean float32 = "float32".equals(c.get("dtype").asText());
        int d = pre.width();
        double[] rel = approxRel(c, pre.featureNamesOut());
        List<String> mismatches = new ArrayList<>();
        for (int r = 0; r < in.rowCount(); r++) {
            String[] row = lines.get(r + 1).split(",", -1);
            assertEquals(d, row.length, "width of features.csv row " + r);
            for (int j = 0; j < d; j++) {
                int k = r * d + j;
                double expected = GraphFixtureTest.parse(row[j]);
                if (!matches(expected, got[k], down[k], up[k], ulps, rel[j])) {
                    mismatches.add(
                            "row "
                                    + r
                                    + ", "
                                    + pre.featureNamesOut().get(j)
                                    + ": expected "
                                    + row[j]
                                    + ", got "
                                    + got[k]
                                    + (ulps == 0 ? "" : " in [" + down[k] + ", " + up[k] + "]"));
                }
                if (float32 && (float) got[k] != got[k] && !Double.isNaN(got[k])) {
                    mismatches.add(
                            "row "
                                    + r
                                    + ", "
                                    + pre.featureNamesOut().get(j)
                                    + ": "
                                    + got[k]
                                    + " is not a float32 value");
                }
                if (float32 && Double.isFinite(got[k]) && got[k] != Math.rint(got[k])) {
                    roundedCells++; // a fraction: rounded to float32, not a code
                }
                cells++;
            }
        }
        if (!mismatches.isEmpty()) {
            fail(
                    set
                            + "/"
                            + name
                            + ": "
                            + mismatches.size()
                            + " cells differ:\n"
                            + String.join(
                                    "\n", mismatches.subList(0, Math.min(20, mismatches.size()))));
        }
        if (c.has("unknown_numpy")) {
            otherNumpyCells += otherNumpyDiffers(skops, numpy, in, got);
        }
        scored++;
    }

    /**
     * The cells the other numpy major's rules compute differently (numpy 1.26 for a numpy 2 case,
     * 2.4 for a numpy 1 one): what choosing by the manifest's numpy decides, for the report.
     */
    private static int otherNumpyDiffers(
            byte[] skops, TrainingNumpy numpy, ColumnBatch in, double[] got) {
        TrainingNumpy other = numpy.isNumpy1() ? TrainingNumpy.of(2, 4) : TrainingNumpy.of(1, 26);
        double[] alt =
                Preprocessor.load(skops, "preprocessor.skops", Set.of(), other)
                        .transform(in, new TransformStats());
        int differ = 0;
        for (int k = 0; k < got.length; k++) {
            differ += Double.compare(got[k], alt[k]) == 0 ? 0 : 1;
        }
        return differ;
    }

    /** Per feature the relative tolerance case.json states ({@code approx_rel}), else 0. */
    private static double[] approxRel(JsonNode c, List<String> names) {
        double[] rel = new double[names.size()];
        if (!c.hasNonNull("approx_rel")) {
            return rel;
        }
        JsonNode only = c.get("approx_features");
        for (int j = 0; j < rel.length; j++) {
            boolean listed = only == null;
            for (int i = 0; only != null && i < only.size(); i++) {
                listed |= only.get(i).asText().equals(names.get(j));
            }
            rel[j] = listed ? c.get("approx_rel").asDouble() : 0;
        }
        return rel;
    }

    /**
     * Bit for bit; after an inexact ufunc, inside the envelope of the nudged transforms; for a
     * feature with a stated tolerance, within {@code rel * max(1, |expected|)}.
     */
    private static boolean matches(
            double expected, double got, double down, double up, int ulps, double rel) {
        if (Double.compare(expected, got) == 0) {
            return true;
        }
        if (rel > 0 && Double.isFinite(expected) && Double.isFinite(got)) {
            return Math.abs(got - expected) <= rel * Math.max(1.0, Math.abs(expected));
        }
        if (ulps == 0 || Double.isNaN(expected)) {
            return false;
        }
        double lo = Math.min(got, Math.min(down, up));
        double hi = Math.max(got, Math.max(down, up));
        return lo <= expected && expected <= hi;
    }

    @AfterAll
    static void report() {
        System.out.println(
                "Float32FixtureTest: "
                        + scored
                        + " graphs scored, "
                        + cells
                        + " cells ("
                        + roundedCells
                        + " fractional float32 values) matched; "
                        + refused
                        + " refused as expected; "
                        + refusedUnknownNumpy
                        + " of those scored refused without the training numpy (the other numpy"
                        + " major's rules differ on "
                        + otherNumpyCells
                        + " of their cells)");
    }
}
